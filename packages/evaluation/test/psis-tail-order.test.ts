// psisWithTail orders only the draws at or above the cutoff; its weights and k must be those of
// ordering the whole vector (the previous implementation, kept here as the reference), ties
// included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { psisWithTail } from '../src/psis.js';

/** The full stable sort of the previous implementation: positions first − 1 … s − 1. */
function referenceTail(lw: Float64Array, first: number): number[] {
  const order = Array.from({ length: lw.length }, (_, i) => i);
  order.sort((a, b) => lw[a]! - lw[b]! || a - b);
  return order.slice(first - 1);
}

describe('psisWithTail tail order', () => {
  it('smooths the same draws as a full stable sort, with ties and repeated values', () => {
    const value = fc.oneof(fc.double({ min: -20, max: 5, noNaN: true }), fc.constantFrom(-1, 0, 0.5, -0));
    fc.assert(
      fc.property(fc.array(value, { minLength: 12, maxLength: 200 }), fc.integer({ min: 5, max: 40 }), (xs, tail) => {
        const s = xs.length;
        const m = Math.min(tail, s - 1);
        const r = psisWithTail(xs, m);
        // Reference: the tail indices of the full sort receive the smoothed values, the rest keep theirs.
        const maxLr = Math.max(...xs);
        const lw = Float64Array.from(xs, (v) => v - maxLr);
        const idx = referenceTail(lw, s - m);
        const tailSet = new Set(idx.slice(1));
        for (let i = 0; i < s; i++) {
          if (!tailSet.has(i)) expect(r.logWeights[i]).toBe(Math.min(lw[i]!, 0) + maxLr);
        }
        // The smoothed tail is increasing along the reference order when it was smoothed.
        if (Number.isFinite(r.paretoK)) {
          const tailWeights = idx.slice(1).map((i) => r.logWeights[i]!);
          for (let j = 1; j < tailWeights.length; j++) expect(tailWeights[j]!).toBeGreaterThanOrEqual(tailWeights[j - 1]!);
        }
      }),
      { numRuns: 300 },
    );
  });
});
