// Convergence diagnostics for the draws of one parameter: R-hat, effective sample sizes and Monte
// Carlo standard errors.
//
// References
// - A. Vehtari, A. Gelman, D. Simpson, B. Carpenter & P.-C. Bürkner (2021), "Rank-normalization,
//   folding, and localization: An improved R-hat for assessing convergence of MCMC",
//   Bayesian Analysis 16(2), 667–718.
// - C. J. Geyer (1992), "Practical Markov chain Monte Carlo", Statistical Science 7(4).
// - R package posterior 1.4.0 (stan-dev/posterior, R/convergence.R): the anchor implementation.
//   The fixtures in test/fixtures/diagnostics/ come from it (make_fixtures.R).
//
// Followed exactly (posterior 1.4.0):
// - split chains (`.split_chains`: first and last floor(n/2) draws, odd n drops the middle one);
// - rank normalization with Blom's offsets (z_scale, c = 3/8), average ranks for ties;
// - folding around the pooled median (fold_draws: |x - median(x)|);
// - `rhat` = max(rank-normalized split-R-hat, rank-normalized folded split-R-hat) (Vehtari et al.
//   2021, Sec. 4.2); `rhatBasic` = the classic (split) R-hat;
// - `.ess`: FFT autocovariances per chain, the multi-chain autocorrelation
//   rho_t = 1 - (W - mean acov_t) / var+, Geyer's initial positive sequence, the improved
//   truncated estimate tau = -1 + 2 * sum(rho[0 .. maxT-1]) + rho[maxT] (antithetic case) and the
//   cap tau >= 1 / log10(S) (so ESS <= S log10 S), including R's behaviour when maxT = 0;
// - ess_bulk, ess_tail (min over the 5 % and 95 % quantile indicators), ess_basic, ess_mean,
//   ess_sd (ESS of |x - mean| in 1.4.0), ess_quantile;
// - mcse_mean = sd / sqrt(ess_mean); mcse_sd as in 1.4.0 (delta method from the variance of the
//   squared centred draws with ess_mean of those: sqrt((E[c^4] - E[c^2]^2) / ess / E[c^2] / 4),
//   no normality assumption). posterior <= 1.2.1 used sd * sqrt(e (1 - 1/ess_sd)^(ess_sd - 1) - 1)
//   (normality + Stirling); 1.2.2 switched (#232). Later releases may change it again: regenerate
//   the fixtures (make_fixtures.R) and re-run the tests when the reference version moves;
//   mcse_quantile from Beta quantiles at 0.1586553 / 0.8413447 with floor/ceiling indices;
// - NaN where posterior returns NA: constant draws (max - min < machine epsilon), fewer than 3
//   draws per split chain for ESS, a single draw per half chain for R-hat.
//
// Deviations
// - Any non-finite draw (NaN or ±Infinity) makes every statistic NaN. posterior returns NA for
//   NA/NaN but still computes the rank-based R-hat and bulk-ESS when draws are ±Inf.
// - FFT padding: next power of two >= 2N instead of 2 * nextn(N); equal up to rounding.
// - Sums are plain double precision (R accumulates means in long double); on the fixtures every
//   statistic agrees to better than 1e-14 relative (the tests require 1e-6).
// - posterior warns when the ESS cap binds; we cap silently.

import { DiagnosticsError } from './errors.js';
import type { ParameterDraws } from './draws.js';
import { checkChains, hasNonFinite, isDegenerate, mapDraws, pool, splitChains } from './draws.js';
import { autocovariance } from './fft.js';
import { mean, medianSorted, quantileSorted, sd, sortedCopy, variance } from './moments.js';
import { zScale } from './rank.js';
import { qbeta } from './special.js';

// --- cores (posterior's .rhat and .ess), on already split/transformed chains ----------------------

/** posterior's `.rhat` on the given chains (no splitting, no rank normalization). */
function rhatOfChains(chains: readonly Float64Array[]): number {
  if (isDegenerate(chains)) return NaN;
  const numChains = chains.length;
  const n = chains[0]!.length;
  const chainMeans = new Float64Array(numChains);
  let sumVar = 0;
  for (let c = 0; c < numChains; c++) {
    const m = mean(chains[c]!);
    chainMeans[c] = m;
    sumVar += variance(chains[c]!, m);
  }
  const varBetween = n * variance(chainMeans);
  const varWithin = sumVar / numChains;
  return Math.sqrt((varBetween / varWithin + n - 1) / n);
}

/** posterior's `.ess` on the given chains (no splitting, no rank normalization). */
function essOfChains(chains: readonly Float64Array[]): number {
  const numChains = chains.length;
  const n = chains[0]!.length;
  if (n < 3 || isDegenerate(chains)) return NaN;

  const acovMeans = new Float64Array(n);
  const acov = new Float64Array(n);
  const chainMeans = new Float64Array(numChains);
  for (let c = 0; c < numChains; c++) {
    autocovariance(chains[c]!, acov);
    for (let t = 0; t < n; t++) acovMeans[t] = acovMeans[t]! + acov[t]!;
    chainMeans[c] = mean(chains[c]!);
  }
  for (let t = 0; t < n; t++) acovMeans[t] = acovMeans[t]! / numChains;

  const meanVar = (acovMeans[0]! * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (numChains > 1) varPlus += variance(chainMeans);

  // Geyer's initial positive sequence (0-based: rho[t] is R's rho_hat_t[t + 1])
  const rho = new Float64Array(n);
  let t = 0;
  let rhoEven = 1;
  rho[0] = rhoEven;
  let rhoOdd = 1 - (meanVar - acovMeans[1]!) / varPlus;
  rho[1] = rhoOdd;
  while (t < n - 5 && !Number.isNaN(rhoEven + rhoOdd) && rhoEven + rhoOdd > 0) {
    t += 2;
    rhoEven = 1 - (meanVar - acovMeans[t]!) / varPlus;
    rhoOdd = 1 - (meanVar - acovMeans[t + 1]!) / varPlus;
    if (rhoEven + rhoOdd >= 0) {
      rho[t] = rhoEven;
      rho[t + 1] = rhoOdd;
    }
  }
  const maxT = t;
  // used in the improved estimate
  if (rhoEven > 0) rho[maxT] = rhoEven;

  // Geyer's initial monotone sequence
  t = 0;
  while (t <= maxT - 4) {
    t += 2;
    if (rho[t]! + rho[t + 1]! > rho[t - 2]! + rho[t - 1]!) {
      rho[t] = (rho[t - 2]! + rho[t - 1]!) / 2;
      rho[t + 1] = rho[t]!;
    }
  }

  const numDraws = numChains * n;
  // R's sum(rho_hat_t[1:max_t]); when max_t = 0, 1:0 selects only the first element.
  let sumRho = 0;
  for (let k = 0; k < Math.max(maxT, 1); k++) sumRho += rho[k]!;
  let tau = -1 + 2 * sumRho + rho[maxT]!;
  // Safety check for negative values and with max ess equal to ess * log10(ess)
  const tauBound = 1 / Math.log10(numDraws);
  if (tau < tauBound) tau = tauBound;
  return numDraws / tau;
}

// --- public statistics ------------------------------------------------------------------------

/**
 * R-hat (Vehtari et al. 2021): the maximum of the rank-normalized split-R-hat and the
 * rank-normalized split-R-hat of the draws folded around their median. NaN for constant or
 * non-finite draws.
 */
export function rhat(draws: ParameterDraws): number {
  checkChains(draws, 'rhat');
  if (hasNonFinite(draws)) return NaN;
  const bulk = rhatOfChains(zScale(splitChains(draws)));
  const tail = rhatOfChains(zScale(splitChains(foldDraws(draws))));
  return Math.max(bulk, tail);
}

export interface SplitOption {
  /** Split each chain in two halves first (default true). */
  readonly split?: boolean;
}

/** The classic (potential scale reduction) R-hat, of split chains unless `split: false`. */
export function rhatBasic(draws: ParameterDraws, options: SplitOption = {}): number {
  checkChains(draws, 'rhatBasic');
  if (hasNonFinite(draws)) return NaN;
  return rhatOfChains(options.split === false ? draws : splitChains(draws));
}

/** Bulk-ESS: the ESS of the rank-normalized split chains. */
export function essBulk(draws: ParameterDraws): number {
  checkChains(draws, 'essBulk');
  if (hasNonFinite(draws)) return NaN;
  return essOfChains(zScale(splitChains(draws)));
}

/** Tail-ESS: the smaller of the ESS of the 5 % and the 95 % quantile estimates. */
export function essTail(draws: ParameterDraws): number {
  checkChains(draws, 'essTail');
  return Math.min(essQuantileChecked(draws, 0.05), essQuantileChecked(draws, 0.95));
}

/** The ESS of the (split, unless `split: false`) draws themselves, without rank normalization. */
export function essBasic(draws: ParameterDraws, options: SplitOption = {}): number {
  checkChains(draws, 'essBasic');
  return essOfChains(options.split === false ? draws : splitChains(draws));
}

/** ESS of the mean estimate (posterior's ess_mean: the split-chain ESS of the draws). */
export function essMean(draws: ParameterDraws): number {
  checkChains(draws, 'essMean');
  return essOfChains(splitChains(draws));
}

/** ESS of the standard-deviation estimate (posterior 1.4.0: the ESS of |x - mean(x)|). */
export function essSd(draws: ParameterDraws): number {
  checkChains(draws, 'essSd');
  if (hasNonFinite(draws)) return NaN;
  const m = mean(pool(draws));
  return essOfChains(splitChains(mapDraws(draws, (x) => Math.abs(x - m))));
}

/** ESS of the `prob` quantile estimate: the split-chain ESS of the indicator x <= quantile. */
export function essQuantile(draws: ParameterDraws, prob: number): number {
  checkChains(draws, 'essQuantile');
  checkProb(prob, 'essQuantile');
  return essQuantileChecked(draws, prob);
}

function essQuantileChecked(draws: ParameterDraws, prob: number): number {
  if (isDegenerate(draws)) return NaN;
  let p = prob;
  if (p === 1) {
    const len = draws.length * draws[0]!.length;
    p = (len - 0.5) / len;
  }
  const q = quantileSorted(sortedCopy(pool(draws)), p);
  return essOfChains(splitChains(mapDraws(draws, (x) => (x <= q ? 1 : 0))));
}

/** Monte Carlo standard error of the mean: sd / sqrt(essMean). */
export function mcseMean(draws: ParameterDraws): number {
  checkChains(draws, 'mcseMean');
  return sd(pool(draws)) / Math.sqrt(essMean(draws));
}

/**
 * Monte Carlo standard error of the standard deviation, as posterior 1.4.0: with c = x - mean(x)
 * and E the pooled mean, sqrt((E[c^4] - E[c^2]^2) / essMean(c^2) / E[c^2] / 4).
 */
export function mcseSd(draws: ParameterDraws): number {
  checkChains(draws, 'mcseSd');
  if (hasNonFinite(draws)) return NaN;
  const m = mean(pool(draws));
  const squared = mapDraws(draws, (x) => (x - m) * (x - m));
  const fourth = mapDraws(squared, (s) => s * s);
  const ess = essOfChains(splitChains(squared));
  const eVar = mean(pool(squared));
  const varVar = (mean(pool(fourth)) - eVar * eVar) / ess;
  const varSd = varVar / eVar / 4;
  return Math.sqrt(varSd);
}

/**
 * Monte Carlo standard error of the `prob` quantile estimate (posterior's mcse_quantile): half
 * the distance between the order statistics at the 0.1586553 and 0.8413447 quantiles of
 * Beta(ess p + 1, ess (1 - p) + 1), with ess = essQuantile(draws, prob).
 */
export function mcseQuantile(draws: ParameterDraws, prob: number): number {
  checkChains(draws, 'mcseQuantile');
  checkProb(prob, 'mcseQuantile');
  const ess = essQuantileChecked(draws, prob);
  if (Number.isNaN(ess)) return NaN;
  const a1 = qbeta(0.1586553, ess * prob + 1, ess * (1 - prob) + 1);
  const a2 = qbeta(0.8413447, ess * prob + 1, ess * (1 - prob) + 1);
  const sorted = sortedCopy(pool(draws));
  const s = sorted.length;
  const th1 = sorted[Math.max(Math.floor(a1 * s), 1) - 1]!;
  const th2 = sorted[Math.min(Math.ceil(a2 * s), s) - 1]!;
  return (th2 - th1) / 2;
}

/** The `prob` quantile of the pooled draws, R's default (type 7). NaN if a draw is NaN. */
export function quantile(draws: ParameterDraws, prob: number): number {
  checkChains(draws, 'quantile');
  checkProb(prob, 'quantile');
  const pooled = pool(draws);
  for (let i = 0; i < pooled.length; i++) if (Number.isNaN(pooled[i]!)) return NaN;
  return quantileSorted(sortedCopy(pooled), prob);
}

/** posterior's fold_draws: |x - median(x)| over the pooled draws, keeping chains. */
function foldDraws(draws: ParameterDraws): Float64Array[] {
  const m = medianSorted(sortedCopy(pool(draws)));
  return mapDraws(draws, (x) => Math.abs(x - m));
}

function checkProb(prob: number, where: string): void {
  if (!(prob >= 0 && prob <= 1)) {
    throw new DiagnosticsError('INVALID_ARGUMENT', `${where}: prob must be in [0, 1], got ${prob}.`);
  }
}
