/** Retry timing for the daemon's reconnect loop. */
export interface BackoffOptions {
  /** Delay before the first retry, before jitter. Default 500 ms. */
  readonly initialMs?: number;
  /** Upper bound of any delay. Default 30 s. */
  readonly maxMs?: number;
  /** Source of randomness in [0, 1); injectable for tests. */
  readonly random?: () => number;
}

/**
 * Delay before retry number `attempt` (0-based): exponential growth capped at `maxMs`, with
 * "equal jitter" (half fixed, half random) so a fleet of daemons restarted by one server outage
 * does not reconnect in lockstep, while no delay collapses to zero.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}): number {
  const initial = options.initialMs ?? 500;
  const max = options.maxMs ?? 30_000;
  const random = options.random ?? Math.random;
  const exponent = Math.min(Math.max(attempt, 0), 30);
  const base = Math.min(max, initial * 2 ** exponent);
  return Math.round(base / 2 + (base / 2) * random());
}
