// One pass over the draws (draw-pass.ts): each draw is loaded once, the stored per-draw values
// are exactly those of the model's per-method API (and of the replicated-data stream the
// predictive checks always used), and the summaries fed by one shared pass equal the ones that
// make their own.
import { buildRng } from '@tributary/sampler';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { liftTestChecks, pointwiseLogLikelihood, spendTotals, summarizeDerived } from '../src/derived.js';
import { BlockUniform } from '../src/block-rng.js';
import { makePass, PASS_BLOCK, passOverDraws, sumBlocks, yRepBlockUniform, numBlocks, PPC_STATS } from '../src/draw-pass.js';
import { EvaluationError } from '../src/errors.js';
import { zigguratNormal } from '../src/normal.js';
import { evaluateResults } from '../src/evaluate.js';
import { countedPredictiveChecks, CoverageCounts, passCoverage, posteriorPredictiveChecks } from '../src/ppc.js';
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

  // y_rep's random stream changed (one seeded stream per block of PASS_BLOCK draws instead of one
  // sequential stream): this test used to draw every y_rep from buildRng(4) in draw order.
  it('stores exactly the per-method values of every draw, y_rep from the seeded stream of its block (ziggurat normals)', () => {
    const { model } = fitted;
    const pass = passOverDraws(results, model, { derived: true, ppc: true, logLik: true, seed: 4 });
    const G = model.markets.length;
    const C = model.channels.length;
    const N = model.numObs;
    const S = pass.numDraws;
    let rng: () => number = () => NaN;
    const bufGC = new Float64Array(G * C);
    const bufN = new Float64Array(N);
    const muSum = new Float64Array(N);
    let blockMu = new Float64Array(N);
    forEachDraw(results, (draw, _c, _i, s) => {
      if (s % PASS_BLOCK === 0) {
        rng = yRepBlockUniform(4, s / PASS_BLOCK);
        expect(rng()).toBe(buildRng(`4/y_rep/${s / PASS_BLOCK}`).uniform()); // the block's stream
        rng = yRepBlockUniform(4, s / PASS_BLOCK);
        blockMu = new Float64Array(N);
      }
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
      for (let n = 0; n < N; n++) blockMu[n] = blockMu[n]! + bufN[n]!;
      // μ is summed per block, the blocks' sums in block order
      if (s % PASS_BLOCK === PASS_BLOCK - 1 || s === S - 1) for (let n = 0; n < N; n++) muSum[n] = muSum[n]! + blockMu[n]!;
      // the pass draws ε with the ziggurat (normal.ts), not posteriorPredictive's Box–Muller
      model.loadDraw(draw).yRep(rng, bufN, { normal: zigguratNormal });
      for (let n = 0; n < N; n++) expect(pass.yRep![n * S + s]).toBe(bufN[n]);
      model.pointwiseLogLik(draw, bufN);
      for (let n = 0; n < N; n++) expect(pass.logLik![n * S + s]).toBe(bufN[n]);
    });
    expect(pass.muSum).toEqual(muSum);
    expect(pass.liftPredictions).toBeUndefined();
  });

  it('gives the same numbers whichever thread computes which block (claims split, μ sums and coverage counts merged)', () => {
    const { model } = fitted;
    const G = model.markets.length;
    const C = model.channels.length;
    const N = model.numObs;
    const S = results.numChains * results.numDraws;
    expect(numBlocks(S)).toBeGreaterThan(2);
    const options = { derived: true, ppc: true, logLik: true, seed: 'x' } as const;
    const whole = passOverDraws(results, model, options);
    const into = {
      roas: new Float64Array(G * C * S),
      marginalRoas: new Float64Array(G * C * S),
      contributions: new Float64Array(G * (4 + C) * S),
      logLik: new Float64Array(N * S),
      yRepStats: new Float64Array(G * PPC_STATS * S),
      blockMuSums: new Float64Array(numBlocks(S) * N),
    };
    const countsA = passCoverage(fitted.panel);
    const countsB = passCoverage(fitted.panel);
    // blocks 0, 3, 4, … in one "thread", 1, 2, 5, … in the other
    const mine = (b: number) => b % 4 === 0 || b % 4 === 3;
    makePass(results, model, options, { into, claim: mine, coverage: countsA });
    const b = makePass(results, model, options, { into, claim: (k) => !mine(k), coverage: countsB });
    for (const key of ['roas', 'marginalRoas', 'contributions', 'logLik', 'yRepStats'] as const) expect(Array.from(into[key])).toEqual(Array.from(whole[key]!));
    expect(Array.from(sumBlocks(into.blockMuSums, N))).toEqual(Array.from(whole.muSum!));
    countsA.counts.merge(countsB.counts.state());
    const flat = new CoverageCounts(fitted.panel.y);
    for (let n = 0; n < N; n++) flat.addRow(n, whole.yRep!.subarray(n * S, (n + 1) * S));
    expect(countsA.counts.state()).toEqual(flat.state());
    // the replayed y_rep of any observation is the pass's
    expect(Array.from(b.yRepStats!)).toEqual(Array.from(whole.yRepStats!));
    countsB.replay!([0, N - 1]).forEach((row, k) => expect(Array.from(row)).toEqual(Array.from(whole.yRep!.subarray([0, N - 1][k]! * S, ([0, N - 1][k]! + 1) * S))));
  });

  it('draws the y_rep of the observations the coverage counts cannot decide again, with the same checks', () => {
    const { model } = fitted;
    const S = results.numChains * results.numDraws;
    const whole = passOverDraws(results, model, { ppc: true, seed: 5 });
    // y next to the order statistic above the 25% quantile's lower one: both below y within
    // rounding, so the counts cannot tell the side of the quantile
    const y = Float64Array.from(fitted.panel.y);
    const hard = [1, 7];
    for (const n of hard) {
      const sorted = Float64Array.from(whole.yRep!.subarray(n * S, (n + 1) * S)).sort();
      const x = sorted[Math.floor((S - 1) * 0.25) + 1]!;
      y[n] = x + Math.abs(x) * 2 * Number.EPSILON;
    }
    const changed = { model, panel: { ...fitted.panel, y } };
    const coverage = passCoverage(changed.panel);
    const pass = makePass(results, model, { ppc: true, seed: 5 }, { coverage });
    const replayed: number[][] = [];
    const replay = coverage.replay!;
    coverage.replay = (observations) => (replayed.push([...observations]), replay(observations));
    expect(countedPredictiveChecks(changed, pass, coverage)).toEqual(posteriorPredictiveChecks(results, changed, { seed: 5 }));
    expect(replayed).toEqual([hard]);
  });

  it("draws each block's uniforms from buildRng's xor4096 stream of the block's seed, re-seeded in place", () => {
    const stream = new BlockUniform('first');
    for (const seed of ['1/y_rep/0', '42/y_rep/124', 'a b/y_rep/7', '', 'é'.repeat(300)]) {
      stream.reseed(seed);
      const rng = buildRng(seed);
      for (let k = 0; k < 20000; k++) expect(stream.uniform()).toBe(rng.uniform());
    }
  });

  it('draws y_rep from the seed: the same seed the same numbers, another seed others', () => {
    const { model } = fitted;
    const a = passOverDraws(results, model, { ppc: true, seed: 21 });
    expect(Array.from(passOverDraws(results, model, { ppc: true, seed: 21 }).yRep!)).toEqual(Array.from(a.yRep!));
    expect(Array.from(passOverDraws(results, model, { ppc: true, seed: 22 }).yRep!)).not.toEqual(Array.from(a.yRep!));
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
