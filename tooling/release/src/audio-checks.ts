import { readFileSync } from 'node:fs';
import { goertzelPower } from '@alto/harness';

/** The PCM samples of a mono s16le WAV file (found by its `data` chunk). */
export function wavSamples(path: string): Int16Array {
  const bytes = readFileSync(path);
  const at = bytes.indexOf('data', 12) + 8;
  const copy = Buffer.from(bytes.subarray(at));
  return new Int16Array(copy.buffer, copy.byteOffset, Math.floor(copy.length / 2));
}

/**
 * Seconds of `samples` in which `frequencyHz` is clearly present: 100 ms windows louder than
 * -30 dBFS whose power at `frequencyHz` is at least 10x that at each of `othersHz`.
 */
export function secondsOfTone(samples: Int16Array, frequencyHz: number, othersHz: readonly number[], sampleRate = 48_000): number {
  const size = sampleRate / 10;
  let windows = 0;
  for (let start = 0; start + size <= samples.length; start += size) {
    const window = samples.subarray(start, start + size);
    let sum = 0;
    for (let i = 0; i < window.length; i++) sum += ((window[i] ?? 0) / 32768) ** 2;
    if (Math.sqrt(sum / window.length) < 0.0316) continue;
    const power = goertzelPower(window, frequencyHz, sampleRate);
    if (othersHz.every((other) => power > 10 * goertzelPower(window, other, sampleRate))) windows++;
  }
  return windows / 10;
}
