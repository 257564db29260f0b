/**
 * R's `constrOptim` (stats, adaptive logarithmic barrier) over R's `optim(method = "BFGS")`
 * (the variable-metric `vmmin` of src/appl/optim.c, after Nash 1990, Compact Numerical Methods,
 * Algorithm 21), transcribed so that loo's stacking weights can be reproduced: loo 2.5.1's
 * `stacking_weights` calls `constrOptim(theta = rep(1/K, K-1), f, grad, ui, ci,
 * method = "BFGS")` with every control at its default.
 *
 * Defaults reproduced: optim's `maxit = 100`, `reltol = sqrt(.Machine$double.eps)`,
 * `abstol = -Inf`, `fnscale = parscale = 1`; constrOptim's `mu = 1e-4`,
 * `outer.iterations = 100`, `outer.eps = 1e-5`.
 *
 * Deviation: sums are plain doubles (R's BLAS and long-double sums may round differently), so
 * results agree with R to rounding amplified by the line search, not bit for bit (stacking
 * weights agree to better than 1e-6 on the fixtures).
 */

const STEPREDN = 0.2;
const ACCTOL = 0.0001;
const RELTEST = 10.0;

export interface VmminResult {
  readonly par: Float64Array;
  readonly value: number;
  readonly fnCount: number;
  readonly grCount: number;
  /** 0: converged; 1: maxit reached. */
  readonly fail: number;
}

/** R's `vmmin` (BFGS) with all parameters free; `b` is the start and is not modified. */
export function vmmin(
  start: ArrayLike<number>,
  fn: (x: Float64Array) => number,
  gr: (x: Float64Array, out: Float64Array) => void,
  options: { maxit?: number; abstol?: number; reltol?: number } = {},
): VmminResult {
  const maxit = options.maxit ?? 100;
  const abstol = options.abstol ?? -Infinity;
  const reltol = options.reltol ?? Math.sqrt(Number.EPSILON);
  const n = start.length;
  const b = Float64Array.from(start);
  if (maxit <= 0) return { par: b, value: fn(b), fnCount: 0, grCount: 0, fail: 0 };
  const g = new Float64Array(n);
  const t = new Float64Array(n);
  const X = new Float64Array(n);
  const c = new Float64Array(n);
  const B: Float64Array[] = Array.from({ length: n }, (_, i) => new Float64Array(i + 1));
  let f = fn(b);
  if (!Number.isFinite(f)) throw new RangeError("initial value in 'vmmin' is not finite");
  let fmin = f;
  let funcount = 1;
  let gradcount = 1;
  gr(b, g);
  let iter = 1;
  let ilast = gradcount;
  let count = 0;
  do {
    if (ilast === gradcount) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < i; j++) B[i]![j] = 0;
        B[i]![i] = 1;
      }
    }
    for (let i = 0; i < n; i++) {
      X[i] = b[i]!;
      c[i] = g[i]!;
    }
    let gradproj = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j <= i; j++) s -= B[i]![j]! * g[j]!;
      for (let j = i + 1; j < n; j++) s -= B[j]![i]! * g[j]!;
      t[i] = s;
      gradproj += s * g[i]!;
    }
    if (gradproj < 0) {
      let steplength = 1.0;
      let accpoint = false;
      do {
        count = 0;
        for (let i = 0; i < n; i++) {
          b[i] = X[i]! + steplength * t[i]!;
          if (RELTEST + X[i]! === RELTEST + b[i]!) count++;
        }
        if (count < n) {
          f = fn(b);
          funcount++;
          accpoint = Number.isFinite(f) && f <= fmin + gradproj * steplength * ACCTOL;
          if (!accpoint) steplength *= STEPREDN;
        }
      } while (!(count === n || accpoint));
      const enough = f > abstol && Math.abs(f - fmin) > reltol * (Math.abs(fmin) + reltol);
      if (!enough) {
        count = n;
        fmin = f;
      }
      if (count < n) {
        fmin = f;
        gr(b, g);
        gradcount++;
        iter++;
        let D1 = 0;
        for (let i = 0; i < n; i++) {
          t[i] = steplength * t[i]!;
          c[i] = g[i]! - c[i]!;
          D1 += t[i]! * c[i]!;
        }
        if (D1 > 0) {
          let D2 = 0;
          for (let i = 0; i < n; i++) {
            let s = 0;
            for (let j = 0; j <= i; j++) s += B[i]![j]! * c[j]!;
            for (let j = i + 1; j < n; j++) s += B[j]![i]! * c[j]!;
            X[i] = s;
            D2 += s * c[i]!;
          }
          D2 = 1.0 + D2 / D1;
          for (let i = 0; i < n; i++) {
            for (let j = 0; j <= i; j++) B[i]![j] = B[i]![j]! + (D2 * t[i]! * t[j]! - X[i]! * t[j]! - t[i]! * X[j]!) / D1;
          }
        } else {
          ilast = gradcount;
        }
      } else if (ilast < gradcount) {
        count = 0;
        ilast = gradcount;
      }
    } else {
      count = 0;
      if (ilast === gradcount) count = n;
      else ilast = gradcount;
    }
    if (iter >= maxit) break;
    if (gradcount - ilast > 2 * n) ilast = gradcount;
  } while (count !== n || ilast !== gradcount);
  return { par: b, value: fmin, fnCount: funcount, grCount: gradcount, fail: iter < maxit ? 0 : 1 };
}

export interface ConstrOptimResult {
  readonly par: Float64Array;
  /** f at `par` (constrOptim's `value`). */
  readonly value: number;
  readonly outerIterations: number;
  /** 0 converged, 7 ran out of outer iterations, 11 objective increased (R's codes). */
  readonly convergence: number;
}

/**
 * R's `constrOptim(theta, f, grad, ui, ci, method = "BFGS")`: minimize f subject to
 * ui·θ − ci ≥ 0 by an adaptive logarithmic barrier. `ui` is m × p (row-major rows).
 */
export function constrOptim(
  theta0: ArrayLike<number>,
  f: (x: Float64Array) => number,
  grad: (x: Float64Array, out: Float64Array) => void,
  ui: readonly (readonly number[])[],
  ci: readonly number[],
  options: { mu?: number; outerIterations?: number; outerEps?: number } = {},
): ConstrOptimResult {
  const mu = options.mu ?? 1e-4;
  const outerIterations = options.outerIterations ?? 100;
  const outerEps = options.outerEps ?? 1e-5;
  const m = ui.length;
  const p = theta0.length;
  const uiTheta = (x: Float64Array, out: Float64Array) => {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += ui[j]![k]! * x[k]!;
      out[j] = s;
    }
  };
  const tmpUi = new Float64Array(m);
  const giOld = new Float64Array(m);
  let thetaOld = Float64Array.from(theta0);
  const setOld = (x: Float64Array) => {
    thetaOld = Float64Array.from(x);
    uiTheta(thetaOld, giOld);
    for (let j = 0; j < m; j++) giOld[j] = giOld[j]! - ci[j]!;
  };
  const R = (x: Float64Array): number => {
    uiTheta(x, tmpUi);
    let bar = 0;
    for (let j = 0; j < m; j++) if (tmpUi[j]! - ci[j]! < 0) return NaN;
    for (let j = 0; j < m; j++) bar += giOld[j]! * Math.log(tmpUi[j]! - ci[j]!) - tmpUi[j]!;
    if (!Number.isFinite(bar)) bar = -Infinity;
    return f(x) - mu * bar;
  };
  const gScratch = new Float64Array(p);
  const dR = (x: Float64Array, out: Float64Array) => {
    uiTheta(x, tmpUi);
    grad(x, gScratch);
    for (let k = 0; k < p; k++) {
      let dbar = 0;
      for (let j = 0; j < m; j++) dbar += (ui[j]![k]! * giOld[j]!) / (tmpUi[j]! - ci[j]!) - ui[j]![k]!;
      out[k] = gScratch[k]! - mu * dbar;
    }
  };
  let theta = Float64Array.from(theta0);
  uiTheta(theta, tmpUi);
  for (let j = 0; j < m; j++) {
    if (tmpUi[j]! - ci[j]! <= 0) throw new RangeError('initial value is not in the interior of the feasible region');
  }
  let obj = f(theta);
  setOld(theta);
  let r = R(theta);
  let a: VmminResult | undefined;
  let i = 0;
  let objOld = obj;
  for (i = 1; i <= outerIterations; i++) {
    objOld = obj;
    const rOld = r;
    setOld(theta);
    a = vmmin(thetaOld, R, dR);
    r = a.value;
    if (Number.isFinite(r) && Number.isFinite(rOld) && Math.abs(r - rOld) < (0.001 + Math.abs(r)) * outerEps) break;
    theta = Float64Array.from(a.par);
    obj = f(theta);
    if (obj > objOld) break;
  }
  if (i > outerIterations) i = outerIterations;
  let convergence = 0;
  if (i === outerIterations) convergence = 7;
  if (mu > 0 && obj > objOld) convergence = 11;
  const par = a!.par;
  return { par, value: f(par), outerIterations: i, convergence };
}
