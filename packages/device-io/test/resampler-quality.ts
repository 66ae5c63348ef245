/**
 * Measurements of a resampler on generated signals, shared by the resampler tests and the bench:
 * spurious products (aliases, images, distortion) in dBFS from a windowed FFT, and the gain of
 * steady tones from a least-squares sine fit.
 */

import { sineInt16 } from '@alto/harness';

/** Converts interleaved int16 with a resampler; both resamplers in this package fit it. */
export type Convert = (input: Int16Array, inputRate: number, outputRate: number) => Int16Array;

const FFT_SIZE = 8192;

/** A linear sweep from `fromHz` to `toHz` over `seconds`, as int16 at `amplitude` of full scale. */
export function sweepInt16(
  fromHz: number,
  toHz: number,
  seconds: number,
  rate: number,
  amplitude: number,
): Int16Array {
  const frames = Math.round(seconds * rate);
  const out = new Int16Array(frames);
  const slope = (toHz - fromHz) / seconds;
  for (let i = 0; i < frames; i++) {
    const t = i / rate;
    out[i] = Math.round(
      amplitude * 32767 * Math.sin(2 * Math.PI * (fromHz * t + (slope * t * t) / 2)),
    );
  }
  return out;
}

/** A steady tone as int16 at `amplitude` of full scale. */
export function toneInt16(
  frequencyHz: number,
  seconds: number,
  rate: number,
  amplitude: number,
): Int16Array {
  return sineInt16(frequencyHz, Math.round(seconds * rate), rate, amplitude);
}

function fftInPlace(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const angle = (-2 * Math.PI) / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < size / 2; k++) {
        const wr = Math.cos(angle * k);
        const wi = Math.sin(angle * k);
        const a = start + k;
        const b = a + size / 2;
        const tr = re[b]! * wr - im[b]! * wi;
        const ti = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a] = re[a]! + tr;
        im[a] = im[a]! + ti;
      }
    }
  }
}

/**
 * Level of every FFT bin of `samples[start .. start + FFT_SIZE)` in dBFS (a full-scale sine
 * reads 0 dBFS), Blackman-Harris window (side lobes at −92 dB).
 */
export function spectrumDbfs(samples: Int16Array, start: number): Float64Array {
  const re = new Float64Array(FFT_SIZE);
  const im = new Float64Array(FFT_SIZE);
  let windowSum = 0;
  for (let i = 0; i < FFT_SIZE; i++) {
    const x = (2 * Math.PI * i) / (FFT_SIZE - 1);
    const w =
      0.35875 - 0.48829 * Math.cos(x) + 0.14128 * Math.cos(2 * x) - 0.01168 * Math.cos(3 * x);
    windowSum += w;
    re[i] = w * (samples[start + i] ?? 0);
  }
  fftInPlace(re, im);
  const levels = new Float64Array(FFT_SIZE / 2 + 1);
  for (let k = 0; k <= FFT_SIZE / 2; k++) {
    const magnitude = (2 * Math.hypot(re[k]!, im[k]!)) / (windowSum * 32768);
    levels[k] = 20 * Math.log10(magnitude + 1e-12);
  }
  return levels;
}

/** The worst spurious level: the loudest bin outside `[lowHz, highHz]` (widened by the window's main lobe). */
function worstOutside(levels: Float64Array, rate: number, lowHz: number, highHz: number): number {
  const binHz = rate / FFT_SIZE;
  const guardBins = 8;
  const lo = Math.floor(lowHz / binHz) - guardBins;
  const hi = Math.ceil(highHz / binHz) + guardBins;
  let worst = -Infinity;
  for (let k = 1; k < levels.length; k++)
    if ((k < lo || k > hi) && levels[k]! > worst) worst = levels[k]!;
  return worst;
}

/**
 * Spurious products of a steady tone after conversion, in dBFS: everything in the output's
 * spectrum but the tone itself, over several windows of the steady middle part.
 */
export function toneSpuriousDbfs(
  convert: Convert,
  frequencyHz: number,
  inputRate: number,
  outputRate: number,
): number {
  return spuriousDbfs(
    convert(toneInt16(frequencyHz, 1, inputRate, 0.9), inputRate, outputRate),
    outputRate,
    frequencyHz,
  );
}

/** The loudest thing but a steady `frequencyHz` tone in `samples` (edges skipped), in dBFS. */
export function spuriousDbfs(samples: Int16Array, rate: number, frequencyHz: number): number {
  let worst = -Infinity;
  for (let start = 4096; start + FFT_SIZE <= samples.length - 4096; start += FFT_SIZE / 2) {
    worst = Math.max(
      worst,
      worstOutside(spectrumDbfs(samples, start), rate, frequencyHz, frequencyHz),
    );
  }
  return worst;
}

/**
 * Spurious products of a linear sweep from 20 Hz to the input's Nyquist frequency, in dBFS:
 * in each window, everything but the band the sweep crosses during that window. Above the
 * output's Nyquist frequency the swept tone itself must vanish, so anything heard there is an alias.
 */
export function sweepSpuriousDbfs(convert: Convert, inputRate: number, outputRate: number): number {
  const seconds = 2;
  const fromHz = 20;
  const toHz = inputRate / 2;
  const output = convert(sweepInt16(fromHz, toHz, seconds, inputRate, 0.9), inputRate, outputRate);
  const slope = (toHz - fromHz) / seconds;
  let worst = -Infinity;
  for (let start = 0; start + FFT_SIZE <= output.length; start += FFT_SIZE / 4) {
    const lowHz = fromHz + (slope * start) / outputRate;
    const highHz = fromHz + (slope * (start + FFT_SIZE)) / outputRate;
    worst = Math.max(worst, worstOutside(spectrumDbfs(output, start), outputRate, lowHz, highHz));
  }
  return worst;
}

/** Least-squares fit of `sin·a + cos·b + c` at `frequencyHz` to `samples[from, to)`. */
function fitSine(
  samples: Int16Array,
  frequencyHz: number,
  rate: number,
  from: number,
  to: number,
): { sin: number; cos: number; dc: number } {
  // Normal equations, solved by Gauss-Jordan elimination on a 3×4 matrix.
  const m = [
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
  ];
  for (let i = from; i < to; i++) {
    const w = (2 * Math.PI * frequencyHz * i) / rate;
    const basis = [Math.sin(w), Math.cos(w), 1];
    for (let r = 0; r < 3; r++) {
      const row = m[r]!;
      for (let c = 0; c < 3; c++) row[c] = row[c]! + basis[r]! * basis[c]!;
      row[3] = row[3]! + basis[r]! * samples[i]!;
    }
  }
  for (let col = 0; col < 3; col++) {
    const pivotRow = m[col]!;
    for (let r = 0; r < 3; r++) {
      if (r === col) continue;
      const row = m[r]!;
      const f = row[col]! / pivotRow[col]!;
      for (let k = col; k < 4; k++) row[k] = row[k]! - f * pivotRow[k]!;
    }
  }
  return { sin: m[0]![3]! / m[0]![0]!, cos: m[1]![3]! / m[1]![1]!, dc: m[2]![3]! / m[2]![2]! };
}

/** Amplitude of the `frequencyHz` component of `samples[from, to)` by least squares. */
export function fitAmplitude(
  samples: Int16Array,
  frequencyHz: number,
  rate: number,
  from: number,
  to: number,
): number {
  const fit = fitSine(samples, frequencyHz, rate, from, to);
  return Math.hypot(fit.sin, fit.cos);
}

/** What is left of `samples[from, to)` after the best-fitting sine at `frequencyHz` is taken out. */
export function sineResidual(
  samples: Int16Array,
  frequencyHz: number,
  rate: number,
  from: number,
  to: number,
): Float64Array {
  const fit = fitSine(samples, frequencyHz, rate, from, to);
  const out = new Float64Array(to - from);
  for (let i = from; i < to; i++) {
    const w = (2 * Math.PI * frequencyHz * i) / rate;
    out[i - from] = samples[i]! - (fit.sin * Math.sin(w) + fit.cos * Math.cos(w) + fit.dc);
  }
  return out;
}

/** Gain of a steady tone through the conversion, in dB. */
export function toneGainDb(
  convert: Convert,
  frequencyHz: number,
  inputRate: number,
  outputRate: number,
): number {
  const amplitude = 0.5;
  const output = convert(toneInt16(frequencyHz, 1, inputRate, amplitude), inputRate, outputRate);
  const measured = fitAmplitude(
    output,
    frequencyHz,
    outputRate,
    Math.floor(output.length / 10),
    Math.ceil((output.length * 9) / 10),
  );
  return 20 * Math.log10(measured / (amplitude * 32767));
}

/** Largest minus smallest gain over `frequencies`, in dB. */
export function passbandRippleDb(
  convert: Convert,
  frequencies: readonly number[],
  inputRate: number,
  outputRate: number,
): number {
  const gains = frequencies.map((f) => toneGainDb(convert, f, inputRate, outputRate));
  return Math.max(...gains) - Math.min(...gains);
}
