// Backtest scores: per-week forecast summaries, MAPE, coverage, naive baselines, backtest.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKTEST_FILE, forecastWeek, loadBacktest, meanAbsolutePercentError, scoreForecasts, type ScoredWeek } from '../src/index.js';
import { removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const week = (y: number, mean: number, lower: number, upper: number, crps = 1, naiveLast = y, naiveMean = y): ScoredWeek => ({ y, mean, lower, upper, crps, naiveLast, naiveMean });

describe('forecastWeek', () => {
  it('summarizes the draws of one week: mean, central 94% interval (type-7 quantiles), CRPS', () => {
    const draws = Float64Array.from({ length: 101 }, (_, i) => 100 + i); // 100 … 200, shuffled below
    const shuffled = Float64Array.from(draws).reverse();
    const w = forecastWeek(shuffled, 150, { naiveLast: 140, naiveMean: 120 });
    expect(w.mean).toBe(150);
    expect(w.lower).toBeCloseTo(103, 12); // 1 + 100·0.03 → 4th value
    expect(w.upper).toBeCloseTo(197, 12);
    expect(w.y).toBe(150);
    expect([w.naiveLast, w.naiveMean]).toEqual([140, 120]);
    expect(w.crps).toBeGreaterThan(0);
    expect(shuffled[0]).toBe(200); // not modified
    expect(() => forecastWeek(draws, 1, { naiveLast: 1, naiveMean: 1 }, 1.2)).toThrow(/prob/);
  });
});

describe('scoreForecasts', () => {
  it('averages CRPS, computes MAPE of the mean and of the naive baselines, and coverage', () => {
    const weeks = [week(100, 110, 90, 120, 4, 100, 80), week(200, 210, 205, 230, 8, 150, 80), week(50, 50, 40, 60, 0, 100, 80)];
    const s = scoreForecasts(weeks);
    expect(s.numWeeks).toBe(3);
    expect(s.crps).toBe(4);
    expect(s.mape).toBeCloseTo((100 * (0.1 + 0.05 + 0)) / 3, 12);
    expect(s.coverage).toBeCloseTo(2 / 3, 15); // the 200 is below its interval
    expect(s.naiveLastMape).toBeCloseTo((100 * (0 + 0.25 + 1)) / 3, 12);
    expect(s.naiveMeanMape).toBeCloseTo((100 * (0.2 + 0.6 + 0.6)) / 3, 12);
  });

  it('skips weeks with y = 0 in MAPE and gives NaN for an empty group', () => {
    expect(meanAbsolutePercentError([0, 10], [5, 11])).toBeCloseTo(10, 12);
    expect(meanAbsolutePercentError([0], [5])).toBeNaN();
    expect(() => meanAbsolutePercentError([1], [])).toThrow(/1 observations but 0 forecasts/);
    const empty = scoreForecasts([]);
    expect(empty.numWeeks).toBe(0);
    expect([empty.crps, empty.mape, empty.coverage]).toEqual([NaN, NaN, NaN]);
  });
});

describe('loadBacktest', () => {
  const doc = {
    tributary_backtest_version: 1,
    model: 'hierarchical',
    data: { path: '/x.csv', sha256: 'ab', target: 'y' },
    markets: ['DE'],
    settings: { folds: 1, horizon: 2, min_train: 8, chains: 1, warmup: 1, draws: 1, seed: 1, interval_prob: 0.94 },
    folds: [{ fold: 1, cutoff: '2024-03-03', test_last_date: '2024-03-10', train_markets: ['DE'], not_scored: [] }],
    scores: [{ market: 'DE', fold: 1, cutoff: '2024-03-03', weeks: 2, crps: 1, mape: 2, coverage_94: 1, naive_last_mape: 3, naive_mean_mape: null }],
    overall: [{ market: 'DE', folds: 1, weeks: 2, crps: 1, mape: 2, coverage_94: 1, naive_last_mape: 3, naive_mean_mape: null }],
    predictions: [{ market: 'DE', fold: 1, date: '2024-03-03', observed: 5, mean: 5, lower: 4, upper: 6, crps: 1 }],
  };

  it('reads a folder or the file, and names the field of a malformed file', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'bt'));
    await writeFile(join(dir, 'bt', BACKTEST_FILE), JSON.stringify(doc));
    expect((await loadBacktest(join(dir, 'bt'))).scores[0]!.mape).toBe(2);
    expect((await loadBacktest(join(dir, 'bt', BACKTEST_FILE))).file).toBe(join(dir, 'bt', BACKTEST_FILE));
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ ...doc, folds: [] }));
    await expect(loadBacktest(join(dir, 'bad.json'))).rejects.toThrow(/field "folds"/);
    await expect(loadBacktest(join(dir, 'nothing'))).rejects.toThrow(/tributary backtest/);
  });
});
