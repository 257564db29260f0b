// The response curves evaluate Hill with @tributary/transforms' hillSmoothScalar (one Hill in the
// workspace): a single cell with one term and no carry-over is that kernel exactly, in both layouts.
import { hillSmoothScalar, HILL_SMALL_A } from '@tributary/transforms';
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
