/** Options of {@link SpectrumAnalyzer}. */
export interface SpectrumOptions {
  /** Sample rate of the pushed audio in Hz. */
  readonly sampleRate: number;
  /** Number of log-spaced bands; 16 by default. */
  readonly bands?: number;
  /** Lower edge of the first band in Hz; 60 by default. */
  readonly minHz?: number;
  /** Upper edge of the last band in Hz; 16 kHz or Nyquist, whichever is lower, by default. */
  readonly maxHz?: number;
}

/** FFT size: 1024 samples, about 21 ms at 48 kHz: fine enough for 16 bands at ≥ 10 Hz redraws. */
export const FFT_SIZE = 1024;
const HALF = FFT_SIZE / 2;
/** Floor of reported band levels in dB. */
export const SPECTRUM_FLOOR_DB = -100;

/**
 * A spectrum of the most recent 1024 samples in log-spaced bands, for the TUI. Audio is pushed
 * into a preallocated ring (cheap enough to call from a frame tap); the FFT runs only when the UI
 * asks (at redraw rate), off the audio path. Nothing allocates after construction.
 *
 * The real FFT packs the 1024 real samples into 512 complex ones, runs a radix-2 FFT of 512
 * and untangles the two halves: half the work of a complex FFT of 1024.
 */
export class SpectrumAnalyzer {
  /** Number of bands. */
  readonly bandCount: number;
  /** Lowest and highest FFT bin (inclusive, exclusive) of each band: `[lo0, hi0, lo1, hi1, …]`. */
  readonly bandBins: Int32Array;
  private readonly binHz: number;
  private readonly ring = new Float32Array(FFT_SIZE);
  private ringPos = 0;
  private readonly window = new Float32Array(FFT_SIZE);
  private readonly re = new Float64Array(HALF);
  private readonly im = new Float64Array(HALF);
  private readonly cos = new Float64Array(HALF);
  private readonly sin = new Float64Array(HALF);
  private readonly bitrev = new Uint16Array(HALF);
  private readonly power = new Float64Array(HALF + 1);

  constructor(options: SpectrumOptions) {
    const nyquist = options.sampleRate / 2;
    this.bandCount = options.bands ?? 16;
    this.binHz = options.sampleRate / FFT_SIZE;
    const minHz = Math.max(options.minHz ?? 60, this.binHz);
    const maxHz = Math.min(options.maxHz ?? 16000, nyquist);
    for (let i = 0; i < FFT_SIZE; i++) this.window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / FFT_SIZE);
    for (let k = 0; k < HALF; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / FFT_SIZE);
      this.sin[k] = Math.sin((2 * Math.PI * k) / FFT_SIZE);
    }
    const bits = Math.log2(HALF);
    for (let i = 0; i < HALF; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.bitrev[i] = r;
    }
    // Log-spaced edges, but every band gets at least one bin: the low bands are narrower than a bin.
    this.bandBins = new Int32Array(this.bandCount * 2);
    const ratio = Math.pow(maxHz / minHz, 1 / this.bandCount);
    let prevHi = Math.max(1, Math.round(minHz / this.binHz));
    for (let b = 0; b < this.bandCount; b++) {
      const lo = prevHi;
      const hi = Math.min(HALF + 1, Math.max(lo + 1, Math.round((minHz * Math.pow(ratio, b + 1)) / this.binHz)));
      this.bandBins[2 * b] = lo;
      this.bandBins[2 * b + 1] = hi;
      prevHi = hi;
    }
  }

  /** The band whose bins contain frequency `hz`, or -1 outside all bands. */
  bandOf(hz: number): number {
    const bin = Math.round(hz / this.binHz);
    for (let b = 0; b < this.bandCount; b++) {
      if (bin >= (this.bandBins[2 * b] as number) && bin < (this.bandBins[2 * b + 1] as number)) return b;
    }
    return -1;
  }

  /** Centre frequency in Hz of band `b` (geometric mean of its edges). */
  centerHz(b: number): number {
    const lo = Math.max(0.5, (this.bandBins[2 * b] as number) - 0.5) * this.binHz;
    const hi = ((this.bandBins[2 * b + 1] as number) - 0.5) * this.binHz;
    return Math.sqrt(lo * hi);
  }

  /**
   * Appends mono samples (int16 or float in -1..1) to the analysis window.
   * @param samples interleaved audio
   * @param channels take every `channels`-th sample (channel 0), 1 by default
   */
  push(samples: Int16Array | Float32Array, channels = 1): void {
    const scale = samples instanceof Int16Array ? 1 / 32768 : 1;
    for (let i = 0; i < samples.length; i += channels) {
      this.ring[this.ringPos] = (samples[i] as number) * scale;
      this.ringPos = (this.ringPos + 1) & (FFT_SIZE - 1);
    }
  }

  /**
   * Computes band levels of the last 1024 pushed samples, in dB relative to a full-scale sine
   * (so a full-scale tone reads about 0 dB), floored at {@link SPECTRUM_FLOOR_DB}.
   * @param out receives `bandCount` values
   */
  compute(out: Float32Array): Float32Array {
    const { re, im, ring, window, power } = this;
    // Pack even samples into re, odd into im, oldest first, windowed.
    for (let j = 0; j < HALF; j++) {
      const i0 = (this.ringPos + 2 * j) & (FFT_SIZE - 1);
      const i1 = (i0 + 1) & (FFT_SIZE - 1);
      const dst = this.bitrev[j] as number;
      re[dst] = (ring[i0] as number) * (window[2 * j] as number);
      im[dst] = (ring[i1] as number) * (window[2 * j + 1] as number);
    }
    this.fftInPlace();
    // Untangle: X[k] = E[k] + W^k O[k], with E and O from Z[k] and conj(Z[N/2-k]).
    for (let k = 0; k <= HALF; k++) {
      const a = k & (HALF - 1);
      const b = (HALF - k) & (HALF - 1);
      const zr = re[a] as number;
      const zi = im[a] as number;
      const cr = re[b] as number;
      const ci = -(im[b] as number);
      const er = 0.5 * (zr + cr);
      const ei = 0.5 * (zi + ci);
      // O = (Z - conj) / 2i
      const or = 0.5 * (zi - ci);
      const oi = -0.5 * (zr - cr);
      const wr = k === HALF ? -1 : (this.cos[k] as number);
      const wi = k === HALF ? 0 : -(this.sin[k] as number);
      const xr = er + wr * or - wi * oi;
      const xi = ei + wr * oi + wi * or;
      power[k] = xr * xr + xi * xi;
    }
    // Summed over its bins, a Hann-windowed sine of amplitude 1 carries N·Σw²/4 = 3N²/32 (Parseval),
    // so a full-scale sine wholly inside one band reads 0 dB wherever it falls between bins.
    const ref = (3 / 32) * FFT_SIZE * FFT_SIZE;
    for (let b = 0; b < this.bandCount; b++) {
      let sum = 0;
      for (let k = this.bandBins[2 * b] as number; k < (this.bandBins[2 * b + 1] as number); k++) sum += power[k] as number;
      const db = sum > 0 ? 10 * Math.log10(sum / ref) : SPECTRUM_FLOOR_DB;
      out[b] = db < SPECTRUM_FLOOR_DB ? SPECTRUM_FLOOR_DB : db;
    }
    return out;
  }

  /** Clears the window (e.g. when the selected participant changes). */
  reset(): void {
    this.ring.fill(0);
    this.ringPos = 0;
  }

  private fftInPlace(): void {
    const { re, im } = this;
    for (let size = 2; size <= HALF; size <<= 1) {
      const half = size >> 1;
      const step = FFT_SIZE / size; // twiddle stride in the size-N tables (W_size^j = W_N^(j*N/size))
      for (let start = 0; start < HALF; start += size) {
        for (let j = 0; j < half; j++) {
          const wr = this.cos[j * step] as number;
          const wi = -(this.sin[j * step] as number);
          const p = start + j;
          const q = p + half;
          const qr = re[q] as number;
          const qi = im[q] as number;
          const tr = wr * qr - wi * qi;
          const ti = wr * qi + wi * qr;
          re[q] = (re[p] as number) - tr;
          im[q] = (im[p] as number) - ti;
          re[p] = (re[p] as number) + tr;
          im[p] = (im[p] as number) + ti;
        }
      }
    }
  }
}
