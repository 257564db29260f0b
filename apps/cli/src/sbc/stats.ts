// The statistics of an SBC run (commands/sbc.ts, "Statistics"): ranks among thinned posterior
// draws (Talts et al. 2018), central-interval coverage, and uniformity of the ranks by the ECDF
// test with simultaneous bands of Säilynoja, Bürkner & Vehtari (2022), plus the pointwise
// binomial bands of the rank histogram. Everything here is a pure function of its inputs and of
// fixed seeds, so the same fits give the same sbc.json.
import { uniformRng } from './simulate.js';

/** `count` indices spread evenly over `total` draws (the middle of each of `count` equal blocks). */
export function thinIndices(total: number, count: number): Int32Array {
  return Int32Array.from({ length: count }, (_, k) => Math.floor(((k + 0.5) * total) / count));
}

/**
 * The rank of `truth` among `draws`: the number of draws below it (Talts et al.: 0 … L for L
 * draws); a tie counts below with probability ½ each, decided by `u` ∈ [0, 1) (ties are rare:
 * the draws are continuous).
 */
export function rankOf(truth: number, draws: ArrayLike<number>, u: number): number {
  let below = 0;
  let ties = 0;
  for (let i = 0; i < draws.length; i++) {
    if (draws[i]! < truth) below++;
    else if (draws[i] === truth) ties++;
  }
  return below + Math.floor(u * (ties + 1));
}

/** Quantile of sorted values (linear interpolation between order statistics, R's type 7). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Whether `truth` lies in the central `level` interval of the sorted draws. */
export function isCovered(sorted: ArrayLike<number>, truth: number, level: number): boolean {
  return truth >= quantileSorted(sorted, (1 - level) / 2) && truth <= quantileSorted(sorted, (1 + level) / 2);
}

/** CDF of Binomial(n, p) at 0 … n. */
export function binomialCdf(n: number, p: number): Float64Array {
  const cdf = new Float64Array(n + 1);
  if (p <= 0 || p >= 1) {
    cdf.fill(p <= 0 ? 1 : 0);
    cdf[n] = 1;
    return cdf;
  }
  // log pmf by the ratio recurrence (no underflow of (1 − p)^n for large n).
  const logPmf = new Float64Array(n + 1);
  logPmf[0] = n * Math.log1p(-p);
  const odds = Math.log(p) - Math.log1p(-p);
  let max = logPmf[0]!;
  for (let k = 0; k < n; k++) {
    logPmf[k + 1] = logPmf[k]! + Math.log((n - k) / (k + 1)) + odds;
    if (logPmf[k + 1]! > max) max = logPmf[k + 1]!;
  }
  let total = 0;
  for (let k = 0; k <= n; k++) total += Math.exp(logPmf[k]! - max);
  let acc = 0;
  for (let k = 0; k <= n; k++) {
    acc += Math.exp(logPmf[k]! - max) / total;
    cdf[k] = Math.min(acc, 1);
  }
  cdf[n] = 1;
  return cdf;
}

/** The central `level` interval [lo, hi] of Binomial(n, p): P(X < lo) ≤ (1 − level)/2 and P(X > hi) ≤ (1 − level)/2. */
export function binomialInterval(n: number, p: number, level: number): [number, number] {
  const cdf = binomialCdf(n, p);
  const tail = (1 - level) / 2;
  let lo = 0;
  while (lo < n && cdf[lo]! <= tail) lo++;
  let hi = n;
  while (hi > 0 && 1 - cdf[hi - 1]! <= tail) hi--;
  return [lo, hi];
}

/** Default Monte Carlo size of the uniformity test's null distribution. */
export const NULL_SIMULATIONS = 4999;

/**
 * The ECDF uniformity test of Säilynoja, Bürkner & Vehtari (2022) for N ranks in 0 … L.
 *
 * At the evaluation points z_k = (k + 1)/(L + 1), k = 0 … L − 1, the count of ranks ≤ k is
 * Binomial(N, z_k) under uniformity; its two-sided tail probability is
 * p_k = min(1, 2·min(P(X ≤ x_k), P(X ≥ x_k))). The statistic is min_k p_k; its null
 * distribution comes from `simulations` sets of N uniform ranks (a fixed seed per N and L).
 * The p-value is the share of null statistics at or below the observed one, (1 + #)/(1 + R).
 * The simultaneous band of level 1 − α keeps, at every z_k, the counts whose p_k is at least γ,
 * γ the α-quantile of the null statistics (the paper's simulation-based adjustment): the ECDF
 * leaves the band exactly when the statistic is below γ, i.e. when the p-value is below about α.
 */
export class UniformityTest {
  readonly z: Float64Array;
  private readonly cdfs: Float64Array[];
  private readonly nulls: Float64Array;

  constructor(
    readonly numRanks: number,
    readonly maxRank: number,
    simulations = NULL_SIMULATIONS,
  ) {
    const N = numRanks;
    const L = maxRank;
    this.z = Float64Array.from({ length: L }, (_, k) => (k + 1) / (L + 1));
    this.cdfs = Array.from(this.z, (z) => binomialCdf(N, z));
    const rng = uniformRng(`sbc-uniformity:${N}:${L}`);
    this.nulls = new Float64Array(simulations);
    const ranks = new Int32Array(N);
    for (let s = 0; s < simulations; s++) {
      for (let i = 0; i < N; i++) ranks[i] = Math.floor(rng() * (L + 1));
      this.nulls[s] = this.statistic(ranks);
    }
    this.nulls.sort();
  }

  /** min over the evaluation points of the two-sided binomial tail probability of the ECDF. */
  statistic(ranks: ArrayLike<number>): number {
    const L = this.maxRank;
    const counts = new Int32Array(L + 1);
    for (let i = 0; i < ranks.length; i++) counts[ranks[i]!]!++;
    let below = 0;
    let min = 1;
    for (let k = 0; k < L; k++) {
      below += counts[k]!;
      const p = this.tail(k, below);
      if (p < min) min = p;
    }
    return min;
  }

  /** p-value of uniformity for these ranks. */
  pValue(ranks: ArrayLike<number>): number {
    const t = this.statistic(ranks);
    let atOrBelow = 0;
    while (atOrBelow < this.nulls.length && this.nulls[atOrBelow]! <= t) atOrBelow++;
    return (1 + atOrBelow) / (1 + this.nulls.length);
  }

  /** The simultaneous band of level `level` of the ECDF minus z, at the points z. */
  band(level: number): { gamma: number; lower: number[]; upper: number[] } {
    const gamma = this.nulls[Math.floor((1 - level) * this.nulls.length)]!;
    const N = this.numRanks;
    const lower: number[] = [];
    const upper: number[] = [];
    this.z.forEach((z, k) => {
      let lo = 0;
      while (lo < N && this.tail(k, lo) < gamma) lo++;
      let hi = N;
      while (hi > lo && this.tail(k, hi) < gamma) hi--;
      lower.push(lo / N - z);
      upper.push(hi / N - z);
    });
    return { gamma, lower, upper };
  }

  /** Two-sided tail probability of `count` ranks ≤ k. */
  private tail(k: number, count: number): number {
    const cdf = this.cdfs[k]!;
    const left = cdf[count]!;
    const right = count === 0 ? 1 : 1 - cdf[count - 1]!;
    return Math.min(1, 2 * Math.min(left, right));
  }
}

/**
 * The rank histogram's bins (`bins` of about equal width over the ranks 0 … L) and, per bin, the
 * pointwise binomial interval of its count under uniformity at `level`.
 */
export function histogramBand(numRanks: number, maxRank: number, bins: number, level: number): { edges: number[]; lower: number[]; upper: number[] } {
  const B = Math.min(bins, maxRank + 1);
  const edges = Array.from({ length: B + 1 }, (_, b) => Math.floor((b * (maxRank + 1)) / B));
  const lower: number[] = [];
  const upper: number[] = [];
  for (let b = 0; b < B; b++) {
    const [lo, hi] = binomialInterval(numRanks, (edges[b + 1]! - edges[b]!) / (maxRank + 1), level);
    lower.push(lo);
    upper.push(hi);
  }
  return { edges, lower, upper };
}
