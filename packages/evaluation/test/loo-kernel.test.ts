// The per-observation LOO kernel: the fused sweep (r_eff and PSIS-LOO per observation, exp(ll)
// once) gives psisLoo(ll, { rEff: relativeEffOfLogLik(ll) }) bit for bit and agrees with R's loo
// on the fixture; any split of the observations into ranges fills the same arrays; and the
// bounded-heap tail selection returns exactly the last k positions of a full stable sort.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocatePointwise, looFromPointwise, looPointwiseRange, psisLoo, psisLooWithRelativeEff, relativeEffOfLogLik, type LooResult } from '../src/loo.js';
import { largestInOrder } from '../src/psis.js';
import { readJson, readLogLik, type RLoo } from './fixtures.js';

const psisLl = readLogLik('psis_ll.csv.gz');

function expectIdentical(a: LooResult, b: LooResult): void {
  for (const k of Object.keys(b.pointwise) as (keyof LooResult['pointwise'])[]) expect(Array.from(a.pointwise[k])).toEqual(Array.from(b.pointwise[k]));
  const { pointwise: _a, ...ta } = a;
  const { pointwise: _b, ...tb } = b;
  expect(ta).toEqual(tb);
}

describe('psisLooWithRelativeEff', () => {
  it('is psisLoo with relativeEffOfLogLik, bit for bit, and agrees with R loo 2.5.1', () => {
    const fused = psisLooWithRelativeEff(psisLl);
    expectIdentical(fused, psisLoo(psisLl, { rEff: relativeEffOfLogLik(psisLl) }));
    const r = readJson<{ loo: RLoo }>('psis.json').loo;
    expect(Math.abs(fused.elpdLoo - r.elpd_loo) / Math.abs(r.elpd_loo)).toBeLessThan(1e-10);
  });

  it('fills the same arrays whatever the ranges of observations', () => {
    const whole = psisLooWithRelativeEff(psisLl);
    const pw = allocatePointwise(psisLl.numObs, (bytes) => new SharedArrayBuffer(bytes));
    for (const [a, b] of [
      [40, 64],
      [0, 7],
      [7, 40],
    ] as const)
      looPointwiseRange(psisLl, a, b, pw);
    expectIdentical(looFromPointwise(pw, psisLl.numDraws), whole);
  });
});

describe('largestInOrder', () => {
  it('returns the last k indices of the stable ascending order, ties and −0 included', () => {
    const value = fc.oneof(fc.double({ min: -50, max: 50, noNaN: true }), fc.constantFrom(-1, 0, -0, 0.5, 3));
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 300 }).chain((xs) => fc.tuple(fc.constant(xs), fc.integer({ min: 0, max: xs.length }))),
        ([xs, k]) => {
          const x = Float64Array.from(xs);
          const order = xs.map((_, i) => i).sort((a, b) => x[a]! - x[b]! || a - b);
          expect(Array.from(largestInOrder(x, k))).toEqual(order.slice(xs.length - k));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rejects k outside 0 … n', () => {
    expect(() => largestInOrder(Float64Array.from([1, 2]), 3)).toThrow(/k = 3/);
  });
});
