// Checks the hand-coded posteriordb log densities: analytic gradients against central finite
// differences (fast-check, random points in (-2, 2)^d), and log densities against an
// independent naive computation (full lpdfs on the constrained scale plus a numerically
// differentiated log-Jacobian, ml-matrix for the GP's Cholesky factor).

import fc from 'fast-check';
import { CholeskyDecomposition, Matrix, determinant } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { loadPosteriordb } from './fixtures.js';
import * as targetsModule from './targets.js';
import { POSTERIORDB_BUILDERS, POSTERIORDB_NAMES, type PosteriordbName, type PosteriordbTarget } from './targets.js';

// ---------------------------------------------------------------------------------------------
// Finite differences

/** Five-point central difference of f along coordinate i (truncation error O(h^4)). */
function centralDifference(f: (x: Float64Array) => number, x: Float64Array, i: number, h: number): number {
  const xi = x[i]!;
  const at = (step: number): number => {
    x[i] = xi + step;
    const value = f(x);
    x[i] = xi;
    return value;
  };
  return (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
}

function formatTable(x: Float64Array, analytic: Float64Array, fd: Float64Array, names: string[]): string {
  const rows = ['index  name              value               analytic                  finite diff               |diff|'];
  for (let i = 0; i < x.length; i++) {
    rows.push(
      `${String(i).padEnd(6)} ${(names[i] ?? '').padEnd(17)} ${x[i]!.toPrecision(12).padEnd(19)} ` +
        `${analytic[i]!.toPrecision(16).padEnd(25)} ${fd[i]!.toPrecision(16).padEnd(25)} ` +
        `${Math.abs(analytic[i]! - fd[i]!).toExponential(2)}`,
    );
  }
  return rows.join('\n');
}

/** Throws with a table (index, value, analytic, finite diff) if the gradient at x is off. */
function checkGradient(target: PosteriordbTarget, x: Float64Array, label: string, step: number): void {
  const grad = new Float64Array(target.dim);
  const scratch = new Float64Array(target.dim);
  const lp = target.logDensityAndGradient(x, grad);
  if (!Number.isFinite(lp)) throw new Error(`${label}: log density ${lp} at [${Array.from(x).join(', ')}]`);
  const f = (y: Float64Array): number => target.logDensityAndGradient(y, scratch);
  const fd = new Float64Array(target.dim);
  let isOk = true;
  for (let i = 0; i < target.dim; i++) {
    fd[i] = centralDifference(f, x, i, step * Math.max(1, Math.abs(x[i]!)));
    // Round-off in the differences scales with |lp| / h; truncation is O(h^4).
    const tol = 1e-6 * Math.max(1, Math.abs(grad[i]!)) + 1e-8 * Math.abs(lp);
    if (!(Math.abs(grad[i]! - fd[i]!) <= tol)) isOk = false;
  }
  if (!isOk) {
    throw new Error(`${label}: gradient mismatch at lp=${lp}\n${formatTable(x, grad, fd, target.parameterNames)}`);
  }
}

/**
 * Finite-difference step. The GP's covariance is nearly singular (jitter 1e-10, length scale
 * about 3 grid spacings), so its Cholesky factor, and hence its log density, carries round-off
 * of about 1e-10 that a step of 1e-4 amplifies to ~1e-6 in the difference quotient; 1e-3 keeps
 * both that and the O(h^4) truncation error near 1e-8 (checked by hand: the quotients converge to
 * the analytic gradient until round-off takes over as h shrinks).
 */
const FD_STEP: Partial<Record<PosteriordbName, number>> = { 'gp_pois_regr-gp_pois_regr': 1e-3 };

function build(name: PosteriordbName): PosteriordbTarget {
  return POSTERIORDB_BUILDERS[name](loadPosteriordb(name).data);
}

// ---------------------------------------------------------------------------------------------
// Naive log densities (full normalizing constants, written independently of targets.ts)

const LOG_2PI = Math.log(2 * Math.PI);
const normalLpdf = (y: number, mu: number, sd: number): number => -0.5 * LOG_2PI - Math.log(sd) - 0.5 * ((y - mu) / sd) ** 2;
const cauchyLpdf = (y: number, loc: number, scale: number): number =>
  -Math.log(Math.PI) - Math.log(scale) - Math.log(1 + ((y - loc) / scale) ** 2);
function logGammaInt(n: number): number {
  let s = 0;
  for (let j = 2; j < n; j++) s += Math.log(j);
  return s; // log((n - 1)!)
}
const betaLpdf = (x: number, a: number, b: number): number =>
  (a - 1) * Math.log(x) + (b - 1) * Math.log(1 - x) - (logGammaInt(a) + logGammaInt(b) - logGammaInt(a + b));
const gammaLpdf = (x: number, shape: number, rate: number): number =>
  shape * Math.log(rate) - logGammaInt(shape) + (shape - 1) * Math.log(x) - rate * x;
const poissonLogLpmf = (k: number, logRate: number): number => k * logRate - Math.exp(logRate) - logGammaInt(k + 1);

interface NaiveModel {
  /** Unconstrained point -> the Stan parameters (constrained), written independently. */
  params(u: number[]): number[];
  /** Full log density of the Stan parameters (no Jacobian). */
  logDensity(p: number[]): number;
  /** Transformed/reference quantities computed from the Stan parameters (what `constrain` returns). */
  reference(p: number[]): number[];
  /** A plausible unconstrained point and a spread for random points around it. */
  centre: number[];
  spread: number;
}

function numbersOf(data: Record<string, unknown>, key: string): number[] {
  return data[key] as number[];
}

function naiveModels(): Record<PosteriordbName, NaiveModel> {
  const es = loadPosteriordb('eight_schools-eight_schools_noncentered').data;
  const kid = loadPosteriordb('kidiq-kidscore_momiq').data;
  const ar = loadPosteriordb('arK-arK').data;
  const kil = loadPosteriordb('kilpisjarvi_mod-kilpisjarvi').data;
  const mix = loadPosteriordb('low_dim_gauss_mix-low_dim_gauss_mix').data;
  const gp = loadPosteriordb('gp_pois_regr-gp_pois_regr').data;
  const logistic = (u: number): number => 1 / (1 + Math.exp(-u));
  const gpF = (p: number[]): number[] => {
    const x = numbersOf(gp, 'x');
    const [rho, alpha] = [p[0]!, p[1]!];
    const cov = new Matrix(x.length, x.length);
    for (let i = 0; i < x.length; i++) {
      for (let j = 0; j < x.length; j++) {
        cov.set(i, j, alpha * alpha * Math.exp(-((x[i]! - x[j]!) ** 2) / (2 * rho * rho)) + (i === j ? 1e-10 : 0));
      }
    }
    const lower = new CholeskyDecomposition(cov).lowerTriangularMatrix;
    return lower.mmul(Matrix.columnVector(p.slice(2))).to1DArray();
  };
  return {
    'eight_schools-eight_schools_noncentered': {
      params: (u) => [...u.slice(0, 9), Math.exp(u[9]!)],
      logDensity: (p) => {
        const [mu, tau] = [p[8]!, p[9]!];
        const y = numbersOf(es, 'y');
        const sigma = numbersOf(es, 'sigma');
        let lp = normalLpdf(mu, 0, 5) + cauchyLpdf(tau, 0, 5);
        for (let j = 0; j < 8; j++) lp += normalLpdf(p[j]!, 0, 1) + normalLpdf(y[j]!, p[j]! * tau + mu, sigma[j]!);
        return lp;
      },
      reference: (p) => [...p.slice(0, 8).map((t) => t * p[9]! + p[8]!), p[8]!, p[9]!],
      centre: [0, 0, 0, 0, 0, 0, 0, 0, 4.4, 1],
      spread: 1.5,
    },
    'kidiq-kidscore_momiq': {
      params: (u) => [u[0]!, u[1]!, Math.exp(u[2]!)],
      logDensity: (p) => {
        const score = numbersOf(kid, 'kid_score');
        const iq = numbersOf(kid, 'mom_iq');
        let lp = cauchyLpdf(p[2]!, 0, 2.5);
        score.forEach((s, i) => (lp += normalLpdf(s, p[0]! + p[1]! * iq[i]!, p[2]!)));
        return lp;
      },
      reference: (p) => p,
      centre: [25.9, 0.61, Math.log(18.3)],
      spread: 0.3,
    },
    'arK-arK': {
      params: (u) => [...u.slice(0, 6), Math.exp(u[6]!)],
      logDensity: (p) => {
        const y = numbersOf(ar, 'y');
        let lp = normalLpdf(p[0]!, 0, 10) + cauchyLpdf(p[6]!, 0, 2.5);
        for (let k = 1; k <= 5; k++) lp += normalLpdf(p[k]!, 0, 10);
        for (let t = 5; t < y.length; t++) {
          const mean = p[0]! + p[1]! * y[t - 1]! + p[2]! * y[t - 2]! + p[3]! * y[t - 3]! + p[4]! * y[t - 4]! + p[5]! * y[t - 5]!;
          lp += normalLpdf(y[t]!, mean, p[6]!);
        }
        return lp;
      },
      reference: (p) => p,
      centre: [0, 0.69, 0.44, 0.11, -0.04, -0.3, Math.log(0.15)],
      spread: 0.2,
    },
    'kilpisjarvi_mod-kilpisjarvi': {
      params: (u) => [u[0]!, u[1]!, Math.exp(u[2]!)],
      logDensity: (p) => {
        const x = numbersOf(kil, 'x');
        const y = numbersOf(kil, 'y');
        let lp = normalLpdf(p[0]!, kil['pmualpha'] as number, kil['psalpha'] as number);
        lp += normalLpdf(p[1]!, kil['pmubeta'] as number, kil['psbeta'] as number);
        y.forEach((yi, i) => (lp += normalLpdf(yi, p[0]! + p[1]! * x[i]!, p[2]!)));
        return lp;
      },
      reference: (p) => p,
      centre: [-60.7, 0.0176, Math.log(1.13)],
      spread: 0.01,
    },
    'low_dim_gauss_mix-low_dim_gauss_mix': {
      params: (u) => [u[0]!, u[0]! + Math.exp(u[1]!), Math.exp(u[2]!), Math.exp(u[3]!), logistic(u[4]!)],
      logDensity: (p) => {
        const [mu1, mu2, s1, s2, theta] = p as [number, number, number, number, number];
        let lp = normalLpdf(mu1, 0, 2) + normalLpdf(mu2, 0, 2) + normalLpdf(s1, 0, 2) + normalLpdf(s2, 0, 2);
        lp += betaLpdf(theta, 5, 5);
        for (const y of numbersOf(mix, 'y')) {
          lp += Math.log(theta * Math.exp(normalLpdf(y, mu1, s1)) + (1 - theta) * Math.exp(normalLpdf(y, mu2, s2)));
        }
        return lp;
      },
      reference: (p) => p,
      centre: [-2.73, Math.log(5.6), 0, 0, 0.5],
      spread: 0.3,
    },
    'gp_pois_regr-gp_pois_regr': {
      params: (u) => [Math.exp(u[0]!), Math.exp(u[1]!), ...u.slice(2)],
      logDensity: (p) => {
        const k = numbersOf(gp, 'k');
        let lp = gammaLpdf(p[0]!, 25, 4) + normalLpdf(p[1]!, 0, 2);
        for (let i = 2; i < p.length; i++) lp += normalLpdf(p[i]!, 0, 1);
        gpF(p).forEach((fi, i) => (lp += poissonLogLpmf(k[i]!, fi)));
        return lp;
      },
      reference: (p) => [p[0]!, p[1]!, ...gpF(p)],
      centre: [Math.log(5.7), Math.log(2.9), 1.5, 0.5, -0.5, -0.5, -0.3, 0, 0.5, 0.8, 0.5, 0, -0.5],
      spread: 0.3,
    },
  };
}

/** log |det d params / d u| by five-point central differences. */
function numericLogJacobian(params: (u: number[]) => number[], u: number[]): number {
  const n = u.length;
  const jac = new Matrix(n, n);
  const h = 1e-4;
  for (let j = 0; j < n; j++) {
    const at = (step: number): number[] => params(u.map((v, i) => (i === j ? v + step : v)));
    const [p1, m1, p2, m2] = [at(h), at(-h), at(2 * h), at(-2 * h)];
    for (let i = 0; i < n; i++) jac.set(i, j, (8 * (p1[i]! - m1[i]!) - (p2[i]! - m2[i]!)) / (12 * h));
  }
  return Math.log(Math.abs(determinant(jac)));
}

// ---------------------------------------------------------------------------------------------

describe('posteriordb targets', () => {
  const naive = naiveModels();

  for (const name of POSTERIORDB_NAMES) {
    describe(name, () => {
      const target = build(name);
      const { reference } = loadPosteriordb(name);
      const step = FD_STEP[name] ?? 1e-4;

      it('names its coordinates Stan-style and constrains to the reference parameters', () => {
        // check.ts passes the factory to worker threads by its exported name.
        expect((targetsModule as Record<string, unknown>)[POSTERIORDB_BUILDERS[name].name]).toBe(POSTERIORDB_BUILDERS[name]);
        expect(target.parameterNames).toHaveLength(target.dim);
        expect(target.constrainedNames).toEqual(reference.parameter_names);
      });

      it('has an analytic gradient that matches central finite differences on (-2, 2)^d', () => {
        fc.assert(
          fc.property(
            fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: target.dim, maxLength: target.dim }),
            (point) => checkGradient(target, Float64Array.from(point), name, step),
          ),
          { numRuns: 100, seed: 20240611 },
        );
      });

      it('has an analytic gradient that matches central finite differences near the posterior', () => {
        const model = naive[name];
        fc.assert(
          fc.property(
            fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: target.dim, maxLength: target.dim }),
            (noise) => checkGradient(target, Float64Array.from(model.centre, (c, i) => c + model.spread * noise[i]!), name, step),
          ),
          { numRuns: 50, seed: 7 },
        );
      });

      it('agrees with a naive log density plus numeric log-Jacobian (up to one constant) and constrains the same way', () => {
        const model = naive[name];
        const grad = new Float64Array(target.dim);
        const out = new Float64Array(target.constrainedNames.length);
        const offsets: number[] = [];
        fc.assert(
          fc.property(
            fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: target.dim, maxLength: target.dim }),
            (noise) => {
              const u = model.centre.map((c, i) => c + model.spread * noise[i]!);
              const p = model.params(u);
              const full = model.logDensity(p) + numericLogJacobian(model.params, u);
              const lp = target.logDensityAndGradient(Float64Array.from(u), grad);
              offsets.push(lp - full);
              target.constrain(Float64Array.from(u), out);
              const expected = model.reference(p);
              for (let i = 0; i < expected.length; i++) {
                expect(out[i]).toBeCloseTo(expected[i]!, 9);
              }
            },
          ),
          { numRuns: 20, seed: 11 },
        );
        // The dropped constants make lp - full the same at every point.
        const spread = Math.max(...offsets) - Math.min(...offsets);
        expect(spread, `lp - naive varies by ${spread} over ${offsets.length} points`).toBeLessThan(1e-6);
      });

      it('returns -Infinity (not NaN, no throw) far outside the numerically representable region', () => {
        const grad = new Float64Array(target.dim);
        const far = new Float64Array(target.dim).fill(1000);
        const lp = target.logDensityAndGradient(far, grad);
        expect(Number.isNaN(lp)).toBe(false);
        expect(lp === -Infinity || Number.isFinite(lp)).toBe(true);
      });
    });
  }
});
