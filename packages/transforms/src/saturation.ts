/**
 * Saturation (diminishing returns) curves, elementwise over Float64Array, with h(0) = 0.
 *
 * References
 * - Jin, Wang, Sun, Chan & Koehler (2017), "Bayesian Methods for Media Mix Modeling with
 *   Carryover and Shape Effects", Google Inc. — the Hill curve.
 * - PyMC-Marketing, `pymc_marketing/mmm/transformers.py` (`logistic_saturation`,
 *   `tanh_saturation`, `michaelis_menten`).
 * - Tributary model-spec.md §3.
 *
 * Curves (a ≥ 0 is adstocked, scaled spend):
 * - Hill:             h(a) = a^S / (K^S + a^S)            K > 0 (half-saturation), S > 0 (shape)
 * - logistic:         h(a) = (1 − e^(−λa)) / (1 + e^(−λa))   λ > 0   (= tanh(λa/2))
 * - Michaelis–Menten: h(a) = a / (λ + a)                  λ > 0 (half-saturation)
 * - tanh:             h(a) = b · tanh(a / (b·c))          b > 0 (level at saturation), c > 0
 *                     (initial cost per unit of response: h'(0) = 1/c); range [0, b)
 *
 * Hill, logistic and Michaelis–Menten take values in [0, 1); tanh in [0, b). In floating
 * point a curve can round to exactly its upper bound for very large a.
 *
 * Deviations from PyMC-Marketing (on purpose):
 * - Hill is model-spec's `a^S/(K^S + a^S)`, not PyMC-Marketing's `hill_saturation`
 *   (a logistic sigmoid `σ/(1 + e^(−β(x−λ)))`, which is not 0 at 0).
 * - Michaelis–Menten has no amplitude parameter (PyMC-Marketing's `alpha·x/(λ+x)` with
 *   alpha = 1); the amplitude is the regression coefficient β in the model.
 * - tanh requires b > 0 and c > 0 (PyMC-Marketing allows b ≥ 0, c ≠ 0).
 * - Inputs must be finite and ≥ 0; anything else throws (the curves model spend).
 *
 * Derivatives at a = 0 are finite: ∂h/∂(parameters) = 0 for every curve. For Hill, ∂h/∂a at
 * a = 0 is 0 for S > 1 and 1/K for S = 1; for S < 1 the true one-sided derivative is +∞ and
 * we return 0, so that chain-rule products with ∂a/∂θ stay finite instead of becoming NaN.
 *
 * `out` (and any derivative buffer) may be the input buffer itself.
 */

import { TransformParameterError, badSaturationInput, checkBuffer, checkInput, checkPositive } from './errors.js';

function checkHill(fn: string, K: number, S: number): void {
  checkPositive(fn, 'K', K, 'the half-saturation point, h(K) = 0.5');
  checkPositive(fn, 'S', S, 'the Hill shape (slope) exponent');
}

function checkLambda(fn: string, lambda: number, meaning: string): void {
  checkPositive(fn, 'lambda', lambda, meaning);
}

function checkTanh(fn: string, b: number, c: number): void {
  checkPositive(fn, 'b', b, 'the level at saturation');
  checkPositive(fn, 'c', c, 'the initial cost per unit of response, h\u2032(0) = 1/c');
}

// ---- Hill ---------------------------------------------------------------------------------

/** Hill curve `a^S / (K^S + a^S)` elementwise into `out` (may be `a`). Returns `out`. */
export function hill(a: Float64Array, K: number, S: number, out: Float64Array): Float64Array {
  const fn = 'hill';
  checkInput(fn, 'a', a);
  checkHill(fn, K, S);
  checkBuffer(fn, 'out', out, a.length);
  const n = a.length;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    if (!(v >= 0 && v < Infinity)) throw badSaturationInput(fn, i, v);
    // r = (a/K)^S, h = r/(1+r): no K^S or a^S on their own, so no spurious overflow.
    const r = Math.pow(v / K, S);
    out[i] = r === Infinity ? 1 : r / (1 + r);
  }
  return out;
}

/**
 * Hill curve with derivatives: `dK = ∂h/∂K`, `dS = ∂h/∂S` and, when given, `dA = ∂h/∂a`
 * (for marginal ROAS and for chaining through adstock). Returns `out`.
 *
 * With r = (a/K)^S and g = h(1−h) = r/(1+r)²:
 * ∂h/∂K = −(S/K)·g,  ∂h/∂S = g·log(a/K),  ∂h/∂a = (S/a)·g.
 */
export function hillWithGradient(
  a: Float64Array,
  K: number,
  S: number,
  out: Float64Array,
  dK: Float64Array,
  dS: Float64Array,
  dA?: Float64Array,
): Float64Array {
  const fn = 'hillWithGradient';
  checkInput(fn, 'a', a);
  checkHill(fn, K, S);
  const n = a.length;
  checkBuffer(fn, 'out', out, n);
  checkBuffer(fn, 'dK', dK, n);
  checkBuffer(fn, 'dS', dS, n);
  if (dA !== undefined) checkBuffer(fn, 'dA', dA, n);
  const dAAtZero = S === 1 ? 1 / K : 0;
  const sOverK = S / K;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    if (!(v >= 0 && v < Infinity)) throw badSaturationInput(fn, i, v);
    if (v === 0) {
      out[i] = 0;
      dK[i] = 0;
      dS[i] = 0;
      if (dA !== undefined) dA[i] = dAAtZero;
      continue;
    }
    const ratio = v / K;
    const r = Math.pow(ratio, S);
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
    out[i] = h;
    dK[i] = -sOverK * g;
    dS[i] = g === 0 ? 0 : g * Math.log(ratio);
    if (dA !== undefined) dA[i] = (S * g) / v;
  }
  return out;
}

/** Hill curve at one point, `a^S / (K^S + a^S)`; `hillScalar(K, K, S) === 0.5`. */
export function hillScalar(a: number, K: number, S: number): number {
  const fn = 'hillScalar';
  checkHill(fn, K, S);
  if (!(a >= 0 && a < Infinity)) throw badSaturationInput(fn, 0, a);
  const r = Math.pow(a / K, S);
  return r === Infinity ? 1 : r / (1 + r);
}

/**
 * Inverse of the Hill curve: the `a` with `hillScalar(a, K, S) === h`, for h in [0, 1):
 * `a = K · (h / (1 − h))^(1/S)`. Useful for choosing K or reading a response level back as spend.
 */
export function hillInverseScalar(h: number, K: number, S: number): number {
  const fn = 'hillInverseScalar';
  checkHill(fn, K, S);
  if (!(h >= 0 && h < 1)) {
    throw new TransformParameterError(fn, 'h', h, 'a number in [0, 1) (a Hill response level)');
  }
  return K * Math.pow(h / (1 - h), 1 / S);
}

// ---- logistic -----------------------------------------------------------------------------

/** Logistic saturation `(1 − e^(−λa)) / (1 + e^(−λa))` elementwise into `out`. Returns `out`. */
export function logisticSaturation(a: Float64Array, lambda: number, out: Float64Array): Float64Array {
  const fn = 'logisticSaturation';
  checkInput(fn, 'a', a);
  checkLambda(fn, lambda, 'the logistic rate');
  checkBuffer(fn, 'out', out, a.length);
  const n = a.length;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    if (!(v >= 0 && v < Infinity)) throw badSaturationInput(fn, i, v);
    const em = Math.expm1(-lambda * v); // e^(−λa) − 1, accurate for small λa
    out[i] = -em / (2 + em);
  }
  return out;
}

/**
 * Logistic saturation with `dLambda = ∂h/∂λ = 2a·e/(1+e)²` and, when given,
 * `dA = ∂h/∂a = 2λ·e/(1+e)²`, where e = e^(−λa). Returns `out`.
 */
export function logisticSaturationWithGradient(
  a: Float64Array,
  lambda: number,
  out: Float64Array,
  dLambda: Float64Array,
  dA?: Float64Array,
): Float64Array {
  const fn = 'logisticSaturationWithGradient';
  checkInput(fn, 'a', a);
  checkLambda(fn, lambda, 'the logistic rate');
  const n = a.length;
  checkBuffer(fn, 'out', out, n);
  checkBuffer(fn, 'dLambda', dLambda, n);
  if (dA !== undefined) checkBuffer(fn, 'dA', dA, n);
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    if (!(v >= 0 && v < Infinity)) throw badSaturationInput(fn, i, v);
    const em = Math.expm1(-lambda * v);
    const e = em + 1;
    const onePlusE = 2 + em;
    const s = (2 * e) / (onePlusE * onePlusE); // (1 − h²)/2
    out[i] = -em / onePlusE;
    dLambda[i] = v * s;
    if (dA !== undefined) dA[i] = lambda * s;
  }
  return out;
}

/** Logistic saturation at one point. */
export function logisticSaturationScalar(a: number, lambda: number): number {
  const fn = 'logisticSaturationScalar';
  checkLambda(fn, lambda, 'the logistic rate');
  if (!(a >= 0 && a < Infinity)) throw badSaturationInput(fn, 0, a);
  const em = Math.expm1(-lambda * a);
  return -em / (2 + em);
}

// ---- Michaelis–Menten ---------------------------------------------------------------------

/** Michaelis–Menten `a / (λ + a)` elementwise into `out`. Returns `out`. */
export function michaelisMenten(a: Float64Array, lambda: number, out: Float64Array): Float64Array {
  const fn = 'michaelisMenten';
  checkInput(fn, 'a', a);
  checkLambda(fn, lambda, 'the half-saturation point, h(λ) = 0.5');
  checkBuffer(fn, 'out', out, a.length);
  const n = a.length;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    if (!(v >= 0 && v < Infinity)) throw badSaturationInput(fn, i, v);
    out[i] = v / (lambda + v);
  }
  return out;
}

/**
 * Michaelis–Menten with `dLambda = ∂h/∂λ = −a/(λ+a)²` and, when given,
 * `dA = ∂h/∂a = λ/(λ+a)²`. Returns `out`.
 */
export function michaelisMentenWithGradient(
  a: Float64Array,
  lambda: number,
  out: Float64Array,
  dLambda: Float64Array,
  dA?: Float64Array,
): Float64Array {
  const fn = 'michaelisMentenWithGradient';
  checkInput(fn, 'a', a);
  checkLambda(fn, lambda, 'the half-saturation point, h(λ) = 0.5');
  const n = a.length;
  checkBuffer(fn, 'out', out, n);
  checkBuffer(fn, 'dLambda', dLambda, n);
  if (dA !== undefined) checkBuffer(fn, 'dA', dA, n);
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    if (!(v >= 0 && v < Infinity)) throw badSaturationInput(fn, i, v);
    const den = lambda + v;
    const h = v / den;
    out[i] = h;
    dLambda[i] = -h / den;
    if (dA !== undefined) dA[i] = lambda / den / den;
  }
  return out;
}

/** Michaelis–Menten at one point. */
export function michaelisMentenScalar(a: number, lambda: number): number {
  const fn = 'michaelisMentenScalar';
  checkLambda(fn, lambda, 'the half-saturation point, h(λ) = 0.5');
  if (!(a >= 0 && a < Infinity)) throw badSaturationInput(fn, 0, a);
  return a / (lambda + a);
}

// ---- tanh ---------------------------------------------------------------------------------

/**
 * PyMC-Marketing's `tanh_saturation`: `b · tanh(a / (b·c))` elementwise into `out`, with
 * values in [0, b). b is the response at saturation, c the initial cost per unit of response
 * (the slope at 0 is 1/c). Returns `out`.
 */
export function tanhSaturation(a: Float64Array, b: number, c: number, out: Float64Array): Float64Array {
  const fn = 'tanhSaturation';
  checkInput(fn, 'a', a);
  checkTanh(fn, b, c);
  checkBuffer(fn, 'out', out, a.length);
  const n = a.length;
  const bc = b * c;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    if (!(v >= 0 && v < Infinity)) throw badSaturationInput(fn, i, v);
    out[i] = b * Math.tanh(v / bc);
  }
  return out;
}

/**
 * tanh saturation with derivatives. With u = a/(b·c) and sech²u = 4e/(1+e)², e = e^(−2u):
 * `dB = ∂h/∂b = tanh u − u·sech²u`, `dC = ∂h/∂c = −(b·u/c)·sech²u`, `dA = ∂h/∂a = sech²u / c`.
 * Returns `out`.
 */
export function tanhSaturationWithGradient(
  a: Float64Array,
  b: number,
  c: number,
  out: Float64Array,
  dB: Float64Array,
  dC: Float64Array,
  dA?: Float64Array,
): Float64Array {
  const fn = 'tanhSaturationWithGradient';
  checkInput(fn, 'a', a);
  checkTanh(fn, b, c);
  const n = a.length;
  checkBuffer(fn, 'out', out, n);
  checkBuffer(fn, 'dB', dB, n);
  checkBuffer(fn, 'dC', dC, n);
  if (dA !== undefined) checkBuffer(fn, 'dA', dA, n);
  const bc = b * c;
  const bOverC = b / c;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    if (!(v >= 0 && v < Infinity)) throw badSaturationInput(fn, i, v);
    const u = v / bc;
    const t = Math.tanh(u);
    const e = Math.exp(-2 * u);
    const onePlusE = 1 + e;
    const sech2 = (4 * e) / (onePlusE * onePlusE);
    const uSech2 = sech2 === 0 ? 0 : u * sech2;
    out[i] = b * t;
    dB[i] = t - uSech2;
    dC[i] = -bOverC * uSech2;
    if (dA !== undefined) dA[i] = sech2 / c;
  }
  return out;
}

/** tanh saturation at one point, `b · tanh(a / (b·c))`. */
export function tanhSaturationScalar(a: number, b: number, c: number): number {
  const fn = 'tanhSaturationScalar';
  checkTanh(fn, b, c);
  if (!(a >= 0 && a < Infinity)) throw badSaturationInput(fn, 0, a);
  return b * Math.tanh(a / (b * c));
}
