// The exact capped-simplex projection against its optimality conditions and an independent
// bisection on the multiplier (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OptimizerError, projectCappedSimplex } from '../src/index.js';

interface Case {
  v: number[];
  lo: number[];
  hi: number[];
  a: number[];
  frac: number;
}

const caseArb = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.record({
    v: fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: n, maxLength: n }),
    lo: fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n, maxLength: n }),
    hi: fc.array(fc.double({ min: 0, max: 50, noNaN: true }), { minLength: n, maxLength: n }),
    a: fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: n, maxLength: n }),
    frac: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
);

function prepare(c: Case): { v: number[]; lo: number[]; hi: number[]; a: number[]; total: number } {
  const lo = c.lo;
  const hi = c.hi.map((h, i) => lo[i]! + h); // hi ≥ lo
  let sLo = 0;
  let sHi = 0;
  for (let i = 0; i < lo.length; i++) {
    sLo += c.a[i]! * lo[i]!;
    sHi += c.a[i]! * hi[i]!;
  }
  return { v: c.v, lo, hi, a: c.a, total: sLo + c.frac * (sHi - sLo) };
}

/** Independent reference: bisection on ν of Σ a·clip(v − ν·a, lo, hi) = total. */
function reference(v: number[], lo: number[], hi: number[], a: number[], total: number): number[] {
  let left = -1e6;
  let right = 1e6;
  const y = (nu: number): number[] => v.map((vi, i) => Math.min(hi[i]!, Math.max(lo[i]!, vi - nu * a[i]!)));
  for (let k = 0; k < 300; k++) {
    const mid = 0.5 * (left + right);
    const s = y(mid).reduce((acc, yi, i) => acc + a[i]! * yi, 0);
    if (s > total) left = mid;
    else right = mid;
  }
  return y(0.5 * (left + right));
}

describe('projectCappedSimplex', () => {
  it('matches an independent bisection and satisfies the constraints (weighted, fast-check)', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { v, lo, hi, a, total } = prepare(c);
        const out = projectCappedSimplex(v, lo, hi, total, new Float64Array(v.length), { weights: a });
        const ref = reference(v, lo, hi, a, total);
        let s = 0;
        for (let i = 0; i < v.length; i++) {
          expect(out[i]!).toBeGreaterThanOrEqual(lo[i]!);
          expect(out[i]!).toBeLessThanOrEqual(hi[i]!);
          expect(Math.abs(out[i]! - ref[i]!)).toBeLessThanOrEqual(1e-7 * (1 + Math.abs(ref[i]!)));
          s += a[i]! * out[i]!;
        }
        expect(Math.abs(s - total)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(total)));
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it('is the identity on feasible points and idempotent (unit weights)', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { v, lo, hi, total } = prepare({ ...c, a: c.a.map(() => 1) });
        const once = projectCappedSimplex(v, lo, hi, total, new Float64Array(v.length));
        const twice = projectCappedSimplex(once, lo, hi, total, new Float64Array(v.length));
        for (let i = 0; i < v.length; i++) expect(Math.abs(twice[i]! - once[i]!)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(once[i]!)));
      }),
      { numRuns: 200, seed: 4 },
    );
  });

  it('with an inequality, leaves points under the budget clipped to the box', () => {
    const out = projectCappedSimplex([1, -2, 30], [0, 0, 0], [10, 10, 10], 100, new Float64Array(3), { isInequality: true });
    expect(Array.from(out)).toEqual([1, 0, 10]);
    const capped = projectCappedSimplex([8, 8, 8], [0, 0, 0], [10, 10, 10], 12, new Float64Array(3), { isInequality: true });
    expect(Array.from(capped)).toEqual([4, 4, 4]);
  });

  it('throws when the total is outside [Σ lower, Σ upper]', () => {
    expect(() => projectCappedSimplex([1, 1], [0, 0], [1, 1], 3, new Float64Array(2))).toThrow(OptimizerError);
    expect(() => projectCappedSimplex([1, 1], [1, 1], [2, 2], 1, new Float64Array(2))).toThrow(/outside/);
  });
});
