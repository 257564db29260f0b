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
 * - `relativeEff`'s autocovariance pads to a power of two (sampler's FFT) and then applies loo's
 *   scale factor fft_next_good_size(N)/N, which loo's own padding to 2·fft_next_good_size(N)
 *   introduces; the result is the same up to rounding.
 */
import { autocovariance } from '@tributary/sampler';
import { invalidArgument } from './errors.js';
import { fftNextGoodSize, mean, selectRank, variance } from './numerics.js';

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
  let maxLr = -Infinity;
  for (let i = 0; i < s; i++) {
    const v = logRatios[i]!;
    if (!Number.isFinite(v)) invalidArgument(`psis: log ratio ${i + 1} is ${v}; all values must be finite (as in loo).`);
    if (v > maxLr) maxLr = v;
  }
  const lw = new Float64Array(s);
  for (let i = 0; i < s; i++) lw[i] = logRatios[i]! - maxLr;
  let khat = Infinity;
  if (tailLength >= PSIS_MIN_TAIL_LENGTH && tailLength < s) {
    // sort.int(lw, index.return = TRUE): ascending, ties in index order (stable). Only the
    // positions first − 1 … s − 1 are used, so only the draws at or above the cutoff value are
    // ordered (`tailOrder`); the result is the full sort's.
    const first = s - tailLength;
    const order = tailOrder(lw, first - 1);
    const lwTail = new Float64Array(tailLength);
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
  return { logWeights: lw, paretoK: khat, tailLength };
}

/**
 * Indices of positions `from` … n − 1 of the stable ascending order of `x` (ties in index order),
 * as `order.sort((a, b) => x[a] − x[b] || a − b).slice(from)` but without ordering the whole
 * vector: the value at position `from` is found by selection on a copy, then only the
 * indices of values ≥ it are ordered by (value, index), and the last n − from of them are the
 * full order's (every index at or after position `from` has a value ≥ that one).
 */
function tailOrder(x: Float64Array, from: number): Int32Array {
  const n = x.length;
  const threshold = selectRank(Float64Array.from(x), from);
  let count = 0;
  for (let i = 0; i < n; i++) if (x[i]! >= threshold) count++;
  const candidates = new Int32Array(count);
  count = 0;
  for (let i = 0; i < n; i++) if (x[i]! >= threshold) candidates[count++] = i;
  candidates.sort((a, b) => x[a]! - x[b]! || a - b);
  return candidates.subarray(count - (n - from));
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
  return essRfun(chains.map((c) => Float64Array.from(c))) / (m * n);
}

/** loo's `ess_rfun(sims)` (sims: iterations × chains). */
function essRfun(sims: Float64Array[]): number {
  const m = sims.length;
  const n = sims[0]!.length;
  const scale = fftNextGoodSize(n) / n; // loo's autocovariance pads to 2·fft_next_good_size(N) and divides by 2N²
  const acov = sims.map((x) => {
    const ac = autocovariance(x);
    for (let t = 0; t < n; t++) ac[t] = ac[t]! * scale;
    return ac;
  });
  const chainMean = sims.map((x) => mean(x));
  const acovMean = (t: number) => {
    const v = new Float64Array(m);
    for (let c = 0; c < m; c++) v[c] = acov[c]![t]!;
    return mean(v);
  };
  const meanVar = (acovMean(0) * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (m > 1) varPlus += variance(chainMean);
  const rho = new Float64Array(n);
  let t = 0;
  let rhoEven = 1;
  rho[0] = rhoEven;
  let rhoOdd = 1 - (meanVar - acovMean(1)) / varPlus;
  rho[1] = rhoOdd;
  while (t < n - 5 && !Number.isNaN(rhoEven + rhoOdd) && rhoEven + rhoOdd > 0) {
    t += 2;
    rhoEven = 1 - (meanVar - acovMean(t)) / varPlus;
    rhoOdd = 1 - (meanVar - acovMean(t + 1)) / varPlus;
    if (rhoEven + rhoOdd >= 0) {
      rho[t] = rhoEven;
      rho[t + 1] = rhoOdd;
    }
  }
  const maxT = t;
  if (rhoEven > 0) rho[maxT] = rhoEven;
  t = 0;
  while (t <= maxT - 4) {
    t += 2;
    if (rho[t]! + rho[t + 1]! > rho[t - 2]! + rho[t - 1]!) {
      rho[t] = (rho[t - 2]! + rho[t - 1]!) / 2;
      rho[t + 1] = rho[t]!;
    }
  }
  const ess = m * n;
  // sum(rho_hat_t[1:max_t]): for max_t = 0, R's 1:0 selects element 1 only
  let sum = 0;
  if (maxT === 0) sum = rho[0]!;
  else for (let i = 0; i < maxT; i++) sum += rho[i]!;
  let tau = -1 + 2 * sum + rho[maxT]!;
  tau = Math.max(tau, 1 / Math.log10(ess));
  return ess / tau;
}
