/**
 * Scalar saturation kernels for hot loops: the value h(a), ∂h/∂a and ∂h/∂(each parameter) at
 * one point, written into a caller-provided Float64Array. They allocate nothing, keep no
 * module-level state, and do not validate (validate parameters once, e.g. with
 * `buildSaturationSpec`; the checked array kernels are in saturation.ts).
 *
 * Layout of `out` (at least 2 + numSaturationParameters(kind) entries; a Float64Array(4) fits
 * every kind): out[0] = h, out[1] = ∂h/∂a, out[2 + j] = ∂h/∂(SATURATION_PARAMETER_NAMES[kind][j]):
 * - hill:             [h, ∂h/∂a, ∂h/∂K, ∂h/∂S]
 * - logistic:         [h, ∂h/∂a, ∂h/∂lam]
 * - michaelis_menten: [h, ∂h/∂a, ∂h/∂lam]
 * - tanh:             [h, ∂h/∂a, ∂h/∂b, ∂h/∂c]
 * Every kernel also returns h. Inputs: a finite, ≥ 0 (not checked; a < 0 gives an unspecified
 * result), parameters finite and > 0. The formulas and the values at a = 0 are those of the
 * `...WithGradient` array kernels (saturation.ts): at a = 0 every parameter derivative is 0, and
 * Hill's ∂h/∂a is 1/K for S = 1 and 0 otherwise (the true slope is +∞ for S < 1).
 *
 * No second derivative: the optimizer's solver (SLSQP with BFGS updates, optimizer/solver.ts)
 * uses values and first derivatives only.
 *
 * The smooth kernels (`hillSmoothScalar`, `saturationSmoothScalar`) are for the budget
 * optimizer: value and slope of a curve that is continuously differentiable on [0, ∞) with a
 * finite slope at 0. See `hillSmoothScalar` for why Hill needs a patch there.
 */

import type { SaturationSpec } from './saturation-spec.js';

// ---- Hill -----------------------------------------------------------------------------------

/**
 * Hill `a^S / (K^S + a^S)` with derivatives into `out`: [h, ∂h/∂a, ∂h/∂K, ∂h/∂S]. Returns h.
 * With r = (a/K)^S and g = h(1−h) = r/(1+r)²: ∂h/∂a = S·g/a, ∂h/∂K = −(S/K)·g, ∂h/∂S = g·log(a/K).
 */
export function hillScalarWithGradient(a: number, K: number, S: number, out: Float64Array): number {
  if (!(a > 0)) {
    out[0] = 0;
    out[1] = S === 1 ? 1 / K : 0;
    out[2] = 0;
    out[3] = 0;
    return 0;
  }
  const lr = Math.log(a / K);
  const r = Math.exp(S * lr);
  let h: number;
  let g: number;
  if (r === Infinity) {
    h = 1;
    g = 0;
  } else {
    const onePlusR = 1 + r;
    h = r / onePlusR;
    g = h / onePlusR;
  }
  out[0] = h;
  out[1] = (S * g) / a;
  out[2] = (-S / K) * g;
  out[3] = g === 0 ? 0 : g * lr;
  return h;
}

// ---- logistic -------------------------------------------------------------------------------

/**
 * Logistic `(1 − e^(−λa)) / (1 + e^(−λa))` with derivatives into `out`: [h, ∂h/∂a, ∂h/∂lam].
 * Returns h. With e = e^(−λa): ∂h/∂a = 2λe/(1+e)², ∂h/∂λ = 2a·e/(1+e)².
 */
export function logisticSaturationScalarWithGradient(a: number, lam: number, out: Float64Array): number {
  const em = Math.expm1(-lam * a); // e − 1, accurate for small λa
  const onePlusE = 2 + em;
  const s = (2 * (em + 1)) / (onePlusE * onePlusE);
  const h = -em / onePlusE;
  out[0] = h;
  out[1] = lam * s;
  out[2] = a * s;
  return h;
}

// ---- Michaelis–Menten -----------------------------------------------------------------------

/**
 * Michaelis–Menten `a / (λ + a)` with derivatives into `out`: [h, ∂h/∂a, ∂h/∂lam]. Returns h.
 * ∂h/∂a = λ/(λ+a)², ∂h/∂λ = −a/(λ+a)².
 */
export function michaelisMentenScalarWithGradient(a: number, lam: number, out: Float64Array): number {
  const den = lam + a;
  const h = a / den;
  out[0] = h;
  out[1] = lam / den / den;
  out[2] = -h / den;
  return h;
}

// ---- tanh -----------------------------------------------------------------------------------

/**
 * tanh saturation `b · tanh(a / (b·c))` with derivatives into `out`: [h, ∂h/∂a, ∂h/∂b, ∂h/∂c].
 * Returns h. With u = a/(b·c): ∂h/∂a = sech²u / c, ∂h/∂b = tanh u − u·sech²u,
 * ∂h/∂c = −(b/c)·u·sech²u.
 */
export function tanhSaturationScalarWithGradient(a: number, b: number, c: number, out: Float64Array): number {
  const u = a / (b * c);
  const t = Math.tanh(u);
  const e = Math.exp(-2 * u);
  const onePlusE = 1 + e;
  const sech2 = (4 * e) / (onePlusE * onePlusE);
  const uSech2 = sech2 === 0 ? 0 : u * sech2;
  const h = b * t;
  out[0] = h;
  out[1] = sech2 / c;
  out[2] = t - uSech2;
  out[3] = (-b / c) * uSech2;
  return h;
}

// ---- by spec --------------------------------------------------------------------------------

/**
 * The kernel of `spec.kind` at `a`: out = [h, ∂h/∂a, ∂h/∂(parameters in
 * SATURATION_PARAMETER_NAMES order)]. Returns h. Unchecked, like the per-kind kernels.
 */
export function saturationScalarWithGradient(spec: SaturationSpec, a: number, out: Float64Array): number {
  switch (spec.kind) {
    case 'hill':
      return hillScalarWithGradient(a, spec.K, spec.S, out);
    case 'logistic':
      return logisticSaturationScalarWithGradient(a, spec.lam, out);
    case 'michaelis_menten':
      return michaelisMentenScalarWithGradient(a, spec.lam, out);
    case 'tanh':
      return tanhSaturationScalarWithGradient(a, spec.b, spec.c, out);
  }
}

// ---- smooth curves for the optimizer --------------------------------------------------------

/**
 * Where the smooth Hill leaves the true curve: below a₀ = HILL_SMALL_A · K (S < 1 only).
 * With spend scaled by its largest observed week, 1e-6·K is about a cent a week.
 */
export const HILL_SMALL_A = 1e-6;

/**
 * The budget optimizer's Hill: value and slope into `out` = [h̃, h̃′], returns h̃; K is passed
 * as lnK = log K.
 *
 * Why. For S < 1 the true Hill curve has an infinite slope at a = 0 (h ≈ (a/K)^S near 0). The
 * optimizer's SLSQP-style solver needs a continuously differentiable objective with finite
 * gradients: with the true curve the marginal return of every cell without carry-over is
 * infinite at zero spend (an infinite or NaN gradient at the lower bound), the optimum puts
 * sub-cent spends on every such cell, and the solver's quasi-Newton steps crawl towards it.
 * So below a₀ = HILL_SMALL_A·K the curve is replaced by the quadratic through 0 that matches h
 * and h′ at a₀:
 *
 *     h̃(a) = α·a + β·a²,  α = (2h₀ − h₀′a₀)/a₀,  β = (h₀′a₀ − h₀)/a₀²,  h₀ = h(a₀), h₀′ = h′(a₀)
 *
 * which is C¹ at a₀ (same value and slope), concave and increasing on [0, a₀] (β < 0 as Hill is
 * concave there), with the finite slope α at 0. It differs from Hill by at most h(a₀) ≤ 1e-6^S
 * per week-term, invisible once plans are rounded to cents. For S ≥ 1 (and for a ≥ a₀) h̃ is
 * Hill exactly; at a = 0 its slope is 1/K for S = 1 and 0 for S > 1. Only the value and the
 * slope in a are smooth; h̃ is not meant to be differentiated in K or S.
 *
 * `lnA`, when given, must be log a: callers that already have it (the optimizer keeps log of
 * the spend and of the adstock slope) save one logarithm. a ≤ 0 is evaluated as a = 0.
 */
export function hillSmoothScalar(a: number, lnK: number, S: number, out: Float64Array, lnA?: number): number {
  if (S < 1 && a < HILL_SMALL_A * Math.exp(lnK)) return hillQuadratic(a, lnK, S, out);
  if (a > 0) {
    const q = Math.exp(S * ((lnA === undefined ? Math.log(a) : lnA) - lnK));
    if (q === Infinity) {
      out[0] = 1;
      out[1] = 0;
      return 1;
    }
    const onePlusQ = 1 + q;
    const h = q / onePlusQ;
    out[0] = h;
    out[1] = (S * h) / (onePlusQ * a);
    return h;
  }
  out[0] = 0;
  out[1] = S > 1 ? 0 : Math.exp(-lnK);
  return 0;
}

/**
 * hillSmoothScalar below a₀ (S < 1): h̃(a) = αa + βa² with h̃(a₀) = h(a₀), h̃′(a₀) = h′(a₀).
 * A function of its own so that the common path stays small enough to be inlined into hot loops.
 */
function hillQuadratic(a: number, lnK: number, S: number, out: Float64Array): number {
  const a0 = HILL_SMALL_A * Math.exp(lnK);
  const q0 = Math.pow(HILL_SMALL_A, S); // (a₀/K)^S
  const h0 = q0 / (1 + q0);
  const hp0 = (S * h0) / ((1 + q0) * a0);
  const beta = (hp0 * a0 - h0) / (a0 * a0);
  const alpha = (2 * h0 - hp0 * a0) / a0;
  const x = a > 0 ? a : 0;
  const h = alpha * x + beta * x * x;
  out[0] = h;
  out[1] = alpha + 2 * beta * x;
  return h;
}

/**
 * Value and slope in a of the optimizer's curve for any spec: out[0] = h̃, out[1] = h̃′
 * (returns h̃), continuously differentiable on [0, ∞) with a finite slope at 0. For Hill this is
 * `hillSmoothScalar` (log K is taken here; hot loops over Hill should call it with a
 * precomputed log K). Logistic, Michaelis–Menten and tanh need no patch: they are smooth at 0
 * with finite slopes λ/2, 1/λ and 1/c, so h̃ is the curve itself and out is filled as by
 * `saturationScalarWithGradient` (`out` must hold 2 + numSaturationParameters(kind) entries;
 * entries past 1 are scratch).
 */
export function saturationSmoothScalar(spec: SaturationSpec, a: number, out: Float64Array): number {
  if (spec.kind === 'hill') return hillSmoothScalar(a, Math.log(spec.K), spec.S, out);
  return saturationScalarWithGradient(spec, a, out);
}
