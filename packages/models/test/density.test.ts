/**
 * The log density of a hand-computed tiny case (1 market, 1 channel, 1 control, a gap week)
 * against an independent naive implementation of model-spec §3–§5 written with full
 * normalized densities: log prior + log-likelihood + log-Jacobian. The model drops exactly the
 * constants Stan's `~` drops, so lp_model = lp_naive − (dropped constant), checked both as a
 * constant difference across points and (fixed transforms, Normal) against the constant
 * spelled out term by term.
 */
import { describe, expect, test } from 'vitest';
import { buildModel, type Likelihood, type ModelKind } from '../src/index.js';
import {
  TINY_Y,
  logBetaPdf,
  logHalfNormalPdf,
  logLogNormalPdf,
  logNormalPdf,
  logStudentTPdf,
  naiveH,
  standardizedPrice,
  tinyPanel,
} from './tiny.js';

const panel = tinyPanel();
const LOG_015 = Math.log(0.15);
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

interface Case {
  kind: ModelKind;
  learned: boolean;
  likelihood: Likelihood;
}

/** Naive full log posterior density (+ log-Jacobian) on the unconstrained vector, hand-unpacked. */
function naiveLogDensity({ kind, learned, likelihood }: Case, th: number[]): number {
  let i = 0;
  const next = (): number => th[i++]!;
  let lp = 0;
  let alpha: number;
  let beta: number;
  if (kind === 'hierarchical') {
    const amu = next();
    const uAs = next();
    const asig = Math.exp(uAs);
    const z = next();
    lp += logNormalPdf(amu, 0.5, 0.5) + logHalfNormalPdf(asig, 0.2) + uAs + logNormalPdf(z, 0, 1);
    alpha = amu + asig * z;
  } else {
    alpha = next();
    lp += logNormalPdf(alpha, 0.5, 0.5);
  }
  const delta = next();
  lp += logNormalPdf(delta, 0, 0.5);
  const gamma = [next(), next(), next(), next()];
  for (const g of gamma) lp += logNormalPdf(g, 0, 0.2);
  const gc = next();
  lp += logNormalPdf(gc, 0, 0.5);
  if (kind === 'hierarchical') {
    const bmu = next();
    const uBs = next();
    const bsig = Math.exp(uBs);
    const bz = next();
    lp += logNormalPdf(bmu, LOG_015, 1) + logHalfNormalPdf(bsig, 0.5) + uBs + logNormalPdf(bz, 0, 1);
    beta = Math.exp(bmu + bsig * bz);
  } else {
    const uB = next();
    beta = Math.exp(uB);
    // beta ~ LogNormal(log 0.15, 1) with <lower=0>: density −log β, Jacobian +log β.
    lp += logLogNormalPdf(beta, LOG_015, 1) + uB;
  }
  const uS = next();
  const sigma = Math.exp(uS);
  lp += logHalfNormalPdf(sigma, 0.3) + uS;
  let adA = 0.55;
  let K = 0.5;
  let S = 2.2;
  if (learned) {
    const ua = next();
    adA = 1 / (1 + Math.exp(-ua));
    K = Math.exp(next());
    S = Math.exp(next());
    lp += logBetaPdf(adA, 20 * 0.55, 20 * 0.45) + Math.log(adA) + Math.log(1 - adA);
    lp += logLogNormalPdf(K, Math.log(0.5), 0.3) + Math.log(K);
    lp += logLogNormalPdf(S, Math.log(2.2), 0.3) + Math.log(S);
  }
  expect(i).toBe(th.length);
  const H = naiveH(adA, K, S);
  const price = standardizedPrice();
  const fourier = panel.fourier;
  const yScale = TINY_Y.reduce((a, b) => a + b, 0) / TINY_Y.length;
  for (let n = 0; n < TINY_Y.length; n++) {
    let mu = alpha + delta * panel.trend[n]! + gc * price[n]! + beta * H[n]!;
    for (let k = 0; k < 4; k++) mu += gamma[k]! * fourier[n * 4 + k]!;
    const ys = TINY_Y[n]! / yScale;
    lp += likelihood === 'normal' ? logNormalPdf(ys, mu, sigma) : logStudentTPdf(ys, 5, mu, sigma);
  }
  return lp;
}

const POINTS = [
  [0.3, -0.7, 1.1, 0.2, -0.4, 0.1, 0.05, -0.2, 0.6, -1.2, 0.4, -0.8, -1.5, 0.2, 0.1, -0.3],
  [-0.5, 0.2, -0.3, 0.8, 0.3, -0.6, 0.2, 0.15, -1.1, -2.1, -0.9, 1.3, -0.6, -0.4, 0.3, 0.25],
  [1.2, -1.4, 0.1, -0.3, 0.05, 0.4, -0.1, -0.25, 0.9, -1.7, 1.4, 0.3, -2.4, 1.1, -0.2, -0.1],
];

const EXPECTED_NAMES: Record<ModelKind, string[]> = {
  hierarchical: [
    'alpha_mu', 'alpha_sigma_log', 'alpha_z[XX]', 'delta[XX]', 'gamma[1]', 'gamma[2]', 'gamma[3]', 'gamma[4]',
    'gamma_control[price]', 'beta_log_mu[meta_spend]', 'beta_sigma_log[meta_spend]', 'beta_z[XX,meta_spend]', 'sigma_log[XX]',
  ],
  unpooled: [
    'alpha[XX]', 'delta[XX]', 'gamma[XX,1]', 'gamma[XX,2]', 'gamma[XX,3]', 'gamma[XX,4]', 'gamma_control[XX,price]',
    'beta_log[XX,meta_spend]', 'sigma_log[XX]',
  ],
  pooled: ['alpha', 'delta', 'gamma[1]', 'gamma[2]', 'gamma[3]', 'gamma[4]', 'gamma_control[price]', 'beta_log[meta_spend]', 'sigma_log'],
};
const LEARNED_NAMES = ['adstock_alpha_logit[meta_spend]', 'sat_K_log[meta_spend]', 'sat_S_log[meta_spend]'];

describe('log density of a hand-computed tiny case', () => {
  for (const kind of ['hierarchical', 'unpooled', 'pooled'] as const) {
    for (const learned of [false, true]) {
      for (const likelihood of ['normal', 'student-t'] as const) {
        const c: Case = { kind, learned, likelihood };
        test(`${kind}, ${learned ? 'learned' : 'fixed'}, ${likelihood}`, () => {
          const model = buildModel(panel, { kind, learnTransforms: learned, likelihood });
          expect(model.parameterNames).toEqual([...EXPECTED_NAMES[kind], ...(learned ? LEARNED_NAMES : [])]);
          const offsets = POINTS.map((p) => {
            const th = p.slice(0, model.dim);
            return model.logDensity(Float64Array.from(th)) - naiveLogDensity(c, th);
          });
          // lp_model − lp_naive is the same constant at every point (dropped normalizers).
          for (const o of offsets) expect(o).toBeCloseTo(offsets[0]!, 9);
        });
      }
    }
  }

  test('the dropped constant is exactly what Stan `~` drops (fixed transforms, Normal)', () => {
    const N = TINY_Y.length;
    const dropped = (sds: number[], halfNormalSds: number[]): number =>
      sds.reduce((a, s) => a - HALF_LOG_2PI - Math.log(s), 0) +
      halfNormalSds.reduce((a, s) => a + Math.log(2) - HALF_LOG_2PI - Math.log(s), 0) -
      N * HALF_LOG_2PI;
    const expected: Record<ModelKind, number> = {
      hierarchical: dropped([0.5, 1, 0.5, 0.2, 0.2, 0.2, 0.2, 0.5, 1, 1], [0.2, 0.5, 0.3]),
      unpooled: dropped([0.5, 0.5, 0.2, 0.2, 0.2, 0.2, 0.5, 1], [0.3]),
      pooled: dropped([0.5, 0.5, 0.2, 0.2, 0.2, 0.2, 0.5, 1], [0.3]),
    };
    for (const kind of ['hierarchical', 'unpooled', 'pooled'] as const) {
      const model = buildModel(panel, { kind });
      const th = POINTS[1]!.slice(0, model.dim);
      const naive = naiveLogDensity({ kind, learned: false, likelihood: 'normal' }, th);
      expect(naive - model.logDensity(Float64Array.from(th))).toBeCloseTo(expected[kind], 10);
    }
  });

  test('logJacobian is Σ u over log-scale parameters (+ log α(1−α) for learned adstock)', () => {
    const model = buildModel(panel, { kind: 'hierarchical', learnTransforms: true });
    const th = Float64Array.from(POINTS[0]!.slice(0, model.dim));
    const a = 1 / (1 + Math.exp(-th[13]!));
    expect(model.logJacobian(th)).toBeCloseTo(th[1]! + th[10]! + th[12]! + Math.log(a) + Math.log(1 - a) + th[14]! + th[15]!, 12);
  });
});

describe('support', () => {
  test('returns -Infinity (and a zero gradient) instead of throwing at extreme points', () => {
    const model = buildModel(panel, { kind: 'pooled', learnTransforms: true, likelihood: 'student-t' });
    const th = new Float64Array(model.dim);
    th[model.dim - 3] = 800; // adstock alpha rounds to 1
    const grad = new Float64Array(model.dim).fill(7);
    expect(model.logDensityAndGradient(th, grad)).toBe(-Infinity);
    expect(Array.from(grad).every((g) => g === 0)).toBe(true);
    th[model.dim - 3] = 0;
    th[model.dim - 2] = 1e4; // K overflows
    expect(model.logDensityAndGradient(th, grad)).toBe(-Infinity);
    th[model.dim - 2] = 0;
    th[8] = -1e4; // sigma underflows
    expect(model.logDensityAndGradient(th, grad)).toBe(-Infinity);
    th[8] = 0;
    expect(Number.isFinite(model.logDensityAndGradient(th, grad))).toBe(true);
  });
});
