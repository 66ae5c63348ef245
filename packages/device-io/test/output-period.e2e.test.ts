import { SpeakerTap, VIRTUAL_DEVICES, strongestTone } from '@alto/harness';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openAudioOutput } from '../src/index.js';
import { feedTone } from './helpers.js';

const CANDIDATES = [220, 330, 440, 550, 880, 1000, 1500];

describe('PortAudio output periods on PulseAudio virtual devices', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c();
    cleanups.length = 0;
  });

  for (const periodMs of [5, 10] as const) {
    it(`plays a tone intact and without an underrun at ${periodMs} ms periods, and says which it runs`, async () => {
      const { env, speakerFifo } = inject('pulse');
      const tap = await SpeakerTap.open(speakerFifo);
      cleanups.push(() => tap.close());
      const reported: unknown[] = [];
      const note = (message: string, fields?: Record<string, unknown>): void => {
        if (message === 'audio host scheduling') reported.push(fields?.['periodMs']);
      };
      const output = openAudioOutput(VIRTUAL_DEVICES.speaker, {
        env: { ...env, ALTO_AUDIO_OUTPUT_PERIOD_MS: String(periodMs) },
        logger: { debug: note, info: note, warn: note, error: note },
      });
      cleanups.push(() => output.stop());
      await output.start();
      output.mixer.addStream('alice');
      cleanups.push(feedTone(output.mixer, 'alice', 880));
      await new Promise((r) => setTimeout(r, 800));
      const played = await tap.record(1000);
      const tone = strongestTone(played, CANDIDATES);
      expect(tone.frequencyHz).toBe(880);
      expect(tone.marginDb).toBeGreaterThan(20);
      expect(reported).toEqual([periodMs]);
      expect(output.metrics().underruns).toBe(0);
    });
  }

  it('refuses a period it cannot run with a one-line error', async () => {
    const { env } = inject('pulse');
    const output = openAudioOutput(VIRTUAL_DEVICES.speaker, { env: { ...env, ALTO_AUDIO_OUTPUT_PERIOD_MS: '7' } });
    cleanups.push(() => output.stop());
    const err = await output.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe('could not open the output: ALTO_AUDIO_OUTPUT_PERIOD_MS must be 5 or 10, got "7"');
  });
});
