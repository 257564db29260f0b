import { expect, test } from 'vitest';
import { gapWarning, listDates, mergeWarnings } from '../src/warnings.js';

test('listDates lists at most 12 dates, then a count', () => {
  const dates = Array.from({ length: 14 }, (_, i) => `d${i}`);
  expect(listDates(dates.slice(0, 2))).toBe('d0, d1');
  expect(listDates(dates)).toBe(`${dates.slice(0, 12).join(', ')} and 2 more`);
});

test('gapWarning names the market, the count and the dates', () => {
  expect(gapWarning('DE', ['2024-01-21'])).toBe(
    'market "DE" has 1 missing week inside its date range (2024-01-21); those weeks get spend 0 for carryover and no likelihood term.',
  );
});

test('mergeWarnings keeps the first occurrence of each text, in order', () => {
  expect(mergeWarnings(['a', 'b'], ['b', 'c'], ['a'])).toEqual(['a', 'b', 'c']);
});
