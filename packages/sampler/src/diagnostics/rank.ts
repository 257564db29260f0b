// Rank normalization (Vehtari et al. 2021, Sec. 4.1) as posterior's `z_scale`: rank all draws of
// all chains together (ties get their average rank, like R's rank(ties.method = "average")),
// then map rank r of S draws to qnorm((r - 3/8) / (S - 2 * 3/8 + 1)) (Blom's offsets).

import type { ParameterDraws } from './draws.js';
import { qnorm } from './special.js';

/** Average ranks (1-based; ties share their mean rank) of `x`. NaN draws get rank NaN. */
export function averageRanks(x: Float64Array): Float64Array {
  const n = x.length;
  const sorted = Float64Array.from(x).sort(); // NaN last
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (Number.isNaN(v)) {
      ranks[i] = NaN;
      continue;
    }
    // first index with sorted[k] >= v and first index with sorted[k] > v (NaN counts as larger)
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    const first = lo;
    hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! <= v) lo = mid + 1;
      else hi = mid;
    }
    // draws first … lo - 1 (0-based) equal v: the mean of ranks first + 1 … lo
    ranks[i] = (first + lo + 1) / 2;
  }
  return ranks;
}

const BLOM_C = 3 / 8;

/** Rank-normalized draws (posterior's z_scale with c = 3/8), keeping the chain structure. */
export function zScale(chains: ParameterDraws): Float64Array[] {
  const n = chains[0]?.length ?? 0;
  const pooled = new Float64Array(n * chains.length);
  chains.forEach((chain, c) => pooled.set(chain, c * n));
  const ranks = averageRanks(pooled);
  const s = pooled.length;
  const denominator = s - 2 * BLOM_C + 1;
  return chains.map((_, c) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = qnorm((ranks[c * n + i]! - BLOM_C) / denominator);
    return out;
  });
}
