import { describe, expect, it } from 'vitest';
import {
  buildNutsScratch,
  buildRng,
  buildUnitMetric,
  getParameterDraws,
  initState,
  nutsTransition,
  sample,
  type LogDensity,
  type Posterior,
} from '../src/index.js';
import { buildCorrelatedGaussian, buildQuarticLogistic, buildStdNormal, correlatedCovariance } from './fixtures/targets.js';
import { effectiveSampleSize, mcseMean, mean, variance } from './helpers/ess.js';

function sum(xs: Float64Array[]): number {
  let s = 0;
  for (const x of xs) for (const v of x) s += v;
  return s;
}

function flat(xs: Float64Array[]): number[] {
  return xs.flatMap((x) => Array.from(x));
}

describe('NUTS on a 100-dimensional standard normal', () => {
  let post: Posterior;
  it('samples it (4 chains × 1000 draws after 1000 warmup)', async () => {
    post = await sample(buildStdNormal(100), { chains: 4, warmup: 1000, draws: 1000, seed: 2024, parallel: false });
    expect(post.numChains).toBe(4);
    expect(post.draws[0]!.length).toBe(1000 * 100);
  }, 120_000);

  it('has means within 4 MCSE of 0 and variances near 1', () => {
    for (let i = 0; i < 100; i++) {
      const chains = getParameterDraws(post, i);
      const m = mean(flat(chains));
      expect(Math.abs(m)).toBeLessThan(4 * mcseMean(chains));
      const sq = chains.map((c) => c.map((x) => x * x));
      // E[x^2] = 1, with its own MCSE band.
      expect(Math.abs(mean(flat(sq)) - 1)).toBeLessThan(Math.max(4 * mcseMean(sq), 0.05));
      expect(Math.abs(variance(flat(chains)) - 1)).toBeLessThan(0.15);
    }
  });

  it('has no divergences, a plausible step size and tree depth, and an adapted unit-ish metric', () => {
    expect(sum(post.sampleStats.divergent)).toBe(0);
    for (const eps of post.stepSize) {
      expect(eps).toBeGreaterThan(0.2);
      expect(eps).toBeLessThan(1);
    }
    const depth = mean(flat(post.sampleStats.treedepth));
    expect(depth).toBeGreaterThanOrEqual(2);
    expect(depth).toBeLessThanOrEqual(5);
    for (const m of post.metric) {
      expect(m.length).toBe(100);
      for (const v of m) {
        expect(v).toBeGreaterThan(0.6);
        expect(v).toBeLessThan(1.6);
      }
    }
    // Stan's definitions: stepsize stat = adapted step size; energy >= -lp; lp = log density.
    for (let c = 0; c < 4; c++) {
      expect(post.sampleStats.stepsize[c]!.every((e) => e === post.stepSize[c])).toBe(true);
      const lp = post.sampleStats.lp[c]!;
      const draws = post.draws[c]!;
      for (let k = 0; k < 1000; k += 97) {
        let s = 0;
        for (let i = 0; i < 100; i++) s += draws[k * 100 + i]! ** 2;
        expect(lp[k]).toBeCloseTo(-0.5 * s, 10);
        expect(post.sampleStats.energy[c]![k]).toBeGreaterThanOrEqual(-lp[k]!);
      }
    }
  });

  it('has trees of consistent size: 2^depth - 1 <= n_leapfrog <= 2^(depth + 1) - 1', () => {
    for (let c = 0; c < 4; c++) {
      const d = post.sampleStats.treedepth[c]!;
      const n = post.sampleStats.n_leapfrog[c]!;
      for (let k = 0; k < d.length; k++) {
        expect(n[k]).toBeGreaterThanOrEqual(2 ** d[k]! - 1);
        expect(n[k]).toBeLessThanOrEqual(2 ** (d[k]! + 1) - 1);
      }
      const acc = post.sampleStats.accept_stat[c]!;
      expect(acc.every((a) => a >= 0 && a <= 1)).toBe(true);
    }
  });

  it('has E-BFMI well above 0.3 (energy mixes)', () => {
    for (const e of post.sampleStats.energy) {
      let num = 0;
      for (let k = 1; k < e.length; k++) num += (e[k]! - e[k - 1]!) ** 2;
      expect(num / e.length / variance(e)).toBeGreaterThan(0.5);
    }
  });
});

describe('NUTS on a skewed non-Gaussian target', () => {
  it('matches moments computed by quadrature', async () => {
    const dim = 4;
    const target = buildQuarticLogistic(dim);
    // Quadrature of the 1-D marginal (coordinates are independent).
    const one = buildQuarticLogistic(1);
    const g = new Float64Array(1);
    let z = 0;
    let m1 = 0;
    let m2 = 0;
    for (let x = -8; x <= 8; x += 1e-4) {
      const w = Math.exp(one.logDensityAndGradient(Float64Array.of(x), g));
      z += w;
      m1 += w * x;
      m2 += w * x * x;
    }
    const exactMean = m1 / z;
    const exactVar = m2 / z - exactMean ** 2;
    const post = await sample(target, { chains: 4, warmup: 500, draws: 1500, seed: 7, parallel: false });
    for (let i = 0; i < dim; i++) {
      const chains = getParameterDraws(post, i);
      expect(Math.abs(mean(flat(chains)) - exactMean)).toBeLessThan(4 * mcseMean(chains));
      const centred = chains.map((c) => c.map((x) => (x - exactMean) ** 2));
      expect(Math.abs(mean(flat(centred)) - exactVar)).toBeLessThan(4 * mcseMean(centred));
    }
    expect(sum(post.sampleStats.divergent)).toBe(0);
  });
});

describe('NUTS at the edge of the support', () => {
  it('flags divergences at a hard wall and never returns a point outside the support', async () => {
    // Normal(0, 1) truncated to x < 0.5 in every coordinate: log density -Infinity beyond.
    const dim = 3;
    const target: LogDensity = {
      dim,
      logDensityAndGradient(theta, grad) {
        let s = 0;
        for (let i = 0; i < dim; i++) {
          if (theta[i]! >= 0.5) {
            grad.fill(0);
            return -Infinity;
          }
          s += theta[i]! ** 2;
          grad[i] = -theta[i]!;
        }
        return -0.5 * s;
      },
    };
    const post = await sample(target, { chains: 2, warmup: 300, draws: 500, seed: 3, parallel: false, init: [0, 0, 0] });
    expect(sum(post.sampleStats.divergent)).toBeGreaterThan(10);
    for (const d of post.draws) for (const x of d) expect(x).toBeLessThan(0.5);
    for (const lp of post.sampleStats.lp) for (const v of lp) expect(Number.isFinite(v)).toBe(true);
  });

  it('marks the whole transition divergent when the first step leaves the support', () => {
    const target: LogDensity = {
      dim: 1,
      logDensityAndGradient(theta, grad) {
        grad[0] = -1e6;
        return theta[0]! === 0 ? 0 : -Infinity;
      },
    };
    const state = initState([0], target);
    const info = nutsTransition(buildRng(1), state, { stepSize: 0.1, metric: buildUnitMetric('diag', 1), maxTreeDepth: 10 }, buildNutsScratch(target));
    expect(info).toMatchObject({ isDivergent: true, treeDepth: 0, numLeapfrog: 1, acceptStat: 0 });
    expect(state.position[0]).toBe(0);
  });

  it('respects maxTreeDepth', async () => {
    const post = await sample(buildCorrelatedGaussian(10, 0.95), { chains: 1, warmup: 200, draws: 200, seed: 5, maxTreeDepth: 3, parallel: false });
    const depth = post.sampleStats.treedepth[0]!;
    expect(Math.max(...depth)).toBe(3);
    expect(post.sampleStats.n_leapfrog[0]!.every((n) => n <= 7)).toBe(true);
  });
});

describe('dense vs diagonal metric on a 50-d correlated Gaussian', () => {
  it('the dense metric gives more ESS per gradient evaluation and recovers the covariance', async () => {
    const dim = 50;
    const target = buildCorrelatedGaussian(dim, 0.9);
    const cov = correlatedCovariance(dim, 0.9);
    const run = async (metric: 'diag' | 'dense'): Promise<{ essPerGrad: number; post: Posterior }> => {
      const post = await sample(target, { chains: 2, warmup: 500, draws: 500, seed: 99, metric, parallel: false });
      let minEss = Infinity;
      for (let i = 0; i < dim; i++) minEss = Math.min(minEss, effectiveSampleSize(getParameterDraws(post, i)));
      return { essPerGrad: minEss / sum(post.sampleStats.n_leapfrog), post };
    };
    const diag = await run('diag');
    const dense = await run('dense');
    console.log(`ESS per gradient evaluation: diag ${diag.essPerGrad.toExponential(3)}, dense ${dense.essPerGrad.toExponential(3)}; mean treedepth diag ${mean(flat(diag.post.sampleStats.treedepth)).toFixed(2)}, dense ${mean(flat(dense.post.sampleStats.treedepth)).toFixed(2)}`);
    expect(dense.essPerGrad).toBeGreaterThan(3 * diag.essPerGrad);
    expect(sum(dense.post.sampleStats.divergent)).toBe(0);
    // The adapted dense inverse metric estimates the covariance (last window: 300 draws).
    const m = dense.post.metric[0]!;
    expect(m.length).toBe(dim * dim);
    for (const i of [0, 10, 25, 49]) {
      expect(m[i * dim + i]! / cov[i * dim + i]!).toBeGreaterThan(0.7);
      expect(m[i * dim + i]! / cov[i * dim + i]!).toBeLessThan(1.4);
    }
    // And the draws do too: marginal variances within 25 %.
    for (const i of [0, 25, 49]) {
      const v = variance(flat(getParameterDraws(dense.post, i)));
      expect(v / cov[i * dim + i]!).toBeGreaterThan(0.75);
      expect(v / cov[i * dim + i]!).toBeLessThan(1.25);
    }
  }, 120_000);
});
