// L-BFGS ascent of the log density from a chain's initial point, before warmup (SampleOptions
// `initOptimize`). Stan's default warmup starts from uniform(−2, 2) on the unconstrained scale
// and spends its first iterations (the initial fast buffer, with the identity metric) reaching
// the typical set with small steps and deep trees; starting near a mode makes those iterations
// cheap. Each chain optimizes from its own random initial point, so the chains still start from
// dispersed points when the posterior has several modes (as Pathfinder initialisation in
// CmdStan does, with plain L-BFGS instead of Pathfinder's variational draws).
//
// References: J. Nocedal & S. J. Wright, Numerical Optimization (2nd ed.), Algorithm 7.4 (the
// two-loop recursion) and 3.1 (backtracking with the Armijo condition); the initial Hessian
// scaling γ = sᵀy / yᵀy (eq. 7.20), as Stan's `bfgs` (src/stan/optimization/lbfgs_update.hpp).
// Deviations: Armijo backtracking only (no Wolfe curvature check; a pair with sᵀy ≤ 0 is not
// stored), a fixed budget of gradient evaluations, and the search stops at the first relative
// improvement of lp below `relTol` — the aim is a good starting point, not a precise mode.

import type { LogDensity } from './types.js';

export interface OptimizeResult {
  readonly position: Float64Array;
  readonly logDensity: number;
  readonly gradient: Float64Array;
  readonly numEvaluations: number;
}

export interface OptimizeOptions {
  /** Gradient evaluations allowed (default 400). */
  readonly maxEvaluations?: number;
  /** Stop when an iteration improves lp by less than relTol·max(1, |lp|) (default 1e-8). */
  readonly relTol?: number;
  /** History pairs kept (default 7). */
  readonly history?: number;
}

/** Maximizes `target` from `start` (lp and gradient given); never returns a worse point. */
export function lbfgsAscent(
  target: LogDensity,
  start: Float64Array,
  startLp: number,
  startGrad: Float64Array,
  options: OptimizeOptions = {},
): OptimizeResult {
  const dim = target.dim;
  const maxEval = options.maxEvaluations ?? 400;
  const relTol = options.relTol ?? 1e-8;
  const m = options.history ?? 7;
  // f = −lp, g = −∇lp
  let x = Float64Array.from(start);
  let f = -startLp;
  let g = Float64Array.from(startGrad, (v) => -v);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alphaBuf = new Float64Array(m);
  const d = new Float64Array(dim);
  const xNew = new Float64Array(dim);
  const gNew = new Float64Array(dim);
  let evals = 0;
  while (evals < maxEval) {
    // d = −H g (two-loop recursion)
    d.set(g);
    for (let k = S.length - 1; k >= 0; k--) {
      const a = rho[k]! * dot(S[k]!, d);
      alphaBuf[k] = a;
      axpy(-a, Y[k]!, d);
    }
    const last = S.length - 1;
    let gamma = last >= 0 ? dot(S[last]!, Y[last]!) / dot(Y[last]!, Y[last]!) : 1 / Math.max(1, norm(g));
    if (!(gamma > 0 && gamma < Infinity)) gamma = 1 / Math.max(1, norm(g));
    for (let i = 0; i < dim; i++) d[i] = d[i]! * gamma;
    for (let k = 0; k < S.length; k++) {
      const b = rho[k]! * dot(Y[k]!, d);
      axpy(alphaBuf[k]! - b, S[k]!, d);
    }
    for (let i = 0; i < dim; i++) d[i] = -d[i]!;
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction: restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      const s = 1 / Math.max(1, norm(g));
      for (let i = 0; i < dim; i++) d[i] = -s * g[i]!;
      slope = dot(g, d);
      if (!(slope < 0)) break;
    }
    // Backtracking line search with the Armijo condition.
    let step = 1;
    let fNew = Infinity;
    let accepted = false;
    while (evals < maxEval) {
      for (let i = 0; i < dim; i++) xNew[i] = x[i]! + step * d[i]!;
      const lp = target.logDensityAndGradient(xNew, gNew);
      evals++;
      fNew = -lp;
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * step * slope && allFinite(gNew)) {
        accepted = true;
        break;
      }
      step *= 0.25;
      if (step < 1e-12) break;
    }
    if (!accepted) break;
    const s = new Float64Array(dim);
    const y = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      s[i] = xNew[i]! - x[i]!;
      y[i] = -gNew[i]! - g[i]!;
    }
    const improvement = f - fNew;
    x = Float64Array.from(xNew);
    g = Float64Array.from(gNew, (v) => -v);
    f = fNew;
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    if (improvement < relTol * Math.max(1, Math.abs(f))) break;
  }
  return { position: x, logDensity: -f, gradient: Float64Array.from(g, (v) => -v), numEvaluations: evals };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i]! += a * x[i]!;
}

function allFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}
