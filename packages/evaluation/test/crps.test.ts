// CRPS from samples against independent references: the closed form for a Normal forecast
// (Gneiting & Raftery 2007, eq. 5), small cases computed by hand as ∫ (F(x) − 1{x ≥ y})² dx, the
// O(S²) definition E|X − y| − ½ E|X − X'|, and properties.
import fc from 'fast-check';
import { buildRng, qnorm } from '@tributary/sampler';
import { describe, expect, it } from 'vitest';
import { crpsFromSamples, EvaluationError } from '../src/index.js';

/** Standard normal cdf via erfc (W. J. Cody's rational approximations through Numerical Recipes' erfcc, |ε| < 1.2e-7). */
function pnorm(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** Closed-form CRPS of Normal(mu, sigma) at y: σ[z(2Φ(z) − 1) + 2φ(z) − 1/√π]. */
function crpsNormal(mu: number, sigma: number, y: number): number {
  const z = (y - mu) / sigma;
  const phi = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  return sigma * (z * (2 * pnorm(z) - 1) + 2 * phi - 1 / Math.sqrt(Math.PI));
}

/** The definition, O(S²): mean |x − y| − ½ mean over all pairs |x − x'|. */
function crpsBruteForce(xs: readonly number[], y: number): number {
  const S = xs.length;
  let a = 0;
  let b = 0;
  for (const x of xs) {
    a += Math.abs(x - y);
    for (const x2 of xs) b += Math.abs(x - x2);
  }
  return a / S - b / (2 * S * S);
}

describe('crpsFromSamples', () => {
  it('matches the closed-form CRPS of a Normal forecast (many samples)', () => {
    const S = 100_000;
    for (const [mu, sigma, y] of [
      [0, 1, 0],
      [0, 1, 1.5],
      [10, 2, 4],
      [1_250_000, 40_000, 1_310_000], // a market-week in money
    ] as const) {
      const exact = crpsNormal(mu, sigma, y);
      // Samples at the normal's quantiles (i − ½)/S: the empirical distribution is within O(1/S).
      const grid = Float64Array.from({ length: S }, (_, i) => mu + sigma * qnorm((i + 0.5) / S));
      expect(Math.abs(crpsFromSamples(grid, y) - exact) / exact).toBeLessThan(1e-4);
      // Random samples: Monte Carlo error ~ σ/√S.
      const rng = buildRng(`crps:${mu}:${y}`);
      const random = Float64Array.from({ length: S }, () => mu + sigma * rng.normal());
      expect(Math.abs(crpsFromSamples(random, y) - exact)).toBeLessThan(0.01 * sigma);
    }
    // The reference itself: at z = 0 it is 2φ(0) − 1/√π = (√2 − 1)/√π.
    expect(crpsNormal(0, 1, 0)).toBeCloseTo((Math.SQRT2 - 1) / Math.sqrt(Math.PI), 6);
  });

  it('gives the hand-computed values of small cases', () => {
    // F = ½ on [1, 3): ∫₁² ¼ + ∫₂³ ¼ = ½
    expect(crpsFromSamples([1, 3], 2)).toBe(0.5);
    // F = ⅔ on [0, 4), y = 1: ∫₀¹ (⅔)² + ∫₁⁴ (⅓)² = 4/9 + 3/9
    expect(crpsFromSamples([0, 4, 0], 1)).toBeCloseTo(7 / 9, 15);
    // y below every sample: 1 + 0.75² + 0.5² + 0.25² = 1.875
    expect(crpsFromSamples([4, 2, 3, 1], 0)).toBe(1.875);
    // A point forecast scores its absolute error.
    expect(crpsFromSamples([5], 2)).toBe(3);
    expect(crpsFromSamples([7, 7, 7], 7)).toBe(0);
  });

  it('does not modify the samples and rejects empty or non-finite input', () => {
    const xs = Float64Array.from([3, 1, 2]);
    crpsFromSamples(xs, 0);
    expect([...xs]).toEqual([3, 1, 2]);
    expect(() => crpsFromSamples([], 1)).toThrow(EvaluationError);
    expect(() => crpsFromSamples([1, NaN], 1)).toThrow(/sample 1 is NaN/);
    expect(() => crpsFromSamples([1], Infinity)).toThrow(/observation/);
  });

  it('properties: ≥ 0, the O(S²) definition, |x − y| for one sample, translation and permutation invariance', () => {
    const value = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 40 }), value, fc.double({ min: -1e6, max: 1e6, noNaN: true }), (xs, y, shift) => {
        const c = crpsFromSamples(xs, y);
        const scale = Math.max(1, ...xs.map(Math.abs), Math.abs(y), Math.abs(shift));
        expect(c).toBeGreaterThanOrEqual(0);
        expect(Math.abs(c - crpsBruteForce(xs, y))).toBeLessThanOrEqual(1e-9 * scale);
        expect(Math.abs(crpsFromSamples(xs.map((x) => x + shift), y + shift) - c)).toBeLessThanOrEqual(1e-9 * scale);
        expect(crpsFromSamples([...xs].reverse(), y)).toBe(c);
        expect(crpsFromSamples([xs[0]!], y)).toBe(Math.abs(xs[0]! - y));
      }),
      { numRuns: 300 },
    );
  });
});
