import { describe, expect, it } from 'vitest';
import { buildDenseMetric, buildDiagMetric, buildUnitMetric, leapfrog, type LogDensity } from '../src/index.js';
import { buildQuarticLogistic } from './fixtures/targets.js';

/** 1-D harmonic oscillator: log p = -k q^2 / 2 (potential k q^2 / 2). */
function oscillator(k: number): LogDensity {
  return {
    dim: 1,
    logDensityAndGradient(theta, grad) {
      grad[0] = -k * theta[0]!;
      return -0.5 * k * theta[0]! * theta[0]!;
    },
  };
}

/**
 * Exact n-step leapfrog map for the oscillator with unit mass: one step is the matrix
 * A = [[1 - e^2 k / 2, e], [-e k (1 - e^2 k / 4), 1 - e^2 k / 2]], cos(theta) = 1 - e^2 k / 2,
 * A^n = cos(n theta) I + sin(n theta) / sin(theta) (A - cos(theta) I) (det A = 1).
 */
function exactLeapfrog(k: number, eps: number, n: number, q0: number, p0: number): [number, number] {
  const c = 1 - (eps * eps * k) / 2;
  const a = [c, eps, -eps * k * (1 - (eps * eps * k) / 4), c] as const;
  const th = Math.acos(c);
  const cn = Math.cos(n * th);
  const sn = Math.sin(n * th) / Math.sin(th);
  const m00 = cn + sn * (a[0] - c);
  const m01 = sn * a[1];
  const m10 = sn * a[2];
  const m11 = cn + sn * (a[3] - c);
  return [m00 * q0 + m01 * p0, m10 * q0 + m11 * p0];
}

describe('leapfrog', () => {
  it('matches the closed-form n-step leapfrog map of a harmonic oscillator', () => {
    const k = 2.5;
    const eps = 0.3;
    const target = oscillator(k);
    const metric = buildUnitMetric('diag', 1);
    const q = new Float64Array([1.2]);
    const p = new Float64Array([-0.7]);
    const g = new Float64Array(1);
    target.logDensityAndGradient(q, g);
    const scratch = new Float64Array(1);
    for (let n = 1; n <= 200; n++) {
      leapfrog(target, metric, q, p, g, eps, scratch);
      const [qe, pe] = exactLeapfrog(k, eps, n, 1.2, -0.7);
      expect(q[0]).toBeCloseTo(qe, 10);
      expect(p[0]).toBeCloseTo(pe, 10);
    }
  });

  it('keeps the energy error bounded (no drift) over 10,000 steps', () => {
    const k = 1;
    const eps = 0.2;
    const target = oscillator(k);
    const metric = buildUnitMetric('diag', 1);
    const q = new Float64Array([1]);
    const p = new Float64Array([0.5]);
    const g = new Float64Array(1);
    let lp = target.logDensityAndGradient(q, g);
    const h0 = 0.5 * p[0]! * p[0]! - lp;
    let maxFirst = 0;
    let maxSecond = 0;
    const n = 10_000;
    for (let i = 0; i < n; i++) {
      lp = leapfrog(target, metric, q, p, g, eps, new Float64Array(1));
      const err = Math.abs(0.5 * p[0]! * p[0]! - lp - h0);
      if (i < n / 2) maxFirst = Math.max(maxFirst, err);
      else maxSecond = Math.max(maxSecond, err);
    }
    // The shadow Hamiltonian is conserved: the error is O(eps^2 * H0) and does not grow.
    expect(maxFirst).toBeLessThan(eps * eps * h0);
    expect(maxSecond).toBeLessThan(1.05 * maxFirst);
    expect(maxFirst).toBeGreaterThan(0);
  });

  it('is reversible: n steps, flip the momentum, n steps return to the start (diag and dense)', () => {
    const dim = 5;
    const target = buildQuarticLogistic(dim);
    const inv = new Float64Array(dim * dim);
    for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) inv[i * dim + j] = i === j ? 1 + 0.2 * i : 0.3;
    const metrics = [buildDiagMetric([0.5, 1, 1.5, 2, 0.8]), buildDenseMetric(inv, dim)];
    for (const metric of metrics) {
      const q0 = Float64Array.from([0.3, -0.4, 1.1, 0.05, -0.9]);
      const p0 = Float64Array.from([0.7, 0.2, -1.3, 0.4, 0.9]);
      const q = Float64Array.from(q0);
      const p = Float64Array.from(p0);
      const g = new Float64Array(dim);
      const tmp = new Float64Array(dim);
      target.logDensityAndGradient(q, g);
      for (let i = 0; i < 50; i++) leapfrog(target, metric, q, p, g, 0.05, tmp);
      expect(Math.abs(q[0]! - q0[0]!)).toBeGreaterThan(0.01);
      for (let i = 0; i < dim; i++) p[i] = -p[i]!;
      for (let i = 0; i < 50; i++) leapfrog(target, metric, q, p, g, 0.05, tmp);
      for (let i = 0; i < dim; i++) {
        expect(Math.abs(q[i]! - q0[i]!)).toBeLessThan(1e-12);
        expect(Math.abs(-p[i]! - p0[i]!)).toBeLessThan(1e-12);
      }
    }
  });
});
