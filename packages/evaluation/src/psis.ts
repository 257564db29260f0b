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
 * - Speed, not numbers: loo sorts all S log ratios (`sort.int`) to find the M + 1 largest; here a
 *   bounded min-heap keyed by (value, index) keeps them while scanning the S values once
 *   (O(S + M·log M·log(S/M))) and hands them over in the order of R's stable sort
 *   (`largestInOrder`; test/psis-tail-order.test.ts checks it against a full stable sort), and
 *   the per-observation work runs on reused buffers (`PsisScratch`). The smoothed weights and k
 *   are those of the full sort, bit for bit.
 */
import { invalidArgument } from './errors.js';
import { EssScratch } from './ess.js';
import { fftNextGoodSize, mean } from './numerics.js';

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
  private readonly heap: Int32Array;
  private readonly tail: Float64Array;

  constructor(maxDraws: number) {
    this.heap = new Int32Array(Math.max(maxDraws, 1));
    this.tail = new Float64Array(Math.max(maxDraws, 1));
  }

  /**
   * loo's `do_psis_i` in place: `lw` holds S finite log ratios and receives the smoothed,
   * truncated log weights (not normalized); returns k̂ (Infinity when not smoothed).
   */
  smoothInPlace(lw: Float64Array, tailLength: number): number {
    const s = lw.length;
    let maxLr = -Infinity;
    for (let i = 0; i < s; i++) if (lw[i]! > maxLr) maxLr = lw[i]!;
    for (let i = 0; i < s; i++) lw[i] = lw[i]! - maxLr;
    let khat = Infinity;
    if (tailLength >= PSIS_MIN_TAIL_LENGTH && tailLength < s) {
      // sort.int(lw, index.return = TRUE): ascending, ties in index order (stable); only positions
      // s − tailLength − 1 … s − 1 (the cutoff and the tail) are used.
      const order = largestInOrder(lw, tailLength + 1, this.heap);
      const lwTail = this.tail.subarray(0, tailLength);
      for (let i = 0; i < tailLength; i++) lwTail[i] = lw[order[1 + i]!]!;
      if (Math.abs(lwTail[tailLength - 1]! - lwTail[0]!) >= Number.EPSILON / 100) {
        const cutoff = lw[order[0]!]!;
        const smoothed = smoothTail(lwTail, cutoff);
        khat = smoothed.k;
        for (let i = 0; i < tailLength; i++) lw[order[1 + i]!] = smoothed.tail[i]!;
      }
    }
    for (let i = 0; i < s; i++) {
      if (lw[i]! > 0) lw[i] = 0;
      lw[i] = lw[i]! + maxLr;
    }
    return khat;
  }
}

/**
 * The indices of the `k` largest values of `x` in the stable ascending order (by value, ties by
 * index) — what `order.sort((a, b) => x[a] − x[b] || a − b).slice(n − k)` returns — without
 * ordering the rest: a min-heap of k indices keyed by (value, index) sees every value once and
 * keeps the k largest keys, then is emptied smallest first. `heap` (length ≥ k) is the scratch
 * the result is written into (a view of it is returned). No NaN in `x` (−0 and 0 are equal).
 */
export function largestInOrder(x: Float64Array, k: number, heap: Int32Array = new Int32Array(k)): Int32Array {
  const n = x.length;
  if (!(k >= 0 && k <= n && heap.length >= k)) invalidArgument(`largestInOrder: k = ${k} must be in 0 … ${n} (and fit the heap).`);
  for (let i = 0; i < k; i++) heap[i] = i;
  for (let i = (k >> 1) - 1; i >= 0; i--) siftDown(x, heap, i, k);
  if (k > 0) {
    let top = x[heap[0]!]!;
    for (let i = k; i < n; i++) {
      // i comes after every index in the heap, so it displaces the smallest key unless smaller
      if (x[i]! >= top) {
        heap[0] = i;
        siftDown(x, heap, 0, k);
        top = x[heap[0]!]!;
      }
    }
  }
  // heap sort with the min-heap: each smallest key goes to the end, leaving descending order
  for (let size = k - 1; size > 0; size--) {
    const t = heap[0]!;
    heap[0] = heap[size]!;
    heap[size] = t;
    siftDown(x, heap, 0, size);
  }
  const out = heap.subarray(0, k);
  out.reverse();
  return out;
}

/** Min-heap sift-down of heap[root] among heap[0 … size) by the key (x[i], i). */
function siftDown(x: Float64Array, heap: Int32Array, root: number, size: number): void {
  const item = heap[root]!;
  const xItem = x[item]!;
  let i = root;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= size) break;
    let c = heap[child]!;
    let xc = x[c]!;
    if (child + 1 < size) {
      const r = heap[child + 1]!;
      const xr = x[r]!;
      if (xr < xc || (xr === xc && r < c)) {
        child++;
        c = r;
        xc = xr;
      }
    }
    // stop unless the child's key is smaller than the item's
    if (!(xc < xItem || (xc === xItem && c < item))) break;
    heap[i] = c;
    i = child;
  }
  heap[i] = item;
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
