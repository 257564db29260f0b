/**
 * Scalar helpers of the log density and the derived quantities: log Γ (the Student-t
 * normalizing constant), softplus and the inverse logit (the logit-scale adstock rate), and the
 * constant ½·log 2π of the normalized pointwise log-likelihood.
 *
 * `logGamma` is Lanczos (g = 7, n = 9), accurate to ~1e-15 relative for positive arguments;
 * `softplus` and `invLogit` never overflow.
 */

export const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** log(1 + exp(x)) without overflow. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** 1 / (1 + exp(-u)) without overflow. */
export function invLogit(u: number): number {
  if (u >= 0) return 1 / (1 + Math.exp(-u));
  const e = Math.exp(u);
  return e / (1 + e);
}

/**
 * Hill h(a) = a^S / (K^S + a^S) at one adstocked value a, returned, with its derivatives
 * written at index j: dA[j] = ∂h/∂a · da (da = ∂a/∂α, so the chain through adstock is done
 * here), dK[j] = ∂h/∂K, dS[j] = ∂h/∂S. All 0 for a ≤ 0; h = 1 and derivatives 0 where r
 * overflows. With r = exp(S·(log a − log K)), h = r/(1+r), g = h/(1+r): ∂h/∂a = S·g/a,
 * ∂h/∂K = −(S/K)·g, ∂h/∂S = g·log(a/K) — the formulas of @tributary/transforms'
 * `hillWithGradient`, with one log and one exp per point instead of its pow and log, and no
 * argument checks (see terms/learned-transforms.ts for why the log density's row loops call
 * this rather than the kernel). `logK` is passed in so the learned path can use θ's log K.
 */
export function hillPoint(
  a: number,
  da: number,
  logK: number,
  K: number,
  S: number,
  dA: Float64Array,
  dK: Float64Array,
  dS: Float64Array,
  j: number,
): number {
  if (!(a > 0)) {
    dA[j] = 0;
    dK[j] = 0;
    dS[j] = 0;
    return 0;
  }
  const lr = Math.log(a) - logK;
  const q = Math.exp(S * lr);
  if (q === Infinity) {
    dA[j] = 0;
    dK[j] = 0;
    dS[j] = 0;
    return 1;
  }
  const h = q / (1 + q);
  const g = h / (1 + q);
  dA[j] = ((S * g) / a) * da;
  dK[j] = -(S / K) * g;
  dS[j] = g * lr;
  return h;
}
