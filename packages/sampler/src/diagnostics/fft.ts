// Autocovariance of a chain via the fast Fourier transform, as in R's posterior
// (`autocovariance` in R/convergence.R).
//
// posterior zero-pads the centred chain to 2 * nextn(N) (nextn: the next 2-3-5-smooth size) and
// uses stats::fft; we pad to the next power of two >= 2N and use the radix-2 transform below.
// Any padding >= 2N - 1 makes the circular autocorrelation equal the linear one for lags
// 0 … N-1, so the two agree up to rounding. Like posterior we rescale so that lag 0 equals the
// biased variance: acov[t] = sum_{i} (x_i - m)(x_{i+t} - m) / N, and a constant chain (variance
// exactly 0) gives all zeros.

import { mean, variance } from './moments.js';

interface Twiddles {
  readonly cos: Float64Array;
  readonly sin: Float64Array;
}

// cos/sin(2πk/n) for k < n/2, per power-of-two size; filled lazily on first use of a size.
const twiddleCache = new Map<number, Twiddles>();

function twiddles(n: number): Twiddles {
  let t = twiddleCache.get(n);
  if (t === undefined) {
    const half = n >> 1;
    const cos = new Float64Array(half);
    const sin = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      // directly from cos/sin (no recurrence), so rounding error stays O(eps log n)
      cos[k] = Math.cos((2 * Math.PI * k) / n);
      sin[k] = Math.sin((2 * Math.PI * k) / n);
    }
    t = { cos, sin };
    twiddleCache.set(n, t);
  }
  return t;
}

/**
 * In-place iterative radix-2 complex FFT (`inverse`: the unnormalized inverse transform, i.e.
 * with e^{+2πi jk/n}). `re.length` must be a power of two.
 */
export function fftInPlace(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (n < 2) return;
  // bit-reversal permutation
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const tr = re[i]!;
      re[i] = re[j]!;
      re[j] = tr;
      const ti = im[i]!;
      im[i] = im[j]!;
      im[j] = ti;
    }
  }
  const { cos, sin } = twiddles(n);
  const sign = inverse ? 1 : -1;
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const stride = n / len;
    for (let k = 0; k < half; k++) {
      const wr = cos[k * stride]!;
      const wi = sign * sin[k * stride]!;
      for (let i = k; i < n; i += len) {
        const j = i + half;
        const xr = re[j]! * wr - im[j]! * wi;
        const xi = re[j]! * wi + im[j]! * wr;
        re[j] = re[i]! - xr;
        im[j] = im[i]! - xi;
        re[i] = re[i]! + xr;
        im[i] = im[i]! + xi;
      }
    }
  }
}

function nextPowerOfTwo(n: number): number {
  let m = 1;
  while (m < n) m *= 2;
  return m;
}

/**
 * Autocovariances of `x` at lags 0 … N-1, each divided by N (the "biased" estimate Geyer (1992)
 * recommends), computed by FFT. Writes into `out` (length >= N) when given.
 */
export function autocovariance(x: Float64Array, out: Float64Array = new Float64Array(x.length)): Float64Array {
  const n = x.length;
  if (out.length < n) throw new RangeError(`autocovariance: out has length ${out.length} < ${n}.`);
  if (n === 0) return out;
  const m = mean(x);
  const varX = variance(x, m);
  if (Number.isNaN(varX)) {
    // one draw (R's var() is NA) or non-finite draws
    out.fill(NaN, 0, n);
    return out;
  }
  if (varX === 0) {
    // a constant chain: zero autocovariance at every lag, as in posterior
    out.fill(0, 0, n);
    return out;
  }
  const size = nextPowerOfTwo(2 * n);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let i = 0; i < n; i++) re[i] = x[i]! - m;
  fftInPlace(re, im);
  for (let k = 0; k < size; k++) {
    re[k] = re[k]! * re[k]! + im[k]! * im[k]!;
    im[k] = 0;
  }
  fftInPlace(re, im, true);
  const ac0 = re[0]!;
  // posterior: ac / ac[1] * varx * (N - 1) / N, evaluated left to right
  for (let t = 0; t < n; t++) out[t] = (((re[t]! / ac0) * varX) * (n - 1)) / n;
  return out;
}
