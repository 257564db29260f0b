// formatSignificant: ROAS and other ratios readable at every scale, with the fixed two-decimal
// look kept for ordinary magnitudes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSignificant } from '../src/index.js';

describe('formatSignificant', () => {
  it('prints small ratios with 3 significant digits, not 0.00', () => {
    expect(formatSignificant(0.000123)).toBe('0.000123');
    expect(formatSignificant(-0.000123)).toBe('-0.000123');
    expect(formatSignificant(0.0523)).toBe('0.0523');
    expect(formatSignificant(0.0012345)).toBe('0.00123');
    expect(formatSignificant(0.05)).toBe('0.05');
    expect(formatSignificant(0.0001)).toBe('0.0001');
    expect(formatSignificant(0.09996)).toBe('0.10');
  });

  it('keeps two decimals for ordinary magnitudes (0.1 ≤ |x| < 1e6)', () => {
    expect(formatSignificant(2.35)).toBe('2.35');
    expect(formatSignificant(0.85)).toBe('0.85');
    expect(formatSignificant(0.1)).toBe('0.10');
    expect(formatSignificant(1234.567)).toBe('1234.57');
    expect(formatSignificant(-2.35)).toBe('-2.35');
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 999_999, noNaN: true }), fc.boolean(), (a, negative) => {
        const x = negative ? -a : a;
        expect(formatSignificant(x)).toBe(x.toFixed(2));
      }),
    );
  });

  it('switches to exponent notation only for very small or large magnitudes', () => {
    expect(formatSignificant(1.23e-7)).toBe('1.23e-7');
    expect(formatSignificant(0.00009999)).toBe('1.00e-4');
    expect(formatSignificant(4.56e9)).toBe('4.56e+9');
    expect(formatSignificant(999_999.999)).toBe('1.00e+6');
    expect(formatSignificant(1.23e-7, 2)).toBe('1.2e-7');
    expect(formatSignificant(0.0523, 2)).toBe('0.052');
  });

  it('prints 0 as 0.00 and non-finite values as a dash', () => {
    expect(formatSignificant(0)).toBe('0.00');
    expect(formatSignificant(-0)).toBe('0.00');
    expect(formatSignificant(NaN)).toBe('–');
    expect(formatSignificant(Infinity)).toBe('–');
    expect(formatSignificant(-Infinity)).toBe('–');
  });

  it('round-trips to within 3 significant digits for every finite magnitude', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true }).filter((x) => Math.abs(x) > 1e-12), (x) => {
        const back = Number(formatSignificant(x));
        const tol = Math.abs(x) >= 0.1 && Math.abs(x) < 1e6 ? 0.005 + 1e-9 : Math.abs(x) * 5e-3 * (1 + 1e-9);
        expect(Math.abs(back - x)).toBeLessThanOrEqual(tol);
      }),
    );
  });
});
