import { sineInt16, strongestTone, rms, concatInt16 } from '@alto/harness';
import type { MixerMetrics, MixerSink, StreamOptions } from '@alto/mixer-core';
import type { LiveKitSession } from '../src/index.js';

/** A MixerSink that records every stream's samples, for assertions on what each side heard. */
export class RecordingMixer implements MixerSink {
  readonly streams = new Map<string, { label: string | undefined; chunks: Int16Array[]; samples: number }>();
  readonly removed: string[] = [];

  addStream(id: string, options?: StreamOptions): void {
    if (!this.streams.has(id)) this.streams.set(id, { label: options?.label, chunks: [], samples: 0 });
  }
  removeStream(id: string): void {
    if (this.streams.delete(id)) this.removed.push(id);
  }
  hasStream(id: string): boolean {
    return this.streams.has(id);
  }
  addAudioData(id: string, samples: Int16Array): void {
    const s = this.streams.get(id);
    if (!s) throw new Error(`audio for unknown stream ${id}`);
    s.chunks.push(new Int16Array(samples));
    s.samples += samples.length;
    // Keep ~10 s per stream: enough for any assertion.
    if (s.chunks.length > 1000) s.samples -= s.chunks.shift()!.length;
  }
  setStreamVolume(): void {}
  setStreamMuted(): void {}
  setMasterVolume(): void {}
  getMetrics(): MixerMetrics {
    const silent = { peakDbfs: -120, rmsDbfs: -120, speaking: false };
    return {
      sampleRate: 48_000,
      channels: 1,
      masterVolume: 1,
      framesOut: 0,
      underruns: 0,
      limitedSamples: 0,
      streamCount: this.streams.size,
      level: silent,
      streams: [...this.streams].map(([id, s]) => ({
        id,
        label: s.label,
        volume: 1,
        muted: false,
        state: 'playing' as const,
        framesIn: s.samples,
        framesOut: 0,
        underruns: 0,
        overruns: 0,
        droppedFrames: 0,
        bufferedMs: 0,
        targetMs: 0,
        level: silent,
      })),
    };
  }

  /** Marks the current end of a stream's recording, to read only what arrives afterwards. */
  mark(id: string): number {
    return this.streams.get(id)?.chunks.length ?? 0;
  }

  /** Samples of a stream received after `mark` (or the last `lastChunks` chunks). */
  since(id: string, mark: number): Int16Array {
    const s = this.streams.get(id);
    return s ? concatInt16(s.chunks.slice(mark)) : new Int16Array(0);
  }

  /** The last `ms` of a stream (10 ms chunks at 48 kHz mono). */
  last(id: string, ms: number): Int16Array {
    const s = this.streams.get(id);
    return s ? concatInt16(s.chunks.slice(-Math.ceil(ms / 10))) : new Int16Array(0);
  }
}

/** Feeds a sine tone into a session in real time, 10 ms frames, catching up after stalls. */
export function startTone(session: LiveKitSession, frequencyHz: number, amplitude = 0.25): { stop(): void } {
  // One second holds an integer number of cycles for integer frequencies, so it loops seamlessly.
  const period = sineInt16(frequencyHz, 48_000, 48_000, amplitude);
  const frame = new Int16Array(480);
  let sent = 0;
  const started = performance.now();
  const timer = setInterval(() => {
    const due = Math.floor((performance.now() - started) / 10);
    // After a long stall send at most 100 ms, as a real capture device would have dropped the rest.
    if (due - sent > 10) sent = due - 10;
    while (sent < due) {
      const offset = (sent % 100) * 480;
      for (let i = 0; i < 480; i++) frame[i] = period[offset + i]!;
      session.captureFrame(frame);
      sent++;
    }
  }, 10);
  return { stop: () => clearInterval(timer) };
}

/** Strongest of the candidate tones in the samples. */
export function heardTone(samples: Int16Array, candidatesHz: readonly number[]): { frequencyHz: number; marginDb: number; rms: number } {
  return { ...strongestTone(samples, candidatesHz), rms: samples.length ? rms(samples) : 0 };
}

/** Polls `check` until it returns true or `timeoutMs` passes; throws with `what` on timeout. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resolves after `ms`. */
export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A room name no other test uses. */
export function uniqueRoom(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
}
