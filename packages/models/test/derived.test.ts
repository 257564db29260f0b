/**
 * Constrained ↔ unconstrained maps and the per-draw derived quantities of spec §6 (mean,
 * posterior predictive, pointwise log-likelihood, contributions, ROAS, marginal ROAS).
 */
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { describe, expect, test } from 'vitest';
import { buildModel, buildModelFromSpec, MODEL_MODULE_URL, modelWorkerTarget, type ModelKind } from '../src/index.js';
import { smallCsv, smallPanel } from './fixtures.js';
import { TINY_SPEND, TINY_OBSERVED, TINY_Y, logNormalPdf, logStudentTPdf, naiveH, tinyPanel } from './tiny.js';

const panel = smallPanel();
const kinds: ModelKind[] = ['hierarchical', 'unpooled', 'pooled'];

function randomTheta(dim: number, seed: string): Float64Array {
  const rng = seedrandom(seed);
  return Float64Array.from({ length: dim }, () => -1.5 + 3 * rng());
}

describe('constrain / unconstrain', () => {
  for (const kind of kinds) {
    for (const learnTransforms of [false, true]) {
      test(`round trip: ${kind}${learnTransforms ? ', learned' : ''}`, () => {
        const model = buildModel(panel, { kind, learnTransforms });
        fc.assert(
          fc.property(
            fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: model.dim, maxLength: model.dim }),
            (xs) => {
              const theta = Float64Array.from(xs);
              const c = model.constrain(theta);
              const back = model.unconstrain(c);
              for (let i = 0; i < model.dim; i++) expect(back[i]!).toBeCloseTo(theta[i]!, 10);
              const byName = Object.fromEntries(model.constrainedNames.map((n, i) => [n, c[i]!]));
              const back2 = model.unconstrain(byName);
              for (let i = 0; i < model.dim; i++) expect(back2[i]!).toBeCloseTo(theta[i]!, 10);
            },
          ),
          { numRuns: 20, seed: 3 },
        );
      });
    }
  }

  test('Stan-style constrained names and transformed parameters (hierarchical)', () => {
    const model = buildModel(panel, { kind: 'hierarchical', learnTransforms: true });
    const names = model.constrainedNames;
    expect(names.slice(0, 9)).toEqual([
      'alpha_mu', 'alpha_sigma', 'alpha_z[DE]', 'alpha_z[FR]', 'alpha_z[SE]', 'alpha[DE]', 'alpha[FR]', 'alpha[SE]', 'delta[DE]',
    ]);
    for (const n of ['gamma[1]', 'gamma[4]', 'gamma_control[price]', 'beta_log_mu[radio_spend]', 'beta_mu[radio_spend]',
      'beta_sigma[tv_spend]', 'beta_z[FR,meta_spend]', 'beta[SE,tv_spend]', 'sigma[SE]', 'adstock_alpha[meta_spend]',
      'sat_K[radio_spend]', 'sat_S[tv_spend]']) {
      expect(names).toContain(n);
    }
    const theta = randomTheta(model.dim, 'names');
    const c = model.constrain(theta);
    const at = (n: string): number => c[names.indexOf(n)]!;
    expect(at('alpha[FR]')).toBeCloseTo(at('alpha_mu') + at('alpha_sigma') * at('alpha_z[FR]'), 12);
    expect(at('beta_mu[tv_spend]')).toBeCloseTo(Math.exp(at('beta_log_mu[tv_spend]')), 12);
    expect(at('beta[SE,radio_spend]')).toBeCloseTo(
      Math.exp(at('beta_log_mu[radio_spend]') + at('beta_sigma[radio_spend]') * at('beta_z[SE,radio_spend]')), 12);
    expect(at('adstock_alpha[meta_spend]')).toBeGreaterThan(0);
    expect(at('adstock_alpha[meta_spend]')).toBeLessThan(1);
  });

  test('unpooled and pooled names', () => {
    const un = buildModel(panel, { kind: 'unpooled' });
    expect(un.constrainedNames).toContain('gamma[FR,2]');
    expect(un.constrainedNames).toContain('gamma_control[SE,price]');
    expect(un.constrainedNames).toContain('beta[DE,meta_spend]');
    expect(un.parameterNames).toContain('beta_log[DE,meta_spend]');
    const po = buildModel(panel, { kind: 'pooled' });
    expect(po.constrainedNames).toEqual([
      'alpha', 'delta', 'gamma[1]', 'gamma[2]', 'gamma[3]', 'gamma[4]', 'gamma_control[price]',
      'beta[meta_spend]', 'beta[radio_spend]', 'beta[tv_spend]', 'sigma',
    ]);
  });

  test('unconstrain names the missing or invalid parameter', () => {
    const model = buildModel(panel, { kind: 'pooled' });
    expect(() => model.unconstrain({ alpha: 1 })).toThrow(/"delta"/);
    const c = model.constrain(new Float64Array(model.dim));
    c[model.constrainedNames.indexOf('sigma')] = -1;
    expect(() => model.unconstrain(c)).toThrow(/"sigma" = -1/);
  });

  test("initialPoint is Stan's uniform(-2, 2), deterministic given the rng", () => {
    const model = buildModel(panel, { kind: 'hierarchical' });
    const a = model.initialPoint(seedrandom('x'));
    const b = model.initialPoint(seedrandom('x'));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a).every((v) => v > -2 && v < 2)).toBe(true);
    expect(Array.from(model.initialPoint(seedrandom('x'), { radius: 0.5 })).every((v) => Math.abs(v) < 0.5)).toBe(true);
  });
});

describe('derived quantities, hand case (tiny panel, pooled)', () => {
  const tiny = tinyPanel();
  const model = buildModel(tiny, { kind: 'pooled' });
  const draw = model.unconstrain({
    alpha: 0.6, delta: 0.1, 'gamma[1]': 0.05, 'gamma[2]': -0.02, 'gamma[3]': 0, 'gamma[4]': 0.01,
    'gamma_control[price]': 0.03, 'beta[meta_spend]': 0.3, sigma: 0.1,
  });
  const c = model.constrain(draw);
  const yScale = TINY_Y.reduce((a, b) => a + b, 0) / TINY_Y.length;
  const H = naiveH(0.55, 0.5, 2.2);
  const spend = TINY_OBSERVED.reduce((a, t) => a + TINY_SPEND[t]!, 0);

  test('ROAS = beta · y_scale · Σ H / Σ spend', () => {
    const out = new Float64Array(1);
    model.roas(c, out);
    expect(out[0]!).toBeCloseTo((0.3 * yScale * H.reduce((a, b) => a + b, 0)) / spend, 12);
  });

  test('marginal ROAS = revenue from +1% spend in every observed week / extra spend', () => {
    const bumped = TINY_SPEND.map((s, t) => (TINY_OBSERVED.includes(t) ? 1.01 * s : s));
    const Hb = naiveH(0.55, 0.5, 2.2, bumped);
    let diff = 0;
    for (let n = 0; n < H.length; n++) diff += Hb[n]! - H[n]!;
    const out = new Float64Array(1);
    model.marginalRoas(c, out);
    expect(out[0]!).toBeCloseTo((0.3 * yScale * diff) / (0.01 * spend), 9);
  });

  test('pointwise log-likelihood is the full normalized density of y_s (money: − log y_scale)', () => {
    const mu = new Float64Array(TINY_Y.length);
    model.mean(c, mu, { scale: 'scaled' });
    const ll = model.pointwiseLogLik(c, new Float64Array(TINY_Y.length));
    const llMoney = model.pointwiseLogLik(c, new Float64Array(TINY_Y.length), { scale: 'money' });
    for (let n = 0; n < TINY_Y.length; n++) {
      expect(ll[n]!).toBeCloseTo(logNormalPdf(TINY_Y[n]! / yScale, mu[n]!, 0.1), 12);
      expect(llMoney[n]!).toBeCloseTo(logNormalPdf(TINY_Y[n]!, mu[n]! * yScale, 0.1 * yScale), 10);
    }
    const t = buildModel(tiny, { kind: 'pooled', likelihood: 'student-t' });
    const llt = t.pointwiseLogLik(c, new Float64Array(TINY_Y.length));
    for (let n = 0; n < TINY_Y.length; n++) expect(llt[n]!).toBeCloseTo(logStudentTPdf(TINY_Y[n]! / yScale, 5, mu[n]!, 0.1), 10);
  });

  test('mean in money = mean on the scaled target × y_scale', () => {
    const a = model.mean(c, new Float64Array(TINY_Y.length));
    const b = model.mean(c, new Float64Array(TINY_Y.length), { scale: 'scaled' });
    for (let n = 0; n < TINY_Y.length; n++) expect(a[n]!).toBeCloseTo(b[n]! * yScale, 9);
  });
});

describe('derived quantities, small panel', () => {
  for (const kind of kinds) {
    for (const learnTransforms of [false, true]) {
      test(`contributions add up to the mean: ${kind}${learnTransforms ? ', learned' : ''}`, () => {
        const model = buildModel(panel, { kind, learnTransforms });
        const c = model.constrain(randomTheta(model.dim, kind));
        const mu = model.mean(c, new Float64Array(model.numObs));
        const parts = model.contributions(c);
        for (let g = 0; g < model.markets.length; g++) {
          let total = 0;
          for (let n = 0; n < model.numObs; n++) if (model.obsMarket[n] === g) total += mu[n]!;
          const sum = parts.baseline[g]! + parts.trend[g]! + parts.seasonality[g]! + parts.controls[g]! +
            parts.channels[g]!.reduce((a, b) => a + b, 0);
          expect(sum).toBeCloseTo(total, 6);
        }
        const roas = model.roas(c, new Float64Array(9));
        const mroas = model.marginalRoas(c, new Float64Array(9));
        // SE never spends on TV: NaN; everything else finite and positive.
        expect(roas[2 * 3 + 2]).toBeNaN();
        expect(mroas[2 * 3 + 2]).toBeNaN();
        for (let i = 0; i < 8; i++) {
          expect(roas[i]!).toBeGreaterThan(0);
          expect(mroas[i]!).toBeGreaterThan(0);
        }
      });
    }
  }

  test('pooled ROAS uses the same beta in every market', () => {
    const model = buildModel(panel, { kind: 'pooled' });
    const c = model.constrain(randomTheta(model.dim, 'p'));
    const parts = model.contributions(c);
    const beta = c[model.constrainedNames.indexOf('beta[meta_spend]')]!;
    const mu0 = model.constrain(randomTheta(model.dim, 'p'));
    mu0[model.constrainedNames.indexOf('beta[meta_spend]')] = 2 * beta;
    const parts2 = model.contributions(mu0);
    for (let g = 0; g < 3; g++) expect(parts2.channels[g]![0]!).toBeCloseTo(2 * parts.channels[g]![0]!, 9);
  });

  test('posterior predictive: deterministic given the rng; centred on the mean', () => {
    for (const likelihood of ['normal', 'student-t'] as const) {
      const model = buildModel(panel, { kind: 'hierarchical', likelihood });
      const c = model.constrain(randomTheta(model.dim, 'pp'));
      const a = model.posteriorPredictive(c, seedrandom('s'), new Float64Array(model.numObs));
      const b = model.posteriorPredictive(c, seedrandom('s'), new Float64Array(model.numObs));
      expect(Array.from(a)).toEqual(Array.from(b));
      const mu = model.mean(c, new Float64Array(model.numObs));
      const rng = seedrandom('many');
      const acc = new Float64Array(model.numObs);
      const out = new Float64Array(model.numObs);
      const R = 4000;
      for (let r = 0; r < R; r++) {
        model.posteriorPredictive(c, rng, out);
        for (let n = 0; n < model.numObs; n++) acc[n]! += out[n]! / R;
      }
      const sigmaDE = c[model.constrainedNames.indexOf('sigma[DE]')]! * panel.yScale[0]!;
      // 5 standard errors (Student-t(5) sd = sqrt(5/3)·sigma).
      expect(Math.abs(acc[0]! - mu[0]!)).toBeLessThan((5 * 1.3 * sigmaDE) / Math.sqrt(R));
    }
  });
});

describe('worker factory', () => {
  test('buildModelFromSpec from CSV text and from a structured clone of the panel', () => {
    const direct = buildModel(panel, { kind: 'hierarchical', likelihood: 'student-t' });
    const fromCsv = buildModelFromSpec({ csvText: smallCsv(), dataOptions: { controls: ['price'] }, kind: 'hierarchical', options: { likelihood: 'student-t' } });
    const fromClone = buildModelFromSpec(structuredClone({ panel, kind: 'hierarchical' as const, options: { likelihood: 'student-t' as const } }));
    const theta = randomTheta(direct.dim, 'w');
    const lp = direct.logDensity(theta);
    expect(fromCsv.logDensity(theta)).toBe(lp);
    expect(fromClone.logDensity(theta)).toBe(lp);
    expect(fromCsv.parameterNames).toEqual(direct.parameterNames);
  });

  test('MODEL_MODULE_URL points at the entry module exporting the sampling-target factory', async () => {
    expect(MODEL_MODULE_URL).toMatch(/\/index\.(ts|js)$/);
    const mod = (await import(MODEL_MODULE_URL)) as Record<string, (spec: unknown) => { dim: number; parameterNames: readonly string[] }>;
    expect(typeof mod.buildModelFromSpec).toBe('function');
    const target = modelWorkerTarget({ panel, kind: 'pooled' });
    expect(target.export).toBe('buildSamplingTargetFromSpec');
    expect(target.module).toBe(MODEL_MODULE_URL);
    // The worker samples model.sampling by default, the model's θ with coordinates: 'model'.
    const model = buildModelFromSpec({ panel, kind: 'pooled' });
    expect(mod.buildSamplingTargetFromSpec!({ panel, kind: 'pooled' }).parameterNames).toEqual(model.sampling.parameterNames);
    expect(mod.buildSamplingTargetFromSpec!({ panel, kind: 'pooled', coordinates: 'model' }).parameterNames).toEqual(model.parameterNames);
    expect(() => mod.buildSamplingTargetFromSpec!({ panel, kind: 'pooled', coordinates: 'theta' })).toThrow(/coordinates must be/);
  });
});
