/**
 * Model comparison by PSIS-LOO: loo 2.5.1's `loo_compare` (R/loo_compare.R) and stacking
 * weights `loo_model_weights(method = "stacking")` (R/loo_model_weights.R).
 *
 * References
 * - A. Vehtari, A. Gelman, J. Gabry (2017). Practical Bayesian model evaluation using
 *   leave-one-out cross-validation and WAIC. Statistics and Computing 27:1413–1432.
 * - Y. Yao, A. Vehtari, D. Simpson, A. Gelman (2018). Using stacking to average Bayesian
 *   predictive distributions. Bayesian Analysis 13(3):917–1007.
 *
 * `looCompare`: models ordered by elpd_loo (decreasing; ties keep the input order, as R's
 * `order(decreasing = TRUE)`), `elpd_diff = Σ_i (elpd_i(model) − elpd_i(best))` and
 * `se_diff = sqrt(N)·sd(differences)` (0 for the best model).
 *
 * `stackingWeights`: maximizes Σ_i log Σ_k w_k exp(lpd_ik) over the simplex, with w_K = 1 −
 * Σ_{k<K} w_k, by the same `constrOptim(rep(1/K, K−1), …, method = "BFGS")` call as loo (see
 * optim.ts), so the weights agree with R's to far better than 1e-4 (a generic solver would
 * reach the exact optimum, which constrOptim's barrier only approaches to ~1e-5).
 */
import { invalidArgument } from './errors.js';
import type { LooResult } from './loo.js';
import { constrOptim } from './optim.js';
import { sd } from './numerics.js';

export interface LooCompareRow {
  readonly name: string;
  readonly elpdDiff: number;
  readonly seDiff: number;
  readonly elpdLoo: number;
  readonly seElpdLoo: number;
  readonly pLoo: number;
  readonly sePLoo: number;
  readonly looic: number;
  readonly seLooic: number;
}

/** loo's `loo_compare(list(name = loo, …))`: rows best first. Needs ≥ 2 models on the same observations. */
export function looCompare(models: readonly { readonly name: string; readonly loo: LooResult }[]): LooCompareRow[] {
  if (models.length < 2) invalidArgument(`looCompare: needs at least two models, got ${models.length}.`);
  const n = models[0]!.loo.numObs;
  for (const m of models) {
    if (m.loo.numObs !== n) {
      invalidArgument(`looCompare: model "${m.name}" has ${m.loo.numObs} observations but "${models[0]!.name}" has ${n}; models must be fitted to the same data.`);
    }
  }
  const order = models.map((_, i) => i).sort((a, b) => models[b]!.loo.elpdLoo - models[a]!.loo.elpdLoo || a - b);
  const best = models[order[0]!]!.loo.pointwise.elpdLoo;
  return order.map((idx) => {
    const m = models[idx]!;
    const diffs = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      diffs[i] = m.loo.pointwise.elpdLoo[i]! - best[i]!;
      sum += diffs[i]!;
    }
    return {
      name: m.name,
      elpdDiff: sum,
      seDiff: Math.sqrt(n) * sd(diffs),
      elpdLoo: m.loo.elpdLoo,
      seElpdLoo: m.loo.seElpdLoo,
      pLoo: m.loo.pLoo,
      sePLoo: m.loo.sePLoo,
      looic: m.loo.looic,
      seLooic: m.loo.seLooic,
    };
  });
}

/**
 * Stacking weights from the pointwise elpd_loo of K ≥ 2 models (`lpdPoint[k][i]`), loo's
 * `stacking_weights(lpd_point)`. Returns K weights in the input order, summing to 1.
 */
export function stackingWeights(lpdPoint: readonly ArrayLike<number>[]): Float64Array {
  const K = lpdPoint.length;
  if (K < 2) invalidArgument('stackingWeights: at least two models are required for stacking weights.');
  const N = lpdPoint[0]!.length;
  for (const col of lpdPoint) if (col.length !== N) invalidArgument('stackingWeights: every model needs one elpd value per observation (same N).');
  // exp_lpd_point, row-major N × K. Deviation: if exp under- or overflows for some observation
  // (|elpd_i| > ~700, where loo's objective is not finite and R stops), that row is scaled by
  // exp(−max_k lpd_ik), which changes the objective by a constant and leaves the gradient as is.
  const e = new Float64Array(N * K);
  for (let i = 0; i < N; i++) {
    let max = -Infinity;
    let isFinite = true;
    for (let k = 0; k < K; k++) {
      const v = lpdPoint[k]![i]!;
      if (!Number.isFinite(v)) invalidArgument(`stackingWeights: elpd of model ${k + 1}, observation ${i + 1} is ${v}; all values must be finite.`);
      max = Math.max(max, v);
      const x = Math.exp(v);
      if (!(x > 0 && x < Infinity)) isFinite = false;
    }
    for (let k = 0; k < K; k++) e[i * K + k] = Math.exp(isFinite ? lpdPoint[k]![i]! : lpdPoint[k]![i]! - max);
  }
  const wFull = new Float64Array(K);
  const setFull = (w: Float64Array) => {
    let s = 0;
    for (let k = 0; k < K - 1; k++) {
      wFull[k] = w[k]!;
      s += w[k]!;
    }
    wFull[K - 1] = 1 - s;
  };
  const dot = (i: number) => {
    let s = 0;
    for (let k = 0; k < K; k++) s += e[i * K + k]! * wFull[k]!;
    return s;
  };
  const negLogScore = (w: Float64Array) => {
    setFull(w);
    let sum = 0;
    for (let i = 0; i < N; i++) sum += Math.log(dot(i));
    return -sum;
  };
  const gradient = (w: Float64Array, out: Float64Array) => {
    setFull(w);
    out.fill(0);
    for (let k = 0; k < K - 1; k++) {
      let g = 0;
      for (let i = 0; i < N; i++) g += (e[i * K + k]! - e[i * K + K - 1]!) / dot(i);
      out[k] = -g;
    }
  };
  const ui: number[][] = [Array.from({ length: K - 1 }, () => -1)];
  for (let k = 0; k < K - 1; k++) ui.push(Array.from({ length: K - 1 }, (_, j) => (j === k ? 1 : 0)));
  const ci = [-1, ...Array.from({ length: K - 1 }, () => 0)];
  const res = constrOptim(
    Array.from({ length: K - 1 }, () => 1 / K),
    negLogScore,
    gradient,
    ui,
    ci,
  );
  const out = new Float64Array(K);
  let s = 0;
  for (let k = 0; k < K - 1; k++) {
    out[k] = res.par[k]!;
    s += res.par[k]!;
  }
  out[K - 1] = 1 - s;
  return out;
}
