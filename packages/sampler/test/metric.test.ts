import { describe, expect, it } from 'vitest';
import { buildDenseMetric, buildDiagMetric, buildRng, SamplerError } from '../src/index.js';
import { applyInverseMetric, sampleMomentum } from '../src/metric.js';

function empiricalCovariance(samples: Float64Array[], dim: number): number[][] {
  const n = samples.length;
  const c = Array.from({ length: dim }, () => new Array<number>(dim).fill(0));
  for (const p of samples) for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) c[i]![j]! += (p[i]! * p[j]!) / n;
  return c;
}

describe('metrics (Stan diag_e_metric / dense_e_metric)', () => {
  it('dense: momenta p = L^-T z have covariance M = (M^-1)^-1', () => {
    const inv = [2, 0.8, 0.8, 1];
    const metric = buildDenseMetric(inv, 2);
    const rng = buildRng('dense-momentum');
    const z = new Float64Array(2);
    const samples = Array.from({ length: 100_000 }, () => {
      const p = new Float64Array(2);
      sampleMomentum(metric, rng, p, z);
      return p;
    });
    const det = 2 * 1 - 0.8 * 0.8;
    const m = [
      [1 / det, -0.8 / det],
      [-0.8 / det, 2 / det],
    ];
    const c = empiricalCovariance(samples, 2);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(Math.abs(c[i]![j]! - m[i]![j]!)).toBeLessThan(0.02);
    // Kinetic energy 2 tau = p' M^-1 p is chi-square with dim degrees of freedom.
    const sharp = new Float64Array(2);
    let mean = 0;
    for (const p of samples) {
      applyInverseMetric(metric, p, sharp);
      mean += (p[0]! * sharp[0]! + p[1]! * sharp[1]!) / samples.length;
    }
    expect(mean).toBeCloseTo(2, 1);
  });

  it('diag: momentum variances are 1 / M^-1_ii', () => {
    const metric = buildDiagMetric([4, 0.25]);
    const rng = buildRng('diag-momentum');
    const samples = Array.from({ length: 50_000 }, () => {
      const p = new Float64Array(2);
      sampleMomentum(metric, rng, p, new Float64Array(2));
      return p;
    });
    const c = empiricalCovariance(samples, 2);
    expect(c[0]![0]).toBeCloseTo(0.25, 1);
    expect(c[1]![1]).toBeCloseTo(4, 1);
    expect(Math.abs(c[0]![1]!)).toBeLessThan(0.05);
  });

  it('rejects a non-positive-definite dense or a non-positive diagonal inverse metric', () => {
    expect(() => buildDenseMetric([1, 2, 2, 1], 2)).toThrow(SamplerError);
    expect(() => buildDiagMetric([1, 0])).toThrow(/Inverse metric entry 1 is 0/);
  });
});
