// Euclidean metrics (diagonal and dense) for HMC: kinetic energy, its momentum gradient and
// momentum sampling.
//
// References
// - M. Betancourt (2017), "A Conceptual Introduction to Hamiltonian Monte Carlo",
//   arXiv:1701.02434, Sec. 4.2 (Euclidean-Gaussian kinetic energies).
// - Stan: src/stan/mcmc/hmc/hamiltonians/diag_e_metric.hpp and dense_e_metric.hpp.
//
// Followed exactly: tau = 0.5 p' M^{-1} p; dtau_dp = M^{-1} p ("p sharp"); diag sample_p:
// p_i = z_i / sqrt(M^{-1}_ii); dense sample_p: p = L^{-T} z with M^{-1} = L L^T (current Stan;
// Stan versions before 2.18 used L^{-1} z, which has the wrong covariance).
// Deviations: we precompute L^{-T} once per metric update, so sampling a momentum is an
// upper-triangular matrix-vector product instead of a triangular solve (same result up to
// rounding). The Cholesky factor comes from ml-matrix (off the hot path).

import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { SamplerError } from './errors.js';
import type { MetricKind } from './types.js';
import type { Rng } from './rng.js';

export interface Metric {
  readonly kind: MetricKind;
  readonly dim: number;
  /** Inverse metric M^{-1}: `dim` entries (diag) or dim × dim row-major (dense). */
  readonly inverse: Float64Array;
  /**
   * Factor used to sample momenta: diag, 1 / sqrt(M^{-1}_ii); dense, L^{-T} (row-major, upper
   * triangular) where M^{-1} = L L^T.
   */
  readonly momentumFactor: Float64Array;
}

/** Diagonal metric from the inverse-metric diagonal (copied). */
export function buildDiagMetric(inverseDiagonal: ArrayLike<number>): Metric {
  const dim = inverseDiagonal.length;
  const inverse = Float64Array.from(inverseDiagonal);
  const momentumFactor = new Float64Array(dim);
  for (let i = 0; i < dim; i++) {
    const v = inverse[i]!;
    if (!(v > 0) || !Number.isFinite(v)) {
      throw new SamplerError(
        'INVALID_OPTION',
        `Inverse metric entry ${i} is ${v}; a diagonal inverse metric must be positive and finite.`,
      );
    }
    momentumFactor[i] = 1 / Math.sqrt(v);
  }
  return { kind: 'diag', dim, inverse, momentumFactor };
}

/** Dense metric from the inverse metric (dim × dim row-major, symmetric positive definite; copied). */
export function buildDenseMetric(inverse: ArrayLike<number>, dim: number): Metric {
  if (inverse.length !== dim * dim) {
    throw new SamplerError('INVALID_OPTION', `A dense inverse metric for dim ${dim} needs ${dim * dim} entries, got ${inverse.length}.`);
  }
  const inv = Float64Array.from(inverse);
  const rows: number[][] = [];
  for (let i = 0; i < dim; i++) rows.push(Array.from(inv.subarray(i * dim, (i + 1) * dim)));
  const chol = new CholeskyDecomposition(new Matrix(rows));
  if (!chol.isPositiveDefinite()) {
    throw new SamplerError('INVALID_OPTION', 'The dense inverse metric is not symmetric positive definite (its Cholesky factorisation failed).');
  }
  const l = chol.lowerTriangularMatrix;
  // Linv = L^{-1} by forward substitution, column by column; store its transpose (upper).
  const linv = new Float64Array(dim * dim);
  for (let c = 0; c < dim; c++) {
    for (let i = c; i < dim; i++) {
      let s = i === c ? 1 : 0;
      for (let k = c; k < i; k++) s -= l.get(i, k) * linv[k * dim + c]!;
      linv[i * dim + c] = s / l.get(i, i);
    }
  }
  const momentumFactor = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) momentumFactor[i * dim + j] = linv[j * dim + i]!;
  return { kind: 'dense', dim, inverse: inv, momentumFactor };
}

/** Unit metric of the given kind. */
export function buildUnitMetric(kind: MetricKind, dim: number): Metric {
  if (kind === 'diag') return buildDiagMetric(new Float64Array(dim).fill(1));
  const eye = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) eye[i * dim + i] = 1;
  return { kind: 'dense', dim, inverse: eye, momentumFactor: Float64Array.from(eye) };
}

/** out = M^{-1} p (Stan's dtau_dp, "p sharp"). `out` must not alias `p`. */
export function applyInverseMetric(metric: Metric, p: Float64Array, out: Float64Array): void {
  const n = metric.dim;
  const m = metric.inverse;
  if (metric.kind === 'diag') {
    for (let i = 0; i < n; i++) out[i] = m[i]! * p[i]!;
    return;
  }
  matVec(m, n, p, out);
}

/**
 * out = A x for a dense n × n row-major A (the hot product of the dense metric). Four partial
 * sums per row break the floating-point dependency chain (1.25–1.45× faster than one sum here).
 */
function matVec(a: Float64Array, n: number, x: Float64Array, out: Float64Array): void {
  const n4 = n - (n % 4);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = 0;
    for (; j < n4; j += 4) {
      s0 += a[row + j]! * x[j]!;
      s1 += a[row + j + 1]! * x[j + 1]!;
      s2 += a[row + j + 2]! * x[j + 2]!;
      s3 += a[row + j + 3]! * x[j + 3]!;
    }
    for (; j < n; j++) s0 += a[row + j]! * x[j]!;
    out[i] = s0 + s1 + (s2 + s3);
  }
}

/** Draws p ~ N(0, M) into `p`; `z` is a scratch vector of length dim (dense only). */
export function sampleMomentum(metric: Metric, rng: Rng, p: Float64Array, z: Float64Array): void {
  const n = metric.dim;
  const f = metric.momentumFactor;
  if (metric.kind === 'diag') {
    for (let i = 0; i < n; i++) p[i] = rng.normal() * f[i]!;
    return;
  }
  for (let i = 0; i < n; i++) z[i] = rng.normal();
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * n;
    for (let j = i; j < n; j++) s += f[row + j]! * z[j]!;
    p[i] = s;
  }
}

/** Dot product. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
