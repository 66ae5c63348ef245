import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deinterleave,
  float32ToInt16,
  fromDbfs,
  int16ToFloat32,
  interleave,
  toDbfs,
} from './convert.js';
import { softLimit } from './limiter.js';

describe('conversions', () => {
  it('round-trips every int16 value through float32 exactly', () => {
    const src = new Int16Array(65536);
    for (let i = 0; i < src.length; i++) src[i] = i - 32768;
    const f = new Float32Array(src.length);
    const back = new Int16Array(src.length);
    int16ToFloat32(src, f);
    expect(f[0]).toBe(-1);
    float32ToInt16(f, back);
    expect(back).toEqual(src);
  });

  it('clips out-of-range floats instead of wrapping, and rounds', () => {
    const out = new Int16Array(6);
    float32ToInt16(Float32Array.of(1.5, -7, 1, 0.49 / 32768, 0.51 / 32768, Number.NaN), out);
    expect([...out]).toEqual([32767, -32768, 32767, 0, 1, 0]);
  });

  it('never changes sign or leaves int16 range for any float (property)', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, min: -1e6, max: 1e6 }), (x) => {
        const out = new Int16Array(1);
        float32ToInt16(Float32Array.of(x), out);
        const v = out[0]!;
        expect(v).toBeGreaterThanOrEqual(-32768);
        expect(v).toBeLessThanOrEqual(32767);
        if (x > 1 / 32768) expect(v).toBeGreaterThan(0);
        if (x < -1 / 32768) expect(v).toBeLessThan(0);
      }),
    );
  });

  it('interleaves and deinterleaves stereo without mixing channels', () => {
    const l = Float32Array.of(1, 2, 3);
    const r = Float32Array.of(-1, -2, -3);
    const inter = new Float32Array(6);
    expect(interleave([l, r], inter)).toBe(3);
    expect([...inter]).toEqual([1, -1, 2, -2, 3, -3]);
    const l2 = new Float32Array(3);
    const r2 = new Float32Array(3);
    deinterleave(inter, [l2, r2]);
    expect(l2).toEqual(l);
    expect(r2).toEqual(r);
  });

  it('converts dBFS both ways with a -120 floor', () => {
    expect(toDbfs(0.5)).toBeCloseTo(-6.02, 2);
    expect(toDbfs(0)).toBe(-120);
    expect(fromDbfs(-6.0206)).toBeCloseTo(0.5, 4);
  });
});

describe('softLimit', () => {
  it('is transparent below -1 dBFS, monotonic and bounded by full scale (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, min: -100, max: 100 }),
        fc.double({ noNaN: true, min: 0, max: 1 }),
        (x, d) => {
          const y = softLimit(x);
          expect(Math.abs(y)).toBeLessThanOrEqual(1);
          if (Math.abs(x) <= 0.89) expect(y).toBe(x);
          expect(softLimit(x + d)).toBeGreaterThanOrEqual(y);
        },
      ),
    );
  });
});
