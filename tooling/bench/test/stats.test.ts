import { describe, expect, it } from 'vitest';
import { linearFit, percentile, summarize } from '../src/stats.js';

describe('percentile', () => {
  it('interpolates between closest ranks and ignores input order', () => {
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 0.95)).toBeCloseTo(48);
    expect(percentile([5], 0.99)).toBe(5);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('summarize gives p50/p95/p99 of 1..100', () => {
    const s = summarize(Array.from({ length: 100 }, (_, i) => 100 - i));
    expect(s).toMatchObject({ n: 100, min: 1, max: 100, mean: 50.5 });
    expect(s.p50).toBeCloseTo(50.5);
    expect(s.p95).toBeCloseTo(95.05);
    expect(s.p99).toBeCloseTo(99.01);
  });
});

describe('linearFit', () => {
  it('recovers slope and intercept of a noisy line', () => {
    const xs = Array.from({ length: 50 }, (_, i) => i);
    const ys = xs.map((x) => 3 + 0.5 * x + (x % 2 === 0 ? 0.1 : -0.1));
    const fit = linearFit(xs, ys);
    expect(fit.slope).toBeCloseTo(0.5, 2);
    expect(fit.intercept).toBeCloseTo(3, 1);
    expect(fit.r2).toBeGreaterThan(0.99);
  });

  it('reports a flat series as slope 0 and a single point as NaN', () => {
    expect(linearFit([0, 1, 2], [7, 7, 7]).slope).toBe(0);
    expect(linearFit([1], [1]).slope).toBeNaN();
  });
});
