/**
 * Posterior summaries of per-draw quantities: mean and the 5% / 95% quantiles, with quantiles
 * by linear interpolation between order statistics (Hyndman & Fan type 7, numpy's and R's
 * default; also what PyMC-Marketing's `_compute_quantile` uses). The optimizer maximizes
 * smoothed utilities (utilities.ts); every reported number uses these plain estimates.
 */

export interface Summary {
  readonly mean: number;
  readonly q05: number;
  readonly q95: number;
}

/** Type-7 quantile of ascending-sorted values. */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = q * (n - 1);
  const i = Math.floor(pos);
  const w = pos - i;
  return i + 1 < n ? (1 - w) * sorted[i]! + w * sorted[i + 1]! : sorted[n - 1]!;
}

/** Mean, 5% and 95% quantiles of `values`. */
export function summarizeInterval(values: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(values).sort();
  let mean = 0;
  for (let i = 0; i < sorted.length; i++) mean += sorted[i]!;
  mean /= sorted.length;
  return { mean, q05: sortedQuantile(sorted, 0.05), q95: sortedQuantile(sorted, 0.95) };
}
