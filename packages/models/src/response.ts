/**
 * The response of a market-channel cell: the one source of marginal ROAS (derived.ts), the
 * implied lift of a lift test (terms/lift-tests.ts) and the forecast basis the optimizer's
 * curves are built from (forecast.ts) — issue 13. Nothing else locates a cell's coefficient
 * or evaluates its saturation for a change of spend (contributions and the log density read
 * the design's H columns).
 *
 * When the adstocked spend of cell (g, c) changes from a_k to a_k + Δa_k in weeks t_k, the
 * revenue of a draw changes by (money)
 *
 *   ΔR[g,c] = beta[set(g), c] · Σ_k m_c(t_k) · Δh_k · y_scale[g],   Δh_k = h_c(a_k + Δa_k) − h_c(a_k)
 *
 * with set(g) the coefficient set of market g (0 when pooled, else g; `coefSlot`), m_c the
 * time-varying multiplier (1 for constant effects; terms/time-varying.ts `knotMultiplier`) and
 * h_c the channel's saturation at the draw's parameters (`drawSlots`, `saturationChange`;
 * h = 0 for a ≤ 0). Adstock is linear, so Δa is the adstock (the channel's lag weights) of the
 * spend change alone. The three quantities in these terms:
 *
 * - marginal ROAS of (g, c): k = the observed rows of market g, Δa_k = 0.01·a_k (+1 % spend in
 *   every observed week: adstock(1.01·x) = 1.01·adstock(x)), ΔR divided by the extra spend
 *   0.01·Σ spend[g,·,c]. With fixed transforms the Δh_k are the same for every draw (cached
 *   once per model).
 * - implied lift of a test (g, c, weeks s..e, d per week): k = s .. e + L − 1 (the test weeks
 *   and their carry-over), a_k the adstock without the test, a_k + Δa_k with d / spendScale[g,c]
 *   added to the scaled spend of s..e. With fixed transforms the Δh_k are computed at build; the
 *   lift likelihood (`LiftTestsTerm.forward`) uses the same Σ and beta, on the scaled target
 *   (without y_scale), and its own Hill with derivatives, whose value is this one bit for bit.
 * - forecast of a plan (s per week for W weeks after the last observed week): k = the horizon and
 *   its L − 1 weeks of carry-over, a_k the carry-over of the observed weeks, Δa_k = slope_k·s,
 *   and m_c(t_k) = m_c(T_max) for every k (a random walk's best forecast is its last value), so
 *   the multiplier joins the coefficient: the basis carries coef = beta·m_c(T_max)·y_scale
 *   (`cellMoney` of m_c(T_max) units), h_c's kind and slot values, a_k and slope_k. The sum over k
 *   is the optimizer's (its curves evaluate the same saturation functions; Hill with S < 1 is
 *   patched to a finite slope below 10⁻⁶·K there).
 *
 * `cellMoney` multiplies in the order beta · units · y_scale[g], so every quantity rounds the
 * same way (and as before this module existed). Lift predictions and the forecast basis are
 * bit for bit what they were; marginal ROAS evaluated Hill with the transforms package's
 * `hillScalar` (pow) before and now with this kernel, which moved it by rounding (≤ 5.3·10⁻¹⁴
 * relative on the test panels).
 */
import type { SaturationKind } from '@tributary/transforms';
import type { ModelData } from './design.js';
import type { Layout } from './layout.js';
import { saturationPoint } from './transform-kinds.js';

/**
 * Where cell (g, c)'s beta[set(g), c] is — the pooled-set rule: its index in a draw's
 * coefficients b (numSets × numCoef, the log density's `s.B`, the draw view's B); in a
 * constrained draw it is at layout.coefIndex[coefSlot(…)].
 */
export function coefSlot(layout: Layout, g: number, c: number): number {
  return layout.setOf(g) * layout.numCoef + layout.mediaColumn(c);
}

/**
 * The transform slot values of a constrained draw (C × 4, transform-kinds.ts): the channels'
 * fixed values, replaced by the draw's own where the transforms are learned.
 */
export function drawSlots(data: ModelData, constrained: ArrayLike<number>): Float64Array {
  const par = data.centreSlots();
  const at = data.layout.transformIndex;
  for (let i = 0; i < par.length; i++) if (at[i]! >= 0) par[i] = constrained[at[i]!]!;
  return par;
}

/** Money of `units` of the saturated response of a cell of market g with coefficient beta: beta · units · y_scale[g]. */
export function cellMoney(data: ModelData, g: number, beta: number, units: number): number {
  return beta * units * data.yScale[g]!;
}

/**
 * Δh = h(a1) − h(a0) of saturation `kind` with slot values p2, p3 (h = 0 for a ≤ 0), by
 * transform-kinds.ts `saturationPoint` (the transforms package's formulas; its Hill is the fast
 * scalar kernel exp(S·(log a − log K)) / (1 + …), the value of math.ts `hillPoint` bit for bit).
 */
export function saturationChange(kind: SaturationKind, a0: number, a1: number, p2: number, p3: number): number {
  const h1 = a1 > 0 ? saturationPoint(kind, a1, p2, p3, null) : 0;
  return h1 - (a0 > 0 ? saturationPoint(kind, a0, p2, p3, null) : 0);
}

/** The weighted sum Σ_{k<n} m[mAt + k] · dh[dhAt + k]; m = null for a constant effect (m = 1). */
export function weightedChange(dh: ArrayLike<number>, dhAt: number, m: ArrayLike<number> | null, mAt: number, n: number): number {
  let sum = 0;
  if (m === null) for (let k = 0; k < n; k++) sum += dh[dhAt + k]!;
  else for (let k = 0; k < n; k++) sum += m[mAt + k]! * dh[dhAt + k]!;
  return sum;
}
