// Section 7: does the model reproduce the revenue it was fitted to? Observed weeks against the
// posterior predictive mean and 94% band, and the revenue split into baseline and channels.
import { stackedAreaChart } from '../charts/area.js';
import { lineChart } from '../charts/line.js';
import { channelLabel, escapeHtml, formatEuro, formatPercent, isoToDay } from '../charts/format.js';
import { INK, channelColor, modelColor } from '../charts/palette.js';
import { callout, figure, grid, section, table } from '../html.js';
import type { ModelInput, ReportInput } from '../types.js';
import { mainModel, marketsByData, modelLabel, sectionNumber } from './common.js';

export function renderFitSection(input: ReportInput): string {
  const main = mainModel(input);
  const title = 'Fit: predicted against observed revenue';
  if (!main?.fit) return section('fit', sectionNumber(input, 'fit'), title, 'The data file was not given (--data), so the fit cannot be drawn.', '');
  const order = marketsByData(input);
  const lead =
    `Black dots are the observed weeks; the blue line is what the ${main.kind} model expects and the band is where it expects 94% of weeks to fall. ` +
    'About 94% of the dots should sit inside the band; many dots outside it, or a pattern in the misses, means something is not captured.';
  const fitCharts = order.map((g) => {
    const f = main.fit!.find((s) => s.market === input.markets[g]);
    if (!f) return '';
    const xs = f.dates.map((d) => isoToDay(d) ?? NaN);
    const cov = main.ppcCoverage?.[g];
    return figure(
      lineChart({
        title: `${f.market}: weekly revenue`,
        subtitle: `${f.dates.length} weeks${cov !== undefined ? `; ${formatPercent(cov)} of weeks inside the 94% band` : ''}`,
        series: [
          { name: 'predicted (94% band)', color: modelColor(main.kind), x: xs, y: f.mean, lower: f.lower, upper: f.upper, strokeWidth: 1.6 },
          { name: 'observed', color: INK, x: xs, y: f.observed, style: 'points' },
        ],
        xType: 'date',
        yFormat: (v) => formatEuro(v),
        yLabel: '€ per week',
        includeZero: false,
        width: 520,
        height: 250,
      }),
    );
  });
  const coverageTable = table<ModelInput>(
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
    const areas = order.map((g) => {
      const s = main.contributionsOverTime!.find((c) => c.market === input.markets[g]);
      if (!s) return '';
      const fit = main.fit!.find((f) => f.market === s.market);
      return figure(
        stackedAreaChart({
          title: `${s.market}: where the revenue comes from`,
          x: s.dates.map((d) => isoToDay(d) ?? NaN),
          layers: [
            { name: 'baseline', color: '#cfd4dc', values: s.base },
            ...s.channels.map((v, c) => ({ name: channelLabel(input.channels[c] ?? ''), color: channelColor(c), values: v })),
          ],
          ...(fit ? { overlay: { name: 'observed', color: INK, values: fit.observed } } : {}),
          yFormat: (v) => formatEuro(v),
          yLabel: '€ per week',
          width: 520,
          height: 300,
        }),
      );
    });
    const shares = mediaShares(input, main);
    contrib =
      `<h3>Contribution decomposition</h3><p>Each week’s expected revenue split into the baseline (what would sell without media: level, trend and season) and the part each channel adds, stacked. ${escapeHtml(shares)}</p>` +
      grid(areas);
  }
  return section('fit', sectionNumber(input, 'fit'), title, lead, grid(fitCharts) + coverageTable + contrib + (main.kind !== 'hierarchical' ? callout('<p>The hierarchical model was not fitted; showing the best available model.</p>', 'warning') : ''));
}

function mediaShares(input: ReportInput, main: ModelInput): string {
  const series = main.contributionsOverTime ?? [];
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
