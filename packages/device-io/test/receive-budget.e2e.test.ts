import { SpeakerTap, sineInt16 } from '@alto/harness';
import type { StreamMetrics } from '@alto/mixer-core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openAudioOutput, type AudioOutput } from '../src/index.js';
import { feedTone, waitFor } from './helpers.js';

const FRAME = 480;

function stream(output: AudioOutput, id: string): StreamMetrics | undefined {
  return output.metrics().mixer.streams.find((s) => s.id === id);
}

/** A real-time tone feed whose deliveries can be held back. */
interface HeldFeed {
  /** Holds every frame back for `ms`, then writes them all at once: one late delivery. */
  hold(ms: number): void;
  stop(): void;
}

/**
 * Feeds a stream in 10 ms frames at real-time pace from a timer, like a remote participant whose
 * frames reach the host's pipe late now and then (the jitter a busy main loop or network path
 * puts on them).
 */
function feedWithHolds(output: AudioOutput, id: string): HeldFeed {
  const started = performance.now();
  let made = 0;
  let held: Int16Array[] = [];
  let holdUntil = 0;
  const timer = setInterval(() => {
    const due = Math.floor((performance.now() - started) / 10);
    while (made < due) held.push(sineInt16(440, FRAME, 48_000, 0.4, made++ * FRAME));
    if (performance.now() >= holdUntil) {
      for (const f of held) output.mixer.addAudioData(id, f);
      held = [];
    }
  }, 5);
  return {
    hold: (ms) => {
      holdUntil = performance.now() + ms;
    },
    stop: () => clearInterval(timer),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('the receive path on PulseAudio virtual devices', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c();
    cleanups.length = 0;
  });

  /** A default (adaptive) output on the virtual speaker, drained, with a stream named 'remote'. */
  async function openWithRemoteStream(): Promise<AudioOutput> {
    const { env, speakerFifo } = inject('pulse');
    const tap = await SpeakerTap.open(speakerFifo);
    cleanups.push(() => tap.close());
    const output = openAudioOutput('vspeaker', { env });
    cleanups.push(() => output.stop());
    await output.start();
    output.mixer.addStream('remote');
    return output;
  }

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

  it('keeps at least 30 ms of jitter buffer for a stream that arrives steadily', async () => {
    const output = await openWithRemoteStream();
    cleanups.push(feedTone(output.mixer, 'remote', 440));
    await waitFor(() => stream(output, 'remote')?.state === 'playing', 20_000, 'the stream to play');
    // Past the stream's settling time and several calm windows, when a target would have shrunk.
    const targets: number[] = [];
    const framesBefore = stream(output, 'remote')?.framesOut ?? 0;
    for (let i = 0; i < 32; i++) {
      await sleep(250);
      targets.push(stream(output, 'remote')?.targetMs ?? NaN);
    }
    expect(Math.min(...targets), targets.join(' ')).toBeGreaterThanOrEqual(30);
    expect((stream(output, 'remote')?.framesOut ?? 0) - framesBefore).toBeGreaterThan(600 * FRAME);
  }, 60_000);

  it('grows the jitter target while deliveries come late and shrinks it after they stop', async () => {
    const output = await openWithRemoteStream();
    const feed = feedWithHolds(output, 'remote');
    cleanups.push(() => feed.stop());
    await waitFor(() => stream(output, 'remote')?.state === 'playing', 20_000, 'the stream to play');

    const seen: string[] = [];
    const watch = setInterval(() => {
      const m = stream(output, 'remote');
      seen.push(`${m?.targetMs}/${m?.underruns}/${m?.bufferedMs.toFixed(0)}`);
    }, 500);
    cleanups.push(() => clearInterval(watch));
    const trace = (e: Error): never => {
      throw new Error(`${e.message}: target/underruns/buffered ${seen.join(' ')}`);
    };
    const settled = (): boolean => {
      const m = stream(output, 'remote');
      return m !== undefined && m.bufferedMs <= m.targetMs + 15;
    };
    // The start-up backlog drains first, so a late delivery meets a buffer near its target.
    await waitFor(settled, 30_000, 'the buffer to settle').catch(trace);
    const startTarget = stream(output, 'remote')?.targetMs ?? NaN;

    // Each late delivery arrives 30 ms after the buffered audio ran out: a gap a larger buffer
    // would have covered (jitter), unlike a stall longer than the 80 ms the target grows for.
    // Between them the feed is steady until the drain brings the buffer back near its target, so
    // every hold meets the same situation whatever the machine's load did to the last one.
    const deadline = Date.now() + 90_000;
    while ((stream(output, 'remote')?.targetMs ?? 0) < startTarget + 20) {
      if (Date.now() > deadline) trace(new Error('timed out waiting for the target to grow'));
      await waitFor(settled, 15_000, 'the buffer to drain').catch(() => undefined);
      const buffered = stream(output, 'remote')?.bufferedMs ?? 0;
      feed.hold(buffered + 30);
      await sleep(buffered + 30 + 300);
    }
    // Once the holds stop, the target comes down from the highest it reached. A loaded machine
    // may still make the stream run dry and grow it meanwhile, so "down" is measured from the
    // highest target seen, not from the one at the end of the holds.
    let highest = 0;
    await waitFor(() => {
      const target = stream(output, 'remote')?.targetMs ?? 0;
      highest = Math.max(highest, target);
      return target < highest;
    }, 90_000, 'the target to shrink back').catch(trace);
    // Still audible: the stream plays on (a loaded machine may catch it rebuffering for a moment).
    const framesBefore = stream(output, 'remote')?.framesOut ?? 0;
    await waitFor(() => (stream(output, 'remote')?.framesOut ?? 0) >= framesBefore + 50 * FRAME, 10_000, 'the stream to play on');
  }, 240_000);
});
