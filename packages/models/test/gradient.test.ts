/**
 * Every gradient against central finite differences (fast-check properties over random
 * unconstrained points in (−1.5, 1.5)^d), for all three kinds × {fixed, learned transforms} ×
 * {normal, student-t}, on the small 3-market panel (different lengths, a gap, a zero-spend
 * market-channel, one control). Also: the sufficient-statistics path equals the direct path.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { buildModel, type Likelihood, type ModelKind } from '../src/index.js';
import { smallPanel } from './fixtures.js';
import { checkGradient } from './gradient-check.js';

const panel = smallPanel();
const kinds: ModelKind[] = ['hierarchical', 'unpooled', 'pooled'];
const likelihoods: Likelihood[] = ['normal', 'student-t'];

function pointArbitrary(dim: number): fc.Arbitrary<Float64Array> {
  return fc
    .array(fc.double({ min: -1.5, max: 1.5, noNaN: true, noDefaultInfinity: true }), { minLength: dim, maxLength: dim })
    .map((xs) => Float64Array.from(xs));
}

describe('analytic gradient = central finite differences', () => {
  for (const kind of kinds) {
    for (const learnTransforms of [false, true]) {
      for (const likelihood of likelihoods) {
        test(`${kind}, ${learnTransforms ? 'learned' : 'fixed'} transforms, ${likelihood}`, () => {
          const model = buildModel(panel, { kind, learnTransforms, likelihood });
          fc.assert(
            fc.property(pointArbitrary(model.dim), (theta) => {
              const result = checkGradient(model, theta);
              if (!result.ok) throw new Error(`gradient mismatch (${kind}, learned=${learnTransforms}, ${likelihood}):\n${result.table}`);
            }),
            { numRuns: 12, seed: 20240601 },
          );
        });
      }
    }
  }
});

describe('sufficient statistics path = direct path', () => {
  for (const kind of kinds) {
    test(kind, () => {
      const fast = buildModel(panel, { kind, path: 'sufficient' });
      const slow = buildModel(panel, { kind, path: 'direct' });
      expect(fast.path).toBe('sufficient');
      expect(slow.path).toBe('direct');
      expect(buildModel(panel, { kind }).path).toBe('sufficient');
      fc.assert(
        fc.property(pointArbitrary(fast.dim), (theta) => {
          const g1 = new Float64Array(fast.dim);
          const g2 = new Float64Array(fast.dim);
          const lp1 = fast.logDensityAndGradient(theta, g1);
          const lp2 = slow.logDensityAndGradient(theta, g2);
          expect(Math.abs(lp1 - lp2)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(lp2)));
          let scale = 1;
          for (let i = 0; i < fast.dim; i++) scale = Math.max(scale, Math.abs(g2[i]!));
          for (let i = 0; i < fast.dim; i++) {
            if (!(Math.abs(g1[i]! - g2[i]!) <= 1e-9 * scale)) {
              throw new Error(`${fast.parameterNames[i]}: sufficient ${g1[i]} vs direct ${g2[i]}`);
            }
          }
        }),
        { numRuns: 30, seed: 7 },
      );
    });
  }

  test("path 'sufficient' is refused with Student-t or learned transforms", () => {
    expect(() => buildModel(panel, { kind: 'pooled', likelihood: 'student-t', path: 'sufficient' })).toThrow(/sufficient/);
    expect(() => buildModel(panel, { kind: 'pooled', learnTransforms: true, path: 'sufficient' })).toThrow(/sufficient/);
    expect(buildModel(panel, { kind: 'pooled', likelihood: 'student-t' }).path).toBe('direct');
  });
});
