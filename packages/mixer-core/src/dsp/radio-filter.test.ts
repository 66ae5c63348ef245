import { describe, expect, it } from 'vitest';
import { biquadCoefficients, biquadMagnitude } from './biquad.js';
import { ProcessorChain, isAudioProcessorPlugin } from './processor.js';
import { RadioFilter } from './radio-filter.js';

const RATE = 48_000;

/** Amplitude of the `hz` component of x[from..to) (Goertzel). */
function toneAmplitude(x: ArrayLike<number>, from: number, to: number, hz: number, scale = 1): number {
  const c = 2 * Math.cos((2 * Math.PI * hz) / RATE);
  let s1 = 0;
  let s2 = 0;
  for (let i = from; i < to; i++) {
    const s = (x[i] ?? 0) / scale + c * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  return (2 * Math.sqrt(Math.max(0, s1 * s1 + s2 * s2 - c * s1 * s2))) / (to - from);
}

/** Runs `seconds` of a sine at `amplitude` through the filter in 10 ms blocks; returns the gain in dB. */
function measuredGainDb(filter: RadioFilter, hz: number, amplitude: number, int16: boolean): number {
  const n = 2 * RATE;
  const block = int16 ? new Int16Array(480) : new Float32Array(480);
  const scale = int16 ? 32768 : 1;
  const out = new Float64Array(n);
  for (let f = 0; f < n; f += 480) {
    for (let i = 0; i < 480; i++) block[i] = amplitude * scale * Math.sin((2 * Math.PI * hz * (f + i)) / RATE);
    filter.process(block, 1);
    for (let i = 0; i < 480; i++) out[f + i] = (block[i] ?? 0) / scale;
  }
  // Skip the first second: the filters' transients.
  return 20 * Math.log10(toneAmplitude(out, RATE, n, hz) / amplitude);
}

describe('RadioFilter', () => {
  it.each([100, 1000, 6000])('measured gain at %i Hz is within 1 dB of the analytic design', (hz) => {
    const filter = new RadioFilter();
    const design = filter.designGainDb(hz);
    const measured = measuredGainDb(filter, hz, 0.1, false);
    console.log(`radio filter ${hz} Hz: design ${design.toFixed(2)} dB, measured ${measured.toFixed(2)} dB`);
    expect(Math.abs(measured - design)).toBeLessThanOrEqual(1);
  });

  it('is a band-pass: 1 kHz passes within 1.5 dB, 100 Hz and 6 kHz are cut by more than 30 dB', () => {
    const filter = new RadioFilter();
    expect(Math.abs(filter.designGainDb(1000))).toBeLessThan(1.5);
    expect(filter.designGainDb(100)).toBeLessThan(-30);
    expect(filter.designGainDb(6000)).toBeLessThan(-30);
  });

  it('saturates softly: a full-scale 1 kHz tone comes out compressed, never clipped or wrapped, on int16', () => {
    const filter = new RadioFilter();
    const block = new Int16Array(480);
    let peak = 0;
    for (let f = 0; f < RATE; f += 480) {
      for (let i = 0; i < 480; i++) block[i] = Math.round(32767 * Math.sin((2 * Math.PI * 1000 * (f + i)) / RATE));
      filter.process(block, 1);
      for (let i = 0; i < 480; i++) peak = Math.max(peak, Math.abs(block[i] ?? 0));
    }
    // tanh(2x)/2 caps the output at half scale: audibly driven, never at the rails.
    expect(peak).toBeGreaterThan(10_000);
    expect(peak).toBeLessThan(16_500);
    // Small signals pass at the design gain on the int16 path too.
    expect(Math.abs(measuredGainDb(new RadioFilter(), 1000, 0.05, true) - filter.designGainDb(1000))).toBeLessThan(1);
  });

  it('keeps stereo channels independent', () => {
    const filter = new RadioFilter();
    const block = new Float32Array(960);
    let right = 0;
    for (let f = 0; f < RATE; f += 480) {
      for (let i = 0; i < 480; i++) {
        block[2 * i] = 0.1 * Math.sin((2 * Math.PI * 1000 * (f + i)) / RATE);
        block[2 * i + 1] = 0;
      }
      filter.process(block, 2);
      for (let i = 0; i < 480; i++) right = Math.max(right, Math.abs(block[2 * i + 1] ?? 0));
    }
    expect(right).toBe(0);
  });

  it('rejects settings that make no filter', () => {
    expect(() => new RadioFilter({ lowCutHz: 3000, highCutHz: 2000 })).toThrow(/lowCutHz/);
    expect(() => new RadioFilter({ bits: 2 })).toThrow(/bits/);
    expect(() => biquadCoefficients('lowpass', 30_000, 0.7, RATE)).toThrow(/frequency/);
  });
});

describe('biquad', () => {
  it('a Butterworth low-pass is -3 dB at its corner', () => {
    const c = biquadCoefficients('lowpass', 2000, Math.SQRT1_2, RATE);
    expect(20 * Math.log10(biquadMagnitude(c, 2000, RATE))).toBeCloseTo(-3.01, 1);
  });
});

describe('ProcessorChain', () => {
  it('runs processors in order and disposes all of them even if one throws', () => {
    const order: string[] = [];
    const disposed: string[] = [];
    const mk = (name: string, throws = false) => ({
      name,
      process: (block: Float32Array | Int16Array) => {
        order.push(name);
        block[0] = (block[0] ?? 0) * 2 + 1;
      },
      dispose: () => {
        disposed.push(name);
        if (throws) throw new Error('boom');
      },
    });
    const chain = new ProcessorChain([mk('a', true), mk('b')]);
    const block = new Float32Array([1]);
    chain.process(block, 1, RATE);
    expect(order).toEqual(['a', 'b']);
    expect(block[0]).toBe(7);
    chain.dispose();
    expect(disposed).toEqual(['a', 'b']);
    expect(isAudioProcessorPlugin(chain)).toBe(true);
    expect(isAudioProcessorPlugin({ name: 'x' })).toBe(false);
  });
});
