import { InvalidOptionError } from '../errors.js';
import { Biquad } from './biquad.js';
import type { AudioProcessorPlugin } from './processor.js';

/** Knobs of the radio filter; the defaults are the `--use-audio-out-filter` sound. */
export interface RadioFilterOptions {
  /** Default 48000. */
  readonly sampleRate?: number;
  /** High-pass corner, Hz. Default 500. */
  readonly lowCutHz?: number;
  /** Low-pass corner, Hz. Default 2000. */
  readonly highCutHz?: number;
  /** Saturation drive (1 = gentle, 4 = crunchy). Small-signal gain stays 1. Default 2. */
  readonly drive?: number;
  /** Bit depth the input is reduced to, 4..16. Default 11. */
  readonly bits?: number;
}

const BUTTERWORTH_Q = Math.SQRT1_2;

/**
 * A radio/walkie-talkie voice: bit reduction, then a band-pass (two cascaded 2nd-order
 * Butterworth high-passes at `lowCutHz` and two low-passes at `highCutHz`: 24 dB/octave each
 * side), then soft saturation `tanh(drive·x)/drive`. Bit reduction comes first so its
 * quantisation noise is band-limited like the voice instead of hissing across the spectrum.
 * Allocation-free; keeps per-channel state.
 */
export class RadioFilter implements AudioProcessorPlugin {
  readonly name = 'radio';
  readonly sampleRate: number;
  readonly #sections: Biquad[];
  readonly #drive: number;
  readonly #steps: number;

  constructor(options: RadioFilterOptions = {}) {
    this.sampleRate = options.sampleRate ?? 48_000;
    const low = options.lowCutHz ?? 500;
    const high = options.highCutHz ?? 2000;
    if (!(low < high)) throw new InvalidOptionError(`the radio filter's lowCutHz (${low}) must be below highCutHz (${high})`);
    const bits = options.bits ?? 11;
    if (!Number.isInteger(bits) || bits < 4 || bits > 16) {
      throw new InvalidOptionError(`the radio filter's bits must be an integer from 4 to 16, got ${bits}`);
    }
    const drive = options.drive ?? 2;
    if (!(drive > 0)) throw new InvalidOptionError(`the radio filter's drive must be positive, got ${drive}`);
    this.#drive = drive;
    this.#steps = 2 ** (bits - 1);
    this.#sections = [
      new Biquad('highpass', low, BUTTERWORTH_Q, this.sampleRate),
      new Biquad('highpass', low, BUTTERWORTH_Q, this.sampleRate),
      new Biquad('lowpass', high, BUTTERWORTH_Q, this.sampleRate),
      new Biquad('lowpass', high, BUTTERWORTH_Q, this.sampleRate),
    ];
  }

  /** The design's small-signal gain at `frequencyHz`, in dB (the band-pass's analytic response). */
  designGainDb(frequencyHz: number): number {
    let g = 1;
    for (const s of this.#sections) g *= s.magnitudeAt(frequencyHz);
    return 20 * Math.log10(g);
  }

  process(block: Float32Array | Int16Array, channels: number): void {
    const isInt = block instanceof Int16Array;
    const scale = isInt ? 32768 : 1;
    const steps = this.#steps;
    const drive = this.#drive;
    const s0 = this.#sections[0];
    const s1 = this.#sections[1];
    const s2 = this.#sections[2];
    const s3 = this.#sections[3];
    if (!s0 || !s1 || !s2 || !s3) return;
    for (let i = 0; i < block.length; i++) {
      const ch = i % channels;
      let x = (block[i] ?? 0) / scale;
      x = Math.round(x * steps) / steps;
      x = s3.tick(s2.tick(s1.tick(s0.tick(x, ch), ch), ch), ch);
      x = Math.tanh(drive * x) / drive;
      if (isInt) {
        const v = Math.round(x * 32768);
        block[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      } else {
        block[i] = x;
      }
    }
  }

  /** Clears the filter state. */
  reset(): void {
    for (const s of this.#sections) s.reset();
  }
}
