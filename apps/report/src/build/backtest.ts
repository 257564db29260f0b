// Reads the backtest.json of `tributary backtest` (validated by @tributary/evaluation's
// loadBacktest, a boundary) into the report's BacktestInput: the score tables as they are, and
// per market one weekly series from the context weeks before the first cutoff to the end, with
// the predictive mean and 94% band filled in the held-out weeks.
import { loadBacktest, type BacktestFile } from '@tributary/evaluation';
import type { BacktestInput, BacktestScore, BacktestSeries } from '../types.js';

export async function readBacktestInput(path: string): Promise<BacktestInput> {
  return buildBacktestInput(await loadBacktest(path));
}

const value = (x: number | null | undefined): number => (x === null || x === undefined ? NaN : x);

export function buildBacktestInput(file: BacktestFile): BacktestInput {
  const score = (r: BacktestFile['overall'][number] | BacktestFile['scores'][number], fold: number | null): BacktestScore => ({
    market: r.market,
    fold,
    weeks: r.weeks,
    crps: value(r.crps),
    mape: value(r.mape),
    coverage: value(r.coverage_94),
    naiveLastMape: value(r.naive_last_mape),
    naiveMeanMape: value(r.naive_mean_mape),
  });
  const series: BacktestSeries[] = [];
  for (const market of file.markets) {
    const byDate = new Map<string, { observed: number; mean: number | null; lower: number | null; upper: number | null }>();
    for (const c of file.context ?? []) if (c.market === market) byDate.set(c.date, { observed: c.observed, mean: null, lower: null, upper: null });
    for (const p of file.predictions) if (p.market === market) byDate.set(p.date, { observed: p.observed, mean: p.mean, lower: p.lower, upper: p.upper });
    if (![...byDate.values()].some((v) => v.mean !== null)) continue;
    const dates = [...byDate.keys()].sort();
    const rows = dates.map((d) => byDate.get(d)!);
    series.push({ market, dates, observed: rows.map((r) => r.observed), mean: rows.map((r) => r.mean), lower: rows.map((r) => r.lower), upper: rows.map((r) => r.upper) });
  }
  const s = file.settings;
  const extra = s as { learn_transforms?: unknown; likelihood?: unknown; time_varying?: { channels?: unknown } | null; lift_tests_file?: unknown };
  const variant = [
    Array.isArray(extra.time_varying?.channels) ? `time-varying ${extra.time_varying.channels.join(', ')}` : '',
    extra.learn_transforms === true ? 'learned transforms' : '',
    extra.likelihood === 'student-t' ? 'Student-t likelihood' : '',
    typeof extra.lift_tests_file === 'string' ? 'lift tests' : '',
  ].filter((x) => x !== '');
  return {
    model: file.model,
    ...(variant.length > 0 ? { variant: variant.join(', ') } : {}),
    horizon: s.horizon,
    settings: `${s.folds} fold${s.folds === 1 ? '' : 's'} of ${s.horizon} weeks, ${s.chains} chain${s.chains === 1 ? '' : 's'} × ${s.draws} draws after ${s.warmup} warmup, seed ${s.seed}`,
    folds: file.folds.map((f) => {
      const d = (f as { diagnostics?: { divergences?: unknown; max_rhat?: unknown } }).diagnostics;
      return {
        fold: f.fold,
        cutoff: f.cutoff,
        testLastDate: f.test_last_date,
        notScored: f.not_scored.map((x) => ({ market: x.market, reason: x.reason })),
        ...(typeof d?.divergences === 'number' ? { divergences: d.divergences } : {}),
        ...(typeof d?.max_rhat === 'number' ? { maxRhat: d.max_rhat } : {}),
      };
    }),
    scores: file.scores.map((r) => score(r, r.fold)),
    overall: file.overall.map((r) => score(r, null)),
    series,
  };
}
