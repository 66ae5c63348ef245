import { SpeakerTap, sineInt16 } from '@alto/harness';
import type { StreamMetrics } from '@alto/mixer-core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openAudioOutput, type AudioOutput } from '../src/index.js';
import { feedTone, waitFor } from './helpers.js';

const FRAME = 480;

function stream(output: AudioOutput, id: string): StreamMetrics | undefined {
  return output.metrics().mixer.streams.find((s) => s.id === id);
}

/**
 * Feeds a stream in 10 ms frames from a timer, but holds every frame back until `burstMs` have
 * gathered, then writes them to the host's pipe at once: the jitter a busy main loop or network
 * path puts on the frames. `burstMs = 0` feeds steadily.
 */
function feedJittered(output: AudioOutput, id: string, burstMs: () => number): () => void {
  const started = performance.now();
  let made = 0;
  let held: Int16Array[] = [];
  let heldSince = performance.now();
  const timer = setInterval(() => {
    const due = Math.floor((performance.now() - started) / 10);
    while (made < due) held.push(sineInt16(440, FRAME, 48_000, 0.4, made++ * FRAME));
    if (performance.now() - heldSince >= burstMs()) {
      for (const f of held) output.mixer.addAudioData(id, f);
      held = [];
      heldSince = performance.now();
    }
  }, 5);
  return () => clearInterval(timer);
}

describe('the receive path on PulseAudio virtual devices', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c();
    cleanups.length = 0;
  });

  it('starts 20 calls without a PortAudio underrun', async () => {
    const { env, speakerFifo } = inject('pulse');
    // Something must drain the pipe speaker or PulseAudio stops taking audio.
    const tap = await SpeakerTap.open(speakerFifo);
    cleanups.push(() => tap.close());
    const underruns: number[] = [];
    const reports: string[] = [];
    for (let join = 0; join < 20; join++) {
      const t0 = performance.now();
      const note = (m: string, f?: Record<string, unknown>): void => {
        if (/underrun|underflow|scheduling/.test(`${m} ${JSON.stringify(f)}`)) reports.push(`join ${join} +${Math.round(performance.now() - t0)} ms: ${JSON.stringify(f)}`);
      };
      const logger = { debug: note, info: note, warn: note, error: note };
      const output = openAudioOutput('vspeaker', { env, logger });
      await output.start();
      output.mixer.addStream('remote');
      const stop = feedTone(output.mixer, 'remote', 440);
      await waitFor(() => (stream(output, 'remote')?.framesOut ?? 0) >= 20 * FRAME, 20_000, 'the remote stream to play');
      stop();
      underruns.push(output.metrics().underruns);
      await output.stop();
    }
    expect(underruns, reports.join('\n')).toEqual(new Array(20).fill(0));
  }, 240_000);

  it('grows the jitter target while the pipe delivers in bursts and shrinks it after they stop', async () => {
    const { env, speakerFifo } = inject('pulse');
    const tap = await SpeakerTap.open(speakerFifo);
    cleanups.push(() => tap.close());
    const output = openAudioOutput('vspeaker', { env });
    cleanups.push(() => output.stop());
    await output.start();
    output.mixer.addStream('remote');
    let burstMs = 0;
    const stop = feedJittered(output, 'remote', () => burstMs);
    cleanups.push(stop);
    await waitFor(() => stream(output, 'remote')?.state === 'playing', 20_000, 'the stream to play');

    const seen: string[] = [];
    const watch = setInterval(() => {
      const m = stream(output, 'remote');
      seen.push(`${m?.targetMs}/${m?.underruns}/${m?.bufferedMs.toFixed(0)}`);
    }, 500);
    cleanups.push(() => clearInterval(watch));
    // Let the start-up backlog drain first, so the bursts meet a buffer near its target.
    await waitFor(() => {
      const m = stream(output, 'remote');
      return m !== undefined && m.bufferedMs <= m.targetMs + 20;
    }, 30_000, 'the buffer to settle');
    const startTarget = stream(output, 'remote')?.targetMs ?? NaN;
    // Deliveries 60 ms apart: more than the settled buffer covers, and short enough to count as
    // jitter (a longer gap is a stall the target does not grow for). The stream runs dry until
    // its target has grown enough (the gaps then stop).
    burstMs = 60;
    await waitFor(() => (stream(output, 'remote')?.targetMs ?? 0) >= startTarget + 20, 30_000, 'the target to grow').catch((e: Error) => {
      throw new Error(`${e.message}: target/underruns/buffered ${seen.join(' ')}`);
    });
    await new Promise((r) => setTimeout(r, 4000));
    const peak = stream(output, 'remote')?.targetMs ?? NaN;

    burstMs = 0;
    await waitFor(() => (stream(output, 'remote')?.targetMs ?? Infinity) < peak, 60_000, 'the target to shrink back').catch((e: Error) => {
      throw new Error(`${e.message}: target/underruns/buffered ${seen.join(' ')}`);
    });
    expect(stream(output, 'remote')?.state).toBe('playing');
  }, 180_000);
});
