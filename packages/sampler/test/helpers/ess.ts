// A small, independent effective-sample-size estimate for the sampler's own tests (the
// diagnostics module in src/diagnostics has the full rank-normalised version). Multi-chain
// autocorrelation as in Stan's compute_effective_sample_size (BDA3 eq. 11.7-11.8 with Geyer's
// initial positive and monotone sequence).

export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

export function variance(x: ArrayLike<number>): number {
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - m) ** 2;
  return s / (x.length - 1);
}

/** Effective sample size of one scalar quantity over chains (equal lengths). */
export function effectiveSampleSize(chains: ArrayLike<number>[]): number {
  const m = chains.length;
  const n = chains[0]!.length;
  const chainMeans = chains.map(mean);
  const acovAt = (lag: number): number => {
    // Mean over chains of the lag autocovariance (biased, divided by n).
    let total = 0;
    for (let c = 0; c < m; c++) {
      const x = chains[c]!;
      const mu = chainMeans[c]!;
      let s = 0;
      for (let i = 0; i + lag < n; i++) s += (x[i]! - mu) * (x[i + lag]! - mu);
      total += s / n;
    }
    return total / m;
  };
  const acov0 = acovAt(0);
  const meanVar = (acov0 * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (m > 1) varPlus += variance(chainMeans);
  const rho = (lag: number): number => (lag === 0 ? 1 : 1 - (meanVar - acovAt(lag)) / varPlus);
  // Geyer's initial positive sequence on pairs, made monotone.
  let sumPairs = 0;
  let prevPair = Infinity;
  for (let k = 0; 2 * k + 1 < n; k++) {
    let pair = rho(2 * k) + rho(2 * k + 1);
    if (pair < 0) break;
    if (pair > prevPair) pair = prevPair;
    prevPair = pair;
    sumPairs += pair;
  }
  const tau = -1 + 2 * sumPairs;
  return (m * n) / Math.max(tau, 1 / Math.log10(m * n));
}
/** Monte Carlo standard error of the mean. */
export function mcseMean(chains: ArrayLike<number>[]): number {
  const all: number[] = [];
  for (const c of chains) for (let i = 0; i < c.length; i++) all.push(c[i]!);
  return Math.sqrt(variance(all) / effectiveSampleSize(chains));
}
