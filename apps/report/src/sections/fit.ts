// Section 7: does the model reproduce the revenue it was fitted to? Observed weeks against the
// posterior predictive mean and 94% band, and the revenue split into baseline and channels.
// Large panels (issue 17): small multiples (three to a row) of the top markets by revenue plus one
// chart of the other markets' weekly revenue summed (band of the sum per draw, build/model.ts),
// and the predictive coverage as one sortable row per market instead of one column per market.
import { stackedAreaChart } from '../charts/area.js';
import { lineChart } from '../charts/line.js';
import { channelLabel, escapeHtml, formatEuro, formatPercent, isoToDay } from '../charts/format.js';
import { INK, channelColor, modelColor } from '../charts/palette.js';
import { callout, figure, grid, section, table } from '../html.js';
import type { ContributionSeries, FitSeries, ModelInput, ReportInput } from '../types.js';
import { chartMarkets, compactNote, mainModel, marketColumns, modelLabel, sectionNumber } from './common.js';

export function renderFitSection(input: ReportInput): string {
  const main = mainModel(input);
  const title = 'Fit: predicted against observed revenue';
  if (!main?.fit) return section('fit', sectionNumber(input, 'fit'), title, 'The data file was not given (--data), so the fit cannot be drawn.', '');
  const { markets: order, rest } = chartMarkets(input);
  // Large panels: small multiples of the top markets and of the rest summed, three to a row.
  const size = rest ? { width: 400, height: 220 } : { width: 520, height: 250 };
  const lead =
    `Black dots are the observed weeks; the blue line is what the ${main.kind} model expects and the band is where it expects 94% of weeks to fall. ` +
    'About 94% of the dots should sit inside the band; many dots outside it, or a pattern in the misses, means something is not captured.';
  const fitChart = (f: FitSeries, cov: number | undefined, title = `${f.market}: weekly revenue`, what = 'weeks') => {
    const xs = f.dates.map((d) => isoToDay(d) ?? NaN);
    return figure(
      lineChart({
        title,
        subtitle: `${f.dates.length} weeks${cov !== undefined ? `; ${formatPercent(cov)} of ${what} inside the 94% band` : ''}`,
        series: [
          { name: 'predicted (94% band)', color: modelColor(main.kind), x: xs, y: f.mean, lower: f.lower, upper: f.upper, strokeWidth: 1.6 },
          { name: 'observed', color: INK, x: xs, y: f.observed, style: 'points' },
        ],
        xType: 'date',
        yFormat: (v) => formatEuro(v),
        yLabel: '€ per week',
        includeZero: false,
        ...size,
      }),
    );
  };
  const fitCharts = order.map((g) => {
    const f = main.fit!.find((s) => s.market === input.markets[g]);
    return f ? fitChart(f, main.ppcCoverage?.[g]) : '';
  });
  if (rest && main.rest?.fit) fitCharts.push(fitChart(main.rest.fit, main.rest.fitCoverage, `${rest.label}: weekly revenue, summed`, 'summed weeks'));
  const coverageTable = rest ? coverageByMarket(input) : table<ModelInput>(
    [
      { header: 'Model', value: (m) => modelLabel(m.kind) },
      ...input.markets.map((mk, g) => ({
        header: mk,
        value: (m: ModelInput) => (m.ppcCoverage?.[g] !== undefined ? formatPercent(m.ppcCoverage[g]!) : '–'),
        sort: (m: ModelInput) => m.ppcCoverage?.[g] ?? -1,
        align: 'right' as const,
      })),
    ],
    input.models.filter((m) => m.ppcCoverage),
    { caption: 'Share of observed weeks inside the 94% predictive band (target ≈ 94%)' },
  );

  let contrib = '';
  if (main.contributionsOverTime?.length) {
    const area = (s: ContributionSeries, fit: FitSeries | undefined, title = `${s.market}: where the revenue comes from`) =>
      figure(
        stackedAreaChart({
          title,
          x: s.dates.map((d) => isoToDay(d) ?? NaN),
          layers: [
            { name: 'baseline', color: '#cfd4dc', values: s.base },
            ...s.channels.map((v, c) => ({ name: channelLabel(input.channels[c] ?? ''), color: channelColor(c), values: v })),
          ],
          ...(fit ? { overlay: { name: 'observed', color: INK, values: fit.observed } } : {}),
          yFormat: (v) => formatEuro(v),
          yLabel: '€ per week',
          width: size.width,
          height: rest ? 240 : 300,
        }),
      );
    const areas = order.map((g) => {
      const s = main.contributionsOverTime!.find((c) => c.market === input.markets[g]);
      return s ? area(s, main.fit!.find((f) => f.market === s.market)) : '';
    });
    if (rest && main.rest?.contributions) areas.push(area(main.rest.contributions, main.rest.fit, `${rest.label}: where the revenue comes from, summed`));
    const shares = mediaShares(input, main);
    contrib =
      `<h3>Contribution decomposition</h3><p>Each week’s expected revenue split into the baseline (what would sell without media: level, trend and season) and the part each channel adds, stacked. ${escapeHtml(shares)}</p>` +
      grid(areas, rest ? 3 : 2);
  }
  const compact = rest
    ? `<p>${escapeHtml(compactNote(input, 'the charts'))} The group’s chart sums the revenue of the markets observed each week; its band is that of the sum, per draw.</p>`
    : '';
  return section('fit', sectionNumber(input, 'fit'), title, lead, compact + grid(fitCharts, rest ? 3 : 2) + coverageTable + contrib + (main.kind !== 'hierarchical' ? callout('<p>The hierarchical model was not fitted; showing the best available model.</p>', 'warning') : ''));
}

/** Large panels: the predictive coverage as one row per market (sortable) instead of one column per market. */
function coverageByMarket(input: ReportInput): string {
  const models = input.models.filter((m) => m.ppcCoverage);
  return table<number>(
    [
      ...marketColumns(input),
      ...models.map((m) => ({
        header: modelLabel(m.kind),
        value: (g: number) => (m.ppcCoverage?.[g] !== undefined ? formatPercent(m.ppcCoverage[g]!) : '–'),
        sort: (g: number) => m.ppcCoverage?.[g] ?? -1,
        align: 'right' as const,
      })),
    ],
    input.markets.map((_, g) => g),
    { caption: 'Share of observed weeks inside the 94% predictive band (target ≈ 94%), every market (click a column to sort)', scroll: true },
  );
}

function mediaShares(input: ReportInput, main: ModelInput): string {
  // (large panels: the top markets' series and the rest's summed series cover every market)
  const series = [...(main.contributionsOverTime ?? []), ...(main.rest?.contributions ? [main.rest.contributions] : [])];
  let media = 0;
  let total = 0;
  for (const s of series) {
    for (let t = 0; t < s.dates.length; t++) {
      const m = s.channels.reduce((a, c) => a + (c[t] ?? 0), 0);
      media += m;
      total += m + (s.base[t] ?? 0);
    }
  }
  if (!(total > 0)) return '';
  return `Across all markets, media brings about ${formatPercent(media / total)} of revenue (${formatEuro(media)} of ${formatEuro(total)}); the rest is baseline. ${input.channels.length} channels are shown in the same colours as everywhere in this report.`;
}
