/**
 * Small numerical helpers written to reproduce R's arithmetic where the PSIS-LOO fixtures need
 * it: `mean` with R's second correction pass, `variance` with denominator n − 1, matrixStats'
 * `logSumExp` (max + log1p of the other terms) and loo's `fft_next_good_size`. (The normal
 * quantile `qnorm`, AS 241 as in R, comes from @tributary/sampler's diagnostics.)
 *
 * Deviation from R: R accumulates `sum` and `mean` in long double (80-bit on x86); here every
 * sum is a double, so results agree to rounding (~1e-15 relative), not bit for bit.
 */

/** R's mean(): sum / n, then + sum(x − m) / n. NaN when empty. */
export function mean(x: ArrayLike<number>, start = 0, end = x.length): number {
  const n = end - start;
  if (n <= 0) return NaN;
  let s = 0;
  for (let i = start; i < end; i++) s += x[i]!;
  let m = s / n;
  if (Number.isFinite(m)) {
    let t = 0;
    for (let i = start; i < end; i++) t += x[i]! - m;
    m += t / n;
  }
  return m;
}

/** R's var(): denominator n − 1 around the mean. NaN for fewer than two values. */
export function variance(x: ArrayLike<number>, start = 0, end = x.length): number {
  const n = end - start;
  if (n < 2) return NaN;
  const m = mean(x, start, end);
  let s = 0;
  for (let i = start; i < end; i++) {
    const d = x[i]! - m;
    s += d * d;
  }
  return s / (n - 1);
}

/** R's sd(). */
export function sd(x: ArrayLike<number>, start = 0, end = x.length): number {
  return Math.sqrt(variance(x, start, end));
}

/** Mean and sample sd over the finite values only (NaN when fewer than 1 / 2 of them). */
export function finiteMeanSd(values: readonly number[]): { mean: number; sd: number; n: number } {
  const xs = values.filter((v) => Number.isFinite(v));
  return { mean: mean(xs), sd: sd(xs), n: xs.length };
}

/**
 * matrixStats::logSumExp: with m the (first) maximum, m + log1p(Σ_{i ≠ argmax} exp(x_i − m)).
 * −Infinity for no values or all −Infinity; +Infinity if any value is +Infinity.
 */
export function logSumExp(x: ArrayLike<number>, start = 0, end = x.length, stride = 1): number {
  let iMax = -1;
  let xMax = -Infinity;
  for (let i = start; i < end; i += stride) {
    const v = x[i]!;
    if (Number.isNaN(v)) return NaN;
    if (iMax < 0 || v > xMax) {
      xMax = v;
      iMax = i;
    }
  }
  if (iMax < 0 || xMax === -Infinity) return -Infinity;
  if (xMax === Infinity) return Infinity;
  let sum = 0;
  for (let i = start; i < end; i += stride) {
    if (i !== iMax) sum += Math.exp(x[i]! - xMax);
  }
  return xMax + Math.log1p(sum);
}

/** loo's fft_next_good_size: the smallest N' ≥ N whose only prime factors are 2, 3 and 5 (2 for N ≤ 2). */
export function fftNextGoodSize(n: number): number {
  if (n <= 2) return 2;
  for (let m0 = n; ; m0++) {
    let m = m0;
    while (m % 2 === 0) m /= 2;
    while (m % 3 === 0) m /= 3;
    while (m % 5 === 0) m /= 5;
    if (m <= 1) return m0;
  }
}


/** R's type-7 quantile of an ascending sorted array (`(1 − h)·x[lo] + h·x[hi]`). NaN when empty. */
export function quantileSorted(sorted: ArrayLike<number>, prob: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const index = 1 + (n - 1) * prob;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const xLo = sorted[lo - 1]!;
  const xHi = sorted[hi - 1]!;
  if (index > lo && xHi !== xLo) {
    const h = index - lo;
    return (1 - h) * xLo + h * xHi;
  }
  return xLo;
}
