// Gradient checks of the test targets against central finite differences (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogDensity } from '../src/index.js';
import { buildCorrelatedGaussian, buildQuarticLogistic, buildStdNormal } from './fixtures/targets.js';

function gradientTable(target: LogDensity, theta: Float64Array): { rows: string[]; maxError: number } {
  const g = new Float64Array(target.dim);
  target.logDensityAndGradient(theta, g);
  const scratch = new Float64Array(target.dim);
  const rows: string[] = [];
  let maxError = 0;
  for (let i = 0; i < target.dim; i++) {
    const h = 1e-5 * Math.max(1, Math.abs(theta[i]!));
    const x = Float64Array.from(theta);
    x[i] = theta[i]! + h;
    const up = target.logDensityAndGradient(x, scratch);
    x[i] = theta[i]! - h;
    const down = target.logDensityAndGradient(x, scratch);
    const fd = (up - down) / (2 * h);
    const err = Math.abs(fd - g[i]!) / Math.max(1, Math.abs(fd));
    maxError = Math.max(maxError, err);
    rows.push(`${i}\t${theta[i]}\t${g[i]}\t${fd}`);
  }
  return { rows, maxError };
}

describe('test targets: analytic gradients match central finite differences', () => {
  const targets: [string, LogDensity][] = [
    ['std normal', buildStdNormal(6)],
    ['correlated Gaussian', buildCorrelatedGaussian(6, 0.9)],
    ['quartic logistic', buildQuarticLogistic(6)],
  ];
  it.each(targets)('%s', (_name, target) => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: target.dim, maxLength: target.dim }), (xs) => {
        const { rows, maxError } = gradientTable(target, Float64Array.from(xs));
        if (maxError > 1e-5) {
          console.error(`index\tvalue\tanalytic\tfinite diff\n${rows.join('\n')}`);
          return false;
        }
        return true;
      }),
      { numRuns: 50, seed: 1 },
    );
    expect(true).toBe(true);
  });
});
