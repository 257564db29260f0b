/**
 * Euclidean projection onto the capped simplex {l ≤ y ≤ u, Σ a_i·y_i = b} (or ≤ b), exact, in
 * O(n log n).
 *
 * The KKT conditions give y_i(ν) = clip(v_i − ν·a_i, l_i, u_i) for a multiplier ν, and
 * g(ν) = Σ a_i·y_i(ν) is continuous, non-increasing and piecewise linear with breakpoints
 * (v_i − u_i)/a_i and (v_i − l_i)/a_i. Sorting the 2n breakpoints and sweeping them with the
 * running slope −Σ_free a_i² finds the segment where g crosses b; ν is then the root of a
 * linear function (Held, Wolfe & Crowder 1974; Kiwiel 2008, "Breakpoint searching algorithms
 * for the continuous quadratic knapsack problem"). With the inequality, y = clip(v, l, u) when
 * that already satisfies Σ a·y ≤ b (ν = 0).
 *
 * The remaining floating-point residual of Σ a·y − b is spread over the free coordinates, so
 * the constraint holds to rounding.
 */
import { OptimizerError } from './errors.js';

export interface ProjectionOptions {
  /** Positive weights a (default all 1). */
  readonly weights?: ArrayLike<number>;
  /** Project onto Σ a·y ≤ b instead of = b. */
  readonly isInequality?: boolean;
}

/** Projects `v` onto {lower ≤ y ≤ upper, Σ a·y = total} into `out` (may alias `v`). */
export function projectCappedSimplex(
  v: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  total: number,
  out: Float64Array,
  options: ProjectionOptions = {},
): Float64Array {
  const n = v.length;
  const a = options.weights;
  const w = (i: number): number => (a === undefined ? 1 : a[i]!);
  if (lower.length !== n || upper.length !== n || out.length < n || (a !== undefined && a.length !== n)) {
    throw new OptimizerError('OPTIMIZER_INVALID_INPUT', `projectCappedSimplex: lengths differ (v ${n}, lower ${lower.length}, upper ${upper.length}, out ${out.length})`);
  }
  let sumLo = 0;
  let sumHi = 0;
  for (let i = 0; i < n; i++) {
    const ai = w(i);
    if (!(ai > 0 && ai < Infinity)) throw new OptimizerError('OPTIMIZER_INVALID_INPUT', `projectCappedSimplex: weight ${i} = ${ai}; expected > 0`);
    if (!(lower[i]! <= upper[i]!)) {
      throw new OptimizerError('OPTIMIZER_INVALID_INPUT', `projectCappedSimplex: lower[${i}] = ${lower[i]} > upper[${i}] = ${upper[i]}`);
    }
    sumLo += ai * lower[i]!;
    sumHi += ai * upper[i]!;
  }
  const tol = 1e-12 * Math.max(Math.abs(sumLo), Math.abs(sumHi), Math.abs(total), 1);
  if (total < sumLo - tol || (!options.isInequality && total > sumHi + tol)) {
    throw new OptimizerError(
      'OPTIMIZER_INFEASIBLE',
      `projectCappedSimplex: total ${total} is outside [Σ lower, Σ upper] = [${sumLo}, ${sumHi}]`,
    );
  }
  if (options.isInequality) {
    let s = 0;
    for (let i = 0; i < n; i++) s += w(i) * Math.min(upper[i]!, Math.max(lower[i]!, v[i]!));
    if (s <= total) {
      for (let i = 0; i < n; i++) out[i] = Math.min(upper[i]!, Math.max(lower[i]!, v[i]!));
      return out;
    }
  }
  if (total >= sumHi) {
    for (let i = 0; i < n; i++) out[i] = upper[i]!;
    return out;
  }
  if (total <= sumLo) {
    for (let i = 0; i < n; i++) out[i] = lower[i]!;
    return out;
  }
  // Breakpoints: k < n enters the free set at (v − u)/a; k ≥ n leaves it at (v − l)/a.
  const keys = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    keys[i] = (v[i]! - upper[i]!) / w(i);
    keys[n + i] = (v[i]! - lower[i]!) / w(i);
  }
  const order = Array.from({ length: 2 * n }, (_, k) => k).sort((p, q) => keys[p]! - keys[q]! || p - q);
  let g = sumHi; // g(ν) left of every breakpoint: all at the upper bound
  let slope = 0; // Σ_free a²
  let nu = keys[order[0]!]!;
  let found = false;
  for (const k of order) {
    const next = keys[k]!;
    const gNext = g - slope * (next - nu);
    if (gNext <= total) {
      nu = slope > 0 ? nu + (g - total) / slope : nu;
      found = true;
      break;
    }
    g = gNext;
    nu = next;
    const i = k < n ? k : k - n;
    const ai = w(i);
    slope += k < n ? ai * ai : -ai * ai;
  }
  if (!found) nu = nu + (slope > 0 ? (g - total) / slope : 0);
  let residual = total;
  let freeWeight = 0;
  for (let i = 0; i < n; i++) {
    const y = Math.min(upper[i]!, Math.max(lower[i]!, v[i]! - nu * w(i)));
    out[i] = y;
    residual -= w(i) * y;
    if (y > lower[i]! && y < upper[i]!) freeWeight += w(i) * w(i);
  }
  if (freeWeight > 0 && residual !== 0) {
    for (let i = 0; i < n; i++) {
      const y = out[i]!;
      if (y > lower[i]! && y < upper[i]!) out[i] = Math.min(upper[i]!, Math.max(lower[i]!, y + (residual * w(i)) / freeWeight));
    }
  }
  return out;
}
