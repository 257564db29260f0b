// Welford accumulators for the warmup estimate of the inverse metric, with Stan's shrinkage.
//
// References
// - B. P. Welford (1962), "Note on a method for calculating corrected sums of squares and
//   products", Technometrics 4(3).
// - Stan: src/stan/math/prim/fun/welford_var_estimator.hpp, welford_covar_estimator.hpp,
//   src/stan/mcmc/var_adaptation.hpp, covar_adaptation.hpp.
//
// Followed exactly: m += (x - m) / n; m2 += (x - m_new) .* (x - m_old) (outer product for the
// covariance); sample (co)variance m2 / (n - 1); regularised inverse metric
// (n / (n + 5)) * var + 1e-3 * (5 / (n + 5)) (times the identity for the dense metric).
// As in Stan, with fewer than 2 samples the previous metric is kept (then shrunk).
// Deviation: the dense estimate is symmetrised exactly ((A + A^T) / 2) before factorisation;
// Stan's Eigen LLT reads only the lower triangle of the (rounding-level) asymmetric matrix.

export interface WelfordVar {
  n: number;
  readonly mean: Float64Array;
  readonly m2: Float64Array;
}

export interface WelfordCovar {
  n: number;
  readonly mean: Float64Array;
  /** dim × dim row-major. */
  readonly m2: Float64Array;
  readonly delta: Float64Array;
}

export function initWelfordVar(dim: number): WelfordVar {
  return { n: 0, mean: new Float64Array(dim), m2: new Float64Array(dim) };
}

export function updateWelfordVar(acc: WelfordVar, x: Float64Array): void {
  acc.n += 1;
  const n = acc.n;
  const mean = acc.mean;
  const m2 = acc.m2;
  for (let i = 0; i < mean.length; i++) {
    const delta = x[i]! - mean[i]!;
    mean[i] = mean[i]! + delta / n;
    m2[i] = m2[i]! + (x[i]! - mean[i]!) * delta;
  }
}

export function restartWelfordVar(acc: WelfordVar): void {
  acc.n = 0;
  acc.mean.fill(0);
  acc.m2.fill(0);
}

/**
 * Writes Stan's regularised inverse metric (n/(n+5)) var + 1e-3 (5/(n+5)) into `inverseMetric`,
 * where var is the sample variance (or the current contents of `inverseMetric` when n < 2).
 */
export function finalWelfordVar(acc: WelfordVar, inverseMetric: Float64Array): void {
  const n = acc.n;
  if (n > 1) for (let i = 0; i < inverseMetric.length; i++) inverseMetric[i] = acc.m2[i]! / (n - 1);
  const a = n / (n + 5);
  const b = 1e-3 * (5 / (n + 5));
  for (let i = 0; i < inverseMetric.length; i++) inverseMetric[i] = a * inverseMetric[i]! + b;
}

export function initWelfordCovar(dim: number): WelfordCovar {
  return { n: 0, mean: new Float64Array(dim), m2: new Float64Array(dim * dim), delta: new Float64Array(dim) };
}

export function updateWelfordCovar(acc: WelfordCovar, x: Float64Array): void {
  acc.n += 1;
  const n = acc.n;
  const dim = acc.mean.length;
  const mean = acc.mean;
  const delta = acc.delta;
  for (let i = 0; i < dim; i++) {
    delta[i] = x[i]! - mean[i]!;
    mean[i] = mean[i]! + delta[i]! / n;
  }
  const m2 = acc.m2;
  for (let i = 0; i < dim; i++) {
    const ri = x[i]! - mean[i]!;
    const row = i * dim;
    for (let j = 0; j < dim; j++) m2[row + j] = m2[row + j]! + ri * delta[j]!;
  }
}

export function restartWelfordCovar(acc: WelfordCovar): void {
  acc.n = 0;
  acc.mean.fill(0);
  acc.m2.fill(0);
}

/** Dense analogue of finalWelfordVar: (n/(n+5)) cov + 1e-3 (5/(n+5)) I into `inverseMetric`. */
export function finalWelfordCovar(acc: WelfordCovar, inverseMetric: Float64Array): void {
  const n = acc.n;
  const dim = acc.mean.length;
  if (n > 1) for (let k = 0; k < inverseMetric.length; k++) inverseMetric[k] = acc.m2[k]! / (n - 1);
  const a = n / (n + 5);
  const b = 1e-3 * (5 / (n + 5));
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < dim; j++) {
      const k = i * dim + j;
      inverseMetric[k] = a * inverseMetric[k]! + (i === j ? b : 0);
    }
  }
  // Symmetrise exactly (the Welford outer-product updates are symmetric only up to rounding).
  for (let i = 0; i < dim; i++) {
    for (let j = i + 1; j < dim; j++) {
      const v = 0.5 * (inverseMetric[i * dim + j]! + inverseMetric[j * dim + i]!);
      inverseMetric[i * dim + j] = v;
      inverseMetric[j * dim + i] = v;
    }
  }
}
