/**
 * Gradient harness for single terms: a model's terms are composed with `evaluateTerms` (the
 * same orchestration as `logDensityAndGradient`) on a chosen subset, optionally closed by a
 * probe — a linear stand-in for the likelihood, lp = Σ_n e_n·μ_n + Σ_s v_s·log σ_s with fixed
 * random e and v, which fills the adjoints (gB, gLogSig, eRow) exactly as a likelihood does.
 * The result is checked against central finite differences over fast-check random points.
 */
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import type { BuildModelOptions } from '../../src/index.js';
import { buildModelParts, evaluateTerms, type ModelParts } from '../../src/model.js';
import type { Scratch, Term } from '../../src/terms/term.js';
import { smallPanel } from '../fixtures.js';
import { checkGradient } from '../gradient-check.js';

export const panel = smallPanel();

export function parts(options: BuildModelOptions): ModelParts {
  return buildModelParts(panel, options);
}

/** The linear stand-in for the likelihood (see the header). */
export function probe(p: ModelParts, seed = 'probe'): Term {
  const rng = seedrandom(seed);
  const { N, P, numSets, obsMarket, layout } = p.data;
  const e = Float64Array.from({ length: N }, () => -1 + 2 * rng());
  const v = Float64Array.from({ length: numSets }, () => -1 + 2 * rng());
  return {
    forward(_theta: Float64Array, _grad: Float64Array, s: Scratch): number {
      let lp = 0;
      for (let n = 0; n < N; n++) {
        const bo = layout.setOf(obsMarket[n]!) * P;
        let mu = 0;
        for (let q = 0; q < P; q++) mu += s.design[n * P + q]! * s.B[bo + q]!;
        lp += e[n]! * mu;
        s.eRow[n] = e[n]!;
        for (let q = 0; q < P; q++) s.gB[bo + q]! += e[n]! * s.design[n * P + q]!;
      }
      for (let k = 0; k < numSets; k++) {
        lp += v[k]! * Math.log(s.sig[k]!);
        s.gLogSig[k]! += v[k]!;
      }
      return lp;
    },
    backward(): void {},
  };
}

function pointArbitrary(dim: number): fc.Arbitrary<Float64Array> {
  return fc
    .array(fc.double({ min: -1.5, max: 1.5, noNaN: true, noDefaultInfinity: true }), { minLength: dim, maxLength: dim })
    .map((xs) => Float64Array.from(xs));
}

/**
 * fast-check: the composed terms' analytic gradient = central finite differences. The absolute
 * tolerance grows with |lp| (the finite differences' rounding error is about |lp|·ε/h ≈
 * |lp|·1e-10; a lift test alone, without the data's likelihood, reaches |lp| ~ 1e6).
 */
export function assertTermGradient(p: ModelParts, terms: readonly Term[], label: string, numRuns = 10): void {
  const dim = p.data.layout.dim;
  const target = {
    dim,
    parameterNames: p.data.layout.parameterNames,
    logDensityAndGradient: (theta: Float64Array, grad: Float64Array): number => evaluateTerms(terms, p.scratch, theta, grad),
  };
  fc.assert(
    fc.property(pointArbitrary(dim), (theta) => {
      const lp = target.logDensityAndGradient(theta, new Float64Array(dim));
      const result = checkGradient(target, theta, { absTol: Math.max(1e-5, 1e-8 * Math.abs(lp)) });
      if (!result.ok) throw new Error(`gradient mismatch (${label}):\n${result.table}`);
    }),
    { numRuns, seed: 20251206 },
  );
}
