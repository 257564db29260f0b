/**
 * metricInit (chain.ts): 'curvature' sets the first slow window's metric from the diagonal of
 * the negative Hessian at the end of the initial fast buffer; 'unit' keeps Stan's identity.
 * On a Gaussian whose scales span 1e-3 … 10 (warmup 100: a 15-iteration initial buffer, one
 * 75-iteration slow window) the unit metric makes the slow window run
 * at a tiny step size (deep trees); the curvature metric does not. Both must sample the same
 * distribution.
 */
import { describe, expect, it } from 'vitest';
import { initChainRun, stepChainRun } from '../src/chain.js';
import { sample, SamplerError, type LogDensity } from '../src/index.js';

const SCALES = [1e-3, 3e-3, 1e-2, 0.1, 1, 3, 10];
const gaussian: LogDensity = {
  dim: SCALES.length,
  logDensityAndGradient(theta, grad) {
    let lp = 0;
    for (let i = 0; i < SCALES.length; i++) {
      const z = theta[i]! / SCALES[i]!;
      lp -= 0.5 * z * z;
      grad[i] = -z / SCALES[i]!;
    }
    return lp;
  },
};

function sds(draws: Float64Array[], dim: number): number[] {
  const all = draws.flatMap((d) => Array.from({ length: d.length / dim }, (_, k) => d.subarray(k * dim, (k + 1) * dim)));
  return Array.from({ length: dim }, (_, i) => {
    const m = all.reduce((a, r) => a + r[i]!, 0) / all.length;
    return Math.sqrt(all.reduce((a, r) => a + (r[i]! - m) ** 2, 0) / (all.length - 1));
  });
}

describe('metricInit', () => {
  it('curvature: far fewer warmup gradients than the unit metric, same distribution', async () => {
    const opts = { chains: 2, warmup: 100, draws: 400, seed: 3, init: new Float64Array(SCALES.length) } as const;
    const unit = await sample(gaussian, { ...opts, metricInit: 'unit' });
    const curv = await sample(gaussian, { ...opts, metricInit: 'curvature' });
    const total = (p: typeof unit) => p.numGradientEvaluations.reduce((a, b) => a + b, 0);
    expect(total(curv)).toBeLessThan(0.5 * total(unit));
    for (const p of [unit, curv]) {
      sds(p.draws, SCALES.length).forEach((sd, i) => expect(sd / SCALES[i]!).toBeGreaterThan(0.8));
      sds(p.draws, SCALES.length).forEach((sd, i) => expect(sd / SCALES[i]!).toBeLessThan(1.2));
    }
  });

  it('is deterministic for a seed and validated', async () => {
    const a = await sample(gaussian, { chains: 1, warmup: 120, draws: 20, seed: 5 });
    const b = await sample(gaussian, { chains: 1, warmup: 120, draws: 20, seed: 5, metricInit: 'curvature' });
    expect(Buffer.from(a.draws[0]!.buffer).equals(Buffer.from(b.draws[0]!.buffer))).toBe(true);
    await expect(sample(gaussian, { metricInit: 'hessian' as never })).rejects.toThrow(SamplerError);
    await expect(sample(gaussian, { metricInit: 'hessian' as never })).rejects.toThrow(/metricInit/);
  });
});

describe('the curvature metric itself (chain.ts, driven step by step)', () => {
  for (const metricKind of ['diag', 'dense'] as const) {
    it(`${metricKind}: dim entries per axis, equal to the Gaussian's variances, from warmup's start and after the initial buffer`, () => {
      const d = SCALES.length;
      const config = { chain: 0, seed: 1, numWarmup: 200, numDraws: 10, targetAccept: 0.8, maxTreeDepth: 10, metricKind, metricInit: 'curvature', initOptimize: true, init: null } as const;
      const run = initChainRun(gaussian, config);
      const check = () => {
        expect(run.metric.dim).toBe(d);
        expect(run.metric.inverse.length).toBe(metricKind === 'dense' ? d * d : d);
        for (let i = 0; i < d; i++) {
          const v = metricKind === 'dense' ? run.metric.inverse[i * d + i]! : run.metric.inverse[i]!;
          expect(v / SCALES[i]! ** 2).toBeCloseTo(1, 4);
        }
      };
      check();
      while (run.iteration < run.schedule.initBuffer) stepChainRun(run);
      check();
    });
  }
});
