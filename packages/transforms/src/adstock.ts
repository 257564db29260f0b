/**
 * Adstock (carryover) kernels: geometric, delayed, Weibull CDF and Weibull PDF.
 *
 * References
 * - Jin, Wang, Sun, Chan & Koehler (2017), "Bayesian Methods for Media Mix Modeling with
 *   Carryover and Shape Effects", Google Inc. — geometric and delayed adstock.
 * - PyMC-Marketing, `pymc_marketing/mmm/transformers.py` (`geometric_adstock`,
 *   `delayed_adstock`, `weibull_adstock`, `batched_convolution` with `ConvMode.After`).
 * - Tributary model-spec.md §3 — the contract these kernels implement.
 *
 * Definition. For an input series x (one market-channel along its weekly grid, zero before
 * its first week) and L = lMax lag weights w_0..w_{L-1}:
 *
 *     a[t] = Σ_{l=0}^{L-1} w_l · x[t−l],   x[t−l] = 0 for t−l < 0,
 *
 * with the weights divided by their sum when `normalize` is true (the default, as in
 * model-spec §3). The gradient variants also return ∂a[t]/∂θ for the weight parameters θ,
 * which is the same convolution applied to ∂w/∂θ.
 *
 * Weights (before normalization), l = 0..L−1:
 * - geometric:   w_l = α^l
 * - delayed:     w_l = α^((l−θ)²)                (peak at lag θ; θ is fixed, not learned)
 * - Weibull CDF: w_0 = 1, w_l = Π_{j=1}^{l} S(j), S(t) = exp(−(t/scale)^shape)
 * - Weibull PDF: p_l = f(l+1), f the Weibull(shape, scale) density, min-max scaled:
 *                w_l = (p_l − min p) / (max p − min p)
 *
 * Deviations from PyMC-Marketing (on purpose):
 * - `normalize` defaults to true for every kind (model-spec §3); PyMC-Marketing defaults to
 *   false. With `normalize = false` the weights are PyMC-Marketing's, except as noted below.
 * - θ follows model-spec: a real number in [0, lMax−1], the lag of the peak. Normalized
 *   delayed weights are computed as α^((l−θ)² − min_j (j−θ)²), which is the same after
 *   normalization for α > 0 and the continuous limit (all weight on the nearest lag) at α = 0.
 * - Weibull CDF: PyMC-Marketing returns lMax+1 weights (the leading 1 plus lMax survival
 *   products); we keep lMax lags, w_0..w_{L−1}, like every other kind here.
 * - Weibull PDF: PyMC-Marketing's min-max scaling is 0/0 for lMax = 1 or when all densities
 *   are equal (for example all underflow); we then use equal weights (all 1, or 1/L when
 *   normalized) with zero derivatives. The density is evaluated in log space, so extreme
 *   parameters underflow gracefully instead of producing NaN.
 * - Only the "After" convolution mode (carryover into later weeks) is implemented.
 *
 * Implementation. Hot loops are plain for-loops over Float64Array. The kernels allocate
 * nothing per call: weights live in module-level scratch buffers that grow to the largest
 * lMax seen (JavaScript is single-threaded, each worker thread has its own copy). The
 * convolution runs backwards in time, so `out` may be the same buffer as `x`.
 */

import { TransformParameterError, checkAlpha, checkBuffer, checkInput, checkLMax, checkPositive } from './errors.js';

/** A carryover transform and its parameters. `lMax` is the number of lags (model default 8). */
export type AdstockSpec =
  | { kind: 'geometric'; alpha: number; lMax: number }
  | { kind: 'delayed'; alpha: number; theta: number; lMax: number }
  | { kind: 'weibull_cdf'; shape: number; scale: number; lMax: number }
  | { kind: 'weibull_pdf'; shape: number; scale: number; lMax: number };

/** The adstock kinds, in a stable order. */
export type AdstockKind = AdstockSpec['kind'];

// ---- scratch ------------------------------------------------------------------------------

let wScratch = new Float64Array(16);
let d1Scratch = new Float64Array(16);
let d2Scratch = new Float64Array(16);

function ensureScratch(L: number): void {
  if (wScratch.length < L) {
    const n = Math.max(L, 2 * wScratch.length);
    wScratch = new Float64Array(n);
    d1Scratch = new Float64Array(n);
    d2Scratch = new Float64Array(n);
  }
}

// ---- validation ---------------------------------------------------------------------------

function checkTheta(fn: string, theta: number, lMax: number): void {
  if (!(theta >= 0 && theta <= lMax - 1)) {
    throw new TransformParameterError(
      fn,
      'theta',
      theta,
      `a number in [0, lMax-1] = [0, ${lMax - 1}] (the lag of the peak effect)`,
    );
  }
}

function checkWeibull(fn: string, shape: number, scale: number): void {
  checkPositive(fn, 'shape', shape, 'the Weibull shape k');
  checkPositive(fn, 'scale', scale, 'the Weibull scale λ, in weeks');
}

// ---- weights (internal fills: write L entries, optionally their parameter derivatives) ------

/** Divides v by D (sum when normalizing, 1 otherwise) and applies the quotient rule to dv. */
function finishWeights(w: Float64Array, dw: Float64Array | null, L: number, D: number, dD: number): void {
  for (let l = 0; l < L; l++) {
    const wl = w[l]! / D;
    w[l] = wl;
    // wl = 0 guard: at α = 0 a weight's derivative can be +∞ (delayed, non-integer θ).
    if (dw !== null) dw[l] = (dw[l]! - (wl === 0 ? 0 : wl * dD)) / D;
  }
}

function fillGeometric(alpha: number, L: number, normalize: boolean, w: Float64Array, dw: Float64Array | null): void {
  // v_l = α^l by repeated multiplication; dv_l/dα = l·α^(l−1) = l·v_{l−1} (exact at α = 0 too).
  let v = 1;
  let prev = 0;
  let sum = 0;
  let dSum = 0;
  for (let l = 0; l < L; l++) {
    w[l] = v;
    sum += v;
    if (dw !== null) {
      const d = l * prev;
      dw[l] = d;
      dSum += d;
    }
    prev = v;
    v *= alpha;
  }
  if (normalize) finishWeights(w, dw, L, sum, dSum);
}

function fillDelayed(
  alpha: number,
  theta: number,
  L: number,
  normalize: boolean,
  w: Float64Array,
  dw: Float64Array | null,
): void {
  // Exponent e_l = (l−θ)², shifted by its minimum when normalizing (see file header).
  let shift = 0;
  if (normalize) {
    shift = Infinity;
    for (let l = 0; l < L; l++) {
      const e = (l - theta) * (l - theta);
      if (e < shift) shift = e;
    }
  }
  let sum = 0;
  let dSum = 0;
  for (let l = 0; l < L; l++) {
    const e = (l - theta) * (l - theta) - shift;
    const v = Math.pow(alpha, e); // Math.pow(0, 0) = 1
    w[l] = v;
    sum += v;
    if (dw !== null) {
      const d = e === 0 ? 0 : e * Math.pow(alpha, e - 1);
      dw[l] = d;
      dSum += d;
    }
  }
  if (normalize) finishWeights(w, dw, L, sum, dSum);
}

function fillWeibullCdf(
  shape: number,
  scale: number,
  L: number,
  normalize: boolean,
  w: Float64Array,
  dShape: Float64Array | null,
  dScale: Float64Array | null,
): void {
  // log w_l = −Σ_{j=1}^{l} z_j^k with z_j = j/λ;
  // ∂/∂k log w_l = −Σ z_j^k log z_j,   ∂/∂λ log w_l = (k/λ) Σ z_j^k.
  const logScale = Math.log(scale);
  const kOverLambda = shape / scale;
  let cum = 0;
  let cumLog = 0;
  let sum = 0;
  let dSumK = 0;
  let dSumL = 0;
  for (let l = 0; l < L; l++) {
    if (l > 0) {
      const lz = Math.log(l) - logScale;
      const zk = Math.exp(shape * lz);
      cum += zk;
      cumLog += zk * lz;
    }
    const v = Math.exp(-cum);
    w[l] = v;
    sum += v;
    if (dShape !== null && dScale !== null) {
      const dk = v === 0 ? 0 : -v * cumLog;
      const dl = v === 0 ? 0 : v * kOverLambda * cum;
      dShape[l] = dk;
      dScale[l] = dl;
      dSumK += dk;
      dSumL += dl;
    }
  }
  if (normalize) {
    finishWeights(w, dShape, L, sum, dSumK);
    // finishWeights already divided w; apply the quotient rule for the second parameter.
    if (dScale !== null) {
      for (let l = 0; l < L; l++) dScale[l] = (dScale[l]! - w[l]! * dSumL) / sum;
    }
  }
}

function fillWeibullPdf(
  shape: number,
  scale: number,
  L: number,
  normalize: boolean,
  w: Float64Array,
  dShape: Float64Array | null,
  dScale: Float64Array | null,
): void {
  const grads = dShape !== null && dScale !== null;
  // 1. log density at t = l+1 and its parameter derivatives:
  //    log f(t) = log k − log λ + (k−1) log z − z^k,  z = t/λ
  //    ∂/∂k = 1/k + log z · (1 − z^k),  ∂/∂λ = (k/λ)(z^k − 1)
  const logShape = Math.log(shape);
  const logScale = Math.log(scale);
  let iMax = 0;
  let iMin = 0;
  for (let l = 0; l < L; l++) {
    const lz = Math.log(l + 1) - logScale;
    const zk = Math.exp(shape * lz);
    const lp = logShape - logScale + (shape - 1) * lz - zk;
    w[l] = lp;
    if (grads) {
      dShape[l] = 1 / shape + lz * (1 - zk);
      dScale[l] = (shape / scale) * (zk - 1);
    }
    if (lp > w[iMax]!) iMax = l;
    if (lp < w[iMin]!) iMin = l;
  }
  const lpMax = w[iMax]!;
  const lpMin = w[iMin]!;
  if (!(lpMax > -Infinity) || !(lpMax > lpMin)) {
    // Degenerate min-max scaling (L = 1, or all densities equal): equal weights.
    const v = normalize ? 1 / L : 1;
    for (let l = 0; l < L; l++) {
      w[l] = v;
      if (grads) {
        dShape[l] = 0;
        dScale[l] = 0;
      }
    }
    return;
  }
  // 2. q_l = p_l / p_max (≤ 1, no overflow), u_l = q_l − q_min, ∂q_l = q_l (g_l − g_max).
  const qMin = Math.exp(lpMin - lpMax);
  let gkMax = 0;
  let glMax = 0;
  let dqkMin = 0;
  let dqlMin = 0;
  if (grads) {
    gkMax = dShape[iMax]!;
    glMax = dScale[iMax]!;
    dqkMin = qMin === 0 ? 0 : qMin * (dShape[iMin]! - gkMax);
    dqlMin = qMin === 0 ? 0 : qMin * (dScale[iMin]! - glMax);
  }
  let sum = 0;
  let dSumK = 0;
  let dSumL = 0;
  for (let l = 0; l < L; l++) {
    const q = l === iMax ? 1 : Math.exp(w[l]! - lpMax);
    const u = l === iMin ? 0 : q - qMin;
    w[l] = u;
    sum += u;
    if (grads) {
      const duk = l === iMin ? 0 : (q === 0 ? 0 : q * (dShape[l]! - gkMax)) - dqkMin;
      const dul = l === iMin ? 0 : (q === 0 ? 0 : q * (dScale[l]! - glMax)) - dqlMin;
      dShape[l] = duk;
      dScale[l] = dul;
      dSumK += duk;
      dSumL += dul;
    }
  }
  // 3. Divide by the sum (normalize) or by max u = 1 − q_min (PyMC-Marketing's min-max scaling).
  //    ∂(1 − q_min) = −∂q_min.
  const D = normalize ? sum : 1 - qMin;
  const dDk = normalize ? dSumK : -dqkMin;
  const dDl = normalize ? dSumL : -dqlMin;
  for (let l = 0; l < L; l++) {
    const wl = w[l]! / D; // exactly 1 at the mode when not normalizing
    w[l] = wl;
    if (grads) {
      dShape[l] = (dShape[l]! - wl * dDk) / D;
      dScale[l] = (dScale[l]! - wl * dDl) / D;
    }
  }
}

// ---- convolution --------------------------------------------------------------------------

// Backwards in t: out[t] only reads x[t−l] with t−l ≤ t, so out may alias x.
function convolve(x: Float64Array, n: number, w: Float64Array, L: number, out: Float64Array): void {
  for (let t = n - 1; t >= 0; t--) {
    const lEnd = t < L - 1 ? t : L - 1;
    let s = 0;
    for (let l = 0; l <= lEnd; l++) s += w[l]! * x[t - l]!;
    out[t] = s;
  }
}

function convolve1(
  x: Float64Array,
  n: number,
  w: Float64Array,
  dw: Float64Array,
  L: number,
  out: Float64Array,
  dOut: Float64Array,
): void {
  for (let t = n - 1; t >= 0; t--) {
    const lEnd = t < L - 1 ? t : L - 1;
    let s = 0;
    let ds = 0;
    for (let l = 0; l <= lEnd; l++) {
      const xv = x[t - l]!;
      s += w[l]! * xv;
      ds += dw[l]! * xv;
    }
    out[t] = s;
    dOut[t] = ds;
  }
}

function convolve2(
  x: Float64Array,
  n: number,
  w: Float64Array,
  dw1: Float64Array,
  dw2: Float64Array,
  L: number,
  out: Float64Array,
  dOut1: Float64Array,
  dOut2: Float64Array,
): void {
  for (let t = n - 1; t >= 0; t--) {
    const lEnd = t < L - 1 ? t : L - 1;
    let s = 0;
    let ds1 = 0;
    let ds2 = 0;
    for (let l = 0; l <= lEnd; l++) {
      const xv = x[t - l]!;
      s += w[l]! * xv;
      ds1 += dw1[l]! * xv;
      ds2 += dw2[l]! * xv;
    }
    out[t] = s;
    dOut1[t] = ds1;
    dOut2[t] = ds2;
  }
}

// ---- public kernels ------------------------------------------------------------------------

/**
 * Geometric adstock: weights `w_l = α^l`, l = 0..lMax−1, normalized to sum 1 by default.
 * Writes `out[0..x.length−1]` (out may be x) and returns `out`.
 * @throws TransformParameterError (a RangeError) for α ∉ [0, 1), a bad lMax or a short `out`.
 */
export function geometricAdstock(
  x: Float64Array,
  alpha: number,
  lMax: number,
  out: Float64Array,
  normalize = true,
): Float64Array {
  const fn = 'geometricAdstock';
  checkInput(fn, 'x', x);
  checkAlpha(fn, alpha);
  checkLMax(fn, lMax);
  checkBuffer(fn, 'out', out, x.length);
  ensureScratch(lMax);
  fillGeometric(alpha, lMax, normalize, wScratch, null);
  convolve(x, x.length, wScratch, lMax, out);
  return out;
}

/** Geometric adstock and `dAlpha[t] = ∂out[t]/∂α`. Returns `out`. */
export function geometricAdstockWithGradient(
  x: Float64Array,
  alpha: number,
  lMax: number,
  out: Float64Array,
  dAlpha: Float64Array,
  normalize = true,
): Float64Array {
  const fn = 'geometricAdstockWithGradient';
  checkInput(fn, 'x', x);
  checkAlpha(fn, alpha);
  checkLMax(fn, lMax);
  checkBuffer(fn, 'out', out, x.length);
  checkBuffer(fn, 'dAlpha', dAlpha, x.length);
  ensureScratch(lMax);
  fillGeometric(alpha, lMax, normalize, wScratch, d1Scratch);
  convolve1(x, x.length, wScratch, d1Scratch, lMax, out, dAlpha);
  return out;
}

/**
 * Delayed adstock: weights `w_l = α^((l−θ)²)`, peak at lag θ ∈ [0, lMax−1], normalized by default.
 * Returns `out`.
 */
export function delayedAdstock(
  x: Float64Array,
  alpha: number,
  theta: number,
  lMax: number,
  out: Float64Array,
  normalize = true,
): Float64Array {
  const fn = 'delayedAdstock';
  checkInput(fn, 'x', x);
  checkAlpha(fn, alpha);
  checkLMax(fn, lMax);
  checkTheta(fn, theta, lMax);
  checkBuffer(fn, 'out', out, x.length);
  ensureScratch(lMax);
  fillDelayed(alpha, theta, lMax, normalize, wScratch, null);
  convolve(x, x.length, wScratch, lMax, out);
  return out;
}

/** Delayed adstock and `dAlpha[t] = ∂out[t]/∂α` (θ is fixed). Returns `out`. */
export function delayedAdstockWithGradient(
  x: Float64Array,
  alpha: number,
  theta: number,
  lMax: number,
  out: Float64Array,
  dAlpha: Float64Array,
  normalize = true,
): Float64Array {
  const fn = 'delayedAdstockWithGradient';
  checkInput(fn, 'x', x);
  checkAlpha(fn, alpha);
  checkLMax(fn, lMax);
  checkTheta(fn, theta, lMax);
  checkBuffer(fn, 'out', out, x.length);
  checkBuffer(fn, 'dAlpha', dAlpha, x.length);
  ensureScratch(lMax);
  fillDelayed(alpha, theta, lMax, normalize, wScratch, d1Scratch);
  convolve1(x, x.length, wScratch, d1Scratch, lMax, out, dAlpha);
  return out;
}

/**
 * Weibull CDF adstock (PyMC-Marketing `weibull_adstock(type="cdf")`): `w_0 = 1`,
 * `w_l = Π_{j=1}^{l} exp(−(j/scale)^shape)`, normalized by default. Returns `out`.
 */
export function weibullCdfAdstock(
  x: Float64Array,
  shape: number,
  scale: number,
  lMax: number,
  out: Float64Array,
  normalize = true,
): Float64Array {
  const fn = 'weibullCdfAdstock';
  checkInput(fn, 'x', x);
  checkWeibull(fn, shape, scale);
  checkLMax(fn, lMax);
  checkBuffer(fn, 'out', out, x.length);
  ensureScratch(lMax);
  fillWeibullCdf(shape, scale, lMax, normalize, wScratch, null, null);
  convolve(x, x.length, wScratch, lMax, out);
  return out;
}

/** Weibull CDF adstock and its derivatives with respect to shape and scale. Returns `out`. */
export function weibullCdfAdstockWithGradient(
  x: Float64Array,
  shape: number,
  scale: number,
  lMax: number,
  out: Float64Array,
  dShape: Float64Array,
  dScale: Float64Array,
  normalize = true,
): Float64Array {
  const fn = 'weibullCdfAdstockWithGradient';
  checkInput(fn, 'x', x);
  checkWeibull(fn, shape, scale);
  checkLMax(fn, lMax);
  checkBuffer(fn, 'out', out, x.length);
  checkBuffer(fn, 'dShape', dShape, x.length);
  checkBuffer(fn, 'dScale', dScale, x.length);
  ensureScratch(lMax);
  fillWeibullCdf(shape, scale, lMax, normalize, wScratch, d1Scratch, d2Scratch);
  convolve2(x, x.length, wScratch, d1Scratch, d2Scratch, lMax, out, dShape, dScale);
  return out;
}

/**
 * Weibull PDF adstock (PyMC-Marketing `weibull_adstock(type="pdf")`): the Weibull(shape, scale)
 * density at t = 1..lMax, min-max scaled to [0, 1], then normalized by default. Returns `out`.
 */
export function weibullPdfAdstock(
  x: Float64Array,
  shape: number,
  scale: number,
  lMax: number,
  out: Float64Array,
  normalize = true,
): Float64Array {
  const fn = 'weibullPdfAdstock';
  checkInput(fn, 'x', x);
  checkWeibull(fn, shape, scale);
  checkLMax(fn, lMax);
  checkBuffer(fn, 'out', out, x.length);
  ensureScratch(lMax);
  fillWeibullPdf(shape, scale, lMax, normalize, wScratch, null, null);
  convolve(x, x.length, wScratch, lMax, out);
  return out;
}

/** Weibull PDF adstock and its derivatives with respect to shape and scale. Returns `out`. */
export function weibullPdfAdstockWithGradient(
  x: Float64Array,
  shape: number,
  scale: number,
  lMax: number,
  out: Float64Array,
  dShape: Float64Array,
  dScale: Float64Array,
  normalize = true,
): Float64Array {
  const fn = 'weibullPdfAdstockWithGradient';
  checkInput(fn, 'x', x);
  checkWeibull(fn, shape, scale);
  checkLMax(fn, lMax);
  checkBuffer(fn, 'out', out, x.length);
  checkBuffer(fn, 'dShape', dShape, x.length);
  checkBuffer(fn, 'dScale', dScale, x.length);
  ensureScratch(lMax);
  fillWeibullPdf(shape, scale, lMax, normalize, wScratch, d1Scratch, d2Scratch);
  convolve2(x, x.length, wScratch, d1Scratch, d2Scratch, lMax, out, dShape, dScale);
  return out;
}

// ---- spec-driven helpers ------------------------------------------------------------------

function checkSpec(fn: string, spec: AdstockSpec): void {
  if (spec === null || typeof spec !== 'object') {
    throw new TransformParameterError(fn, 'spec', spec, 'an AdstockSpec object');
  }
  switch (spec.kind) {
    case 'geometric':
      checkLMax(fn, spec.lMax);
      checkAlpha(fn, spec.alpha);
      return;
    case 'delayed':
      checkLMax(fn, spec.lMax);
      checkAlpha(fn, spec.alpha);
      checkTheta(fn, spec.theta, spec.lMax);
      return;
    case 'weibull_cdf':
    case 'weibull_pdf':
      checkLMax(fn, spec.lMax);
      checkWeibull(fn, spec.shape, spec.scale);
      return;
    default:
      throw new TransformParameterError(
        fn,
        'spec.kind',
        (spec as { kind: unknown }).kind,
        "one of 'geometric', 'delayed', 'weibull_cdf', 'weibull_pdf'",
      );
  }
}

function fillSpec(
  spec: AdstockSpec,
  normalize: boolean,
  w: Float64Array,
  d1: Float64Array | null,
  d2: Float64Array | null,
): void {
  switch (spec.kind) {
    case 'geometric':
      fillGeometric(spec.alpha, spec.lMax, normalize, w, d1);
      return;
    case 'delayed':
      fillDelayed(spec.alpha, spec.theta, spec.lMax, normalize, w, d1);
      return;
    case 'weibull_cdf':
      fillWeibullCdf(spec.shape, spec.scale, spec.lMax, normalize, w, d1, d2);
      return;
    case 'weibull_pdf':
      fillWeibullPdf(spec.shape, spec.scale, spec.lMax, normalize, w, d1, d2);
      return;
  }
}

/** Number of learnable weight parameters of a spec: 1 (α) for geometric/delayed, 2 (shape, scale) for Weibull. */
export function numAdstockParameters(spec: AdstockSpec): 1 | 2 {
  return spec.kind === 'geometric' || spec.kind === 'delayed' ? 1 : 2;
}

/**
 * The lMax lag weights of a spec (normalized to sum 1 by default), written into `out`
 * (allocated when omitted; must hold at least lMax entries) and returned.
 */
export function adstockWeights(spec: AdstockSpec, out?: Float64Array, normalize = true): Float64Array {
  const fn = 'adstockWeights';
  checkSpec(fn, spec);
  const w = out ?? new Float64Array(spec.lMax);
  checkBuffer(fn, 'out', w, spec.lMax);
  fillSpec(spec, normalize, w, null, null);
  return w;
}

/**
 * The lag weights and their derivatives: `dFirst` is ∂w/∂α (geometric, delayed) or ∂w/∂shape
 * (Weibull); `dSecond` is ∂w/∂scale and is required for the Weibull kinds (ignored otherwise).
 * Returns `out`.
 */
export function adstockWeightsWithGradient(
  spec: AdstockSpec,
  out: Float64Array,
  dFirst: Float64Array,
  dSecond?: Float64Array,
  normalize = true,
): Float64Array {
  const fn = 'adstockWeightsWithGradient';
  checkSpec(fn, spec);
  checkBuffer(fn, 'out', out, spec.lMax);
  checkBuffer(fn, 'dFirst', dFirst, spec.lMax);
  if (numAdstockParameters(spec) === 2) {
    if (dSecond === undefined) {
      throw new TransformParameterError(fn, 'dSecond', dSecond, `a Float64Array for ∂w/∂scale (${spec.kind} has two parameters)`);
    }
    checkBuffer(fn, 'dSecond', dSecond, spec.lMax);
  }
  fillSpec(spec, normalize, out, dFirst, dSecond ?? null);
  return out;
}

/**
 * Applies arbitrary lag weights: `out[t] = Σ_{l=0}^{L−1} weights[l] · x[t−l]` with
 * L = weights.length. Because adstock is linear in its weights, convolving with ∂w/∂θ gives
 * ∂out/∂θ. `out` may be `x`. Returns `out`.
 */
export function convolveAdstock(x: Float64Array, weights: Float64Array, out: Float64Array): Float64Array {
  const fn = 'convolveAdstock';
  checkInput(fn, 'x', x);
  checkInput(fn, 'weights', weights);
  checkBuffer(fn, 'out', out, x.length);
  convolve(x, x.length, weights, weights.length, out);
  return out;
}

/** Adstock of `x` by any spec (normalized by default). Returns `out`. */
export function applyAdstock(x: Float64Array, spec: AdstockSpec, out: Float64Array, normalize = true): Float64Array {
  const fn = 'applyAdstock';
  checkInput(fn, 'x', x);
  checkSpec(fn, spec);
  checkBuffer(fn, 'out', out, x.length);
  ensureScratch(spec.lMax);
  fillSpec(spec, normalize, wScratch, null, null);
  convolve(x, x.length, wScratch, spec.lMax, out);
  return out;
}

/**
 * Adstock of `x` by any spec, with derivatives: `dFirst` = ∂out/∂α (geometric, delayed) or
 * ∂out/∂shape (Weibull); `dSecond` = ∂out/∂scale, required for the Weibull kinds. Returns `out`.
 */
export function applyAdstockWithGradient(
  x: Float64Array,
  spec: AdstockSpec,
  out: Float64Array,
  dFirst: Float64Array,
  dSecond?: Float64Array,
  normalize = true,
): Float64Array {
  const fn = 'applyAdstockWithGradient';
  checkInput(fn, 'x', x);
  checkSpec(fn, spec);
  checkBuffer(fn, 'out', out, x.length);
  checkBuffer(fn, 'dFirst', dFirst, x.length);
  ensureScratch(spec.lMax);
  if (numAdstockParameters(spec) === 2) {
    if (dSecond === undefined) {
      throw new TransformParameterError(fn, 'dSecond', dSecond, `a Float64Array for ∂out/∂scale (${spec.kind} has two parameters)`);
    }
    checkBuffer(fn, 'dSecond', dSecond, x.length);
    fillSpec(spec, normalize, wScratch, d1Scratch, d2Scratch);
    convolve2(x, x.length, wScratch, d1Scratch, d2Scratch, spec.lMax, out, dFirst, dSecond);
  } else {
    fillSpec(spec, normalize, wScratch, d1Scratch, null);
    convolve1(x, x.length, wScratch, d1Scratch, spec.lMax, out, dFirst);
  }
  return out;
}
