// summarizeParameters (one argsort per parameter, direct-sum autocovariances) against the
// sampler's summarize, which the sampler's tests hold to R's posterior 1.4.0: every column equal
// to 1e-12 relative (bit for bit except the ESS-based columns), on chains that mix well, mix
// slowly (the FFT fallback), have ties, −0 and 0, two symmetric values (constant folded draws),
// constant or non-finite draws and odd chain lengths (the exact path). Also the radix argsort
// against a stable comparison sort.
import { buildRng, hdi, summarize, type SummaryRow } from '@tributary/sampler';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIRECT_LAG_LIMIT, EssScratch } from '../src/ess.js';
import { Argsort, hdiOfSorted, sortAscending, summarizeParameters } from '../src/summary.js';

const COLUMNS = ['mean', 'sd', 'hdiLower', 'hdiUpper', 'mcseMean', 'mcseSd', 'essBulk', 'essTail', 'rHat'] as const;

/** Row-major chain draws (numDraws × dim per chain) from per-parameter generators. */
function makeDraws(numChains: number, numDraws: number, params: readonly Generator[], seed = 'summary'): Float64Array[] {
  const rng = buildRng(seed);
  const dim = params.length;
  return Array.from({ length: numChains }, (_, c) => {
    const out = new Float64Array(numDraws * dim);
    const prev = new Float64Array(dim);
    for (let i = 0; i < numDraws; i++) {
      params.forEach((f, j) => {
        const v = f(c, i, rng.normal(), prev[j]!);
        prev[j] = v;
        out[i * dim + j] = v;
      });
    }
    return out;
  });
}

function expectSameRows(got: readonly SummaryRow[], want: readonly SummaryRow[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((row, j) => {
    const ref = want[j]!;
    expect(row.name).toBe(ref.name);
    expect(row.hdiProb).toBe(ref.hdiProb);
    for (const k of COLUMNS) {
      const a = row[k];
      const b = ref[k];
      if (Number.isNaN(b) || !Number.isFinite(b) || ['mean', 'sd', 'hdiLower', 'hdiUpper', 'rHat'].includes(k)) {
        expect(Object.is(a, b) || a === b, `${ref.name} ${k}: ${a} vs ${b}`).toBe(true);
      } else {
        expect(Math.abs(a - b) / Math.abs(b), `${ref.name} ${k}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-12);
      }
    }
  });
}

type Generator = (c: number, i: number, z: number, prev: number) => number;
const ar =
  (phi: number, scale = 1, shift = 0): Generator =>
  (_c, _i, z, prev) =>
    phi * prev + scale * z + shift * (1 - phi);

describe('summarizeParameters', () => {
  it('equals the sampler summarize on well and slowly mixing chains, ties and special values', () => {
    const params: Generator[] = [
      ar(0), // independent
      ar(0.5, 2, 10),
      ar(-0.4), // antithetic, as NUTS often is
      ar(0.97), // slow: Geyer's sequence needs more lags than DIRECT_LAG_LIMIT (the FFT path)
      ar(0.9995, 1, 3), // very slow
      (c, _i, z) => Math.round(2 * z) / 2 + (c === 3 ? 1 : 0), // ties, a shifted chain
      (_c, i, z) => (z > 0 ? 1 : -1) * (i % 3 === 0 ? 0 : 1), // −1, 0 (and −0), 1
      (_c, _i, z) => (z > 0 ? 2 : 4), // two values: the folded draws are constant
      (_c, _i, z) => (z > 1.6 ? 1 : 0), // rare events: the 95 % indicator is constant
      (_c, _i, z) => Math.exp(3 * z), // heavy right tail
      (_c, _i, z) => 1e-300 * z, // tiny
      () => 7, // constant (the exact path)
    ];
    const names = params.map((_, j) => `p[${j}]`);
    for (const [chains, draws] of [
      [4, 1000],
      [4, 250],
      [1, 400],
      [3, 64],
    ] as const) {
      const d = makeDraws(chains, draws, params, `s${chains}:${draws}`);
      expectSameRows(summarizeParameters(d, params.length, names), summarize(d, params.length, names));
    }
  });

  it('hands odd chain lengths, short chains and non-finite draws to the sampler unchanged', () => {
    const params: Generator[] = [ar(0.3), (_c, i, z) => (i === 5 ? Infinity : z)];
    const names = ['a', 'b'];
    for (const [chains, draws] of [
      [4, 101],
      [2, 6],
      [4, 200],
    ] as const) {
      const d = makeDraws(chains, draws, params, `odd${draws}`);
      expectSameRows(summarizeParameters(d, 2, names), summarize(d, 2, names));
    }
  });

  it('summarizes any range of parameters as the whole table does', () => {
    const params = [ar(0.2), ar(0.6), ar(-0.3), ar(0.1)];
    const names = ['a', 'b', 'c', 'd'];
    const d = makeDraws(4, 300, params);
    const all = summarizeParameters(d, 4, names);
    expect([...summarizeParameters(d, 4, names, { from: 0, to: 1 }), ...summarizeParameters(d, 4, names, { from: 1, to: 4 })]).toEqual(all);
    expect(summarizeParameters(d, 4, names, { hdiProb: 0.8 })[2]!.hdiProb).toBe(0.8);
  });

  it('uses the FFT for a chain that needs more than DIRECT_LAG_LIMIT lags', () => {
    const d = makeDraws(4, 1000, [ar(0.99)]);
    const x = new Float64Array(4000);
    for (let c = 0; c < 4; c++) x.set(d[c]!, c * 1000);
    const ws = new EssScratch(4, 1000);
    const ess = ws.ess(x, [0, 1000, 2000, 3000], 4, 1000, { kind: 'posterior' });
    expect(DIRECT_LAG_LIMIT).toBeLessThan(200);
    // τ of an AR(1) with φ = 0.99 is about (1 + φ) / (1 − φ) = 199
    expect(ess).toBeGreaterThan(4);
    expect(ess).toBeLessThan(200);
  });
});

describe('hdiOfSorted(sortAscending(x))', () => {
  it('is the sampler hdi of x, ties, −0 and short vectors included', () => {
    const value = fc.oneof(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.constantFrom(0, -0, 1, 2.5));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), fc.constantFrom(0.5, 0.89, 0.94, 0.999), (xs, prob) => {
        const x = Float64Array.from(xs);
        const want = hdi([x], prob);
        const got = hdiOfSorted(sortAscending(x), prob);
        expect(Object.is(got.lower, want.lower) && Object.is(got.upper, want.upper), `${got.lower} ${got.upper} vs ${want.lower} ${want.upper}`).toBe(true);
      }),
      { numRuns: 400 },
    );
    expect(() => hdiOfSorted(Float64Array.from([1, 2]), 1)).toThrow(/hdiProb/);
  });
});

describe('Argsort', () => {
  it('orders like a stable comparison sort, with ties, −0 and 0, infinities and subnormals', () => {
    const value = fc.oneof(
      fc.double({ noNaN: true }),
      fc.constantFrom(0, -0, 1, -1, 2.5, Number.MIN_VALUE, -Number.MIN_VALUE, Infinity, -Infinity, Number.MAX_VALUE),
    );
    const sorter = new Argsort(300);
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), (xs) => {
        const x = Float64Array.from(xs);
        const got = Array.from(sorter.sort(x));
        const want = xs.map((_, i) => i).sort((a, b) => (x[a]! < x[b]! ? -1 : x[a]! > x[b]! ? 1 : Object.is(x[a], -0) && Object.is(x[b], 0) ? -1 : Object.is(x[a], 0) && Object.is(x[b], -0) ? 1 : a - b));
        expect(got).toEqual(want);
      }),
      { numRuns: 400 },
    );
  });

  it('sorts a view into a larger buffer', () => {
    const big = Float64Array.from([9, 3, 1, 2, 8]);
    expect(Array.from(new Argsort(5).sort(big.subarray(1, 4)))).toEqual([1, 2, 0]);
  });
});
