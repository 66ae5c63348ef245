/** Reconnect backoff settings. */
export interface BackoffOptions {
  /** First delay. Default 500 ms. */
  readonly initialDelayMs?: number;
  /** Upper bound of any delay. Default 10 000 ms. */
  readonly maxDelayMs?: number;
  /** Growth factor per attempt. Default 2. */
  readonly multiplier?: number;
  /** Fraction of the delay randomised (0..1), so clients do not reconnect in lockstep. Default 0.3. */
  readonly jitter?: number;
}

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential, capped, with symmetric jitter
 * that never exceeds the cap. `random` is injectable for tests.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = options.initialDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 10_000;
  const multiplier = options.multiplier ?? 2;
  const jitter = Math.min(Math.max(options.jitter ?? 0.3, 0), 1);
  const base = Math.min(cap, initial * Math.pow(multiplier, Math.max(0, attempt)));
  const spread = base * jitter * (random() * 2 - 1);
  return Math.round(Math.min(cap, Math.max(0, base + spread)));
}
