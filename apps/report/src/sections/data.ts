// Section 1: the data problem — how much history each market has, what its revenue looks like,
// how spend moves over time in a rich and a sparse market, and what validation found.
import { distributionChart } from '../charts/distribution.js';
import { barChart } from '../charts/bar.js';
import { lineChart } from '../charts/line.js';
import { channelLabel, formatDate, formatEuro, isoToDay } from '../charts/format.js';
import { TIER_COLORS, channelColor } from '../charts/palette.js';
import { callout, figure, grid, list, section, table, tierBadge } from '../html.js';
import type { MarketData, ReportInput } from '../types.js';
import { tierLabel, sectionNumber } from './common.js';

export function renderDataSection(input: ReportInput): string {
  const d = input.data;
  if (!d) {
    return section('data', sectionNumber(input, 'data'), 'The data', 'The data file was not given (--data FILE), so this section is empty.', callout('<p>Run <code>tributary report results/ --data data/volta_marketing.csv</code> to include it.</p>'));
  }
  const byWeeks = new Map<number, string[]>();
  for (const m of [...d.markets].sort((a, b) => b.numObserved - a.numObserved)) byWeeks.set(m.numObserved, [...(byWeeks.get(m.numObserved) ?? []), m.market]);
  const groups = [...byWeeks.entries()].map(([w, ms]) => `${ms.join(' and ')} ${w}`);
  const lead =
    `${d.numRows} weekly rows from ${formatDate(d.firstDate)} to ${formatDate(d.lastDate)} across ${d.markets.length} markets and ${input.channels.length} channels. ` +
    `The markets do not have the same history — weeks of data: ${groups.join(', ')}. ` +
    'A market with half a year of data cannot tell six channels apart on its own: that is the problem this report is about.';

  const weeksChart = barChart({
    title: 'Weeks of data per market',
    subtitle: 'Observed weeks; colour = how much history the market has',
    bars: d.markets.map((m) => ({ label: m.market, value: m.numObserved, color: TIER_COLORS[m.tier]!, note: `${m.numObserved}` })),
    valueLabel: 'weeks observed',
    legend: (['rich', 'medium', 'sparse'] as const).filter((t) => d.markets.some((m) => m.tier === t)).map((t) => ({ label: tierLabel(t), color: TIER_COLORS[t]! })),
    width: 520,
    height: 300,
  });
  const targetChart = distributionChart({
    title: `Weekly ${input.target.replace(/_/g, ' ')} per market`,
    subtitle: 'Shape of the weekly values; box = middle half, white line = median',
    groups: d.markets.map((m) => ({ label: m.market, color: TIER_COLORS[m.tier]!, values: m.target })),
    yLabel: '€ per week',
    yFormat: (v) => formatEuro(v),
    includeZero: true,
    width: 520,
    height: 300,
  });

  const lo = isoToDay(d.firstDate) ?? 0;
  const hi = isoToDay(d.lastDate) ?? 0;
  const spendCharts = d.spendSeries.map((s) =>
    lineChart({
      title: `Weekly spend per channel — ${s.market} (${s.tier}, ${s.dates.length} weeks)`,
      series: s.spend.map((values, c) => ({
        name: channelLabel(input.channels[c] ?? ''),
        color: channelColor(c),
        x: s.dates.map((t) => isoToDay(t) ?? NaN),
        y: values,
        strokeWidth: 1.6,
      })),
      xType: 'date',
      xDomain: [lo, hi],
      yLabel: '€ per week',
      yFormat: (v) => formatEuro(v),
      width: 1040,
      height: 260,
    }),
  );

  const marketTable = table<MarketData>(
    [
      { header: 'Market', value: (m) => m.market },
      { header: 'History', value: (m) => m.tier, html: (m) => tierBadge(m.tier), sort: (m) => m.numObserved },
      { header: 'First week', value: (m) => formatDate(m.firstDate), sort: (m) => m.firstDate },
      { header: 'Last week', value: (m) => formatDate(m.lastDate), sort: (m) => m.lastDate },
      { header: 'Weeks observed', value: (m) => m.numObserved, align: 'right' },
      { header: 'Missing weeks', value: (m) => m.numGaps, align: 'right' },
      { header: 'Mean weekly revenue', value: (m) => formatEuro(m.targetMean), sort: (m) => m.targetMean, align: 'right' },
      { header: 'Media spend (total)', value: (m) => formatEuro(m.totalSpend.reduce((a, b) => a + b, 0)), sort: (m) => m.totalSpend.reduce((a, b) => a + b, 0), align: 'right' },
    ],
    [...d.markets].sort((a, b) => b.numObserved - a.numObserved),
    { caption: 'Markets, richest history first (click a column to sort)' },
  );

  const gapText = d.gaps.length
    ? `<p>Validation found weeks missing inside a market's date range. Those weeks have no revenue to fit; their spend counts as zero for carry-over.</p>` +
      table(
        [
          { header: 'Market', value: (g: { market: string; dates: string[] }) => g.market },
          { header: 'Missing weeks', value: (g) => g.dates.length, align: 'right' },
          { header: 'Dates', value: (g) => g.dates.map(formatDate).join(', ') },
        ],
        d.gaps,
      )
    : '<p>Validation found no missing weeks.</p>';
  const warnings = d.warnings.length ? `<details><summary>All validation warnings (${d.warnings.length})</summary>${list(d.warnings)}</details>` : '';

  return section(
    'data',
    sectionNumber(input, 'data'),
    'The data',
    lead,
    grid([figure(weeksChart), figure(targetChart)]) +
      spendCharts.map((s) => figure(s, undefined, { wide: true })).join('') +
      marketTable +
      `<h3>Gaps found by validation</h3>${gapText}${warnings}`,
  );
}
