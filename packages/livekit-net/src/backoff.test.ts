import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff.js';

describe('backoffDelayMs', () => {
  it('doubles from the initial delay up to the cap when jitter is off', () => {
    const delays = [0, 1, 2, 3, 4, 5, 10].map((a) => backoffDelayMs(a, { initialDelayMs: 500, maxDelayMs: 5000, jitter: 0 }));
    expect(delays).toEqual([500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('spreads delays by the jitter fraction but never above the cap', () => {
    const low = backoffDelayMs(2, { initialDelayMs: 1000, maxDelayMs: 60_000, jitter: 0.5 }, () => 0);
    const high = backoffDelayMs(2, { initialDelayMs: 1000, maxDelayMs: 60_000, jitter: 0.5 }, () => 0.999999);
    expect(low).toBe(2000);
    expect(high).toBe(6000);
    for (let i = 0; i < 200; i++) {
      expect(backoffDelayMs(20, { maxDelayMs: 3000 })).toBeLessThanOrEqual(3000);
    }
  });
});

describe('backoffDelayMs with jitter below the exponential value', () => {
  const equalJitter = { initialDelayMs: 500, maxDelayMs: 30_000, jitter: 0.5, jitterMode: 'below' } as const;

  it('keeps half of each step fixed and randomises the other half, capped', () => {
    expect(backoffDelayMs(0, equalJitter, () => 0)).toBe(250);
    expect(backoffDelayMs(0, equalJitter, () => 0.999999)).toBe(500);
    expect(backoffDelayMs(3, equalJitter, () => 0.5)).toBe(3000);
    expect(backoffDelayMs(100, equalJitter, () => 0.999999)).toBe(30_000);
    for (let attempt = 0; attempt < 2000; attempt += 7) {
      const delay = backoffDelayMs(attempt, equalJitter);
      expect(delay).toBeGreaterThanOrEqual(250);
      expect(delay).toBeLessThanOrEqual(30_000);
    }
  });
});
