import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { autocovariance } from '../../src/diagnostics/index.js';
import { fftInPlace } from '../../src/diagnostics/fft.js';
import { averageRanks, zScale } from '../../src/diagnostics/rank.js';
import { normalGenerator } from './random.js';

/** Direct O(N^2) autocovariance with divisor N. */
function naiveAutocovariance(x: Float64Array): Float64Array {
  const n = x.length;
  const m = x.reduce((a, b) => a + b, 0) / n;
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let s = 0;
    for (let i = 0; i + t < n; i++) s += (x[i]! - m) * (x[i + t]! - m);
    out[t] = s / n;
  }
  return out;
}

describe('fftInPlace', () => {
  it('matches a direct DFT and inverts (up to the factor n)', () => {
    const z = normalGenerator(1);
    const n = 16;
    const re = Float64Array.from({ length: n }, z);
    const im = Float64Array.from({ length: n }, z);
    const re0 = re.slice();
    const im0 = im.slice();
    fftInPlace(re, im);
    for (let k = 0; k < n; k++) {
      let sr = 0;
      let si = 0;
      for (let j = 0; j < n; j++) {
        const a = (-2 * Math.PI * j * k) / n;
        sr += re0[j]! * Math.cos(a) - im0[j]! * Math.sin(a);
        si += re0[j]! * Math.sin(a) + im0[j]! * Math.cos(a);
      }
      expect(re[k]).toBeCloseTo(sr, 12);
      expect(im[k]).toBeCloseTo(si, 12);
    }
    fftInPlace(re, im, true);
    for (let j = 0; j < n; j++) {
      expect(re[j]! / n).toBeCloseTo(re0[j]!, 13);
      expect(im[j]! / n).toBeCloseTo(im0[j]!, 13);
    }
  });
});

describe('autocovariance', () => {
  it('equals the direct sum at every lag (any length, so any zero padding)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.integer(), (n, seed) => {
        const z = normalGenerator(seed);
        const x = Float64Array.from({ length: n }, z);
        const fast = autocovariance(x);
        const slow = naiveAutocovariance(x);
        for (let t = 0; t < n; t++) expect(Math.abs(fast[t]! - slow[t]!)).toBeLessThan(1e-12 * slow[0]!);
      }),
      { numRuns: 60 },
    );
  });

  it('is zero for a constant chain and writes into a caller buffer', () => {
    const out = new Float64Array(6).fill(7);
    const result = autocovariance(new Float64Array(5).fill(0.1), out);
    expect(result).toBe(out);
    expect([...out]).toEqual([0, 0, 0, 0, 0, 7]);
  });

  it('hand-computed case', () => {
    // x = 1, 2, 3, 4: centred -1.5, -0.5, 0.5, 1.5
    const ac = autocovariance(Float64Array.of(1, 2, 3, 4));
    const expected = [5 / 4, 1.25 / 4, -1.5 / 4, -2.25 / 4];
    expected.forEach((v, t) => expect(ac[t]).toBeCloseTo(v, 14));
  });
});

describe('rank normalization', () => {
  it('gives tied draws their average rank, like R rank(ties = "average")', () => {
    expect([...averageRanks(Float64Array.of(3, 1, 4, 1, 5, 9, 2, 6, 5))]).toEqual([4, 1.5, 5, 1.5, 6.5, 9, 3, 8, 6.5]);
  });

  it('maps ranks across all chains with Blom offsets', () => {
    const z = zScale([Float64Array.of(10, 30), Float64Array.of(20, 40)]);
    // ranks 1, 3 / 2, 4 of S = 4: qnorm((r - 3/8) / 4.25); values from R
    expect(z[0]![0]).toBeCloseTo(-1.04913139796397, 13);
    expect(z[1]![1]).toBeCloseTo(1.04913139796397, 13);
    expect(z[0]![1]).toBeCloseTo(0.299306910465667, 13);
  });
});
