// The ziggurat normals of the predictive checks (src/normal.ts): the same seed gives the same
// variates (and the same predictive checks), and the variates are standard normal — bin counts
// against the normal's quantiles, moments, and the tail beyond r that the base block samples.
import { qnorm, buildRng } from '@tributary/sampler';
import { describe, expect, it } from 'vitest';
import { zigguratNormal } from '../src/normal.js';

const draws = (seed: number | string, n: number): Float64Array => {
  const rng = buildRng(seed);
  const uniform = () => rng.uniform();
  return Float64Array.from({ length: n }, () => zigguratNormal(uniform));
};

describe('zigguratNormal', () => {
  it('gives identical variates for the same seed and other variates for another seed', () => {
    const a = draws(11, 100_000);
    const b = draws(11, 100_000);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    const c = draws(12, 100_000);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
  });

  it('is standard normal: 50 equiprobable bins, moments and the tail beyond r', () => {
    const n = 1_000_000;
    const x = draws('ziggurat', n);
    const bins = 50;
    const edges = Array.from({ length: bins - 1 }, (_, i) => qnorm((i + 1) / bins));
    const counts = new Float64Array(bins);
    let sum = 0;
    let sum2 = 0;
    let sum4 = 0;
    let tail = 0;
    let far = 0;
    for (const v of x) {
      let lo = 0;
      let hi = bins - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (v < edges[mid]!) hi = mid;
        else lo = mid + 1;
      }
      counts[lo]!++;
      sum += v;
      sum2 += v * v;
      sum4 += v ** 4;
      if (Math.abs(v) > 3.442619855899) tail++;
      if (Math.abs(v) > 4.5) far++;
    }
    const expected = n / bins;
    let chi2 = 0;
    for (const c of counts) chi2 += (c - expected) ** 2 / expected;
    // 49 degrees of freedom: P(chi2 > 94) ≈ 1e-4
    expect(chi2).toBeLessThan(94);
    expect(Math.abs(sum / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(sum2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(sum4 / n - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
    // P(|Z| > r) = 5.763e-4 (576 expected, sd 24); P(|Z| > 4.5) = 6.8e-6 (6.8 expected)
    expect(Math.abs(tail - 576.3)).toBeLessThan(5 * 24);
    expect(far).toBeGreaterThan(0);
    expect(far).toBeLessThan(25);
  });
});
