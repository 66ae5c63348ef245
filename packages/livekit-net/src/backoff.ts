/** Retry timing: exponential growth from a first delay up to a cap, with jitter. */
export interface BackoffOptions {
  /** First delay. Default 500 ms. */
  readonly initialDelayMs?: number;
  /** Upper bound of any delay. Default 10 000 ms. */
  readonly maxDelayMs?: number;
  /** Growth factor per attempt. Default 2. */
  readonly multiplier?: number;
  /** Fraction of the delay randomised (0..1), so clients do not reconnect in lockstep. Default 0.3. */
  readonly jitter?: number;
  /**
   * Where the jitter goes: `'around'` spreads each delay by ±`jitter` around the exponential
   * value (never above the cap); `'below'` only shortens it, so no delay exceeds the exponential
   * value and none falls under `1 - jitter` of it (with `jitter: 0.5`, the "equal jitter" of
   * fleets restarted together). Default `'around'`.
   */
  readonly jitterMode?: 'around' | 'below';
}

/**
 * Delay before retry `attempt` (0-based): exponential, capped, with jitter that never exceeds
 * the cap. `random` returns a number in [0, 1) and is injectable for tests.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = options.initialDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 10_000;
  const multiplier = options.multiplier ?? 2;
  const jitter = Math.min(Math.max(options.jitter ?? 0.3, 0), 1);
  // The exponent is bounded so a retry count of days does not overflow to Infinity.
  const base = Math.min(cap, initial * Math.pow(multiplier, Math.min(Math.max(0, attempt), 64)));
  const spread = options.jitterMode === 'below' ? -base * jitter * (1 - random()) : base * jitter * (random() * 2 - 1);
  return Math.round(Math.min(cap, Math.max(0, base + spread)));
}
