// The backtest section (only with --backtest DIR): how well the model predicts weeks it has not
// seen. Per market, the observed weekly revenue against the predictive mean and 94% band of
// each held-out window (refits on the data before each cutoff, `tributary backtest`); the
// forecast error of the model next to two naive forecasts; and the table of CRPS, MAPE and 94%
// coverage per market and fold.
import { groupedBarChart } from '../charts/bar.js';
import { lineChart, type LineSeries } from '../charts/line.js';
import { escapeHtml, formatDate, formatEuro, formatPercent, isoToDay } from '../charts/format.js';
import { INK, modelColor } from '../charts/palette.js';
import { callout, figure, grid, section, table } from '../html.js';
import type { BacktestInput, BacktestScore, ReportInput } from '../types.js';
import { modelLabel, sectionNumber } from './common.js';

const NAIVE_LAST_COLOR = '#b8bec8';
const NAIVE_MEAN_COLOR = '#8a8f98';

const pct = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)}%` : '–');
const money = (x: number) => (Number.isFinite(x) ? formatEuro(x) : '–');

export function renderBacktestSection(input: ReportInput, bt: BacktestInput): string {
  const title = 'Backtest: predicting weeks the model has not seen';
  const color = modelColor(bt.model);
  const all = weighted(bt.overall);
  const lead =
    `The ${escapeHtml(bt.model)} model${bt.variant ? ` (${escapeHtml(bt.variant)})` : ''} was refitted ${bt.folds.length} time${bt.folds.length === 1 ? '' : 's'}, each time on the data before a cutoff only, and asked to predict the revenue of the next ${bt.horizon} weeks from the spend that actually happened there. ` +
    'A model that only fits its own past well but predicts badly is over-fitting; one whose 94% bands hold about 94% of the unseen weeks is honest about its uncertainty.';
  const key = callout(
    `<p>Over ${all.weeks} held-out market-weeks the model's forecast was off by <strong>${escapeHtml(pct(all.mape))}</strong> on average (MAPE), against ${escapeHtml(pct(all.naiveLastMape))} for carrying the last week forward and ${escapeHtml(pct(all.naiveMeanMape))} for the historical average; ` +
      `<strong>${escapeHtml(formatPercent(all.coverage))}</strong> of the unseen weeks fell inside their 94% band.</p>`,
    'key',
  );

  const cutoffs = bt.folds.map((f) => ({ x: isoToDay(f.cutoff) ?? NaN, label: `fold ${f.fold}`, color: '#5c6370' }));
  const charts = bt.series.map((s) => {
    const xs = s.dates.map((d) => isoToDay(d) ?? NaN);
    // One series per fold, so the line and band do not run across a cutoff.
    const folds: LineSeries[] = bt.folds.map((f, i) => {
      const inFold = s.dates.map((d) => d >= f.cutoff && d <= f.testLastDate);
      return {
        name: i === 0 ? 'forecast (94% band)' : '',
        hideInLegend: i > 0,
        color,
        x: xs,
        y: s.mean.map((v, t) => (inFold[t] ? v : null)),
        lower: s.lower.map((v, t) => (inFold[t] ? v : null)),
        upper: s.upper.map((v, t) => (inFold[t] ? v : null)),
        strokeWidth: 1.6,
      };
    });
    const o = bt.overall.find((r) => r.market === s.market);
    return figure(
      lineChart({
        title: `${s.market}: forecast vs observed weekly revenue`,
        subtitle: o ? `MAPE ${pct(o.mape)} · ${formatPercent(o.coverage)} of ${o.weeks} weeks inside the band · CRPS ${money(o.crps)}` : `${s.dates.length} weeks`,
        series: [...folds, { name: 'observed', color: INK, x: xs, y: s.observed, style: 'points' }],
        markers: cutoffs,
        xType: 'date',
        yFormat: (v) => formatEuro(v),
        yLabel: '€ per week',
        includeZero: false,
        width: 520,
        height: 250,
      }),
    );
  });

  const errors = groupedBarChart({
    title: 'Forecast error per market (MAPE over all folds)',
    subtitle: 'Lower is better; the model should beat both naive forecasts',
    groups: bt.overall.map((r) => r.market),
    series: [
      { name: `${modelLabel(bt.model)} model`, color, values: bt.overall.map((r) => r.mape) },
      { name: 'last week carried forward', color: NAIVE_LAST_COLOR, values: bt.overall.map((r) => r.naiveLastMape) },
      { name: 'historical average', color: NAIVE_MEAN_COLOR, values: bt.overall.map((r) => r.naiveMeanMape) },
    ],
    valueLabel: 'MAPE (%)',
    valueFormat: (v) => `${v.toFixed(1)}%`,
    width: 1040,
    height: 320,
  });

  const rows: BacktestScore[] = bt.overall.flatMap((o) => [...bt.scores.filter((r) => r.market === o.market), o]);
  const foldLabel = (r: BacktestScore) => {
    if (r.fold === null) return 'all folds';
    const f = bt.folds.find((x) => x.fold === r.fold);
    return f ? `${r.fold} (from ${formatDate(f.cutoff)})` : String(r.fold);
  };
  const scoreTable = table<BacktestScore>(
    [
      { header: 'Market', value: (r) => r.market },
      { header: 'Fold', value: foldLabel, sort: (r) => r.fold ?? 999 },
      { header: 'Weeks', value: (r) => r.weeks, align: 'right' },
      { header: 'CRPS', value: (r) => money(r.crps), sort: (r) => r.crps, align: 'right', title: 'Continuous ranked probability score: the error of the whole forecast distribution, in € per week (lower is better)' },
      { header: 'MAPE', value: (r) => pct(r.mape), sort: (r) => r.mape, align: 'right', title: 'Mean absolute percentage error of the forecast mean' },
      { header: '94% coverage', value: (r) => (Number.isFinite(r.coverage) ? formatPercent(r.coverage) : '–'), sort: (r) => r.coverage, align: 'right', title: 'Share of weeks inside the 94% band (about 94% is calibrated)' },
      { header: 'Naive: last week', value: (r) => pct(r.naiveLastMape), sort: (r) => r.naiveLastMape, align: 'right' },
      { header: 'Naive: average', value: (r) => pct(r.naiveMeanMape), sort: (r) => r.naiveMeanMape, align: 'right' },
    ],
    rows,
    { caption: 'Forecast scores per market and fold, and over all folds', rowClass: (r) => (r.fold === null ? 'total' : '') },
  );

  const notes: string[] = [];
  for (const f of bt.folds) {
    for (const x of f.notScored) notes.push(`Fold ${f.fold}: ${x.market} not scored (${x.reason}).`);
    const problems = [
      ...((f.divergences ?? 0) > 0 ? [`${f.divergences} divergent transition${f.divergences === 1 ? '' : 's'}`] : []),
      ...((f.maxRhat ?? 1) > 1.05 ? [`max R-hat ${(f.maxRhat ?? NaN).toFixed(3)}`] : []),
    ];
    if (problems.length) notes.push(`Fold ${f.fold} sampled with ${problems.join(' and ')}; its scores are less reliable (longer chains would help).`);
  }
  const foot =
    `<p class="hint">${escapeHtml(bt.settings)}. Cutoffs: ${bt.folds.map((f) => `${escapeHtml(formatDate(f.cutoff))}`).join(', ')}. ` +
    'CRPS (continuous ranked probability score) rewards forecasts that are both close and appropriately confident, in € per week; MAPE is the average absolute error of the forecast mean as a share of revenue.</p>' +
    (notes.length ? `<ul>${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : '');

  return section('backtest', sectionNumber(input, 'backtest'), title, lead, key + grid(charts) + figure(errors, undefined, { wide: true }) + scoreTable + foot);
}

/** The all-market score: each market's scores weighted by its weeks (CRPS is left out: it is in each market's money). */
function weighted(rows: readonly BacktestScore[]): { weeks: number; mape: number; coverage: number; naiveLastMape: number; naiveMeanMape: number } {
  const weeks = rows.reduce((a, r) => a + r.weeks, 0);
  const avg = (f: (r: BacktestScore) => number) => {
    const ok = rows.filter((r) => Number.isFinite(f(r)) && r.weeks > 0);
    const w = ok.reduce((a, r) => a + r.weeks, 0);
    return w > 0 ? ok.reduce((a, r) => a + f(r) * r.weeks, 0) / w : NaN;
  };
  return { weeks, mape: avg((r) => r.mape), coverage: avg((r) => r.coverage), naiveLastMape: avg((r) => r.naiveLastMape), naiveMeanMape: avg((r) => r.naiveMeanMape) };
}
