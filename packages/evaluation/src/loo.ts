/**
 * PSIS-LOO: approximate leave-one-out cross-validation from the pointwise log-likelihood of
 * posterior draws, as R's loo 2.5.1 `loo.matrix` (R/loo.R, R/pointwise_loo_calcs, R/helpers.R
 * `table_of_estimates`, R/E_loo.R `mcse_elpd`).
 *
 * References
 * - A. Vehtari, A. Gelman, J. Gabry (2017). Practical Bayesian model evaluation using
 *   leave-one-out cross-validation and WAIC. Statistics and Computing 27:1413–1432.
 * - A. Vehtari, D. Simpson, A. Gelman, Y. Yao, J. Gabry (2024). Pareto smoothed importance
 *   sampling. JMLR 25(72):1–58 (the sample-size-dependent k threshold).
 *
 * Per observation i: PSIS on the log ratios −log p(y_i | θ_s) (see psis.ts), normalized log
 * weights lw, `elpd_loo_i = logSumExp(ll_i + lw)`, `lpd_i = logSumExp(ll_i) − log S`,
 * `p_loo_i = lpd_i − elpd_loo_i`, `looic_i = −2·elpd_loo_i`; totals are sums with
 * `se = sqrt(N · var(pointwise))`. `mcse_elpd_loo` is loo's deterministic approximation
 * (1000 normal quantiles). `n_eff = r_eff / Σ w²` with normalized weights w.
 *
 * Deviations from loo 2.5.1
 * - The bad-k count uses the sample-size-dependent threshold min(1 − 1/log10(S), 0.7) of
 *   loo ≥ 2.6 (2.5.1 uses 0.7 for every S); both are returned (`numHighK`, `numKAbove07`).
 * - `rEff` defaults to 1 (loo: 1 with a warning); the evaluation pipeline passes
 *   `relativeEffOfLogLik(ll)` (loo's recommended `relative_eff(exp(ll), chain_id)`), in one sweep
 *   with the LOO itself (`psisLooWithRelativeEff`).
 * - Speed, to rounding: loo computes exp(ll_i) for `relative_eff` and again for `mcse_elpd`, the
 *   normalized weights with another exp, and elpd_loo and lpd with two more logSumExps (four or
 *   five exps per draw and observation). Here (`LooKernel`) one: lik_s = exp(ll_s − max ll),
 *   which are at once the terms of lpd's logSumExp (bit for bit) and, up to the factor
 *   exp(−max ll) that neither r_eff nor the mcse depends on, the likelihood. The weights'
 *   e_s = exp(lw_s − max lw) are exp(−max ll − max lw) / lik_s outside the smoothed tail (where
 *   lw_s = −ll_s up to the rounding of ± the largest log ratio), a division; the M tail weights
 *   (and any lik_s near underflow) are exps. elpd_loo = logSumExp(ll + lw − norm) is
 *   fused into max ll + log Σ lik_s·e_s − log1p(Σ e) — the same sum reassociated — except when
 *   the largest product is below 1e-250 (ll and lw so far apart that the products would
 *   underflow), where it is summed term by term as loo does. Against the transcription: k, lpd,
 *   the smoothed weights bit for bit; elpd_loo and looic to ~1e-15 relative, p_loo_i = lpd_i −
 *   elpd_i to the rounding of elpd_i (p_loo 3e-14 relative on the 40-market benchmark); r_eff,
 *   n_eff and mcse_elpd_loo to ≤ 1e-14 (ess.ts's direct lags, the likelihood's scale).
 *   Observations are independent: `looPointwiseRange` fills any range of rows, so threads can
 *   share the work without changing a number.
 */
import { invalidArgument } from './errors.js';
import { qnorm } from '@tributary/sampler';
import { variance } from './numerics.js';
import { EssScratch } from './ess.js';
import { PsisScratch, paretoKThreshold, psisTailLength, relativeEffOfChains } from './psis.js';

/**
 * Pointwise log-likelihood of S draws × N observations, stored like R's matrix (column-major):
 * `values[n * numDraws + s]`. Draws are ordered chain after chain, `numChains` chains of
 * `numDraws / numChains` draws each (R's `chain_id = rep(1:C, each = S / C)`).
 */
export interface LogLikelihoodMatrix {
  readonly numDraws: number;
  readonly numObs: number;
  readonly numChains: number;
  readonly values: Float64Array;
}

export interface LooPointwise {
  readonly elpdLoo: Float64Array;
  readonly mcseElpdLoo: Float64Array;
  readonly pLoo: Float64Array;
  readonly looic: Float64Array;
  readonly paretoK: Float64Array;
  /** PSIS effective sample size per observation (loo's `diagnostics$n_eff`). */
  readonly nEff: Float64Array;
  readonly rEff: Float64Array;
  readonly tailLength: Int32Array;
}

export interface LooResult {
  readonly elpdLoo: number;
  readonly seElpdLoo: number;
  readonly pLoo: number;
  readonly sePLoo: number;
  readonly looic: number;
  readonly seLooic: number;
  readonly numDraws: number;
  readonly numObs: number;
  readonly pointwise: LooPointwise;
  /** min(1 − 1/log10(S), 0.7). */
  readonly paretoKThreshold: number;
  /** Observations with k > paretoKThreshold: their elpd_loo_i is unreliable. */
  readonly numHighK: number;
  /** Observations with k > 0.7 (loo 2.5.1's "bad" class). */
  readonly numKAbove07: number;
  /** Observations with k > 1 ("very bad"). */
  readonly numKAbove1: number;
  readonly maxParetoK: number;
}

export interface PsisLooOptions {
  /** Relative efficiency per observation (or one number for all). Default 1. */
  readonly rEff?: number | ArrayLike<number>;
}

/** Builds a `LogLikelihoodMatrix`, checking the shape. */
export function buildLogLikelihoodMatrix(values: Float64Array, numDraws: number, numObs: number, numChains = 1): LogLikelihoodMatrix {
  if (!Number.isInteger(numDraws) || numDraws < 2) invalidArgument(`log-likelihood: numDraws must be an integer ≥ 2, got ${numDraws}.`);
  if (!Number.isInteger(numObs) || numObs < 1) invalidArgument(`log-likelihood: numObs must be an integer ≥ 1, got ${numObs}.`);
  if (values.length !== numDraws * numObs) {
    invalidArgument(`log-likelihood: expected ${numDraws} × ${numObs} = ${numDraws * numObs} values, got ${values.length}.`);
  }
  if (!Number.isInteger(numChains) || numChains < 1 || numDraws % numChains !== 0) {
    invalidArgument(`log-likelihood: ${numDraws} draws cannot be split into ${numChains} equally long chains.`);
  }
  return { numDraws, numObs, numChains, values };
}

/**
 * loo's recommended r_eff: `relative_eff(exp(ll), chain_id)` per observation (the relative
 * efficiency of the likelihood, not of the log-likelihood).
 */
export function relativeEffOfLogLik(ll: LogLikelihoodMatrix): Float64Array {
  const out = new Float64Array(ll.numObs);
  const kernel = new LooKernel(ll.numDraws, ll.numChains);
  for (let i = 0; i < ll.numObs; i++) out[i] = kernel.relativeEff(ll.values, i * ll.numDraws);
  return out;
}

// loo's mcse_elpd: normal quantiles of (r − 3/8)/(S − 2·3/8 + 1), r = 1 … 1000
const MCSE_SAMPLES = 1000;
let mcseQuantiles: Float64Array | undefined;
function mcseZ(): Float64Array {
  if (!mcseQuantiles) {
    mcseQuantiles = new Float64Array(MCSE_SAMPLES);
    const c = 3 / 8;
    for (let r = 1; r <= MCSE_SAMPLES; r++) mcseQuantiles[r - 1] = qnorm((r - c) / (MCSE_SAMPLES - 2 * c + 1));
  }
  return mcseQuantiles;
}

/**
 * The per-observation arrays of a LOO result for `n` observations, each on its own buffer from
 * `buffer(bytes)` (a SharedArrayBuffer lets threads fill disjoint rows).
 */
export function allocatePointwise(n: number, buffer: (bytes: number) => ArrayBufferLike = (b) => new ArrayBuffer(b)): LooPointwise {
  const f64 = () => new Float64Array(buffer(8 * n));
  return {
    elpdLoo: f64(),
    mcseElpdLoo: f64(),
    pLoo: f64(),
    looic: f64(),
    paretoK: f64(),
    nEff: f64(),
    rEff: f64(),
    tailLength: new Int32Array(buffer(4 * n)),
  };
}

/**
 * The work of one observation at a time — its r_eff (`relative_eff(exp(ll_i))`) and its
 * pointwise PSIS-LOO — on buffers allocated once (one kernel per thread).
 *
 * Besides loo's arithmetic (the module comment), two shortcuts that change no number beyond
 * rounding: exp(ll_i) is computed once for r_eff and for the mcse's E[p]; the normalized weights
 * w_s = exp(lw_s − logSumExp(lw)) are e_s / (1 + Σ_{s≠max} e_s) with the e_s = exp(lw_s − max lw)
 * that logSumExp computed anyway (a few ulps from loo's exp; they enter only n_eff and mcse).
 * elpd_loo, lpd and p_loo are loo's expressions, bit for bit.
 */
export class LooKernel {
  private readonly s: number;
  private readonly numChains: number;
  private readonly lik: Float64Array;
  private readonly lw: Float64Array;
  private readonly expLw: Float64Array;
  private readonly tmp: Float64Array;
  private readonly zz = new Float64Array(MCSE_SAMPLES);
  private readonly ess: EssScratch;
  private readonly psis: PsisScratch;
  /** The observation offset whose likelihood `lik` holds (−1: none). */
  private likAt = -1;
  private likOf: Float64Array | null = null;

  constructor(numDraws: number, numChains: number) {
    this.s = numDraws;
    this.numChains = numChains;
    this.lik = new Float64Array(numDraws);
    this.lw = new Float64Array(numDraws);
    this.expLw = new Float64Array(numDraws);
    this.tmp = new Float64Array(numDraws);
    this.ess = new EssScratch(numChains, numDraws / numChains);
    this.psis = new PsisScratch(numDraws);
  }

  /** The largest ll of the observation `lik` holds, its (first) index, and Σ_{j ≠ that index} lik_j. */
  private llMax = 0;
  private llAt = 0;
  private likSum = 0;

  /**
   * lik_j = exp(ll_j − max ll) of the observation whose S draws start at values[off]: the
   * likelihood up to the factor exp(−max ll), which neither r_eff nor the mcse depends on, and
   * exactly the terms of matrixStats' logSumExp(ll) (their sum, without the maximum's 1, is kept).
   */
  private likelihood(values: Float64Array, off: number): Float64Array {
    if (this.likOf !== values || this.likAt !== off) {
      const s = this.s;
      let at = 0;
      let m = values[off]!;
      for (let j = 1; j < s; j++) {
        if (values[off + j]! > m) {
          m = values[off + j]!;
          at = j;
        }
      }
      let sum = 0;
      for (let j = 0; j < s; j++) {
        const x = Math.exp(values[off + j]! - m);
        this.lik[j] = x;
        if (j !== at) sum += x;
      }
      this.llMax = m;
      this.llAt = at;
      this.likSum = sum;
      this.likOf = values;
      this.likAt = off;
    }
    return this.lik;
  }

  /** r_eff of the observation whose S draws start at values[off] (loo's relative_eff of exp(ll)). */
  relativeEff(values: Float64Array, off: number): number {
    const per = this.s / this.numChains;
    if (per < 4) invalidArgument(`relativeEff: need at least 4 draws per chain, got ${per}.`);
    return relativeEffOfChains(this.likelihood(values, off), this.numChains, this.ess);
  }

  /** The pointwise LOO of observation i (draws at values[i·S …]) with its r_eff, written into pw at i. */
  pointwise(values: Float64Array, i: number, rEff: number, pw: LooPointwise): void {
    const s = this.s;
    const off = i * s;
    const lw = this.lw;
    // the log ratios −ll and their maximum
    let maxLr = -Infinity;
    for (let j = 0; j < s; j++) {
      const v = values[off + j]!;
      if (!Number.isFinite(v)) invalidArgument(`psisLoo: log-likelihood of draw ${j + 1}, observation ${i + 1} is ${v}; all values must be finite.`);
      lw[j] = -v;
      if (-v > maxLr) maxLr = -v;
    }
    if (!(rEff > 0)) invalidArgument(`psis: rEff must be > 0, got ${rEff}.`);
    const lik = this.likelihood(values, off);
    const llMax = this.llMax;
    const tailLength = psisTailLength(s, rEff);
    const paretoK = this.psis.smoothInPlace(lw, tailLength, maxLr);
    // norm = logSumExp(lw) (matrixStats: the first maximum plus log1p of the other terms), keeping
    // e_s = exp(lw_s − max); in the same sweep Σ lik_s·e_s = Σ exp(ll_s + lw_s − max ll − max lw)
    const e = this.expLw;
    const iMax = this.psis.argMax;
    const lwMax = lw[iMax]!;
    // outside the smoothed tail lw_s = −ll_s (to the rounding of ± max log ratio), so e_s =
    // exp(−ll_s − max lw) = exp(−max ll − max lw) / lik_s: a division instead of an exp, unless
    // lik_s or the factor is near underflow; the tail's weights are their own exps
    const factor = Math.exp(-llMax - lwMax);
    if (factor > MIN_FUSED_TERM) {
      for (let j = 0; j < s; j++) {
        const l = lik[j]!;
        e[j] = l > MIN_FUSED_TERM ? factor / l : Math.exp(lw[j]! - lwMax);
      }
    } else {
      for (let j = 0; j < s; j++) e[j] = Math.exp(lw[j]! - lwMax);
    }
    const tail = this.psis.tailIndices;
    for (let t = 0; t < tail.length; t++) e[tail[t]!] = Math.exp(lw[tail[t]!]! - lwMax);
    e[iMax] = 1;
    let sum = 0;
    let sumProd = 0;
    let maxProd = 0;
    for (let j = 0; j < s; j++) {
      const x = e[j]!;
      if (j !== iMax) sum += x;
      const p = lik[j]! * x;
      sumProd += p;
      if (p > maxProd) maxProd = p;
    }
    const log1pSum = Math.log1p(sum);
    const total = 1 + sum;
    // elpd = logSumExp(ll + lw − norm) = max ll + log Σ lik·e − log1p(Σ e) (norm = max lw +
    // log1p(Σ e)); when the products come near underflow (ll and lw far apart), loo's own
    // logSumExp with the maximum taken out of the sum of ll + lw
    const elpd = maxProd > MIN_FUSED_TERM ? llMax + Math.log(sumProd) - log1pSum : this.elpdBySum(values, off, lwMax + log1pSum);
    // lpd = logSumExp(ll) − log S: the terms `likelihood` summed
    const lpd = llMax + Math.log1p(this.likSum) - Math.log(s);
    pw.elpdLoo[i] = elpd;
    pw.pLoo[i] = lpd - elpd;
    pw.looic[i] = -2 * elpd;
    pw.paretoK[i] = paretoK;
    pw.tailLength[i] = tailLength;
    pw.rEff[i] = rEff;
    // n_eff = r_eff / Σ w²; mcse_elpd from E[p] = exp(elpd) and its sd, both on lik's scale
    // (exp(−max ll) times p's): log(E[p] + sd·z) moves by −max ll, its variance does not
    let ss = 0;
    let varEpd = 0;
    const eEpd = Math.exp(elpd - llMax);
    for (let j = 0; j < s; j++) {
      const w = e[j]! / total;
      const w2 = w * w;
      ss += w2;
      const d = lik[j]! - eEpd;
      varEpd += w2 * d * d;
    }
    pw.nEff[i] = (1 / ss) * rEff;
    const sdEpd = Math.sqrt(varEpd);
    const z = mcseZ();
    const zz = this.zz;
    let m = 0;
    for (let q = 0; q < MCSE_SAMPLES; q++) {
      const v = eEpd + sdEpd * z[q]!;
      if (v > 0) zz[m++] = Math.log(v);
    }
    pw.mcseElpdLoo[i] = Math.sqrt(variance(zz, 0, m) / rEff);
    this.likOf = null; // the cache serves relativeEff → pointwise of one observation only
  }

  /** logSumExp(ll + lw − norm) term by term (matrixStats), with `lw` the smoothed log weights. */
  private elpdBySum(values: Float64Array, off: number, norm: number): number {
    const s = this.s;
    const lw = this.lw;
    const tmp = this.tmp;
    let tAt = 0;
    for (let j = 0; j < s; j++) {
      const t = values[off + j]! + (lw[j]! - norm);
      tmp[j] = t;
      if (t > tmp[tAt]!) tAt = j;
    }
    return sumExpFromMax(tmp, 0, s, tAt);
  }
}

/**
 * Below this, the largest product lik_s·e_s of the fused elpd sum is too close to underflow for
 * the sum to keep its digits: elpd is then summed term by term.
 */
const MIN_FUSED_TERM = 1e-250;

/**
 * matrixStats' logSumExp of the finite x[a … b) whose (first) maximum is at `at`: the maximum
 * plus log1p of Σ exp(x − max) over the others, in order (numerics.ts `logSumExp` without its
 * search and its NaN / infinity cases, which finite values never reach).
 */
function sumExpFromMax(x: Float64Array, a: number, b: number, at: number): number {
  const xMax = x[at]!;
  let sum = 0;
  for (let j = a; j < b; j++) if (j !== at) sum += Math.exp(x[j]! - xMax);
  return xMax + Math.log1p(sum);
}

/**
 * r_eff and the pointwise PSIS-LOO of observations i0 … i1 − 1 (`psisLoo(ll, { rEff:
 * relativeEffOfLogLik(ll) })` for those rows), written into `pw`. Rows are independent, so any
 * split of 0 … N over threads gives the same arrays.
 */
export function looPointwiseRange(ll: LogLikelihoodMatrix, i0: number, i1: number, pw: LooPointwise, kernel = new LooKernel(ll.numDraws, ll.numChains)): void {
  for (let i = i0; i < i1; i++) kernel.pointwise(ll.values, i, kernel.relativeEff(ll.values, i * ll.numDraws), pw);
}

/**
 * `psisLoo(ll, { rEff: relativeEffOfLogLik(ll) })` in one sweep over the observations (what
 * `evaluateResults` reports): the same numbers, bit for bit, with exp(ll_i) computed once.
 */
export function psisLooWithRelativeEff(ll: LogLikelihoodMatrix): LooResult {
  buildLogLikelihoodMatrix(ll.values, ll.numDraws, ll.numObs, ll.numChains);
  const pw = allocatePointwise(ll.numObs);
  looPointwiseRange(ll, 0, ll.numObs, pw);
  return looFromPointwise(pw, ll.numDraws);
}

/** PSIS-LOO of a pointwise log-likelihood matrix (loo's `loo(x, r_eff)` for a matrix). */
export function psisLoo(ll: LogLikelihoodMatrix, options: PsisLooOptions = {}): LooResult {
  const { numDraws: s, numObs: n, values } = ll;
  buildLogLikelihoodMatrix(values, s, n, ll.numChains);
  const rEffOpt = options.rEff ?? 1;
  const rEff = new Float64Array(n);
  if (typeof rEffOpt === 'number') rEff.fill(rEffOpt);
  else {
    if (rEffOpt.length !== n) invalidArgument(`psisLoo: rEff has ${rEffOpt.length} values for ${n} observations; give one per observation.`);
    for (let i = 0; i < n; i++) rEff[i] = rEffOpt[i]!;
  }
  const pw = allocatePointwise(n);
  const kernel = new LooKernel(s, ll.numChains);
  for (let i = 0; i < n; i++) kernel.pointwise(values, i, rEff[i]!, pw);
  return looFromPointwise(pw, s);
}

/** Totals, standard errors and the Pareto-k counts of pointwise LOO values over S draws. */
export function looFromPointwise(pw: LooPointwise, s: number): LooResult {
  const n = pw.elpdLoo.length;
  const est = (x: Float64Array) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x[i]!;
    return { estimate: sum, se: Math.sqrt(n * variance(x)) };
  };
  const e = est(pw.elpdLoo);
  const p = est(pw.pLoo);
  const ic = est(pw.looic);
  const threshold = paretoKThreshold(s);
  let numHighK = 0;
  let numKAbove07 = 0;
  let numKAbove1 = 0;
  let maxK = -Infinity;
  for (const k of pw.paretoK) {
    if (k > threshold) numHighK++;
    if (k > 0.7) numKAbove07++;
    if (k > 1) numKAbove1++;
    if (k > maxK) maxK = k;
  }
  return {
    elpdLoo: e.estimate,
    seElpdLoo: e.se,
    pLoo: p.estimate,
    sePLoo: p.se,
    looic: ic.estimate,
    seLooic: ic.se,
    numDraws: s,
    numObs: n,
    pointwise: pw,
    paretoKThreshold: threshold,
    numHighK,
    numKAbove07,
    numKAbove1,
    maxParetoK: maxK,
  };
}

