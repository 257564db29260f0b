import { describe, expect, it } from 'vitest';
import { lgamma, pbeta, qbeta, qnorm } from '../../src/diagnostics/special.js';
import { relativeError } from './fixtures.js';

// Reference values printed by R 4.2.2 with sprintf("%.17g", ...).
const QNORM: [number, number][] = [
  [1e-300, -37.047096299361201],
  [1e-20, -9.2623400897984052],
  [1e-8, -5.61200124417479],
  [0.001, -3.0902323061678132],
  [0.02425, -1.9729610513118845],
  [0.07, -1.4757910281791702],
  [0.075, -1.4395314709384557],
  [0.3, -0.52440051270804067],
  [0.5, 0],
  [0.5000001, 2.5066282733116488e-7],
  [0.9, 1.2815515655446008],
  [0.925, 1.4395314709384559],
  [0.99, 2.3263478740408408],
  [0.9999999, 5.1993375822906618],
  [0.999999999999999, 7.9414444874159766],
];

// qbeta(p, a, b) and pbeta(0.3, a, b) from R.
const BETA: { a: number; b: number; q16: number; q84: number; p03: number }[] = [
  { a: 1, b: 1, q16: 0.1586553, q84: 0.84134469999999995, p03: 0.29999999999999999 },
  { a: 2.5, b: 3, q16: 0.24409513732995042, q84: 0.66637088246990639, p03: 0.24123755392118154 },
  { a: 50.3, b: 1000.1, q16: 0.041317257698005899, q84: 0.054456327662728787, p03: 1 },
  { a: 1900.2, b: 100.5, q16: 0.94489115387235967, q84: 0.95464386241807186, p03: 0 },
  { a: 5, b: 0.5, q16: 0.81165456540457359, q84: 0.99579688847781478, p03: 0.00069130338576297592 },
  { a: 0.7, b: 0.9, q16: 0.080773063258711836, q84: 0.81817404105517066, p03: 0.4016563516505896 },
];

describe('qnorm (AS 241)', () => {
  it.each(QNORM)('qnorm(%s) matches R', (p, expected) => {
    expect(relativeError(qnorm(p), expected)).toBeLessThan(1e-15);
  });

  it('is antisymmetric and handles the ends', () => {
    expect(relativeError(qnorm(0.2), -qnorm(0.8))).toBeLessThan(1e-14);
    expect(qnorm(0.25)).toBe(-qnorm(0.75)); // 0.25 and 0.75 are exact in binary
    expect(qnorm(0)).toBe(-Infinity);
    expect(qnorm(1)).toBe(Infinity);
    expect(qnorm(-0.1)).toBeNaN();
    expect(qnorm(NaN)).toBeNaN();
  });
});

describe('incomplete beta', () => {
  it.each(BETA)('pbeta and qbeta match R for a = $a, b = $b', ({ a, b, q16, q84, p03 }) => {
    expect(relativeError(qbeta(0.1586553, a, b), q16)).toBeLessThan(1e-12);
    expect(relativeError(qbeta(0.8413447, a, b), q84)).toBeLessThan(1e-12);
    expect(Math.abs(pbeta(0.3, a, b) - p03)).toBeLessThan(1e-13);
  });

  it('qbeta inverts pbeta', () => {
    for (const [a, b] of [[3, 7], [0.5, 0.5], [200, 30]] as const) {
      for (const p of [0.01, 0.3, 0.5, 0.9, 0.999]) {
        expect(Math.abs(pbeta(qbeta(p, a, b), a, b) - p)).toBeLessThan(1e-12);
      }
    }
  });

  it('lgamma matches R', () => {
    const r: [number, number][] = [
      [0.1, 2.252712651734206],
      [0.5, 0.57236494292470008],
      [1, 0],
      [2.5, 0.28468287047291918],
      [10, 12.801827480081469],
      [100.7, 362.35677520343057],
      [2000.3, 13201.203666290379],
    ];
    for (const [x, expected] of r) expect(Math.abs(lgamma(x) - expected)).toBeLessThan(1e-11 * Math.max(1, expected));
  });
});
