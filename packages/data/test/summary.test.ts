import { describe, expect, test } from 'vitest';
import { formatSummary, parseMarketingCsv, summarizeDataset } from '../src/index.js';
import { formatNumber } from '../src/summary.js';
import { dropLines, toCsv, validTable } from './helpers.js';

describe('summarizeDataset', () => {
  const table = dropLines(validTable({ markets: ['DE', 'FR'], weeks: 10 }), [5, 6]);
  const data = parseMarketingCsv(toCsv(table));
  const s = summarizeDataset(data);

  test('counts and dates', () => {
    expect(s).toMatchObject({ numRows: 18, numMarkets: 2, numChannels: 2, target: 'streaming_revenue', firstDate: '2024-01-07', lastDate: '2024-03-10', numWeeks: 10 });
    expect(s.markets[0]).toMatchObject({ market: 'DE', firstDate: '2024-01-07', lastDate: '2024-03-10', numWeeks: 10, numObserved: 8, numGaps: 2 });
    expect(s.markets[1]).toMatchObject({ market: 'FR', numWeeks: 10, numObserved: 10, numGaps: 0 });
    expect(s.gaps).toEqual([{ market: 'DE', dates: ['2024-01-28', '2024-02-04'] }]);
  });

  test('spend totals and target stats', () => {
    const totals = data.channels.map((_, c) => data.rows.reduce((a, r) => a + r.spend[c]!, 0));
    expect(s.totalSpend.map((x) => x.total)).toEqual(totals);
    expect(s.totalSpend.reduce((a, x) => a + x.share, 0)).toBeCloseTo(1, 12);
    const y = data.rows.map((r) => r.target);
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    const sd = Math.sqrt(y.reduce((a, b) => a + (b - mean) ** 2, 0) / (y.length - 1));
    expect(s.targetStats.mean).toBeCloseTo(mean, 10);
    expect(s.targetStats.sd).toBeCloseTo(sd, 10);
    expect(s.targetStats.min).toBe(Math.min(...y));
    expect(s.targetStats.max).toBe(Math.max(...y));
    expect(s.markets[0]!.totalSpend).toHaveLength(2);
  });

  test('formatSummary renders a plain-text table', () => {
    const text = formatSummary(s);
    expect(text).toContain('18 rows · 2 markets · 2 channels · target streaming_revenue');
    expect(text).toContain('weeks 2024-01-07 to 2024-03-10 (10 weeks)');
    expect(text).toMatch(/^DE {6}2024-01-07 {2}2024-03-10 {5}10 {9}8 {5}2 /m);
    expect(text).toContain('gaps (missing weeks):\n  DE: 2024-01-28, 2024-02-04');
    expect(text).toContain(`meta_spend    ${formatNumber(s.totalSpend[0]!.total).padStart(11)}`);
    expect(text).toContain('warnings:\n  - market "DE" has 2 missing weeks');
  });
});

test('formatNumber groups thousands, independent of locale', () => {
  expect(formatNumber(1234567.891)).toBe('1,234,567.89');
  expect(formatNumber(-1234.5, 0)).toBe('-1,235');
  expect(formatNumber(0.004)).toBe('0.00');
  expect(formatNumber(-0.001)).toBe('0.00');
  expect(formatNumber(NaN)).toBe('NaN');
});
