// One pass over the draws (draw-pass.ts): each draw is loaded once, the stored per-draw values
// are exactly those of the model's per-method API (and of the replicated-data stream the
// predictive checks always used), and the summaries fed by one shared pass equal the ones that
// make their own.
import { buildRng } from '@tributary/sampler';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { liftTestChecks, pointwiseLogLikelihood, spendTotals, summarizeDerived } from '../src/derived.js';
import { makePass, passOverDraws } from '../src/draw-pass.js';
import { EvaluationError } from '../src/errors.js';
import { zigguratNormal } from '../src/normal.js';
import { evaluateResults } from '../src/evaluate.js';
import { posteriorPredictiveChecks } from '../src/ppc.js';
import { forEachDraw, type FittedModel } from '../src/rebuild.js';
import type { ResultsFolder } from '../src/results.js';
import { fitAndLoad, removeTempDirs } from './helpers.js';

let results: ResultsFolder;
let fitted: FittedModel;

beforeAll(async () => {
  ({ results, fitted } = await fitAndLoad({ seed: 9, warmup: 100, draws: 60 }));
});

afterAll(removeTempDirs);

describe('passOverDraws', () => {
  it('loads every draw once in evaluateResults and uses no per-method call', () => {
    const { model } = fitted;
    const load = vi.spyOn(model, 'loadDraw');
    const perMethod = (['roas', 'marginalRoas', 'contributions', 'mean', 'posteriorPredictive', 'pointwiseLogLik', 'liftTestPredictions'] as const).map((k) =>
      vi.spyOn(model, k),
    );
    try {
      evaluateResults(results, fitted);
      expect(load).toHaveBeenCalledTimes(results.numChains * results.numDraws);
      for (const spy of perMethod) expect(spy).not.toHaveBeenCalled();
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('stores exactly the per-method values of every draw, y_rep from the same seeded stream (ziggurat normals)', () => {
    const { model } = fitted;
    const pass = passOverDraws(results, model, { derived: true, ppc: true, logLik: true, seed: 4 });
    const G = model.markets.length;
    const C = model.channels.length;
    const N = model.numObs;
    const S = pass.numDraws;
    const rng0 = buildRng(4);
    const rng = () => rng0.uniform();
    const bufGC = new Float64Array(G * C);
    const bufN = new Float64Array(N);
    const muSum = new Float64Array(N);
    forEachDraw(results, (draw, _c, _i, s) => {
      model.roas(draw, bufGC);
      for (let k = 0; k < G * C; k++) expect(pass.roas![k * S + s]).toBe(bufGC[k]);
      model.marginalRoas(draw, bufGC);
      for (let k = 0; k < G * C; k++) expect(pass.marginalRoas![k * S + s]).toBe(bufGC[k]);
      const ct = model.contributions(draw);
      for (let g = 0; g < G; g++) {
        expect(pass.contributions![(g * (4 + C)) * S + s]).toBe(ct.baseline[g]);
        for (let c = 0; c < C; c++) expect(pass.contributions![(g * (4 + C) + 4 + c) * S + s]).toBe(ct.channels[g]![c]);
      }
      model.mean(draw, bufN);
      for (let n = 0; n < N; n++) muSum[n] = muSum[n]! + bufN[n]!;
      // the pass draws ε with the ziggurat (normal.ts), not posteriorPredictive's Box–Muller
      model.loadDraw(draw).yRep(rng, bufN, { normal: zigguratNormal });
      for (let n = 0; n < N; n++) expect(pass.yRep![n * S + s]).toBe(bufN[n]);
      model.pointwiseLogLik(draw, bufN);
      for (let n = 0; n < N; n++) expect(pass.logLik![n * S + s]).toBe(bufN[n]);
    });
    expect(pass.muSum).toEqual(muSum);
    expect(pass.liftPredictions).toBeUndefined();
  });

  it('computes ROAS from the contributions and the spend totals exactly as DrawView.roas', () => {
    const { model } = fitted;
    const plain = passOverDraws(results, model, { derived: true });
    const shortcut = makePass(results, model, { derived: true }, { spendTotal: spendTotals(fitted.panel) });
    expect(Array.from(shortcut.roas!)).toEqual(Array.from(plain.roas!));
    expect(Array.from(shortcut.contributions!)).toEqual(Array.from(plain.contributions!));
  });

  it('feeds the summaries the same numbers as their own passes', () => {
    const { model } = fitted;
    const pass = passOverDraws(results, model, { derived: true, ppc: true, logLik: true, liftTests: true, seed: 7 });
    expect(summarizeDerived(results, fitted, { pass })).toEqual(summarizeDerived(results, fitted));
    expect(posteriorPredictiveChecks(results, fitted, { pass })).toEqual(posteriorPredictiveChecks(results, fitted, { seed: 7 }));
    expect(posteriorPredictiveChecks(results, fitted, { pass, seed: 7 })).toEqual(posteriorPredictiveChecks(results, fitted, { seed: 7 }));
    expect(pointwiseLogLikelihood(results, model, { pass })).toEqual(pointwiseLogLikelihood(results, model));
    expect(liftTestChecks(results, model, { pass })).toEqual([]);
  });

  it('refuses a pass without the part, with another seed or of other draws', () => {
    const { model } = fitted;
    const pass = passOverDraws(results, model, { logLik: true });
    expect(() => summarizeDerived(results, fitted, { pass })).toThrow(EvaluationError);
    expect(() => posteriorPredictiveChecks(results, fitted, { pass })).toThrow(/without the "ppc" part/);
    const ppc = passOverDraws(results, model, { ppc: true, seed: 2 });
    expect(() => posteriorPredictiveChecks(results, fitted, { pass: ppc, seed: 3 })).toThrow(/seed 2/);
    const fewer = { ...results, numDraws: results.numDraws - 1, draws: results.draws.map((d) => d.subarray(0, d.length - results.names.length)) };
    expect(() => pointwiseLogLikelihood(fewer, model, { pass })).toThrow(/draws/);
  });
});
