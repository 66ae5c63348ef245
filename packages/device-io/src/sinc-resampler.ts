import { designSincFilter, type SincFilterTable } from './sinc-filter.js';

/** Input frames taken into the filter's working buffer at a time. */
const CHUNK_FRAMES = 1024;

/**
 * Streaming band-limited resampler for interleaved int16 audio (polyphase Kaiser-windowed sinc).
 * Passes 0–20 kHz flat at 44.1 ↔ 48 kHz (the same fraction of the lower Nyquist frequency at
 * other rates) and stops everything that would alias or image by 90 dB. State carries across
 * calls, so any chunking gives the same output as one call. Allocation-free after construction
 * through {@link processInto}. Delays the signal by {@link latencyMs}.
 */
export class SincResampler {
  /** Delay the filter adds, in input frames. */
  readonly latencyFrames: number;
  private readonly filter: SincFilterTable;
  /** Planar working buffer, `channels × capacity` float samples (int16 scale). */
  private readonly buffer: Float32Array;
  private readonly capacity: number;
  /** Frames held in the working buffer. */
  private filled: number;
  /** Index of the first input frame the next output reads. */
  private readPosition = 0;
  /** Phase of the next output in 1/interpolation input frames past `readPosition + halfTaps - 1`. */
  private phase = 0;

  constructor(
    readonly inputRate: number,
    readonly outputRate: number,
    readonly channels: number,
  ) {
    if (!Number.isInteger(channels) || channels < 1)
      throw new RangeError('channels must be a positive integer');
    this.filter = designSincFilter(inputRate, outputRate);
    this.latencyFrames = this.filter.halfTaps;
    this.capacity = this.filter.taps + CHUNK_FRAMES;
    this.buffer = new Float32Array(this.capacity * channels);
    // Silence before the first frame, so the first output sits on input frame 0.
    this.filled = this.filter.halfTaps - 1;
  }

  /** Delay the filter adds, in milliseconds. */
  get latencyMs(): number {
    return (this.latencyFrames * 1000) / this.inputRate;
  }

  /** True when the rates match and {@link process} returns its input unchanged. */
  get passthrough(): boolean {
    return this.inputRate === this.outputRate;
  }

  /** The most output frames one call with `inputFrames` input frames can produce. */
  maxOutputFrames(inputFrames: number): number {
    return Math.ceil((inputFrames * this.filter.interpolation) / this.filter.decimation) + 1;
  }

  /**
   * Resamples `input` (interleaved, whole frames) into `output` and returns the frames written.
   * `output` must hold {@link maxOutputFrames} frames. Never allocates.
   */
  processInto(input: Int16Array, output: Int16Array): number {
    const ch = this.channels;
    const inputFrames = Math.floor(input.length / ch);
    if (output.length < this.maxOutputFrames(inputFrames) * ch) {
      throw new RangeError(
        `output holds ${output.length} samples; ${this.maxOutputFrames(inputFrames) * ch} needed`,
      );
    }
    if (this.passthrough) {
      output.set(input.length === inputFrames * ch ? input : input.subarray(0, inputFrames * ch));
      return inputFrames;
    }
    let consumed = 0;
    let written = 0;
    while (consumed < inputFrames) {
      const take = Math.min(this.capacity - this.filled, inputFrames - consumed);
      const cap = this.capacity;
      for (let c = 0; c < ch; c++) {
        const base = c * cap + this.filled;
        for (let f = 0; f < take; f++) this.buffer[base + f] = input[(consumed + f) * ch + c]!;
      }
      this.filled += take;
      consumed += take;
      written = this.drain(output, written);
    }
    return written;
  }

  /** Resamples one chunk into a new array (allocates: use {@link processInto} on a real-time path). */
  process(input: Int16Array): Int16Array {
    if (this.passthrough) return input;
    const out = new Int16Array(
      this.maxOutputFrames(Math.floor(input.length / this.channels)) * this.channels,
    );
    const frames = this.processInto(input, out);
    return out.slice(0, frames * this.channels);
  }

  /** Resamples a whole buffer with no delay: `ceil(frames × outputRate / inputRate)` frames out. */
  static convert(
    input: Int16Array,
    inputRate: number,
    outputRate: number,
    channels: number,
  ): Int16Array {
    const resampler = new SincResampler(inputRate, outputRate, channels);
    if (resampler.passthrough) return input;
    const frames = Math.floor(input.length / channels);
    const flush = new Int16Array(resampler.latencyFrames * channels);
    const out = new Int16Array(
      (resampler.maxOutputFrames(frames) + resampler.maxOutputFrames(resampler.latencyFrames)) *
        channels,
    );
    let written = resampler.processInto(input, out);
    written += resampler.processInto(flush, out.subarray(written * channels));
    const expected = Math.ceil((frames * outputRate) / inputRate);
    return out.slice(0, Math.min(written, expected) * channels);
  }

  /** Writes every output the buffered input allows, then moves the unread tail to the front. */
  private drain(output: Int16Array, written: number): number {
    const { taps, interpolation, decimation, rows, exact, coefficients } = this.filter;
    const ch = this.channels;
    const cap = this.capacity;
    const buffer = this.buffer;
    let read = this.readPosition;
    let phase = this.phase;
    while (read + taps <= this.filled) {
      if (exact) {
        const row = phase * taps;
        for (let c = 0; c < ch; c++) {
          const at = c * cap + read;
          // Four partial sums: independent additions the CPU can overlap (taps is a multiple of 4).
          let a0 = 0;
          let a1 = 0;
          let a2 = 0;
          let a3 = 0;
          for (let k = 0; k < taps; k += 4) {
            a0 += coefficients[row + k]! * buffer[at + k]!;
            a1 += coefficients[row + k + 1]! * buffer[at + k + 1]!;
            a2 += coefficients[row + k + 2]! * buffer[at + k + 2]!;
            a3 += coefficients[row + k + 3]! * buffer[at + k + 3]!;
          }
          output[written * ch + c] = clip16(a0 + a1 + (a2 + a3));
        }
      } else {
        const position = (phase * rows) / interpolation;
        const r = Math.floor(position);
        const weight = position - r;
        const row0 = r * taps;
        const row1 = row0 + taps;
        for (let c = 0; c < ch; c++) {
          const at = c * cap + read;
          let acc0 = 0;
          let acc1 = 0;
          for (let k = 0; k < taps; k++) {
            const x = buffer[at + k]!;
            acc0 += coefficients[row0 + k]! * x;
            acc1 += coefficients[row1 + k]! * x;
          }
          output[written * ch + c] = clip16(acc0 + weight * (acc1 - acc0));
        }
      }
      written++;
      phase += decimation;
      const advance = Math.floor(phase / interpolation);
      read += advance;
      phase -= advance * interpolation;
    }
    const keep = this.filled - read;
    if (read > 0) {
      for (let c = 0; c < ch; c++)
        buffer.copyWithin(c * cap, c * cap + read, c * cap + this.filled);
      this.filled = keep;
      read = 0;
    }
    this.readPosition = read;
    this.phase = phase;
    return written;
  }
}

function clip16(v: number): number {
  const r = Math.round(v);
  return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
}
