import { describe, expect, it } from 'vitest';
import { float32ToInt16Clip, int16ToFloat32, ownedCopy, remixChannels } from './convert.js';

describe('conversions', () => {
  it('converts float32 to int16 with clipping, never wrapping', () => {
    const out = float32ToInt16Clip(Float32Array.from([0, 0.5, -0.5, 1, -1, 1.7, -3, NaN]), new Int16Array(8));
    expect(Array.from(out)).toEqual([0, 16384, -16384, 32767, -32768, 32767, -32768, 0]);
  });

  it('converts int16 to float32 in -1..1', () => {
    const out = int16ToFloat32(Int16Array.from([0, 16384, -32768, 32767]), new Float32Array(4));
    expect(out[0]).toBe(0);
    expect(out[1]).toBe(0.5);
    expect(out[2]).toBe(-1);
    expect(out[3]).toBeLessThan(1);
  });

  it('duplicates mono to stereo and averages stereo to mono', () => {
    expect(Array.from(remixChannels(Int16Array.from([1, -2]), 1, 2))).toEqual([1, 1, -2, -2]);
    expect(Array.from(remixChannels(Int16Array.from([10, 20, -4, 4]), 2, 1))).toEqual([15, 0]);
    const same = Int16Array.from([1, 2]);
    expect(remixChannels(same, 2, 2)).toBe(same);
  });

  it('copies a view into an array that owns its buffer from offset 0', () => {
    const backing = Int16Array.from([9, 1, 2, 3]);
    const copy = ownedCopy(backing.subarray(1));
    expect(copy.byteOffset).toBe(0);
    expect(copy.buffer.byteLength).toBe(6);
    expect(Array.from(copy)).toEqual([1, 2, 3]);
  });
});
