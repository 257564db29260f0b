import { describe, expect, it } from 'vitest';
import {
  finalDualAveraging,
  finalWelfordCovar,
  finalWelfordVar,
  initDualAveraging,
  initWelfordCovar,
  initWelfordVar,
  restartDualAveraging,
  sample,
  updateDualAveraging,
  updateWelfordCovar,
  updateWelfordVar,
  windowSchedule,
  buildRng,
  buildNutsScratch,
  buildUnitMetric,
  initState,
  initStepSize,
  nutsTransition,
} from '../src/index.js';
import { buildGaussian } from './fixtures/targets.js';
import { mean } from './helpers/ess.js';

describe('windowSchedule (Stan windowed_adaptation.hpp)', () => {
  // 0-based warmup iterations after which the metric is updated; Stan's counters.
  const table: [number, { initBuffer: number; baseWindow: number; termBuffer: number; ends: number[] }][] = [
    [1000, { initBuffer: 75, baseWindow: 25, termBuffer: 50, ends: [99, 149, 249, 449, 949] }],
    [2000, { initBuffer: 75, baseWindow: 25, termBuffer: 50, ends: [99, 149, 249, 449, 849, 1949] }],
    [500, { initBuffer: 75, baseWindow: 25, termBuffer: 50, ends: [99, 149, 249, 449] }],
    [150, { initBuffer: 75, baseWindow: 25, termBuffer: 50, ends: [99] }],
    // Too short for 75 + 25 + 50: 15% / 75% / 10%.
    [149, { initBuffer: 22, baseWindow: 113, termBuffer: 14, ends: [134] }],
    [100, { initBuffer: 15, baseWindow: 75, termBuffer: 10, ends: [89] }],
    [30, { initBuffer: 4, baseWindow: 23, termBuffer: 3, ends: [26] }],
    [20, { initBuffer: 3, baseWindow: 15, termBuffer: 2, ends: [17] }],
  ];
  it.each(table)('warmup %i', (numWarmup, expected) => {
    const s = windowSchedule(numWarmup);
    expect({ initBuffer: s.initBuffer, baseWindow: s.baseWindow, termBuffer: s.termBuffer, ends: [...s.windowEnds] }).toEqual(expected);
    expect(s.isMetricAdapted).toBe(true);
  });

  it('1000 warmup iterations: windows end at iterations 100, 150, 250, 450, 950 (1-based)', () => {
    expect(windowSchedule(1000).windowEnds.map((i) => i + 1)).toEqual([100, 150, 250, 450, 950]);
  });

  it('adapts no metric below 20 warmup iterations', () => {
    for (const w of [0, 1, 10, 19]) {
      const s = windowSchedule(w);
      expect(s.isMetricAdapted).toBe(false);
      expect(s.windowEnds).toEqual([]);
    }
  });

  it('honours custom buffers', () => {
    expect(windowSchedule(300, { initBuffer: 10, baseWindow: 10, termBuffer: 10 }).windowEnds).toEqual([19, 39, 79, 289]);
  });
});

describe('dual averaging (Stan stepsize_adaptation.hpp)', () => {
  it('starts at mu = log(10 eps) with Stan constants and matches one hand-computed update', () => {
    const s = initDualAveraging(0.5, { targetAccept: 0.8 });
    expect(s.mu).toBeCloseTo(Math.log(5), 15);
    expect([s.gamma, s.kappa, s.t0]).toEqual([0.05, 0.75, 10]);
    const eps = updateDualAveraging(s, 0.6);
    // eta = 1/11; s_bar = (0.8 - 0.6)/11; x = mu - s_bar * 1 / 0.05; x_bar = x (t^-kappa = 1)
    const sBar = 0.2 / 11;
    const x = Math.log(5) - sBar / 0.05;
    expect(eps).toBeCloseTo(Math.exp(x), 14);
    expect(finalDualAveraging(s)).toBeCloseTo(Math.exp(x), 14);
  });

  it('caps the statistic at 1 and restarts with a new mu', () => {
    const a = initDualAveraging(1);
    const b = initDualAveraging(1);
    updateDualAveraging(a, 1);
    updateDualAveraging(b, 7);
    expect(a.sBar).toBe(b.sBar);
    restartDualAveraging(a, 0.1);
    expect([a.counter, a.sBar, a.xBar, a.mu]).toEqual([0, 0, 0, Math.log(1)]);
    // No update since the restart: keep the current step size (not exp(0) = 1).
    expect(finalDualAveraging(a)).toBe(0.1);
  });

  it('drives a monotone acceptance curve to the target', () => {
    // Acceptance of a Gaussian-like toy: a(eps) = exp(-eps^2), plus deterministic noise.
    const rng = buildRng('da');
    for (const delta of [0.6, 0.8, 0.95]) {
      const s = initDualAveraging(1, { targetAccept: delta });
      let eps = 1;
      for (let t = 0; t < 3000; t++) {
        const a = Math.min(1, Math.max(0, Math.exp(-eps * eps) + 0.05 * (rng.uniform() - 0.5)));
        eps = updateDualAveraging(s, a);
      }
      const final = finalDualAveraging(s);
      expect(Math.exp(-final * final)).toBeCloseTo(delta, 2);
    }
  });

  it('holds the NUTS acceptance statistic at the target while adapting on a Gaussian', () => {
    // Dual averaging makes the running mean of (delta - accept_stat) vanish: check it on the
    // iterates themselves (unit metric, so only the step size adapts).
    const dim = 10;
    const cov = new Float64Array(dim * dim);
    for (let i = 0; i < dim; i++) cov[i * dim + i] = (1 + 0.3 * i) ** 2;
    const target = buildGaussian(cov, dim);
    for (const delta of [0.65, 0.8, 0.95]) {
      const rng = buildRng(`da-nuts-${delta}`);
      const state = initState(new Float64Array(dim).fill(0.5), target);
      const scratch = buildNutsScratch(target, 10);
      const metric = buildUnitMetric('diag', dim);
      const da = initDualAveraging(1, { targetAccept: delta });
      let stepSize = initStepSize(rng, state, 1, metric, scratch);
      const accepts: number[] = [];
      for (let t = 0; t < 3000; t++) {
        const info = nutsTransition(rng, state, { stepSize, metric, maxTreeDepth: 10 }, scratch);
        accepts.push(info.acceptStat);
        stepSize = updateDualAveraging(da, info.acceptStat);
      }
      expect(Math.abs(mean(accepts.slice(1000)) - delta)).toBeLessThan(0.02);
    }
  });

  it('gives a sampling-phase acceptance near (typically a little above) the target', async () => {
    const dim = 10;
    const cov = new Float64Array(dim * dim);
    for (let i = 0; i < dim; i++) cov[i * dim + i] = (1 + i) ** 2;
    const target = buildGaussian(cov, dim);
    const means: number[] = [];
    for (const targetAccept of [0.6, 0.9]) {
      const post = await sample(target, { chains: 2, warmup: 500, draws: 500, seed: 11, targetAccept, parallel: false });
      const acc = mean(post.sampleStats.accept_stat.flatMap((a) => Array.from(a)));
      // The final step size exp(x_bar) is a little smaller than the iterates, so the realised
      // acceptance sits slightly above delta (as in Stan).
      expect(acc).toBeGreaterThan(targetAccept - 0.03);
      expect(acc).toBeLessThan(targetAccept + 0.2);
      means.push(acc);
    }
    expect(means[1]).toBeGreaterThan(means[0]! + 0.1);
  });
});

describe('Welford estimators with Stan regularisation', () => {
  const rng = buildRng('welford');
  const dim = 3;
  const xs = Array.from({ length: 40 }, () => Float64Array.from({ length: dim }, () => rng.normal() * 2 + 1));

  it('regularised variance: (n/(n+5)) var + 1e-3 * 5/(n+5)', () => {
    const acc = initWelfordVar(dim);
    for (const x of xs) updateWelfordVar(acc, x);
    const out = new Float64Array(dim);
    finalWelfordVar(acc, out);
    const n = xs.length;
    for (let i = 0; i < dim; i++) {
      const col = xs.map((x) => x[i]!);
      const m = mean(col);
      const v = col.reduce((s, c) => s + (c - m) ** 2, 0) / (n - 1);
      expect(out[i]).toBeCloseTo((n / (n + 5)) * v + 1e-3 * (5 / (n + 5)), 12);
    }
  });

  it('regularised covariance: (n/(n+5)) cov + 1e-3 * 5/(n+5) I', () => {
    const acc = initWelfordCovar(dim);
    for (const x of xs) updateWelfordCovar(acc, x);
    const out = new Float64Array(dim * dim);
    finalWelfordCovar(acc, out);
    const n = xs.length;
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j < dim; j++) {
        const mi = mean(xs.map((x) => x[i]!));
        const mj = mean(xs.map((x) => x[j]!));
        const c = xs.reduce((s, x) => s + (x[i]! - mi) * (x[j]! - mj), 0) / (n - 1);
        expect(out[i * dim + j]).toBeCloseTo((n / (n + 5)) * c + (i === j ? 1e-3 * (5 / (n + 5)) : 0), 12);
      }
    }
  });

  it('keeps the previous metric (shrunk) with fewer than 2 samples, like Stan', () => {
    const acc = initWelfordVar(2);
    updateWelfordVar(acc, Float64Array.from([3, 4]));
    const out = Float64Array.from([2, 2]);
    finalWelfordVar(acc, out);
    expect(Array.from(out)).toEqual([(1 / 6) * 2 + 1e-3 * (5 / 6), (1 / 6) * 2 + 1e-3 * (5 / 6)]);
  });
});
