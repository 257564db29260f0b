// The response curves evaluate Hill with @tributary/transforms' hillSmoothScalar (one Hill in the
// workspace): a single cell with one term and no carry-over is that kernel exactly, in both layouts.
import {
  HILL_SMALL_A,
  hillSmoothScalar,
  logisticSaturationScalarWithGradient,
  michaelisMentenScalarWithGradient,
  tanhSaturationScalarWithGradient,
} from '@tributary/transforms';
import { describe, expect, it } from 'vitest';
import { buildResponseCurves } from '../src/index.js';

describe('response curves use hillSmoothScalar', () => {
  for (const S of [0.6, 1, 2.2]) {
    it(`S = ${S}: value and slope of one term are the kernel's, shared and per draw, with and without carry-over`, () => {
      const K = 0.4;
      const sl = 1e-4;
      const hs = new Float64Array(2);
      for (const carry of [0, 0.3]) {
        const base = { numCells: 1, numTerms: 1, coef: [1, 1], K: [K], S: [S], carry: [carry], slope: [sl], multiplicity: [1] };
        const shared = buildResponseCurves({ numDraws: 2, ...base });
        const perDraw = buildResponseCurves({ numDraws: 2, ...base, K: [K, K], S: [S, S], carry: [carry, carry], slope: [sl, sl] });
        expect(shared.isShared && !perDraw.isShared).toBe(true);
        for (const x of [0, 0.5 * (HILL_SMALL_A * K) / sl, 2 * (HILL_SMALL_A * K) / sl, 1000, 4000, 1e9]) {
          const h = hillSmoothScalar(carry + sl * x, Math.log(K), S, hs) - hillSmoothScalar(carry, Math.log(K), S, new Float64Array(2));
          const hp = sl * hs[1]!;
          for (const curves of [shared, perDraw]) {
            const R = curves.evaluate([x], new Float64Array(2), true);
            const g = curves.pullback(Float64Array.of(1, 0), new Float64Array(1));
            expect(R[0]).toBeCloseTo(h, 15);
            expect(Math.abs(g[0]! - hp)).toBeLessThanOrEqual(1e-14 * Math.abs(hp));
          }
        }
      }
    });
  }
});

// Other saturation kinds (issue 13: the transform family in optimize): every layout gives the
// kernel's value and slope, thin() keeps the kinds, and the gradient matches finite differences.
describe('response curves of logistic, Michaelis–Menten and tanh cells', () => {
  const kinds = [
    ['logistic', 2.6, 1, logisticSaturationScalarWithGradient],
    ['michaelis_menten', 0.64, 1, (a: number, p: number, _q: number, out: Float64Array) => michaelisMentenScalarWithGradient(a, p, out)],
    ['tanh', 0.8, 0.5, tanhSaturationScalarWithGradient],
  ] as const;
  for (const [kind, p2, p3, kernel] of kinds) {
    it(`${kind}: value and slope are the kernel's, shared and per draw, next to a Hill cell`, () => {
      const h = (a: number, out = new Float64Array(4)) =>
        kind === 'logistic' ? logisticSaturationScalarWithGradient(a, p2, out) : (kernel as (a: number, p: number, q: number, o: Float64Array) => number)(a, p2, p3, out);
      const sl = 2e-4;
      for (const carry of [0, 0.3]) {
        const base = {
          numCells: 2,
          numTerms: 1,
          saturation: [kind, 'hill'] as const,
          coef: [1, 1, 2, 2],
          carry: [carry, 0],
          slope: [sl, sl],
          multiplicity: [3, 1],
        };
        const shared = buildResponseCurves({ numDraws: 2, ...base, K: [p2, 0.5], S: [p3, 2] });
        const perDraw = buildResponseCurves({
          numDraws: 2,
          ...base,
          K: [p2, 0.5, p2, 0.5],
          S: [p3, 2, p3, 2],
          carry: [carry, 0, carry, 0],
          slope: [sl, sl, sl, sl],
        });
        for (const x of [0, 500, 4000, 1e6]) {
          const out = new Float64Array(4);
          const expected = 3 * (h(carry + sl * x, out) - h(carry));
          const slope = 3 * sl * out[1]!;
          for (const curves of [shared, perDraw, perDraw.thin(1), shared.thin(1)]) {
            const D = curves.numDraws;
            const R = curves.evaluate([x, 0], new Float64Array(D), true);
            const g = curves.pullback(Float64Array.from({ length: D }, (_, d) => (d === 0 ? 1 : 0)), new Float64Array(2));
            expect(Math.abs(R[0]! - expected)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(expected)));
            expect(Math.abs(g[0]! - slope)).toBeLessThanOrEqual(1e-13 * Math.max(1e-300, Math.abs(slope)) + 1e-300);
            expect(curves.cellResponse(0, x, new Float64Array(D))[0]).toBeCloseTo(expected, 14);
          }
          // Finite differences of the per-draw response.
          if (x > 0) {
            const e = 1e-3 * x;
            const up = perDraw.evaluate([x + e, 0], new Float64Array(2))[0]!;
            const down = perDraw.evaluate([x - e, 0], new Float64Array(2))[0]!;
            expect(Math.abs((up - down) / (2 * e) - slope)).toBeLessThanOrEqual(1e-5 * Math.abs(slope) + 1e-15);
          }
        }
      }
    });
  }

  it('rejects an unknown kind and a wrong length, naming them', () => {
    const base = { numDraws: 1, numCells: 1, numTerms: 1, coef: [1], K: [1], S: [1], carry: [0], slope: [1], multiplicity: [1] };
    expect(() => buildResponseCurves({ ...base, saturation: ['exponential' as never] })).toThrow(/saturation\[0\] = "exponential"/);
    expect(() => buildResponseCurves({ ...base, saturation: ['hill', 'hill'] })).toThrow(/saturation has length 2, expected 1/);
  });
});
