/**
 * Small numerical helpers written to reproduce R's arithmetic where the PSIS-LOO fixtures need
 * it: `mean` with R's second correction pass, `variance` with denominator n − 1, matrixStats'
 * `logSumExp` (max + log1p of the other terms), loo's `fft_next_good_size`, and `qnorm` by
 * Wichura's AS 241 (the algorithm of R's `qnorm`).
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

/**
 * Quantile of the standard normal distribution, Wichura (1988) AS 241 (PPND16), as in R's
 * `qnorm(p, 0, 1)`; accurate to about 1e-16 relative.
 */
export function qnorm(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301227 + 33430.57558358813) * r + 67265.7709270087) * r + 45921.95393154987) * r +
          13731.69376550946) *
          r +
          1971.5909503065513) *
          r +
          133.14166789178438) *
          r +
          3.3871328727963665)) /
      (((((((r * 5226.495278852546 + 28729.085735721943) * r + 39307.89580009271) * r + 21213.794301586597) * r +
        5394.196021424751) *
        r +
        687.1870074920579) *
        r +
        42.31333070160091) *
        r +
        1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let val: number;
  if (r <= 5) {
    r -= 1.6;
    val =
      (((((((r * 0.0007745450142783414 + 0.022723844989269184) * r + 0.2417807251774506) * r + 1.2704582524523684) * r +
        3.6478483247632045) *
        r +
        5.769497221460691) *
        r +
        4.630337846156546) *
        r +
        1.4234371107496835) /
      (((((((r * 1.0507500716444169e-9 + 0.0005475938084995345) * r + 0.015198666563616457) * r + 0.14810397642748008) * r +
        0.6897673349851) *
        r +
        1.6763848301838038) *
        r +
        2.053191626637759) *
        r +
        1);
  } else {
    r -= 5;
    val =
      (((((((r * 2.0103343992922881e-7 + 0.000027115555687434876) * r + 0.0012426609473880784) * r + 0.026532189526576124) * r +
        0.29656057182850487) *
        r +
        1.7848265399172913) *
        r +
        5.463784911164114) *
        r +
        6.657904643501103) /
      (((((((r * 2.0442631033899397e-15 + 1.421511758316446e-7) * r + 0.000018463183175100548) * r + 0.0007868691311456133) * r +
        0.014875361290850615) *
        r +
        0.1369298809227358) *
        r +
        0.599832206555888) *
        r +
        1);
  }
  return q < 0 ? -val : val;
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
