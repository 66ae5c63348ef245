// Inner loops of the mixer for streams on the fast path (playing, a whole block buffered,
// steady gain). Kept as plain functions over typed arrays so V8 compiles them to tight loops.
import type { JitterStream } from './jitter-stream.js';

/** Mixes one fast-path stream into `mix` (`n` samples) and completes its block. */
export function mixOne(mix: Float32Array, n: number, s: JitterStream, off: number, frames: number): void {
  const r = s.samples;
  const g = s.fastGain;
  for (let i = 0; i < n; i++) mix[i] = mix[i]! + r[off + i]! * g;
  s.finishFast(frames);
}

/** Mixes four fast-path streams in one pass over `mix` and completes their blocks. */
export function mixFour(
  mix: Float32Array,
  n: number,
  s0: JitterStream,
  s1: JitterStream,
  s2: JitterStream,
  s3: JitterStream,
  offs: Int32Array,
  k: number,
  frames: number,
): void {
  const r0 = s0.samples;
  const r1 = s1.samples;
  const r2 = s2.samples;
  const r3 = s3.samples;
  const o0 = offs[k]!;
  const o1 = offs[k + 1]!;
  const o2 = offs[k + 2]!;
  const o3 = offs[k + 3]!;
  const g0 = s0.fastGain;
  const g1 = s1.fastGain;
  const g2 = s2.fastGain;
  const g3 = s3.fastGain;
  // One read-modify-write of the mix per four streams is most of the saving over mixOne.
  for (let i = 0; i < n; i++) {
    mix[i] = mix[i]! + (r0[o0 + i]! * g0 + r1[o1 + i]! * g1 + (r2[o2 + i]! * g2 + r3[o3 + i]! * g3));
  }
  s0.finishFast(frames);
  s1.finishFast(frames);
  s2.finishFast(frames);
  s3.finishFast(frames);
}
