import { describe, expect, test } from 'vitest';
import { FOURIER_ORDER, SEASONALITY_PERIOD_WEEKS, fourierFeatures, type TributaryError } from '../src/index.js';
import { trendFeature } from '../src/features.js';
import { thrown } from './helpers.js';

const close = (actual: Float64Array, expected: number[]): void => {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, 12));
};

describe('fourierFeatures', () => {
  test('period and order', () => {
    expect(SEASONALITY_PERIOD_WEEKS).toBe(365.25 / 7);
    expect(FOURIER_ORDER).toBe(2);
  });

  test('values at known phases', () => {
    const P = SEASONALITY_PERIOD_WEEKS;
    close(fourierFeatures(0), [0, 1, 0, 1]);
    close(fourierFeatures(P / 4), [1, 0, 0, -1]);
    close(fourierFeatures(P / 2), [0, -1, 0, 1]);
    close(fourierFeatures(P), [0, 1, 0, 1]);
    close(fourierFeatures(10), [Math.sin((2 * Math.PI * 70) / 365.25), Math.cos((2 * Math.PI * 70) / 365.25), Math.sin((4 * Math.PI * 70) / 365.25), Math.cos((4 * Math.PI * 70) / 365.25)]);
  });

  test('writes into a caller buffer and supports other orders', () => {
    const out = new Float64Array(6).fill(9);
    expect(fourierFeatures(0, out)).toBe(out);
    expect([...out]).toEqual([0, 1, 0, 1, 9, 9]);
    close(fourierFeatures(0, undefined, 3), [0, 1, 0, 1, 0, 1]);
    close(fourierFeatures(SEASONALITY_PERIOD_WEEKS / 4, undefined, 1), [1, 0]);
  });

  test('bad arguments', () => {
    expect((thrown(() => fourierFeatures(1, new Float64Array(3))) as TributaryError).code).toBe('INVALID_ARGUMENT');
    expect((thrown(() => fourierFeatures(1, undefined, 0)) as TributaryError).code).toBe('INVALID_ARGUMENT');
    expect((thrown(() => fourierFeatures(1, undefined, 1.5)) as TributaryError).code).toBe('INVALID_ARGUMENT');
  });
});

test('trendFeature is t / T_max, 0 when T_max = 0', () => {
  expect(trendFeature(3, 12)).toBe(0.25);
  expect(trendFeature(0, 0)).toBe(0);
});
