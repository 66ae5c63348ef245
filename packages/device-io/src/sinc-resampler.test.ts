import { describe, expect, it } from 'vitest';
import {
  fitAmplitude,
  sineResidual,
  passbandRippleDb,
  sweepSpuriousDbfs,
  toneGainDb,
  toneInt16,
  toneSpuriousDbfs,
  type Convert,
} from '../test/resampler-quality.js';
import { LinearResampler } from './resampler.js';
import { PASSBAND_FRACTION } from './sinc-filter.js';
import { SincResampler } from './sinc-resampler.js';

const sinc: Convert = (input, from, to) => SincResampler.convert(input, from, to, 1);
const linear: Convert = (input, from, to) => LinearResampler.convert(input, from, to, 1);
const AUDIBLE = [20, 100, 1000, 5000, 10_000, 15_000, 18_000, 19_000, 19_500, 20_000];
const DEVICE_RATES = [44_100, 32_000, 24_000, 16_000, 8000];

/** Streams `input` through `resampler` in chunks of `chunkFrames` (cycling through the list). */
function streamThrough(
  resampler: SincResampler,
  input: Int16Array,
  chunkFrames: readonly number[],
): Int16Array {
  const ch = resampler.channels;
  const out = new Int16Array(resampler.maxOutputFrames(input.length / ch) + chunkFrames.length * 2);
  const scratch = new Int16Array(resampler.maxOutputFrames(Math.max(...chunkFrames)) * ch);
  let written = 0;
  let i = 0;
  for (let at = 0; at < input.length / ch; i++) {
    const frames = Math.min(chunkFrames[i % chunkFrames.length]!, input.length / ch - at);
    const n = resampler.processInto(input.subarray(at * ch, (at + frames) * ch), scratch);
    out.set(scratch.subarray(0, n * ch), written * ch);
    written += n;
    at += frames;
  }
  return out.slice(0, written * ch);
}

describe('SincResampler quality at 48 ↔ 44.1 kHz', () => {
  it.each([
    [48_000, 44_100],
    [44_100, 48_000],
  ])('keeps aliases and images of a 15 kHz tone below −80 dBFS (%i → %i Hz)', (from, to) => {
    expect(toneSpuriousDbfs(sinc, 15_000, from, to)).toBeLessThan(-80);
    // The measurement sees what a plain interpolator lets through.
    expect(toneSpuriousDbfs(linear, 15_000, from, to)).toBeGreaterThan(-40);
  });

  it.each([
    [48_000, 44_100],
    [44_100, 48_000],
  ])(
    'keeps every alias of a sweep to the input Nyquist frequency below −80 dBFS (%i → %i Hz)',
    (from, to) => {
      expect(sweepSpuriousDbfs(sinc, from, to)).toBeLessThan(-80);
      expect(sweepSpuriousDbfs(linear, from, to)).toBeGreaterThan(-40);
    },
  );

  it.each([
    [48_000, 44_100],
    [44_100, 48_000],
  ])('passes 20 Hz–20 kHz flat within 0.1 dB (%i → %i Hz)', (from, to) => {
    expect(passbandRippleDb(sinc, AUDIBLE, from, to)).toBeLessThan(0.1);
    expect(Math.abs(toneGainDb(sinc, 1000, from, to))).toBeLessThan(0.05);
    // A linear interpolator droops by several dB at the top of the band.
    expect(passbandRippleDb(linear, AUDIBLE, from, to)).toBeGreaterThan(1);
  });
});

describe('SincResampler at every device rate', () => {
  it.each(DEVICE_RATES.flatMap((rate) => [[rate, 48_000] as const, [48_000, rate] as const]))(
    'converts %i → %i Hz with aliases below −80 dBFS and a flat pass band',
    (from, to) => {
      expect(sweepSpuriousDbfs(sinc, from, to)).toBeLessThan(-80);
      const top = PASSBAND_FRACTION * (Math.min(from, to) / 2);
      const band = [20, 100, 1000, top / 4, top / 2, (3 * top) / 4, top];
      expect(passbandRippleDb(sinc, band, from, to)).toBeLessThan(0.1);
    },
  );

  it('handles a ratio with no small fraction (48 kHz → 44.056 kHz) to the same standard', () => {
    expect(sweepSpuriousDbfs(sinc, 48_000, 44_056)).toBeLessThan(-80);
    expect(passbandRippleDb(sinc, AUDIBLE, 48_000, 44_056)).toBeLessThan(0.1);
  });

  it('turns N input frames into ceil(N × out / in) output frames in one call', () => {
    expect(SincResampler.convert(new Int16Array(44_100), 44_100, 48_000, 1).length).toBe(48_000);
    expect(SincResampler.convert(new Int16Array(1000), 48_000, 44_100, 1).length).toBe(919);
    expect(SincResampler.convert(new Int16Array(2 * 441), 44_100, 48_000, 2).length).toBe(2 * 480);
  });
});

describe('SincResampler streaming', () => {
  it.each([
    [44_100, 48_000],
    [48_000, 44_100],
    [16_000, 48_000],
    [48_000, 8000],
  ])(
    'gives the same samples in 10 ms blocks or odd chunks as in one call (%i → %i Hz)',
    (from, to) => {
      const input = toneInt16(997, 0.5, from, 0.8);
      const whole = streamThrough(new SincResampler(from, to, 1), input, [input.length]);
      const blocks = streamThrough(new SincResampler(from, to, 1), input, [from / 100]);
      const odd = streamThrough(new SincResampler(from, to, 1), input, [1, 7, 333, 2000, 64]);
      expect(blocks).toEqual(whole);
      expect(odd).toEqual(whole);
      expect(Math.abs(whole.length - (input.length * to) / from)).toBeLessThanOrEqual(
        new SincResampler(from, to, 1).latencyFrames * (to / from) + 1,
      );
    },
  );

  it('plays a tone streamed in 10 ms blocks with no click at any block boundary', () => {
    const from = 44_100;
    const to = 48_000;
    const input = toneInt16(15_000, 1, from, 0.9);
    const out = streamThrough(new SincResampler(from, to, 1), input, [from / 100]);
    const start = 960;
    const residual = sineResidual(out, 15_000, to, start, out.length - 960);
    let worst = 0;
    let worstAtBoundary = 0;
    for (let i = 0; i < residual.length; i++) {
      const r = Math.abs(residual[i]!);
      worst = Math.max(worst, r);
      // Output frames next to a block boundary (a 10 ms block yields 480 of them).
      const n = (start + i) % 480;
      if (n <= 2 || n >= 478) worstAtBoundary = Math.max(worstAtBoundary, r);
    }
    // −80 dBFS is 3.3 LSB: what is left is rounding, nowhere a jump.
    expect(worst).toBeLessThan(3.3);
    expect(worstAtBoundary).toBeLessThan(3.3);
  });

  it('delays a stream by latencyMs (1.4 ms at 44.1 ↔ 48 kHz)', () => {
    for (const [from, to] of [
      [44_100, 48_000],
      [48_000, 44_100],
    ] as const) {
      const resampler = new SincResampler(from, to, 1);
      expect(resampler.latencyMs).toBeGreaterThan(1);
      expect(resampler.latencyMs).toBeLessThan(1.6);
      // Feed one frame at a time and note which input frame lets the impulse's peak out.
      const frame = new Int16Array(1);
      const out = new Int16Array(4);
      let best = 0;
      let releasedBy = -1;
      for (let i = 0; i < 400; i++) {
        frame[0] = i === 100 ? 20_000 : 0;
        const n = resampler.processInto(frame, out);
        for (let k = 0; k < n; k++) {
          if (Math.abs(out[k]!) > best) {
            best = Math.abs(out[k]!);
            releasedBy = i;
          }
        }
      }
      expect(Math.abs(releasedBy - 100 - resampler.latencyFrames)).toBeLessThanOrEqual(1);
    }
  });

  it('keeps stereo channels apart', () => {
    const frames = 44_100;
    const left = toneInt16(300, frames / 44_100, 44_100, 0.5);
    const right = toneInt16(12_000, frames / 44_100, 44_100, 0.5);
    const stereo = new Int16Array(frames * 2);
    for (let i = 0; i < frames; i++) {
      stereo[2 * i] = left[i]!;
      stereo[2 * i + 1] = right[i]!;
    }
    const out = SincResampler.convert(stereo, 44_100, 48_000, 2);
    const l = out.filter((_, i) => i % 2 === 0);
    const r = out.filter((_, i) => i % 2 === 1);
    const gain = (x: Int16Array, hz: number): number =>
      fitAmplitude(x, hz, 48_000, 500, x.length - 500) / (0.5 * 32767);
    expect(gain(l, 300)).toBeCloseTo(1, 2);
    expect(gain(l, 12_000)).toBeLessThan(1e-4);
    expect(gain(r, 12_000)).toBeCloseTo(1, 2);
    expect(gain(r, 300)).toBeLessThan(1e-4);
  });

  it('passes audio through unchanged when the rates match', () => {
    const input = Int16Array.from([1, -2, 3, 32767]);
    expect(new SincResampler(48_000, 48_000, 1).process(input)).toBe(input);
    const out = new Int16Array(8);
    expect(new SincResampler(48_000, 48_000, 2).processInto(input, out)).toBe(2);
    expect(Array.from(out.subarray(0, 4))).toEqual([1, -2, 3, 32767]);
  });

  it('clips overshoot at full scale instead of wrapping', () => {
    const square = new Int16Array(4410);
    for (let i = 0; i < square.length; i++)
      square[i] = Math.floor(i / 20) % 2 === 0 ? 32767 : -32768;
    const out = SincResampler.convert(square, 44_100, 48_000, 1);
    let max = 0;
    let min = 0;
    for (let i = 100; i < out.length - 100; i++) {
      max = Math.max(max, out[i]!);
      min = Math.min(min, out[i]!);
    }
    expect(max).toBe(32767);
    expect(min).toBe(-32768);
  });

  it('rejects rates, channels and output buffers it cannot use', () => {
    expect(() => new SincResampler(0, 48_000, 1)).toThrow(RangeError);
    expect(() => new SincResampler(44_100.5, 48_000, 1)).toThrow(/positive integers/);
    expect(() => new SincResampler(44_100, 48_000, 0)).toThrow(/channels/);
    expect(() =>
      new SincResampler(44_100, 48_000, 1).processInto(new Int16Array(441), new Int16Array(100)),
    ).toThrow(/needed/);
  });
});
