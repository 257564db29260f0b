// Prior draws (src/prior-draw.ts): the coordinate priors are the ones the log density uses, and
// many draws have each prior's analytic moments.
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { buildModel, coordinatePriors, logPriorKernel, priorDraw, resolvePriors, type CoordinatePrior, type Model, type ModelKind } from '../src/index.js';
import { smallPanel } from './fixtures.js';

const KINDS: readonly ModelKind[] = ['pooled', 'unpooled', 'hierarchical'];

function rngOf(seed: string): () => number {
  const prng = seedrandom(seed);
  return () => prng.double();
}

/** log prior of θ under the coordinate priors, kernels + Jacobians with the constants Stan drops. */
function logPrior(priors: readonly CoordinatePrior[], theta: Float64Array): number {
  let lp = 0;
  priors.forEach((p, i) => {
    const u = theta[i]!;
    if (p.kind === 'normal') lp += -0.5 * ((u - p.mean) / p.sd) ** 2;
    else if (p.kind === 'half_normal') lp += -0.5 * (Math.exp(u) / p.scale) ** 2 + u;
    else lp += -p.a * Math.log1p(Math.exp(-u)) - p.b * Math.log1p(Math.exp(u));
  });
  return lp;
}

/** The model's lp minus its full log-likelihood: the log prior plus a constant (N·½log 2π). */
function modelPriorPart(model: Model, theta: Float64Array): number {
  const ll = model.pointwiseLogLik(model.constrain(theta), new Float64Array(model.numObs));
  return model.logDensity(theta) - ll.reduce((a, b) => a + b, 0);
}

const variants = KINDS.flatMap((kind) => [
  { kind, label: `${kind}, fixed transforms` },
  { kind, label: `${kind}, learned transforms, a time-varying channel`, learn: true },
]);

describe('coordinatePriors are the priors of the log density', () => {
  const panel = smallPanel();
  for (const v of variants) {
    it(v.label, () => {
      const model = buildModel(panel, {
        kind: v.kind,
        learnTransforms: v.learn === true,
        ...(v.learn === true
          ? { timeVarying: { channels: ['meta_spend'], knotEvery: 4 }, transforms: { tv_spend: { adstock: 'weibull_pdf', saturation: 'logistic' } } }
          : {}),
        priors: resolvePriors({ sigma: { half_normal: 0.4 }, beta_log_mu: { normal: [-1, 0.7] } }),
      });
      const priors = coordinatePriors(model);
      expect(priors).toHaveLength(model.dim);
      const rng = rngOf(`lp-${v.label}`);
      // lp − log-likelihood − log prior is the same constant at every θ (one per coordinate moved).
      const base = model.unconstrain(priorDraw(model, rng, priors));
      const constant = modelPriorPart(model, base) - logPrior(priors, base);
      // logPriorKernel is the same kernel, coordinate by coordinate.
      expect(priors.reduce((a, p, i) => a + logPriorKernel(p, base[i]!), 0)).toBeCloseTo(logPrior(priors, base), 10);
      for (let i = 0; i < model.dim; i++) {
        const theta = Float64Array.from(base);
        theta[i] = theta[i]! + 0.3 + 0.4 * rng();
        const diff = modelPriorPart(model, theta) - logPrior(priors, theta) - constant;
        expect(Math.abs(diff), model.parameterNames[i]).toBeLessThan(1e-7 * (1 + Math.abs(constant)));
      }
    });
  }

  it('refuses ROAS priors, naming them', () => {
    const model = buildModel(panel, { kind: 'pooled', priors: resolvePriors({ roas: { meta_spend: { mean: 2, sd: 1 } } }) });
    expect(() => coordinatePriors(model)).toThrow(/ROAS priors.*meta_spend/);
  });
});

/** Mean and sd of column j of many draws. */
function moments(draws: Float64Array[], j: number): { mean: number; sd: number } {
  const n = draws.length;
  const mean = draws.reduce((a, d) => a + d[j]!, 0) / n;
  const sd = Math.sqrt(draws.reduce((a, d) => a + (d[j]! - mean) ** 2, 0) / (n - 1));
  return { mean, sd };
}

describe('prior draws have the analytic moments of each prior', () => {
  const panel = smallPanel();
  const n = 20_000;
  const HALF_NORMAL_MEAN = Math.sqrt(2 / Math.PI);
  const HALF_NORMAL_SD = Math.sqrt(1 - 2 / Math.PI);
  const logNormal = (m: number, s: number) => ({ mean: Math.exp(m + s * s / 2), sd: Math.sqrt((Math.exp(s * s) - 1) * Math.exp(2 * m + s * s)) });

  function draws(model: Model, seed: string): Float64Array[] {
    const rng = rngOf(seed);
    const priors = coordinatePriors(model);
    return Array.from({ length: n }, () => priorDraw(model, rng, priors));
  }

  /** Checks a parameter's sample mean and sd against (mean, sd): 5 standard errors. */
  function expectMoments(model: Model, d: Float64Array[], name: string, want: { mean: number; sd: number }): void {
    const j = model.constrainedNames.indexOf(name);
    expect(j, name).toBeGreaterThanOrEqual(0);
    const got = moments(d, j);
    expect(Math.abs(got.mean - want.mean), `${name} mean ${got.mean} vs ${want.mean}`).toBeLessThan((5 * want.sd) / Math.sqrt(n));
    // sd of the sample sd ≈ sd·sqrt((κ − 1)/(4n)); a generous bound for heavy-tailed LogNormals.
    expect(Math.abs(got.sd / want.sd - 1), `${name} sd ${got.sd} vs ${want.sd}`).toBeLessThan(name.startsWith('beta[') ? 0.15 : 0.04);
  }

  it('hierarchical: normals, half-normals, and the transformed alpha[g], beta_mu[c]', () => {
    const model = buildModel(panel, { kind: 'hierarchical' });
    const d = draws(model, 'hier');
    expectMoments(model, d, 'alpha_mu', { mean: 0.5, sd: 0.5 });
    expectMoments(model, d, 'alpha_sigma', { mean: 0.2 * HALF_NORMAL_MEAN, sd: 0.2 * HALF_NORMAL_SD });
    expectMoments(model, d, 'alpha_z[FR]', { mean: 0, sd: 1 });
    // alpha[g] = alpha_mu + alpha_sigma·z: variance 0.5² + E[alpha_sigma²] = 0.25 + 0.2².
    expectMoments(model, d, 'alpha[FR]', { mean: 0.5, sd: Math.sqrt(0.25 + 0.04) });
    expectMoments(model, d, 'delta[SE]', { mean: 0, sd: 0.5 });
    expectMoments(model, d, 'gamma[3]', { mean: 0, sd: 0.2 });
    expectMoments(model, d, 'gamma_control[price]', { mean: 0, sd: 0.5 });
    expectMoments(model, d, 'beta_log_mu[radio_spend]', { mean: Math.log(0.15), sd: 1 });
    expectMoments(model, d, 'beta_mu[radio_spend]', logNormal(Math.log(0.15), 1));
    expectMoments(model, d, 'beta_sigma[tv_spend]', { mean: 0.5 * HALF_NORMAL_MEAN, sd: 0.5 * HALF_NORMAL_SD });
    expectMoments(model, d, 'beta_z[DE,meta_spend]', { mean: 0, sd: 1 });
    expectMoments(model, d, 'sigma[DE]', { mean: 0.3 * HALF_NORMAL_MEAN, sd: 0.3 * HALF_NORMAL_SD });
  });

  it('unpooled and pooled: LogNormal media effects, per-market and shared parameters', () => {
    const unpooled = buildModel(panel, { kind: 'unpooled' });
    const u = draws(unpooled, 'unpooled');
    expectMoments(unpooled, u, 'alpha[SE]', { mean: 0.5, sd: 0.5 });
    expectMoments(unpooled, u, 'gamma[FR,2]', { mean: 0, sd: 0.2 });
    expectMoments(unpooled, u, 'beta[DE,tv_spend]', logNormal(Math.log(0.15), 1));
    expectMoments(unpooled, u, 'sigma[FR]', { mean: 0.3 * HALF_NORMAL_MEAN, sd: 0.3 * HALF_NORMAL_SD });
    const pooled = buildModel(panel, { kind: 'pooled', priors: resolvePriors({ delta: { normal: [0.2, 0.1] }, beta_log_mu: { normal: [-2, 0.5] } }) });
    const p = draws(pooled, 'pooled');
    expectMoments(pooled, p, 'delta', { mean: 0.2, sd: 0.1 });
    expectMoments(pooled, p, 'beta[meta_spend]', logNormal(-2, 0.5));
    expectMoments(pooled, p, 'sigma', { mean: 0.3 * HALF_NORMAL_MEAN, sd: 0.3 * HALF_NORMAL_SD });
  });

  it('learned transforms: Beta adstock rates, LogNormal saturation and Weibull parameters; time-varying scales', () => {
    const model = buildModel(panel, {
      kind: 'pooled',
      learnTransforms: true,
      transforms: { tv_spend: { adstock: 'weibull_cdf', saturation: 'tanh' } },
      timeVarying: { channels: ['radio_spend'], knotEvery: 4 },
    });
    const d = draws(model, 'learned');
    const alpha0 = model.transforms[0]!.alpha; // meta_spend, geometric
    const a = 20 * alpha0;
    const b = 20 * (1 - alpha0);
    expectMoments(model, d, 'adstock_alpha[meta_spend]', { mean: a / (a + b), sd: Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1))) });
    const t0 = model.transforms[0]!;
    expectMoments(model, d, 'sat_K[meta_spend]', logNormal(Math.log(t0.K), 0.3));
    expectMoments(model, d, 'sat_S[meta_spend]', logNormal(Math.log(t0.S), 0.3));
    const tv = model.transforms[2]!;
    expectMoments(model, d, 'adstock_shape[tv_spend]', logNormal(Math.log(tv.shape!), 0.3246));
    expectMoments(model, d, 'sat_b[tv_spend]', logNormal(Math.log(tv.b!), 0.672));
    expectMoments(model, d, 'tv_sigma[radio_spend]', { mean: 0.1 * HALF_NORMAL_MEAN, sd: 0.1 * HALF_NORMAL_SD });
    expectMoments(model, d, 'tv_z[radio_spend,2]', { mean: 0, sd: 1 });
  });

  it('the same rng state gives the same draw', () => {
    const model = buildModel(panel, { kind: 'hierarchical', learnTransforms: true });
    expect(priorDraw(model, rngOf('same'))).toEqual(priorDraw(model, rngOf('same')));
  });
});
