// Highest density interval as ArviZ defines it (arviz/stats/stats.py `_hdi`, the default
// unimodal, non-circular method): sort the pooled draws of all chains, let k = floor(prob * n),
// and return the narrowest interval [x(i), x(i + k)] over i = 0 … n - k - 1 (the first one on
// ties). It spans k + 1 draws, i.e. at least `prob` of them.
// Deviation: ArviZ raises on an empty interval list; we throw only for prob outside (0, 1) and
// return NaN bounds for no draws or a non-finite draw (ArviZ's default skipna = false would give
// a NaN-contaminated result).

import { DiagnosticsError } from './errors.js';
import type { ParameterDraws } from './draws.js';
import { checkChains, hasNonFinite, pool } from './draws.js';
import { sortedCopy } from './moments.js';

export interface Interval {
  readonly lower: number;
  readonly upper: number;
}

/** Default probability mass of the HDI, as in ArviZ. */
export const DEFAULT_HDI_PROB = 0.94;

/** The shortest interval holding `prob` (default 0.94) of the pooled draws (ArviZ's hdi). */
export function hdi(draws: ParameterDraws, prob: number = DEFAULT_HDI_PROB): Interval {
  checkChains(draws, 'hdi');
  checkHdiProb(prob, 'hdi');
  if (hasNonFinite(draws)) return { lower: NaN, upper: NaN };
  return hdiSorted(sortedCopy(pool(draws)), prob);
}

export function hdiSorted(sorted: Float64Array, prob: number): Interval {
  const n = sorted.length;
  const inc = Math.floor(prob * n);
  const numIntervals = n - inc;
  if (n === 0 || numIntervals <= 0) return { lower: NaN, upper: NaN };
  let best = 0;
  let bestWidth = Infinity;
  for (let i = 0; i < numIntervals; i++) {
    const width = sorted[i + inc]! - sorted[i]!;
    if (width < bestWidth) {
      bestWidth = width;
      best = i;
    }
  }
  return { lower: sorted[best]!, upper: sorted[best + inc]! };
}

export function checkHdiProb(prob: number, where: string): void {
  if (!(prob > 0 && prob < 1)) {
    throw new DiagnosticsError(
      'INVALID_ARGUMENT',
      `${where}: hdiProb must be strictly between 0 and 1 (e.g. 0.94 or 0.9), got ${prob}.`,
    );
  }
}
