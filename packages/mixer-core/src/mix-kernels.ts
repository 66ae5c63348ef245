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
    const sq = v * v;
    ss += sq;
    if (sq > pk) pk = sq;
  }
  levels[0] = ss;
  levels[1] = Math.sqrt(pk);
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
    // Peak as the max of the squares already computed for the RMS: no abs, no extra branch
    // (about 30 % cheaper than tracking |x| here), one sqrt per block.
    const qa = a * a;
    const qb = b * b;
    const qc = c * c;
    const qd = d * d;
    ss0 += qa;
    ss1 += qb;
    ss2 += qc;
    ss3 += qd;
    pk0 = qa > pk0 ? qa : pk0;
    pk1 = qb > pk1 ? qb : pk1;
    pk2 = qc > pk2 ? qc : pk2;
    pk3 = qd > pk3 ? qd : pk3;
  }
  levels[0] = ss0;
  levels[1] = Math.sqrt(pk0);
  levels[2] = ss1;
  levels[3] = Math.sqrt(pk1);
  levels[4] = ss2;
  levels[5] = Math.sqrt(pk2);
  levels[6] = ss3;
  levels[7] = Math.sqrt(pk3);
  s0.finishFast(frames, levels, 0);
  s1.finishFast(frames, levels, 1);
  s2.finishFast(frames, levels, 2);
  s3.finishFast(frames, levels, 3);
}
