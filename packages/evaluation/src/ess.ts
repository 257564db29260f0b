/**
 * Effective sample size of MCMC draws from the multi-chain autocorrelation with Geyer's initial
 * monotone sequence — the one core shared by posterior 1.4.0's `.ess` (R/convergence.R; as
 * `@tributary/sampler`'s `essOfChains`, used by summary.ts for bulk, tail and mean ESS) and loo
 * 2.5.1's `ess_rfun` (R/effective_sample_sizes.R, used by psis.ts's `relativeEff` for r_eff).
 * The two differ only in how the chains' autocovariances are averaged (`EssFlavour`).
 *
 * References
 * - C. J. Geyer (1992). Practical Markov chain Monte Carlo. Statistical Science 7(4):473–483.
 * - A. Vehtari, A. Gelman, D. Simpson, B. Carpenter, P.-C. Bürkner (2021). Rank-normalization,
 *   folding, and localization: an improved R-hat for assessing convergence of MCMC. Bayesian
 *   Analysis 16(2):667–718 (the multi-chain ρ_t = 1 − (W − mean acov_t) / var⁺, the improved
 *   truncation τ = −1 + 2·Σ_{t<maxT} ρ_t + ρ_maxT and the cap τ ≥ 1 / log10(S)).
 *
 * Followed exactly: per chain the mean (R's two-pass mean), the variance (n − 1) and the biased
 * autocovariance rescaled as posterior's / loo's `autocovariance` does
 * (acov_t = (Σ_i d_i·d_{i+t}) / (Σ_i d_i²) · var · (n − 1) / n, so lag 0 is bit for bit theirs; a
 * constant chain gives zeros, a non-finite one NaN); W, var⁺, Geyer's initial positive and monotone
 * sequences, R's `1:max_t` when max_t = 0, the cap.
 *
 * Deviation (speed; the same numbers to rounding): posterior and loo compute every lag by FFT
 * (zero-padded to 2·nextn(N)); Geyer's truncation reads only the lags up to max_t + 1, which is
 * a handful for a well-mixing chain. Here the lags are summed directly, two at a time, as the
 * sequence asks for them (Σ_i d_i·d_{i+t}: O(N) per lag and chain, no padding, no per-call
 * allocation); when a quantity needs more than `DIRECT_LAG_LIMIT` lags (a slowly mixing chain,
 * where the FFT is cheaper) every lag is recomputed with `@tributary/sampler`'s FFT
 * `autocovariance` and the sequence restarts, so those results are the FFT ones as before. A
 * direct sum and an FFT differ by rounding only (~1e-16 of the lag-0 value per lag; ≤ 1e-14
 * relative in ESS on the benchmark and the fixtures).
 */
import { autocovariance } from '@tributary/sampler';
import { mean, variance } from './numerics.js';

/**
 * How the chains' autocovariances are combined at each lag:
 * - `posterior`: Σ_c acov_c[t] / C (posterior's `rowMeans(acov)`, the sampler's `essOfChains`);
 * - `loo`: R's `mean` of acov_c[t] · scale over the chains (loo 2.5.1's `ess_rfun`, whose padding
 *   to 2·fft_next_good_size(N) scales every lag by fft_next_good_size(N) / N).
 */
export type EssFlavour = { readonly kind: 'posterior' } | { readonly kind: 'loo'; readonly scale: number };

/** Lags summed directly before switching to the FFT (a direct lag costs C·N, an FFT about 60·C·N). */
export const DIRECT_LAG_LIMIT = 48;

/**
 * Scratch space for `ess` of up to `maxChains` chains of up to `maxLength` draws (one per thread;
 * nothing is allocated per call on the direct path).
 */
export class EssScratch {
  private readonly centred: Float64Array;
  private readonly acov: Float64Array; // chain c, lag t at c·maxLength + t
  private readonly acovMean: Float64Array;
  private readonly rho: Float64Array;
  private readonly chainMean: Float64Array;
  private readonly chainVar: Float64Array;
  private readonly lag0: Float64Array;
  private readonly maxLength: number;
  private readonly maxChains: number;
  private lagsReady = 0;
  private numChains = 0;
  private length = 0;
  private x: Float64Array = new Float64Array(0);
  private starts: ArrayLike<number> = [];
  private flavour: EssFlavour = { kind: 'posterior' };

  constructor(maxChains: number, maxLength: number) {
    this.maxChains = maxChains;
    this.maxLength = maxLength;
    this.centred = new Float64Array(maxChains * maxLength);
    this.acov = new Float64Array(maxChains * maxLength);
    this.acovMean = new Float64Array(maxLength);
    this.rho = new Float64Array(maxLength);
    this.chainMean = new Float64Array(maxChains);
    this.chainVar = new Float64Array(maxChains);
    this.lag0 = new Float64Array(maxChains);
  }

  private starts0 = new Int32Array(0);
  private starts0Length = -1;

  /** The offsets c·length of chains laid one after another (reused while the shape holds). */
  consecutiveStarts(numChains: number, length: number): Int32Array {
    if (this.starts0.length !== numChains || this.starts0Length !== length) {
      this.starts0 = Int32Array.from({ length: numChains }, (_, c) => c * length);
      this.starts0Length = length;
    }
    return this.starts0;
  }

  /**
   * ESS of the `numChains` chains x[starts[c] … starts[c] + length) (any overlap or order; the
   * chains are taken in the order of `starts`). No degenerate-draws check: posterior returns NA
   * for constant or non-finite draws and for fewer than 3 draws per chain — the caller decides.
   */
  ess(x: Float64Array, starts: ArrayLike<number>, numChains: number, length: number, flavour: EssFlavour): number {
    if (numChains > this.maxChains || length > this.maxLength) throw new RangeError(`EssScratch: ${numChains} × ${length} exceeds ${this.maxChains} × ${this.maxLength}`);
    this.x = x;
    this.starts = starts;
    this.numChains = numChains;
    this.length = length;
    this.flavour = flavour;
    const n = length;
    for (let c = 0; c < numChains; c++) {
      const s = starts[c]!;
      const m = mean(x, s, s + n);
      const o = c * this.maxLength;
      let ss = 0;
      for (let i = 0; i < n; i++) {
        const d = x[s + i]! - m;
        this.centred[o + i] = d;
        ss += d * d;
      }
      this.chainMean[c] = m;
      this.chainVar[c] = n < 2 ? NaN : ss / (n - 1);
      this.lag0[c] = ss;
    }
    this.lagsReady = 0;
    const direct = this.geyer(false);
    if (!Number.isNaN(direct) || this.lagsReady <= DIRECT_LAG_LIMIT) return direct;
    this.fftLags();
    return this.geyer(true);
  }

  /** Lags lagsReady … t (direct sums), or false when that would pass DIRECT_LAG_LIMIT. */
  private ensureLag(t: number): boolean {
    if (t < this.lagsReady) return true;
    if (t >= DIRECT_LAG_LIMIT) {
      this.lagsReady = DIRECT_LAG_LIMIT + 1; // marks the overflow for `ess`
      return false;
    }
    const n = this.length;
    for (let lag = this.lagsReady; lag <= t; lag++) {
      for (let c = 0; c < this.numChains; c++) {
        const o = c * this.maxLength;
        const v = this.chainVar[c]!;
        let value: number;
        if (Number.isNaN(v)) value = NaN;
        else if (v === 0) value = 0;
        else if (lag === 0) value = (v * (n - 1)) / n;
        else {
          let sum = 0;
          const d = this.centred;
          for (let i = o, j = o + lag, end = o + n; j < end; i++, j++) sum += d[i]! * d[j]!;
          value = (((sum / this.lag0[c]!) * v) * (n - 1)) / n;
        }
        this.acov[o + lag] = value;
      }
      this.acovMean[lag] = this.combine(lag);
    }
    this.lagsReady = t + 1;
    return true;
  }

  /** Every lag by FFT (`@tributary/sampler`'s autocovariance, as posterior and loo). */
  private fftLags(): void {
    const n = this.length;
    for (let c = 0; c < this.numChains; c++) {
      const s = this.starts[c]!;
      const o = c * this.maxLength;
      autocovariance(this.x.subarray(s, s + n), this.acov.subarray(o, o + n));
    }
    for (let t = 0; t < n; t++) this.acovMean[t] = this.combine(t);
    this.lagsReady = n;
  }

  private readonly perChain = new Float64Array(64);

  private combine(t: number): number {
    const m = this.numChains;
    const stride = this.maxLength;
    if (this.flavour.kind === 'posterior') {
      let sum = 0;
      for (let c = 0; c < m; c++) sum += this.acov[c * stride + t]!;
      return sum / m;
    }
    const scale = this.flavour.scale;
    const v = m <= this.perChain.length ? this.perChain : new Float64Array(m);
    for (let c = 0; c < m; c++) v[c] = this.acov[c * stride + t]! * scale;
    return mean(v, 0, m);
  }

  /**
   * Geyer's initial positive and monotone sequences and the improved τ (posterior's `.ess`,
   * loo's `ess_rfun`). NaN with lagsReady > DIRECT_LAG_LIMIT when the direct lags ran out.
   */
  private geyer(full: boolean): number {
    const n = this.length;
    const m = this.numChains;
    const acm = (t: number): number => (full || this.ensureLag(t) ? this.acovMean[t]! : NaN);
    const meanVar = (acm(0) * n) / (n - 1);
    let varPlus = (meanVar * (n - 1)) / n;
    if (m > 1) varPlus += variance(this.chainMean, 0, m);
    const rho = this.rho;
    let t = 0;
    let rhoEven = 1;
    rho[0] = rhoEven;
    let rhoOdd = 1 - (meanVar - acm(1)) / varPlus;
    rho[1] = rhoOdd;
    while (t < n - 5 && !Number.isNaN(rhoEven + rhoOdd) && rhoEven + rhoOdd > 0) {
      t += 2;
      rhoEven = 1 - (meanVar - acm(t)) / varPlus;
      rhoOdd = 1 - (meanVar - acm(t + 1)) / varPlus;
      if (!full && this.lagsReady > DIRECT_LAG_LIMIT) return NaN;
      if (rhoEven + rhoOdd >= 0) {
        rho[t] = rhoEven;
        rho[t + 1] = rhoOdd;
      } else {
        rho[t] = 0; // as in the fresh zero vector of posterior / loo
        rho[t + 1] = 0;
      }
    }
    if (!full && this.lagsReady > DIRECT_LAG_LIMIT) return NaN;
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
    const numDraws = m * n;
    // R's sum(rho_hat_t[1:max_t]): for max_t = 0, 1:0 selects the first element only
    let sumRho = 0;
    for (let k = 0; k < Math.max(maxT, 1); k++) sumRho += rho[k]!;
    let tau = -1 + 2 * sumRho + rho[maxT]!;
    const bound = 1 / Math.log10(numDraws);
    if (tau < bound) tau = bound;
    return numDraws / tau;
  }
}
