/**
 * Pareto smoothed importance sampling (PSIS) and the relative efficiency of MCMC draws, as in
 * R's loo 2.5.1 (R/psis.R, R/gpdfit.R, R/effective_sample_sizes.R), transcribed function by
 * function so that Pareto k and the smoothed weights agree with loo to rounding.
 *
 * References
 * - A. Vehtari, D. Simpson, A. Gelman, Y. Yao, J. Gabry (2024). Pareto smoothed importance
 *   sampling. JMLR 25(72):1–58 (arXiv:1507.02646).
 * - A. Vehtari, A. Gelman, J. Gabry (2017). Practical Bayesian model evaluation using
 *   leave-one-out cross-validation and WAIC. Statistics and Computing 27:1413–1432.
 * - J. Zhang, M. A. Stephens (2009). A new and efficient estimation method for the generalized
 *   Pareto distribution. Technometrics 51:316–325 (with loo's weakly informative prior: the
 *   estimate k is shrunk towards 0.5 as if by 10 extra observations, `adjust_k_wip`).
 * - loo 2.5.1 sources: `do_psis_i`, `psis_smooth_tail`, `gpdfit`, `lx`, `qgpd`, `n_pareto`,
 *   `enough_tail_samples`, `relative_eff`, `ess_rfun`, `autocovariance`, `fft_next_good_size`.
 *
 * What it does, per observation (one vector of S log importance ratios):
 * - tail length M = ceiling(min(0.2·S, 3·sqrt(S / r_eff))); fewer than 5 tail draws: no
 *   smoothing and k = Infinity;
 * - the M largest ratios (after subtracting the maximum) are replaced by the expected order
 *   statistics of a generalized Pareto fit (Zhang & Stephens, 30 + floor(sqrt(M)) grid points,
 *   prior 3) above the (M+1)-th largest; then every log weight is truncated at the raw maximum.
 *
 * Deviations from loo
 * - Sums are doubles, R's `sum`/`mean` accumulate in long double: agreement is to rounding
 *   (Pareto k to ~1e-12 on the fixtures), not bit for bit.
 * - loo warns ("Some Pareto k diagnostic values are too high", "Not enough tail samples");
 *   here those facts are returned as data (k = Infinity, counts of high k) and nothing is printed.
 * - `relativeEff` is loo 2.5.1's `relative_eff` / `ess_rfun` (Geyer's sequence on the chains as
 *   they are, no splitting). Later loo releases call `posterior::ess_basic`, which splits each
 *   chain in two first; the fixtures (and this code) are 2.5.1's. The autocovariances are summed
 *   directly for the few lags Geyer's truncation reads (ess.ts; FFT beyond DIRECT_LAG_LIMIT
 *   lags, as loo always does) with loo's scale factor fft_next_good_size(N)/N, which loo's own
 *   padding to 2·fft_next_good_size(N) introduces; the result is the same up to rounding.
 * - Speed, not numbers: loo sorts all S log ratios (`sort.int`) to find the M + 1 largest; here
 *   (`largestInOrder`) a threshold at or below the (M + 1)-th largest is selected in linear time
 *   (guessed from a sorted strided sample of 256 values, checked by the count of values above it,
 *   lowered when too high), and only the ≈ M + 1 values above it are sorted and handed over in
 *   the order of R's stable sort (test/psis-tail-order.test.ts and test/loo-kernel.test.ts check
 *   it against a full stable sort, ties, −0 and autocorrelated vectors included). It replaced a
 *   bounded min-heap (O(S + M·log M·log(S/M))): the same result, ≈ 25 % less time on the 40-market
 *   benchmark (bench/results/evaluate-speed.md). The per-observation work runs on reused buffers
 *   (`PsisScratch`). The smoothed weights and k are those of the full sort, bit for bit.
 */
import { invalidArgument } from './errors.js';
import { EssScratch } from './ess.js';
import { fftNextGoodSize, lowerBound, mean } from './numerics.js';

/** Minimum number of tail draws for a generalized Pareto fit (loo's `enough_tail_samples`). */
export const PSIS_MIN_TAIL_LENGTH = 5;

/** loo's `n_pareto`: ceiling(min(0.2·S, 3·sqrt(S / r_eff))). */
export function psisTailLength(numDraws: number, rEff = 1): number {
  return Math.ceil(Math.min(0.2 * numDraws, 3 * Math.sqrt(numDraws / rEff)));
}

/**
 * Sample-size-dependent Pareto k threshold min(1 − 1/log10(S), 0.7) (Vehtari et al. 2024,
 * Sec. 3; loo ≥ 2.6 `ps_khat_threshold`): above it the PSIS estimate is unreliable.
 */
export function paretoKThreshold(numDraws: number): number {
  return Math.min(1 - 1 / Math.log10(numDraws), 0.7);
}

export interface GpdFit {
  /** Shape, after the weakly informative prior; Infinity when the fit failed (NaN). */
  readonly k: number;
  readonly sigma: number;
}

/**
 * Generalized Pareto fit by Zhang & Stephens (2009) with loo's defaults (`gpdfit(x, wip = TRUE,
 * min_grid_pts = 30, sort_x)`). `x` must be sorted ascending and positive (exceedances above a
 * threshold).
 */
export function gpdFit(x: Float64Array): GpdFit {
  const n = x.length;
  const prior = 3;
  const m = 30 + Math.floor(Math.sqrt(n));
  const xstar = x[Math.floor(n / 4 + 0.5) - 1]!;
  const xMax = x[n - 1]!;
  const theta = new Float64Array(m);
  const lTheta = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    theta[j] = 1 / xMax + (1 - Math.sqrt(m / (j + 1 - 0.5))) / prior / xstar;
  }
  // lx(theta, x): a = −theta; k = mean(log1p(a·x)); log(a / k) − k − 1; times n
  const tmp = new Float64Array(n);
  for (let j = 0; j < m; j++) {
    const a = -theta[j]!;
    for (let i = 0; i < n; i++) tmp[i] = Math.log1p(a * x[i]!);
    const k = mean(tmp);
    lTheta[j] = n * (Math.log(a / k) - k - 1);
  }
  const lse = logSumExpLocal(lTheta);
  let thetaHat = 0;
  for (let j = 0; j < m; j++) thetaHat += theta[j]! * Math.exp(lTheta[j]! - lse);
  for (let i = 0; i < n; i++) tmp[i] = Math.log1p(-thetaHat * x[i]!);
  let k = mean(tmp);
  const sigma = -k / thetaHat;
  // adjust_k_wip: as if 10 more observations with k = 0.5
  const a = 10;
  k = (k * n) / (n + a) + (a * 0.5) / (n + a);
  if (Number.isNaN(k)) k = Infinity;
  return { k, sigma };
}

/** matrixStats::logSumExp over a whole vector (max + log1p of the other terms). */
function logSumExpLocal(x: Float64Array): number {
  let iMax = 0;
  for (let i = 1; i < x.length; i++) if (x[i]! > x[iMax]!) iMax = i;
  const xMax = x[iMax]!;
  if (!Number.isFinite(xMax)) return xMax;
  let s = 0;
  for (let i = 0; i < x.length; i++) if (i !== iMax) s += Math.exp(x[i]! - xMax);
  return xMax + Math.log1p(s);
}

/** loo's `qgpd(p, k, sigma)`: sigma·expm1(−k·log1p(−p))/k; NaN when sigma ≤ 0 or NaN. */
function qgpd(p: number, k: number, sigma: number): number {
  if (Number.isNaN(sigma) || sigma <= 0) return NaN;
  return (sigma * Math.expm1(-k * Math.log1p(-p))) / k;
}

export interface PsisResult {
  /**
   * Smoothed, truncated log weights (not normalized; loo's `psis(...)$log_weights`). Subtract
   * `logSumExp` of them to normalize.
   */
  readonly logWeights: Float64Array;
  /** Pareto shape estimate k̂; Infinity when the tail was too short or the fit failed. */
  readonly paretoK: number;
  readonly tailLength: number;
}

/**
 * PSIS of one vector of log importance ratios (for LOO: −log p(y_i | θ_s), s = 1 … S), loo's
 * `do_psis_i`. `rEff` is the relative MCMC efficiency of exp(−ratios), used for the tail length.
 */
export function psis(logRatios: ArrayLike<number>, rEff = 1): PsisResult {
  const s = logRatios.length;
  if (s < 2) invalidArgument(`psis: need at least 2 draws, got ${s}.`);
  if (!(rEff > 0)) invalidArgument(`psis: rEff must be > 0, got ${rEff}.`);
  return psisWithTail(logRatios, psisTailLength(s, rEff));
}

/** `psis` with an explicit tail length (loo's `do_psis_i(log_ratios_i, tail_len_i)`). */
export function psisWithTail(logRatios: ArrayLike<number>, tailLength: number): PsisResult {
  const s = logRatios.length;
  const lw = new Float64Array(s);
  for (let i = 0; i < s; i++) {
    const v = logRatios[i]!;
    if (!Number.isFinite(v)) invalidArgument(`psis: log ratio ${i + 1} is ${v}; all values must be finite (as in loo).`);
    lw[i] = v;
  }
  const paretoK = new PsisScratch(s).smoothInPlace(lw, tailLength);
  return { logWeights: lw, paretoK, tailLength };
}

/** Reused buffers of `psisWithTail` for vectors of up to `maxDraws` log ratios (one per thread). */
export class PsisScratch {
  private readonly select: TailScratch;
  private readonly tail: Float64Array;

  constructor(maxDraws: number) {
    this.select = new TailScratch(maxDraws);
    this.tail = new Float64Array(Math.max(maxDraws, 1));
  }

  /** The (first) index of the largest log weight `smoothInPlace` wrote last. */
  argMax = 0;

  /**
   * The indices of the tail `smoothInPlace` replaced last (empty when it did not smooth): every
   * other log weight is its log ratio, truncated at the maximum.
   */
  tailIndices: Int32Array = new Int32Array(0);

  /**
   * loo's `do_psis_i` in place: `lw` holds S finite log ratios and receives the smoothed,
   * truncated log weights (not normalized); returns k̂ (Infinity when not smoothed). `maxLr`,
   * the largest ratio, when the caller has it.
   */
  smoothInPlace(lw: Float64Array, tailLength: number, maxLr = maxOf(lw)): number {
    const s = lw.length;
    for (let i = 0; i < s; i++) lw[i] = lw[i]! - maxLr;
    let khat = Infinity;
    this.tailIndices = this.select.order.subarray(0, 0);
    if (tailLength >= PSIS_MIN_TAIL_LENGTH && tailLength < s) {
      // sort.int(lw, index.return = TRUE): ascending, ties in index order (stable); only positions
      // s − tailLength − 1 … s − 1 (the cutoff and the tail) are used.
      const order = largestInOrder(lw, tailLength + 1, this.select);
      const lwTail = this.tail.subarray(0, tailLength);
      for (let i = 0; i < tailLength; i++) lwTail[i] = lw[order[1 + i]!]!;
      if (Math.abs(lwTail[tailLength - 1]! - lwTail[0]!) >= Number.EPSILON / 100) {
        const cutoff = lw[order[0]!]!;
        const smoothed = smoothTail(lwTail, cutoff);
        khat = smoothed.k;
        for (let i = 0; i < tailLength; i++) lw[order[1 + i]!] = smoothed.tail[i]!;
        this.tailIndices = order.subarray(1, 1 + tailLength);
      }
    }
    let argMax = 0;
    for (let i = 0; i < s; i++) {
      if (lw[i]! > 0) lw[i] = 0;
      lw[i] = lw[i]! + maxLr;
      if (lw[i]! > lw[argMax]!) argMax = i;
    }
    this.argMax = argMax;
    return khat;
  }
}

function maxOf(x: Float64Array): number {
  let m = -Infinity;
  for (let i = 0; i < x.length; i++) if (x[i]! > m) m = x[i]!;
  return m;
}

/** Buffers of `largestInOrder` for vectors of up to `maxLength` values. */
export class TailScratch {
  readonly candidates: Int32Array;
  readonly values: Float64Array;
  readonly placed: Int32Array;
  readonly order: Int32Array;
  readonly sample: Float64Array;

  constructor(maxLength: number) {
    const n = Math.max(maxLength, 1);
    this.candidates = new Int32Array(n);
    this.values = new Float64Array(n);
    this.placed = new Int32Array(n);
    this.order = new Int32Array(n);
    this.sample = new Float64Array(Math.min(n, TAIL_SAMPLE));
  }
}

/** Values in the sample that guesses the threshold of `largestInOrder`. */
const TAIL_SAMPLE = 256;

/**
 * The indices of the `k` largest values of `x` in the stable ascending order (by value, ties by
 * index) — what `order.sort((a, b) => x[a] − x[b] || a − b).slice(n − k)` returns — without
 * ordering the rest:
 * 1. a threshold at or below the k-th largest value is guessed from a strided sample of 256
 *    values (the sample value with about k·256/n, plus two standard deviations, sample values
 *    above it), and the c indices of the values ≥ threshold are collected in one scan; fewer than
 *    k (a guess too high) lowers the threshold and scans again, down to every index;
 * 2. only those c values are sorted (a numeric typed-array sort) and each candidate, in index
 *    order, is placed at its value's rank (binary search; equal values take consecutive ranks in
 *    index order, and the ties of the k-th largest value that do not fit are the lowest indices).
 * O(n + c·log c) with c ≈ k. No NaN in `x` (−0 and 0 are equal). The result is a view of
 * `scratch`.
 */
export function largestInOrder(x: Float64Array, k: number, scratch: TailScratch = new TailScratch(x.length)): Int32Array {
  const n = x.length;
  if (!(k >= 0 && k <= n && scratch.candidates.length >= n)) invalidArgument(`largestInOrder: k = ${k} must be in 0 … ${n} (and fit the scratch).`);
  const cand = scratch.candidates;
  if (k === 0) return cand.subarray(0, 0);
  const stride = Math.floor(n / TAIL_SAMPLE);
  const sample = scratch.sample;
  let m = 0;
  if (stride >= 4 && k * 4 < n) {
    m = TAIL_SAMPLE;
    for (let i = 0; i < m; i++) sample[i] = x[i * stride]!;
    sample.subarray(0, m).sort();
  }
  const expected = k / stride;
  let above = Math.ceil(expected + 2 * Math.sqrt(expected) + 1);
  let count = 0;
  for (;;) {
    const thr = above < m ? sample[m - above]! : -Infinity;
    count = 0;
    for (let i = 0; i < n; i++) if (x[i]! >= thr) cand[count++] = i;
    if (count >= k) break;
    above *= 2;
  }
  const values = scratch.values.subarray(0, count);
  for (let i = 0; i < count; i++) values[i] = x[cand[i]!]!;
  values.sort();
  const base = count - k;
  const kth = values[base]!;
  // placed[r]: how many candidates of the value first ranked r have been placed (in index order:
  // the ties of the k-th largest value that land below rank `base` are the lowest indices)
  const placed = scratch.placed;
  placed.fill(0, 0, count);
  const firstKth = lowerBound(values, kth, count);
  const out = scratch.order;
  for (let i = 0; i < count; i++) {
    const c = cand[i]!;
    const v = x[c]!;
    if (v < kth) continue;
    const r = v === kth ? firstKth : lowerBound(values, v, count);
    const at = r + placed[r]!;
    placed[r]!++;
    if (at >= base) out[at - base] = c;
  }
  return out.subarray(0, k);
}

/** loo's `psis_smooth_tail(x, cutoff)` for a sorted tail x (log scale). */
function smoothTail(x: Float64Array, cutoff: number): { tail: Float64Array; k: number } {
  const len = x.length;
  const expCutoff = Math.exp(cutoff);
  const ex = new Float64Array(len);
  for (let i = 0; i < len; i++) ex[i] = Math.exp(x[i]!) - expCutoff;
  const fit = gpdFit(ex);
  if (!Number.isFinite(fit.k)) return { tail: x, k: fit.k };
  const tail = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    const p = (i + 1 - 0.5) / len;
    tail[i] = Math.log(qgpd(p, fit.k, fit.sigma) + expCutoff);
  }
  return { tail, k: fit.k };
}

/**
 * Relative efficiency ESS / S of one quantity from its draws per chain (all chains equally
 * long), loo's `relative_eff(x, chain_id)` (`ess_rfun`: Geyer's initial monotone sequence on
 * the multi-chain autocorrelation, no chain splitting). For PSIS-LOO pass the likelihood
 * exp(log p(y_i | θ)), not the log-likelihood, as loo's documentation does.
 */
export function relativeEff(chains: readonly ArrayLike<number>[]): number {
  const m = chains.length;
  if (m === 0) invalidArgument('relativeEff: need at least one chain.');
  const n = chains[0]!.length;
  for (const c of chains) if (c.length !== n) invalidArgument('relativeEff: all chains must have the same number of draws.');
  if (n < 4) invalidArgument(`relativeEff: need at least 4 draws per chain, got ${n}.`);
  const x = new Float64Array(m * n);
  chains.forEach((c, k) => x.set(c, k * n));
  return relativeEffOfChains(x, m, new EssScratch(m, n));
}

/**
 * `relativeEff` of x holding `numChains` equally long chains one after another (≥ 4 draws each),
 * with the caller's scratch.
 */
export function relativeEffOfChains(x: Float64Array, numChains: number, scratch: EssScratch): number {
  const n = x.length / numChains;
  return scratch.ess(x, scratch.consecutiveStarts(numChains, n), numChains, n, { kind: 'loo', scale: fftNextGoodSize(n) / n }) / (numChains * n);
}
