import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiagnosticsError, ebfmi, hdi } from '../../src/diagnostics/index.js';
import { ar1Chains, iidNormalChains, normalGenerator } from './random.js';
import { loadFixture } from './fixtures.js';

describe('hdi (ArviZ definition)', () => {
  it('hand-computed cases', () => {
    // sorted 1 2 3 4 10, prob 0.6: k = floor(3) = 3, candidates [1,4] (width 3) and [2,10] (8)
    expect(hdi([Float64Array.of(10, 2, 4, 1, 3)], 0.6)).toEqual({ lower: 1, upper: 4 });
    // pooled over chains: sorted 1 2 3 3 4 10, k = floor(3.6) = 3: [1,3] (2), [2,4] (2), [3,10] (7)
    expect(hdi([Float64Array.of(10, 2), Float64Array.of(4, 1), Float64Array.of(3, 3)], 0.6)).toEqual({ lower: 1, upper: 3 });
    // ties in width: the first (lowest) interval wins, as np.argmin
    expect(hdi([Float64Array.of(0, 1, 2, 3)], 0.5)).toEqual({ lower: 0, upper: 2 });
    // 10 draws, prob 0.94: k = floor(9.4) = 9, the only interval is the full range
    expect(hdi([Float64Array.from({ length: 10 }, (_, i) => i * i)])).toEqual({ lower: 0, upper: 81 });
    // a long right tail pulls the interval left of the equal-tailed one
    expect(hdi([Float64Array.of(0, 0.1, 0.2, 0.3, 0.4, 5, 9)], 0.5)).toEqual({ lower: 0, upper: 0.3 });
  });

  it('hand-checked on the stuck fixture: half of the mass sits where chain 4 is stuck', () => {
    // chain 4 of `stuck` is constant 1.25, so the densest 50 % ends exactly at 1.25
    const x = loadFixture('stuck').draws.stuck!;
    const { lower, upper } = hdi(x, 0.5);
    expect(upper).toBe(1.25);
    const pooled = x.flatMap((c) => [...c]).sort((a, b) => a - b);
    const k = Math.floor(0.5 * pooled.length);
    const i = pooled.indexOf(lower);
    expect(pooled[i + k]).toBe(1.25);
    for (let j = 0; j + k < pooled.length; j++) expect(pooled[j + k]! - pooled[j]!).toBeGreaterThanOrEqual(upper - lower);
  });

  it('contains at least the requested fraction and is the shortest such interval of draws', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 80 }),
        fc.integer(),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        (m, n, seed, prob) => {
          const z = normalGenerator(seed);
          const x = Array.from({ length: m }, () => Float64Array.from({ length: n }, () => Math.exp(z())));
          const { lower, upper } = hdi(x, prob);
          const pooled = x.flatMap((c) => [...c]).sort((a, b) => a - b);
          const inside = pooled.filter((v) => v >= lower && v <= upper).length;
          expect(inside).toBeGreaterThanOrEqual(prob * pooled.length);
          const k = Math.floor(prob * pooled.length);
          for (let j = 0; j + k < pooled.length; j++) expect(pooled[j + k]! - pooled[j]!).toBeGreaterThanOrEqual(upper - lower);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is about ±1.88 for standard normal draws (default prob 0.94)', () => {
    const { lower, upper } = hdi(iidNormalChains(4, 4, 5000));
    expect(lower).toBeGreaterThan(-2.0);
    expect(lower).toBeLessThan(-1.75);
    expect(upper).toBeGreaterThan(1.75);
    expect(upper).toBeLessThan(2.0);
  });

  it('NaN bounds for non-finite draws; throws for prob outside (0, 1)', () => {
    expect(hdi([Float64Array.of(1, NaN, 3)])).toEqual({ lower: NaN, upper: NaN });
    for (const p of [0, 1, -0.5, 1.2, NaN]) expect(() => hdi([Float64Array.of(1, 2, 3)], p)).toThrow(DiagnosticsError);
  });
});

describe('ebfmi', () => {
  it('hand-computed case', () => {
    // E = 1, 2, 4: sum of squared steps 1 + 4 = 5; sum of squared deviations from 7/3 = 42/9
    const [value] = ebfmi([Float64Array.of(1, 2, 4)]);
    expect(value).toBeCloseTo(5 / (42 / 9), 14);
  });

  it('equals ArviZ mean(diff^2) / var(ddof = 1), per chain', () => {
    const energy = ar1Chains(13, 3, 200, 0.5);
    const values = ebfmi(energy);
    energy.forEach((e, c) => {
      const n = e.length;
      let d2 = 0;
      for (let t = 1; t < n; t++) d2 += (e[t]! - e[t - 1]!) ** 2;
      const m = e.reduce((a, b) => a + b, 0) / n;
      const v = e.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1);
      expect(values[c]).toBeCloseTo(d2 / (n - 1) / v, 12);
    });
  });

  it('is about 2 (1 - phi) for AR(1) energy: ~2 for iid, small for sticky chains', () => {
    const iid = ebfmi(iidNormalChains(17, 2, 20000));
    for (const v of iid) expect(v).toBeCloseTo(2, 1);
    const sticky = ebfmi(ar1Chains(17, 2, 20000, 0.95));
    for (const v of sticky) {
      expect(v).toBeGreaterThan(0.07);
      expect(v).toBeLessThan(0.13);
    }
  });

  it('NaN for fewer than 2 draws, constant or non-finite energy', () => {
    expect([...ebfmi([Float64Array.of(3)])]).toEqual([NaN]);
    expect([...ebfmi([Float64Array.of(3, 3, 3), Float64Array.of(1, Infinity, 2), Float64Array.of(1, 2, 4)])].slice(0, 2)).toEqual([NaN, NaN]);
  });
});
