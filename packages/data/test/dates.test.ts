import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { TributaryError, addWeeks, isIsoDate, weeksBetween } from '../src/index.js';
import { formatIsoDay, parseIsoDay, weekdayName, weekdayOfDay } from '../src/dates.js';
import { thrown } from './helpers.js';

describe('parseIsoDay / formatIsoDay', () => {
  test('known days', () => {
    expect(parseIsoDay('1970-01-01')).toBe(0);
    expect(parseIsoDay('2024-01-07')).toBe(Date.UTC(2024, 0, 7) / 86_400_000);
    expect(formatIsoDay(19_729)).toBe('2024-01-07');
    expect(parseIsoDay('1969-12-31')).toBe(-1);
  });

  test('years below 100 are not shifted to the 1900s (unlike Date.UTC)', () => {
    expect(formatIsoDay(parseIsoDay('0050-03-01')!)).toBe('0050-03-01');
  });

  test('rejects malformed and non-existent dates', () => {
    for (const bad of ['', '2024-1-07', '2024/01/07', '07-01-2024', '2024-01-07T00:00', ' 2024-01-07', '2024-00-10', '2024-13-01', '2024-04-31', '2023-02-29', '1900-02-29', '2024-01-00']) {
      expect(parseIsoDay(bad), bad).toBeNull();
      expect(isIsoDate(bad), bad).toBe(false);
    }
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2000-02-29')).toBe(true);
  });

  test('agrees with Date.UTC and round-trips (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 2_900_000 }), (day) => {
        const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
        expect(formatIsoDay(day)).toBe(iso);
        expect(parseIsoDay(iso)).toBe(day);
      }),
    );
  });

  test('weekdays', () => {
    expect(weekdayName(parseIsoDay('2024-01-07')!)).toBe('Sunday');
    expect(weekdayOfDay(parseIsoDay('2024-01-08')!)).toBe(1);
    expect(weekdayName(parseIsoDay('1969-12-31')!)).toBe('Wednesday');
  });
});

describe('addWeeks / weeksBetween', () => {
  test('cross month, year and leap-day boundaries', () => {
    expect(addWeeks('2024-01-07', 0)).toBe('2024-01-07');
    expect(addWeeks('2024-01-07', 1)).toBe('2024-01-14');
    expect(addWeeks('2023-12-31', 1)).toBe('2024-01-07');
    expect(addWeeks('2024-02-25', 1)).toBe('2024-03-03');
    expect(addWeeks('2024-01-07', 52)).toBe('2025-01-05');
    expect(addWeeks('2024-01-07', -1)).toBe('2023-12-31');
  });

  test('weeksBetween is (b − a) in weeks, fractional off the weekly grid', () => {
    expect(weeksBetween('2024-01-07', '2024-03-10')).toBe(9);
    expect(weeksBetween('2024-03-10', '2024-01-07')).toBe(-9);
    expect(weeksBetween('2024-01-07', '2024-01-10')).toBeCloseTo(3 / 7, 15);
  });

  test('inverse of each other (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 700_000 }), fc.integer({ min: -2000, max: 2000 }), (day, w) => {
        const a = formatIsoDay(day);
        expect(weeksBetween(a, addWeeks(a, w))).toBe(w);
      }),
    );
  });

  test('bad input is a TributaryError', () => {
    const e1 = thrown(() => addWeeks('2024-02-30', 1)) as TributaryError;
    expect(e1).toBeInstanceOf(TributaryError);
    expect(e1.code).toBe('INVALID_DATE');
    expect(e1.message).toContain('"2024-02-30"');
    expect((thrown(() => addWeeks('2024-01-07', 0.5)) as TributaryError).code).toBe('INVALID_ARGUMENT');
    expect((thrown(() => weeksBetween('2024-01-07', 'soon')) as TributaryError).code).toBe('INVALID_DATE');
  });
});
