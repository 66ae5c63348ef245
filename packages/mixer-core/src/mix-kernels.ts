// Inner loops of the mixer for streams on the fast path (playing, a whole block buffered,
// steady gain). Kept as plain functions over typed arrays so V8 compiles them to tight loops.
// Levels go back through a Float64Array: doubles passed to a call V8 does not inline are boxed.
import type { JitterStream } from './jitter-stream.js';

/** Mixes one fast-path stream into `mix` (`n` samples) and hands it its levels. */
export function mixOne(
  mix: Float32Array,
  n: number,
  s: JitterStream,
  off: number,
  frames: number,
  levels: Float64Array,
): void {
  const r = s.samples;
  const g = s.fastGain;
  let ss = 0;
  let pk = 0;
  for (let i = 0; i < n; i++) {
    const v = r[off + i]!;
    mix[i] = mix[i]! + v * g;
    ss += v * v;
    const a = v < 0 ? -v : v;
    if (a > pk) pk = a;
  }
  levels[0] = ss;
  levels[1] = pk;
  s.finishFast(frames, levels, 0);
}

/** Mixes four fast-path streams in one pass over `mix` and hands each its levels. */
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
  levels: Float64Array,
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
  let ss0 = 0;
  let ss1 = 0;
  let ss2 = 0;
  let ss3 = 0;
  let pk0 = 0;
  let pk1 = 0;
  let pk2 = 0;
  let pk3 = 0;
  for (let i = 0; i < n; i++) {
    const a = r0[o0 + i]!;
    const b = r1[o1 + i]!;
    const c = r2[o2 + i]!;
    const d = r3[o3 + i]!;
    mix[i] = mix[i]! + (a * g0 + b * g1 + (c * g2 + d * g3));
    ss0 += a * a;
    ss1 += b * b;
    ss2 += c * c;
    ss3 += d * d;
    const aa = a < 0 ? -a : a;
    if (aa > pk0) pk0 = aa;
    const ab = b < 0 ? -b : b;
    if (ab > pk1) pk1 = ab;
    const ac = c < 0 ? -c : c;
    if (ac > pk2) pk2 = ac;
    const ad = d < 0 ? -d : d;
    if (ad > pk3) pk3 = ad;
  }
  levels[0] = ss0;
  levels[1] = pk0;
  levels[2] = ss1;
  levels[3] = pk1;
  levels[4] = ss2;
  levels[5] = pk2;
  levels[6] = ss3;
  levels[7] = pk3;
  s0.finishFast(frames, levels, 0);
  s1.finishFast(frames, levels, 1);
  s2.finishFast(frames, levels, 2);
  s3.finishFast(frames, levels, 3);
}
