// A stateless soft-knee limiter. Below the knee the signal passes untouched (so ordinary speech
// levels are bit-transparent); above it a tanh curve bends the signal asymptotically towards
// full scale. Stateless means no attack/release pumping and no lookahead latency; the price is
// some harmonic distortion on peaks that would otherwise have clipped hard or wrapped.

/** Knee of the limiter: -1 dBFS. */
export const LIMITER_KNEE = Math.pow(10, -1 / 20);
const HEADROOM = 1 - LIMITER_KNEE;

/**
 * Applies the soft limiter to one sample. The result is always within [-1, 1]; values with
 * magnitude up to {@link LIMITER_KNEE} are returned unchanged.
 */
export function softLimit(x: number): number {
  if (x > LIMITER_KNEE) return LIMITER_KNEE + HEADROOM * Math.tanh((x - LIMITER_KNEE) / HEADROOM);
  if (x < -LIMITER_KNEE)
    return -LIMITER_KNEE - HEADROOM * Math.tanh((-x - LIMITER_KNEE) / HEADROOM);
  // NaN from a caller's bad gain must not reach the output as a wrapped or undefined value.
  return x === x ? x : 0;
}
