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

describe('largestInOrder on long vectors (the sampled threshold)', () => {
  const reference = (x: Float64Array, k: number) => {
    const order = Array.from(x, (_, i) => i).sort((a, b) => x[a]! - x[b]! || a - b);
    return order.slice(x.length - k);
  };

  it('returns the last k indices of the stable order for random walks, ties and repeated values', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1024, max: 5000 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.constantFrom(0, 0.1, 1),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        (n, seed, round, kFraction) => {
          let state = seed;
          const next = () => (state = (state * 48271) % 2147483647) / 2147483647;
          const x = new Float64Array(n);
          let walk = 0;
          for (let i = 0; i < n; i++) {
            walk = 0.9 * walk + next() - 0.5; // autocorrelated, as MCMC draws are
            x[i] = round > 0 ? Math.round(walk / round) * round : walk;
          }
          const k = Math.max(1, Math.floor(kFraction * n));
          expect(Array.from(largestInOrder(x, k))).toEqual(reference(x, k));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('lowers a threshold guessed too high (the sampled positions hold the largest values)', () => {
    const n = 4096;
    const x = new Float64Array(n).fill(-1);
    for (let i = 0; i < n; i += n / 256) x[i] = 10 + i;
    for (const k of [100, 257, 300, 1000]) expect(Array.from(largestInOrder(x, k))).toEqual(reference(x, k));
  });
});
