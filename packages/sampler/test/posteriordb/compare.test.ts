// The comparison rule itself: numpy's quantile convention and the pass/fail decisions on iid
// Gaussian draws whose reference is known exactly.

import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { compareToReference, formatComparison, quantileSorted } from './compare.js';
import type { Reference } from './fixtures.js';

function gaussianChains(seed: string, numChains: number, numDraws: number, mean: number, sd: number): Float64Array[] {
  const rng = seedrandom(seed);
  return Array.from({ length: numChains }, () => {
    const out = new Float64Array(numDraws);
    for (let i = 0; i < numDraws; i++) {
      // Box-Muller; 1 - rng() is in (0, 1].
      out[i] = mean + sd * Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    }
    return out;
  });
}

const Z95 = 1.6448536269514722;
const reference: Reference = {
  posterior_name: 'standard_normal',
  parameter_names: ['x'],
  parameters: {
    x: { mean: 0, sd: 1, q5: -Z95, q50: 0, q95: Z95, pdb_mcse_mean: 0.01, ref_diagnostics: { ess_bulk: 10000, ess_tail: 10000, rhat: 1 } },
  },
  reference_method: { method_arguments: {} },
};
const good = { x: { essBulk: 4000, rhat: 1.001 } };

describe('posteriordb comparison rule', () => {
  it('computes quantiles like numpy (linear interpolation, R type 7)', () => {
    const sorted = Float64Array.from([1, 2, 3, 4]);
    expect(quantileSorted(sorted, 0.05)).toBeCloseTo(1.15, 14);
    expect(quantileSorted(sorted, 0.5)).toBeCloseTo(2.5, 14);
    expect(quantileSorted(sorted, 0.95)).toBeCloseTo(3.85, 14);
    expect(quantileSorted(Float64Array.from([7]), 0.95)).toBe(7);
  });

  it('passes iid draws from the reference distribution', () => {
    const comparison = compareToReference(reference, { x: gaussianChains('pass', 4, 1000, 0, 1) }, good, 0);
    expect(comparison.passed, formatComparison(comparison)).toBe(true);
  });

  it('fails a shifted mean, an inflated sd, divergences, a high R-hat and a tiny ESS', () => {
    const shifted = compareToReference(reference, { x: gaussianChains('a', 4, 1000, 0.3, 1) }, good, 0);
    expect(shifted.rows[0]!.isMeanOk).toBe(false);
    const wide = compareToReference(reference, { x: gaussianChains('b', 4, 1000, 0, 1.25) }, good, 0);
    expect(wide.rows[0]!.isSdOk).toBe(false);
    expect(wide.rows[0]!.isQ95Ok).toBe(false);
    const divergent = compareToReference(reference, { x: gaussianChains('c', 4, 1000, 0, 1) }, good, 1);
    expect(divergent.passed).toBe(false);
    const unmixed = compareToReference(reference, { x: gaussianChains('d', 4, 1000, 0, 1) }, { x: { essBulk: 4000, rhat: 1.02 } }, 0);
    expect(unmixed.passed).toBe(false);
    const tinyEss = compareToReference(reference, { x: gaussianChains('e', 4, 1000, 0, 1) }, { x: { essBulk: 50, rhat: 1 } }, 0);
    expect(tinyEss.rows[0]!.isEssOk).toBe(false);
    expect(tinyEss.passed).toBe(false);
  });
});
