import { SpeakerTap, VIRTUAL_DEVICES, strongestTone } from '@alto/harness';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openAudioOutput } from '../src/index.js';
import { feedTone, waitFor } from './helpers.js';

const CANDIDATES = [220, 330, 440, 550, 880, 1000, 1500];

describe('PortAudio output periods and write lead on PulseAudio virtual devices', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c();
    cleanups.length = 0;
  });

  /**
   * Opens the virtual speaker with `variables` set, feeds it an 880 Hz tone and taps the speaker;
   * `reported` collects the `field` of the host's scheduling report.
   */
  async function playTone(variables: Record<string, string>, field: string) {
    const { env, speakerFifo } = inject('pulse');
    const tap = await SpeakerTap.open(speakerFifo);
    cleanups.push(() => tap.close());
    const reported: unknown[] = [];
    const note = (message: string, fields?: Record<string, unknown>): void => {
      if (message === 'audio host scheduling') reported.push(fields?.[field]);
    };
    const output = openAudioOutput(VIRTUAL_DEVICES.speaker, { env: { ...env, ...variables }, logger: { debug: note, info: note, warn: note, error: note } });
    cleanups.push(() => output.stop());
    await output.start();
    output.mixer.addStream('alice');
    cleanups.push(feedTone(output.mixer, 'alice', 880));
    return { output, tap, reported };
  }

  /** The tap heard the tone clearly. */
  function expectTone(played: Int16Array): void {
    const tone = strongestTone(played, CANDIDATES);
    expect(tone.frequencyHz).toBe(880);
    expect(tone.marginDb).toBeGreaterThan(20);
  }

  for (const periodMs of [5, 10] as const) {
    it(`plays a tone intact and without an underrun at ${periodMs} ms periods, and says which it runs`, async () => {
      const { output, tap, reported } = await playTone({ ALTO_AUDIO_OUTPUT_PERIOD_MS: String(periodMs) }, 'periodMs');
      await new Promise((r) => setTimeout(r, 800));
      expectTone(await tap.record(1000));
      expect(reported).toEqual([periodMs]);
      expect(output.metrics().underruns).toBe(0);
    });
  }

  for (const leadMs of [4, 10] as const) {
    const how = leadMs === 10 ? 'written as soon as there is room' : 'written 4 ms ahead of the device';
    // Calm, a deferred output holds one chunk plus a 4 or 7 ms lead; an undeferred one two chunks.
    const calm = (latencyMs: number): boolean => (leadMs === 10 ? latencyMs === 20 : latencyMs === 14 || latencyMs === 17);
    it(`plays a tone intact and without an underrun with chunks ${how}, ${leadMs === 10 ? '20 ms' : 'under 20 ms'} ahead once calm`, async () => {
      const { output, tap, reported } = await playTone({ ALTO_AUDIO_OUTPUT_LEAD_MS: String(leadMs) }, 'minLeadMs');
      // The output starts with three-block chunks and comes down after a calm window.
      await waitFor(() => calm(output.metrics().latencyMs), 20_000, 'the output budget to come down');
      expectTone(await tap.record(1500));
      expect(reported).toEqual([leadMs]);
      expect(output.metrics().underruns).toBe(0);
    }, 40_000);
  }

  const refusals = [
    { what: 'write lead', variable: 'ALTO_AUDIO_OUTPUT_LEAD_MS', value: '1', reason: 'must be a whole number from 2 to 10, got "1"' },
    { what: 'period', variable: 'ALTO_AUDIO_OUTPUT_PERIOD_MS', value: '7', reason: 'must be 5 or 10, got "7"' },
  ];
  for (const { what, variable, value, reason } of refusals) {
    it(`refuses a ${what} it cannot run with a one-line error`, async () => {
      const { env } = inject('pulse');
      const output = openAudioOutput(VIRTUAL_DEVICES.speaker, { env: { ...env, [variable]: value } });
      cleanups.push(() => output.stop());
      const err = await output.start().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toBe(`could not open the output: ${variable} ${reason}`);
    });
  }
});
