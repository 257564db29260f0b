/**
 * optimize.ts: L-BFGS ascent used to start warmup near a mode (SampleOptions.initOptimize).
 * Checked on a correlated, badly scaled Gaussian (the mode is known), on a density with a
 * region of −Infinity (a half-space), and through sample(): same seed ⇒ same draws, and the
 * posterior is still right with the optimized start.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sample, SamplerError, type LogDensity } from '../src/index.js';
import { lbfgsAscent } from '../src/optimize.js';

/** N(mu, Σ) with Σ⁻¹ = A given (symmetric positive definite). */
function gaussian(mu: number[], A: number[][]): LogDensity {
  const d = mu.length;
  return {
    dim: d,
    logDensityAndGradient(x, g) {
      let lp = 0;
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += A[i]![j]! * (x[j]! - mu[j]!);
        g[i] = -s;
        lp -= 0.5 * (x[i]! - mu[i]!) * s;
      }
      return lp;
    },
  };
}

const MU = [1, -2, 0.5, 3];
// Scales 100, 1, 0.1, 0.01 with correlation between the first two coordinates.
const A = [
  [1e-4 / (1 - 0.81), -0.9 * 1e-2 / (1 - 0.81), 0, 0],
  [-0.9 * 1e-2 / (1 - 0.81), 1 / (1 - 0.81), 0, 0],
  [0, 0, 100, 0],
  [0, 0, 0, 1e4],
];

function start(target: LogDensity, x: number[]) {
  const p = Float64Array.from(x);
  const g = new Float64Array(target.dim);
  return { p, lp: target.logDensityAndGradient(p, g), g };
}

describe('lbfgsAscent', () => {
  it('reaches the mode of a correlated, badly scaled Gaussian from any start in (−2, 2)', () => {
    const target = gaussian(MU, A);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -2000, max: 2000 }), { minLength: 4, maxLength: 4 }), (ints) => {
        const s = start(target, ints.map((v) => v / 1000));
        const r = lbfgsAscent(target, s.p, s.lp, s.g, { maxEvaluations: 400, relTol: 1e-14 });
        expect(r.logDensity).toBeGreaterThanOrEqual(s.lp);
        expect(r.logDensity).toBeGreaterThan(-1e-6);
        for (let i = 1; i < 4; i++) expect(Math.abs(r.position[i]! - MU[i]!)).toBeLessThan(1e-2);
      }),
      { numRuns: 30, seed: 1 },
    );
  });

  it('never steps into a region of −Infinity and never returns a worse point', () => {
    // N(0, 1) restricted to x0 > 0.5 (−Infinity elsewhere): the maximum is on the boundary.
    const target: LogDensity = {
      dim: 2,
      logDensityAndGradient(x, g) {
        if (!(x[0]! > 0.5)) return -Infinity;
        g[0] = -x[0]!;
        g[1] = -x[1]!;
        return -0.5 * (x[0]! ** 2 + x[1]! ** 2);
      },
    };
    const s = start(target, [1.8, -1.5]);
    const r = lbfgsAscent(target, s.p, s.lp, s.g);
    expect(r.position[0]).toBeGreaterThan(0.5);
    expect(r.logDensity).toBeGreaterThan(s.lp + 1);
    expect(r.numEvaluations).toBeLessThanOrEqual(400);
  });
});

describe('sample({ initOptimize })', () => {
  const target = gaussian(MU, A);
  it('same seed ⇒ identical draws; the posterior is right; fewer gradients than Stan-style warmup', async () => {
    const opts = { chains: 2, warmup: 300, draws: 500, seed: 9 } as const;
    const a = await sample(target, opts);
    const b = await sample(target, { ...opts, initOptimize: true });
    expect(Buffer.from(a.draws[0]!.buffer).equals(Buffer.from(b.draws[0]!.buffer))).toBe(true);
    const stan = await sample(target, { ...opts, initOptimize: false, metricInit: 'unit' });
    const total = (p: typeof a) => p.numGradientEvaluations.reduce((s, v) => s + v, 0);
    expect(total(a)).toBeLessThan(total(stan));
    const n = a.numDraws * a.numChains;
    for (let i = 0; i < 4; i++) {
      const xs = a.draws.flatMap((d) => Array.from({ length: a.numDraws }, (_, k) => d[k * 4 + i]!));
      const mean = xs.reduce((s, v) => s + v, 0) / n;
      const sd = Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
      const scale = [100, 1, 0.1, 0.01][i]!;
      expect(Math.abs(mean - MU[i]!)).toBeLessThan(0.25 * scale);
      expect(sd / scale).toBeGreaterThan(0.8);
      expect(sd / scale).toBeLessThan(1.2);
    }
    await expect(sample(target, { initOptimize: 'yes' as never })).rejects.toThrow(SamplerError);
  });
});
