/**
 * Design of the Kaiser-windowed sinc filter behind {@link SincResampler}: a table of
 * fractional-delay filters, one row per output phase.
 */

/** Fraction of the lower Nyquist frequency passed flat: 20 kHz of 22.05 kHz. */
export const PASSBAND_FRACTION = 20_000 / 22_050;
/** Stopband attenuation the filter is designed for, in dB (the target is −80 dBFS aliases). */
const STOPBAND_DB = 90;
/** Above this many phases the table is sampled at this many and interpolated between rows. */
const MAX_TABLE_PHASES = 1024;

/** A polyphase filter table for one conversion ratio. */
export interface SincFilterTable {
  /** Output frames per `decimation` input frames, in lowest terms. */
  readonly interpolation: number;
  /** Input frames per `interpolation` output frames, in lowest terms. */
  readonly decimation: number;
  /** Rows in the table (minus the closing row): `interpolation` when exact, else {@link MAX_TABLE_PHASES}. */
  readonly rows: number;
  /** True when every output phase has its own row (no interpolation between rows). */
  readonly exact: boolean;
  /** Taps per row: input frames each output frame reads. */
  readonly taps: number;
  /** Half the taps: the filter's delay in input frames. */
  readonly halfTaps: number;
  /** `(rows + 1) × taps` coefficients; row r is the filter for an output at fraction r/rows between two input frames. */
  readonly coefficients: Float32Array;
}

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** Zeroth-order modified Bessel function of the first kind (power series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 64; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/**
 * Designs the filter for `inputRate` → `outputRate`: pass band to {@link PASSBAND_FRACTION} of
 * the lower Nyquist frequency, stop band ({@link STOPBAND_DB}) from that Nyquist frequency on,
 * so nothing above it aliases (downsampling) or images (upsampling) into the output.
 */
export function designSincFilter(inputRate: number, outputRate: number): SincFilterTable {
  if (
    !Number.isInteger(inputRate) ||
    !Number.isInteger(outputRate) ||
    inputRate <= 0 ||
    outputRate <= 0
  ) {
    throw new RangeError(
      `sample rates must be positive integers (got ${inputRate} → ${outputRate})`,
    );
  }
  const divisor = gcd(inputRate, outputRate);
  const interpolation = outputRate / divisor;
  const decimation = inputRate / divisor;
  const nyquist = Math.min(inputRate, outputRate) / 2;
  const passEdge = PASSBAND_FRACTION * nyquist;
  // Normalised to the input rate: the cutoff (mid-transition) in cycles per input sample, and
  // the transition width in radians per input sample (Kaiser's length formula).
  const cutoff = (passEdge + nyquist) / 2 / inputRate;
  const transition = (2 * Math.PI * (nyquist - passEdge)) / inputRate;
  const length = Math.ceil((STOPBAND_DB - 7.95) / (2.285 * transition)) + 1;
  // An even half length makes the taps a multiple of 4, which the resampler's inner loop unrolls by.
  const halfTaps = 2 * Math.max(1, Math.ceil(length / 4));
  const taps = 2 * halfTaps;
  const beta = 0.1102 * (STOPBAND_DB - 8.7);
  const exact = interpolation <= MAX_TABLE_PHASES;
  const rows = exact ? interpolation : MAX_TABLE_PHASES;
  const coefficients = new Float32Array((rows + 1) * taps);
  const i0Beta = besselI0(beta);
  for (let r = 0; r <= rows; r++) {
    const fraction = r / rows;
    let sum = 0;
    for (let k = 0; k < taps; k++) {
      // Distance in input frames from tap k to the output instant.
      const t = k - halfTaps + 1 - fraction;
      const x = 2 * cutoff * t;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const edge = t / halfTaps;
      const window = Math.abs(edge) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - edge * edge)) / i0Beta;
      const h = 2 * cutoff * sinc * window;
      coefficients[r * taps + k] = h;
      sum += h;
    }
    // Unit gain at DC for every phase: an uneven DC gain across phases is a tone at the phase rate.
    for (let k = 0; k < taps; k++) coefficients[r * taps + k] = coefficients[r * taps + k]! / sum;
  }
  return { interpolation, decimation, rows, exact, taps, halfTaps, coefficients };
}
