import { sineInt16, strongestTone } from '@alto/harness';
import { describe, expect, it } from 'vitest';
import { LinearResampler } from './resampler.js';

describe('LinearResampler', () => {
  it('passes audio through when the rates match', () => {
    const input = Int16Array.from([1, 2, 3]);
    expect(new LinearResampler(48_000, 48_000, 1).process(input)).toBe(input);
  });

  it('turns 1 s at 44.1 kHz into 1 s at 48 kHz and keeps the pitch', () => {
    const input = sineInt16(440, 44_100, 44_100);
    const out = LinearResampler.convert(input, 44_100, 48_000, 1);
    expect(Math.abs(out.length - 48_000)).toBeLessThanOrEqual(2);
    expect(strongestTone(out, [400, 440, 480], 48_000).frequencyHz).toBe(440);
  });

  it('is seamless across chunk boundaries (streaming equals one-shot)', () => {
    const input = sineInt16(1000, 4410, 44_100);
    const oneShot = LinearResampler.convert(input, 44_100, 48_000, 1);
    const streaming = new LinearResampler(44_100, 48_000, 1);
    const parts: number[] = [];
    for (let i = 0; i < input.length; i += 441) parts.push(...streaming.process(input.subarray(i, i + 441)));
    expect(parts.length).toBe(oneShot.length);
    let maxDiff = 0;
    for (let i = 0; i < parts.length; i++) maxDiff = Math.max(maxDiff, Math.abs(parts[i]! - oneShot[i]!));
    expect(maxDiff).toBeLessThanOrEqual(1);
  });

  it('keeps stereo channels apart', () => {
    const frames = 4800;
    const stereo = new Int16Array(frames * 2);
    const left = sineInt16(300, frames, 48_000);
    const right = sineInt16(1200, frames, 48_000);
    for (let i = 0; i < frames; i++) {
      stereo[2 * i] = left[i]!;
      stereo[2 * i + 1] = right[i]!;
    }
    const out = LinearResampler.convert(stereo, 48_000, 16_000, 2);
    const l = out.filter((_, i) => i % 2 === 0);
    const r = out.filter((_, i) => i % 2 === 1);
    expect(strongestTone(l, [300, 1200], 16_000).frequencyHz).toBe(300);
    expect(strongestTone(r, [300, 1200], 16_000).frequencyHz).toBe(1200);
  });
});
