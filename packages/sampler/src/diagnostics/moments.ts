// Plain summaries of a vector of draws, written to reproduce R's arithmetic closely: `mean` with
// R's second correction pass, `variance` with denominator n - 1 around that mean, `median` as the
// mean of the two middle order statistics, `quantileSorted` as R's type 7 (R's default) with R's
// exact interpolation expression, `mad` with R's constant 1.4826.

/** Arithmetic mean with R's correction pass (sum / n, then + sum(x - m) / n). */
export function mean(x: Float64Array): number {
  const n = x.length;
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  let m = s / n;
  if (Number.isFinite(m)) {
    let t = 0;
    for (let i = 0; i < n; i++) t += x[i]! - m;
    m += t / n;
  }
  return m;
}

/** Sample variance (denominator n - 1) around `center` (default: the mean). NaN for n < 2. */
export function variance(x: Float64Array, center: number = mean(x)): number {
  const n = x.length;
  if (n < 2) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - center;
    s += d * d;
  }
  return s / (n - 1);
}

export function sd(x: Float64Array): number {
  return Math.sqrt(variance(x));
}

/** A sorted copy (ascending). NaN sorts last. */
export function sortedCopy(x: Float64Array): Float64Array {
  return Float64Array.from(x).sort();
}

/** Median of already sorted draws; NaN when empty. */
export function medianSorted(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const half = (n + 1) >> 1; // R's (n + 1L) %/% 2L, 1-based
  if (n % 2 === 1) return sorted[half - 1]!;
  return (sorted[half - 1]! + sorted[half]!) / 2;
}

export function median(x: Float64Array): number {
  return medianSorted(sortedCopy(x));
}

/** Median absolute deviation around the median, times 1.4826 (R's `mad` defaults). */
export function mad(x: Float64Array): number {
  const m = median(x);
  const dev = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) dev[i] = Math.abs(x[i]! - m);
  return 1.4826 * median(dev);
}

/**
 * R's type-7 quantile of already sorted draws (linear interpolation between order statistics
 * at 1 + (n - 1) p), with R's expression `(1 - h) * x[lo] + h * x[hi]`. `prob` is clamped to
 * [0, 1]. NaN when empty.
 */
export function quantileSorted(sorted: Float64Array, prob: number): number {
  const n = sorted.length;
  if (n === 0 || Number.isNaN(prob)) return NaN;
  const p = Math.max(0, Math.min(1, prob));
  const index = 1 + Math.max(n - 1, 0) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const qs = sorted[lo - 1]!;
  const xHi = sorted[hi - 1]!;
  if (index > lo && xHi !== qs) {
    const h = index - lo;
    return (1 - h) * qs + h * xHi;
  }
  return qs;
}
