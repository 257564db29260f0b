/**
 * Small numerical helpers written to reproduce R's arithmetic where the PSIS-LOO fixtures need
 * it: `mean` with R's second correction pass, `variance` with denominator n − 1, matrixStats'
 * `logSumExp` (max + log1p of the other terms) and loo's `fft_next_good_size`. (The normal
 * quantile `qnorm`, AS 241 as in R, comes from @tributary/sampler's diagnostics.) Also
 * `lowerBound`, the binary search of summary.ts's folded order and psis.ts's tail selection.
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

/**
 * `quantileSorted(sorted, p)` for each of `probs` without sorting: the order statistics the
 * type-7 quantiles need are found by a multi-way quickselect that rearranges `x` in place (pass a
 * scratch copy). The values are those of the sorted vector, so the quantiles are identical.
 */
export function quantilesBySelection(x: Float64Array, probs: readonly number[], out: Float64Array = new Float64Array(probs.length)): Float64Array {
  const n = x.length;
  if (n === 0) return out.fill(NaN, 0, probs.length);
  const ranks: number[] = [];
  for (const p of probs) {
    const index = 1 + (n - 1) * p;
    ranks.push(Math.floor(index) - 1, Math.ceil(index) - 1);
  }
  const wanted = Array.from(new Set(ranks)).sort((a, b) => a - b);
  selectRanks(x, 0, n, wanted, 0, wanted.length);
  probs.forEach((p, i) => {
    const index = 1 + (n - 1) * p;
    const lo = Math.floor(index);
    const xLo = x[lo - 1]!;
    const xHi = x[Math.ceil(index) - 1]!;
    if (index > lo && xHi !== xLo) {
      const h = index - lo;
      out[i] = (1 - h) * xLo + h * xHi;
    } else {
      out[i] = xLo;
    }
  });
  return out;
}

/** The order statistic of 0-based rank `rank` of x (rearranges x in place; pass a scratch copy). */
export function selectRank(x: Float64Array, rank: number): number {
  selectRanks(x, 0, x.length, [rank], 0, 1);
  return x[rank]!;
}

/** Puts the order statistics of ranks[r0..r1) (sorted, inside [a, b)) at their positions in x[a..b). */
function selectRanks(x: Float64Array, a: number, b: number, ranks: readonly number[], r0: number, r1: number): void {
  while (r0 < r1 && b - a > 1) {
    if (b - a <= 16) {
      x.subarray(a, b).sort();
      return;
    }
    // median of three, then a three-way partition: [a, lt) < pivot, [lt, gt) = pivot, [gt, b) > pivot
    const m = a + ((b - a) >> 1);
    const u = x[a]!;
    const v = x[m]!;
    const w = x[b - 1]!;
    const pivot = u < v ? (v < w ? v : u < w ? w : u) : u < w ? u : v < w ? w : v;
    let lt = a;
    let gt = b;
    let i = a;
    while (i < gt) {
      const t = x[i]!;
      if (t < pivot) {
        x[i] = x[lt]!;
        x[lt] = t;
        lt++;
        i++;
      } else if (t > pivot) {
        gt--;
        x[i] = x[gt]!;
        x[gt] = t;
      } else {
        i++;
      }
    }
    // ranks below lt go left, those in [lt, gt) are done, those at or above gt go right
    let rl = r0;
    while (rl < r1 && ranks[rl]! < lt) rl++;
    let rr = rl;
    while (rr < r1 && ranks[rr]! < gt) rr++;
    if (rl - r0 < r1 - rr) {
      selectRanks(x, a, lt, ranks, r0, rl);
      a = gt;
      r0 = rr;
    } else {
      selectRanks(x, gt, b, ranks, rr, r1);
      b = lt;
      r1 = rl;
    }
  }
}

/** The first position p < count with values[p] ≥ v (values sorted ascending). */
export function lowerBound(values: Float64Array, v: number, count: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
