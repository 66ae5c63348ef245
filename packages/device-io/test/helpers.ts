import { sineInt16 } from '@alto/harness';
import type { MixerSink } from '@alto/mixer-core';

/** Feeds a tone into a mixer stream in 10 ms frames at real-time pace, like a remote participant. */
export function feedTone(mixer: MixerSink, id: string, frequencyHz: number, sampleRate = 48_000): () => void {
  const frame = sampleRate / 100;
  const started = performance.now();
  let sent = 0;
  const timer = setInterval(() => {
    const due = Math.floor((performance.now() - started) / 10) + 4;
    while (sent < due) {
      mixer.addAudioData(id, sineInt16(frequencyHz, frame, sampleRate, 0.5, sent * frame));
      sent++;
    }
  }, 5);
  return () => clearInterval(timer);
}

/** Resolves when `predicate` holds, polling; rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resolves with the next emission of `event`. */
export function once<T>(emitter: NodeJS.EventEmitter, event: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${event}' within ${timeoutMs} ms`)), timeoutMs);
    emitter.once(event, (value: T) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
