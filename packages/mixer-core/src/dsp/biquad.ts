import { InvalidOptionError } from '../errors.js';

/** Filter shapes from the RBJ Audio EQ Cookbook that the radio filter needs. */
export type BiquadType = 'lowpass' | 'highpass' | 'bandpass';

/** Normalised biquad coefficients (a0 = 1). */
export interface BiquadCoefficients {
  readonly b0: number;
  readonly b1: number;
  readonly b2: number;
  readonly a1: number;
  readonly a2: number;
}

/** RBJ cookbook coefficients for a 2nd-order section at `frequencyHz` with quality `q`. */
export function biquadCoefficients(type: BiquadType, frequencyHz: number, q: number, sampleRate: number): BiquadCoefficients {
  if (!(frequencyHz > 0 && frequencyHz < sampleRate / 2)) {
    throw new InvalidOptionError(`a biquad's frequency must be between 0 and ${sampleRate / 2} Hz, got ${frequencyHz}`);
  }
  if (!(q > 0)) throw new InvalidOptionError(`a biquad's Q must be positive, got ${q}`);
  const w0 = (2 * Math.PI * frequencyHz) / sampleRate;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  const a0 = 1 + alpha;
  let b0: number;
  let b1: number;
  let b2: number;
  switch (type) {
    case 'lowpass':
      b0 = (1 - cos) / 2;
      b1 = 1 - cos;
      b2 = (1 - cos) / 2;
      break;
    case 'highpass':
      b0 = (1 + cos) / 2;
      b1 = -(1 + cos);
      b2 = (1 + cos) / 2;
      break;
    case 'bandpass':
      b0 = alpha;
      b1 = 0;
      b2 = -alpha;
      break;
  }
  return { b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

/** Analytic magnitude (linear) of a biquad at `frequencyHz`: |H(e^jw)|. */
export function biquadMagnitude(c: BiquadCoefficients, frequencyHz: number, sampleRate: number): number {
  const w = (2 * Math.PI * frequencyHz) / sampleRate;
  const c1 = Math.cos(w);
  const s1 = Math.sin(w);
  const c2 = Math.cos(2 * w);
  const s2 = Math.sin(2 * w);
  const nr = c.b0 + c.b1 * c1 + c.b2 * c2;
  const ni = -(c.b1 * s1 + c.b2 * s2);
  const dr = 1 + c.a1 * c1 + c.a2 * c2;
  const di = -(c.a1 * s1 + c.a2 * s2);
  return Math.sqrt((nr * nr + ni * ni) / (dr * dr + di * di));
}

/** Most channels a {@link Biquad} keeps state for. */
const MAX_CHANNELS = 8;

/**
 * One 2nd-order section in transposed direct form II, with independent state per interleaved
 * channel. Allocation-free per sample; state is preallocated.
 */
export class Biquad {
  readonly coefficients: BiquadCoefficients;
  readonly #z1 = new Float64Array(MAX_CHANNELS);
  readonly #z2 = new Float64Array(MAX_CHANNELS);

  constructor(type: BiquadType, frequencyHz: number, q: number, readonly sampleRate: number) {
    this.coefficients = biquadCoefficients(type, frequencyHz, q, sampleRate);
  }

  /** Filters one sample of channel `channel`; returns the output. */
  tick(x: number, channel: number): number {
    const c = this.coefficients;
    const y = c.b0 * x + (this.#z1[channel] ?? 0);
    this.#z1[channel] = c.b1 * x - c.a1 * y + (this.#z2[channel] ?? 0);
    this.#z2[channel] = c.b2 * x - c.a2 * y;
    return y;
  }

  /** Analytic magnitude (linear) at `frequencyHz`. */
  magnitudeAt(frequencyHz: number): number {
    return biquadMagnitude(this.coefficients, frequencyHz, this.sampleRate);
  }

  /** Clears the filter state (e.g. between unrelated streams). */
  reset(): void {
    this.#z1.fill(0);
    this.#z2.fill(0);
  }
}
