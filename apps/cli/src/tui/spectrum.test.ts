import { describe, expect, it } from 'vitest';
import { FFT_SIZE, SPECTRUM_FLOOR_DB, SpectrumAnalyzer } from './spectrum.js';

function tone(hz: number, sampleRate: number, amplitude: number, length = 4800): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate);
  return out;
}

function strongest(bands: Float32Array): number {
  let best = 0;
  for (let b = 1; b < bands.length; b++) if ((bands[b] as number) > (bands[best] as number)) best = b;
  return best;
}

describe('SpectrumAnalyzer', () => {
  const analyzer = new SpectrumAnalyzer({ sampleRate: 48000 });
  const bands = new Float32Array(analyzer.bandCount);

  it('has 16 contiguous, non-empty, increasing bands from about 60 Hz to 16 kHz', () => {
    expect(analyzer.bandCount).toBe(16);
    for (let b = 0; b < 16; b++) {
      expect(analyzer.bandBins[2 * b + 1]).toBeGreaterThan(analyzer.bandBins[2 * b] as number);
      if (b > 0) expect(analyzer.bandBins[2 * b]).toBe(analyzer.bandBins[2 * b - 1]);
    }
    expect(analyzer.centerHz(0)).toBeLessThan(120);
    expect(analyzer.centerHz(15)).toBeGreaterThan(9000);
    // Log spacing: upper bands are much wider than lower ones.
    const width = (b: number): number => (analyzer.bandBins[2 * b + 1] as number) - (analyzer.bandBins[2 * b] as number);
    expect(width(15)).toBeGreaterThan(10 * width(4));
  });

  it.each([100, 250, 440, 1000, 2000, 3150, 5000, 8000, 12000])('puts a %d Hz tone in its own band, well above the rest', (hz) => {
    analyzer.reset();
    analyzer.push(tone(hz, 48000, 0.5));
    analyzer.compute(bands);
    const expected = analyzer.bandOf(hz);
    expect(expected).toBeGreaterThanOrEqual(0);
    expect(strongest(bands)).toBe(expected);
    // A -6 dBFS sine reads about -6 dB in its band.
    expect(bands[expected]).toBeGreaterThan(-9);
    expect(bands[expected]).toBeLessThan(-3);
    // Bands two or more away are at least 30 dB down (Hann sidelobes fall fast).
    for (let b = 0; b < bands.length; b++) {
      if (Math.abs(b - expected) >= 2) expect(bands[b]).toBeLessThan((bands[expected] as number) - 30);
    }
  });

  it('moves to higher bands as the frequency rises', () => {
    let last = -1;
    for (const hz of [80, 160, 320, 640, 1280, 2560, 5120, 10240]) {
      analyzer.reset();
      analyzer.push(tone(hz, 48000, 0.5));
      const b = strongest(analyzer.compute(bands));
      expect(b).toBeGreaterThan(last);
      last = b;
    }
  });

  it('reads silence as the floor and int16 full scale as about 0 dB', () => {
    analyzer.reset();
    analyzer.push(new Int16Array(FFT_SIZE));
    expect(Array.from(analyzer.compute(bands)).every((v) => v === SPECTRUM_FLOOR_DB)).toBe(true);
    const pcm = Int16Array.from(tone(1000, 48000, 32767 / 32768), (v) => Math.round(v * 32768));
    analyzer.push(pcm);
    analyzer.compute(bands);
    expect(Math.abs((bands[analyzer.bandOf(1000)] as number) - 0)).toBeLessThan(1.5);
  });

  it('analyses channel 0 of interleaved stereo', () => {
    const stereo = new Float32Array(9600);
    const left = tone(500, 48000, 0.5);
    const right = tone(6000, 48000, 0.5);
    for (let i = 0; i < 4800; i++) {
      stereo[2 * i] = left[i] as number;
      stereo[2 * i + 1] = right[i] as number;
    }
    analyzer.reset();
    analyzer.push(stereo, 2);
    expect(strongest(analyzer.compute(bands))).toBe(analyzer.bandOf(500));
  });

  it('works at 16 kHz with bands capped at Nyquist', () => {
    const narrow = new SpectrumAnalyzer({ sampleRate: 16000 });
    const out = new Float32Array(narrow.bandCount);
    narrow.push(tone(3000, 16000, 0.5));
    expect(strongest(narrow.compute(out))).toBe(narrow.bandOf(3000));
    expect(narrow.bandBins[31]).toBeLessThanOrEqual(FFT_SIZE / 2 + 1);
  });
});
