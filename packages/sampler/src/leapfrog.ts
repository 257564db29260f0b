// The leapfrog (Störmer–Verlet) integrator for a Euclidean metric.
//
// References
// - M. Betancourt (2017), "A Conceptual Introduction to Hamiltonian Monte Carlo",
//   arXiv:1701.02434, Sec. 5.1.
// - Stan: src/stan/mcmc/hmc/integrators/expl_leapfrog.hpp and base_leapfrog.hpp
//   (begin_update_p, update_q, end_update_p).
//
// Followed exactly: half step in momentum, full step in position along M^{-1} p, gradient at the
// new position, half step in momentum. Stan writes this with the potential V = -log p; we work
// with the log density and its gradient, so p += (eps/2) * grad log p.
// Deviation: none in the arithmetic. A log density of -Infinity (outside the support) is passed
// through; the caller turns it into an infinite Hamiltonian (a divergence), as Stan does when
// log_prob throws a domain error.

import type { LogDensity } from './types.js';
import { applyInverseMetric, type Metric } from './metric.js';

/**
 * One leapfrog step of size `stepSize` (negative to integrate backwards). Updates `q`, `p` and
 * `grad` (the gradient of the log density at `q`) in place and returns the log density at the
 * new `q`. `pSharp` is scratch of length dim (used by the dense metric). Allocation-free.
 */
export function leapfrog(
  target: LogDensity,
  metric: Metric,
  q: Float64Array,
  p: Float64Array,
  grad: Float64Array,
  stepSize: number,
  pSharp: Float64Array,
): number {
  const n = metric.dim;
  const half = 0.5 * stepSize;
  const m = metric.inverse;
  if (metric.kind === 'diag') {
    for (let i = 0; i < n; i++) {
      const pi = p[i]! + half * grad[i]!;
      p[i] = pi;
      q[i] = q[i]! + stepSize * (m[i]! * pi);
    }
  } else {
    for (let i = 0; i < n; i++) p[i] = p[i]! + half * grad[i]!;
    applyInverseMetric(metric, p, pSharp);
    for (let i = 0; i < n; i++) q[i] = q[i]! + stepSize * pSharp[i]!;
  }
  const lp = target.logDensityAndGradient(q, grad);
  for (let i = 0; i < n; i++) p[i] = p[i]! + half * grad[i]!;
  return lp;
}
