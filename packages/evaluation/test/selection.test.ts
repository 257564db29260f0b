// quantilesBySelection (the predictive checks' interval ends without a full sort) gives exactly
// quantileSorted of the sorted vector.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantileSorted, quantilesBySelection } from '../src/numerics.js';

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
