// quantilesBySelection (the predictive checks' interval ends without a full sort) gives exactly
// quantileSorted of the sorted vector; CoverageCounts (the same decisions from counts, row by
// row or draw by draw) says exactly what those quantiles say.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantileSorted, quantilesBySelection } from '../src/numerics.js';
import { CoverageCounts, INSIDE_50, INSIDE_94 } from '../src/ppc.js';

describe('quantilesBySelection', () => {
  it('equals quantileSorted of the sorted copy, ties and small vectors included', () => {
    const probs = [0.03, 0.25, 0.75, 0.97, 0, 1, 0.5];
    const value = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(0, 1, 2, 2.5));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 400 }), (xs) => {
        const sorted = Float64Array.from(xs).sort();
        const got = quantilesBySelection(Float64Array.from(xs), probs);
        // == rather than Object.is: a sort may put -0 and 0 in either order
        probs.forEach((p, i) => expect(got[i]! === quantileSorted(sorted, p)).toBe(true));
      }),
      { numRuns: 500 },
    );
  });

  it('handles 4000 draws as the predictive checks do', () => {
    const xs = Float64Array.from({ length: 4000 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453);
    const sorted = Float64Array.from(xs).sort();
    const got = quantilesBySelection(Float64Array.from(xs), [0.03, 0.25, 0.75, 0.97]);
    expect(Array.from(got)).toEqual([0.03, 0.25, 0.75, 0.97].map((p) => quantileSorted(sorted, p)));
  });
});

/** The flags of y among the draws xs, from counts of the row. */
function insideByRow(xs: readonly number[], y: number): number {
  const counts = new CoverageCounts([y]);
  counts.addRow(0, xs);
  return counts.inside(0, xs.length, () => xs);
}

describe('CoverageCounts (the predictive checks, from counts)', () => {
  const exact = (xs: readonly number[], y: number) => {
    const sorted = Float64Array.from(xs).sort();
    const [q03, q25, q75, q97] = [0.03, 0.25, 0.75, 0.97].map((p) => quantileSorted(sorted, p)) as [number, number, number, number];
    return (q25 <= y && y <= q75 ? INSIDE_50 : 0) | (q03 <= y && y <= q97 ? INSIDE_94 : 0);
  };

  it('says what the selected type-7 quantiles say, y at, between and next to the draws', () => {
    const value = fc.oneof(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.constantFrom(0, 1, 2, 2.5, -0));
    const data = fc.array(value, { minLength: 1, maxLength: 300 }).chain((xs) =>
      fc.tuple(
        fc.constant(xs),
        fc.oneof(
          value,
          fc.constantFrom(...xs), // y equal to a draw
          fc.tuple(fc.constantFrom(...xs), fc.integer({ min: -3, max: 3 })).map(([x, k]) => x * (1 + k * Number.EPSILON)), // next to one
          fc.tuple(fc.constantFrom(...xs), fc.constantFrom(...xs), fc.double({ min: 0, max: 1, noNaN: true })).map(([a, b, h]) => (1 - h) * a + h * b), // between two
        ),
      ),
    );
    fc.assert(
      fc.property(data, ([xs, y]) => {
        expect(insideByRow(xs, y)).toBe(exact(xs, y));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees on 4000 draws with y at every quantile the checks use', () => {
    const xs = Array.from({ length: 4000 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453);
    const sorted = Float64Array.from(xs).sort();
    for (const p of [0.03, 0.25, 0.75, 0.97]) {
      const q = quantileSorted(sorted, p);
      for (const y of [q, q * (1 + Number.EPSILON), q * (1 - Number.EPSILON), sorted[Math.floor(1 + 3999 * p) - 1]!, sorted[Math.ceil(1 + 3999 * p) - 1]!]) {
        expect(insideByRow(xs, y)).toBe(exact(xs, y));
      }
    }
  });

  it('counts draw by draw (every observation at once) as row by row', () => {
    const S = 200;
    const rows = Array.from({ length: 30 }, (_, n) => Array.from({ length: S }, (_, s) => Math.round(Math.sin(n * 7.1 + s * 12.9898) * 40) / 4));
    const y = rows.map((row, n) => (n % 3 === 0 ? row[n]! : n % 3 === 1 ? quantileSorted(Float64Array.from(row).sort(), 0.25) : n - 15));
    const counts = new CoverageCounts(y);
    for (let s = 0; s < S; s++) counts.add(rows.map((row) => row[s]!));
    rows.forEach((row, n) => expect(counts.inside(n, S, () => row)).toBe(exact(row, y[n]!)));
  });
});
