/**
 * Starting plans for the solver (optimize.ts runs it from each and keeps the best).
 *
 * - Historical: the budget split by the historical shares of spend (response.ts).
 * - Equal: the budget above the lower bounds split equally over the cells that can move.
 * - Grid: the global optimum of the posterior-mean response on a grid of 200 budget units,
 *   by dynamic programming (the mean response is separable across cells). S-shaped Hill curves
 *   make the problem multi-modal: a gradient method started at a thin equal split (PyMC-
 *   Marketing's only start) sees little marginal return at the convex foot of a curve and can
 *   settle on a plan that leaves its best cells unused. On the SLSQP fixtures with S-shaped
 *   curves this start reaches a better optimum than scipy's best of six starts
 *   (test/slsqp.test.ts). It uses each cell's posterior-mean response alone
 *   (`cellMeanResponse`), so it costs no full evaluations.
 */
import type { ResponseCurves } from './curves.js';

/** Equal split of the budget above the lower bounds over the cells with room (upper > lower). */
export function equalStart(lower: ArrayLike<number>, upper: ArrayLike<number>, budget: number): Float64Array {
  const n = lower.length;
  let count = 0;
  let sumLower = 0;
  for (let i = 0; i < n; i++) {
    sumLower += lower[i]!;
    if (upper[i]! > lower[i]!) count++;
  }
  const each = count > 0 ? (budget - sumLower) / count : 0;
  return Float64Array.from({ length: n }, (_, i) => lower[i]! + (upper[i]! > lower[i]! ? each : 0));
}

/**
 * Dynamic program over a budget grid: the budget above the lower bounds is cut into `steps`
 * equal units and distributed so that the sum of the cells' posterior-mean responses is the
 * largest possible on that grid (a knapsack over separable curves, O(n·steps²)). The mean
 * response of a plan is separable across cells, so this is the global optimum of the mean
 * utility up to the grid's resolution, whatever the shapes of the curves; the solver then
 * polishes it (and uses it as a start for the risk-aware utilities too).
 */
export function gridStart(curves: ResponseCurves, lower: ArrayLike<number>, upper: ArrayLike<number>, budget: number, isFlexible = false, steps = 200): Float64Array {
  const n = lower.length;
  let extra = budget;
  for (let i = 0; i < n; i++) extra -= lower[i]!;
  const x = Float64Array.from(lower);
  if (!(extra > 0)) return x;
  const unit = extra / steps;
  const K = steps;
  let best = new Float64Array(K + 1).fill(-Infinity);
  best[0] = 0;
  const choice = new Int32Array(n * (K + 1));
  const value = new Float64Array(K + 1);
  for (let i = 0; i < n; i++) {
    const maxK = Math.min(K, Math.floor((upper[i]! - lower[i]!) / unit + 1e-9));
    const base = maxK > 0 ? curves.cellMeanResponse(i, lower[i]!) : 0;
    for (let k = 0; k <= maxK; k++) value[k] = k === 0 ? 0 : curves.cellMeanResponse(i, lower[i]! + k * unit) - base;
    const next = new Float64Array(K + 1).fill(-Infinity);
    for (let b = 0; b <= K; b++) {
      let top = -Infinity;
      let arg = 0;
      for (let k = 0; k <= Math.min(maxK, b); k++) {
        const prev = best[b - k]!;
        if (prev === -Infinity) continue;
        const v = prev + value[k]!;
        if (v > top) {
          top = v;
          arg = k;
        }
      }
      next[b] = top;
      choice[i * (K + 1) + b] = arg;
    }
    best = next;
  }
  // Exactly K units (or the best b ≤ K when flexible); the caps may make K unreachable.
  let b = K;
  if (isFlexible || best[K] === -Infinity) {
    let top = -Infinity;
    for (let c = 0; c <= K; c++) {
      if (best[c]! > top && (isFlexible || c <= K)) {
        top = best[c]!;
        b = c;
      }
    }
    if (!isFlexible) {
      for (let c = K; c >= 0; c--) {
        if (best[c]! > -Infinity) {
          b = c;
          break;
        }
      }
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    const k = choice[i * (K + 1) + b]!;
    x[i] = lower[i]! + k * unit;
    b -= k;
  }
  return x;
}
