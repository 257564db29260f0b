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
 *   `relativeEffOfLogLik(ll)` (loo's recommended `relative_eff(exp(ll), chain_id)`).
 */
import { invalidArgument } from './errors.js';
import { qnorm } from '@tributary/sampler';
import { logSumExp, variance } from './numerics.js';
import { paretoKThreshold, psis, relativeEff } from './psis.js';

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
  const { numDraws: s, numObs, numChains } = ll;
  const per = s / numChains;
  const out = new Float64Array(numObs);
  for (let i = 0; i < numObs; i++) {
    const chains: Float64Array[] = [];
    for (let c = 0; c < numChains; c++) {
      const x = new Float64Array(per);
      for (let t = 0; t < per; t++) x[t] = Math.exp(ll.values[i * s + c * per + t]!);
      chains.push(x);
    }
    out[i] = relativeEff(chains);
  }
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
  const pw = {
    elpdLoo: new Float64Array(n),
    mcseElpdLoo: new Float64Array(n),
    pLoo: new Float64Array(n),
    looic: new Float64Array(n),
    paretoK: new Float64Array(n),
    nEff: new Float64Array(n),
    rEff,
    tailLength: new Int32Array(n),
  };
  const z = mcseZ();
  const logRatios = new Float64Array(s);
  const tmp = new Float64Array(s);
  const zz = new Float64Array(MCSE_SAMPLES);
  for (let i = 0; i < n; i++) {
    const off = i * s;
    for (let j = 0; j < s; j++) {
      const v = values[off + j]!;
      if (!Number.isFinite(v)) invalidArgument(`psisLoo: log-likelihood of draw ${j + 1}, observation ${i + 1} is ${v}; all values must be finite.`);
      logRatios[j] = -v;
    }
    const r = psis(logRatios, rEff[i]!);
    const lw = r.logWeights;
    const norm = logSumExp(lw);
    for (let j = 0; j < s; j++) lw[j] = lw[j]! - norm;
    for (let j = 0; j < s; j++) tmp[j] = values[off + j]! + lw[j]!;
    const elpd = logSumExp(tmp);
    const lpd = logSumExp(values, off, off + s) - Math.log(s);
    pw.elpdLoo[i] = elpd;
    pw.pLoo[i] = lpd - elpd;
    pw.looic[i] = -2 * elpd;
    pw.paretoK[i] = r.paretoK;
    pw.tailLength[i] = r.tailLength;
    // n_eff = r_eff / Σ w² ; mcse_elpd
    let ss = 0;
    let varEpd = 0;
    const eEpd = Math.exp(elpd);
    for (let j = 0; j < s; j++) {
      const w = Math.exp(lw[j]!);
      const w2 = w * w;
      ss += w2;
      const d = Math.exp(values[off + j]!) - eEpd;
      varEpd += w2 * d * d;
    }
    pw.nEff[i] = (1 / ss) * rEff[i]!;
    const sdEpd = Math.sqrt(varEpd);
    let m = 0;
    for (let q = 0; q < MCSE_SAMPLES; q++) {
      const v = eEpd + sdEpd * z[q]!;
      if (v > 0) zz[m++] = Math.log(v);
    }
    pw.mcseElpdLoo[i] = Math.sqrt(variance(zz, 0, m) / rEff[i]!);
  }
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

