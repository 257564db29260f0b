// Section 1: the data problem — how much history each market has, what its revenue looks like,
// how spend moves over time in a rich and a sparse market, and what validation found.
// Large panels (issue 17, `input.marketGroups`): the lead counts markets per history tier instead
// of naming each, weeks of data is a histogram (13-week bins) instead of one bar per market, the
// revenue distribution shows the top markets and the others' weeks together, and the market
// table (every market, sortable) scrolls in a box. Small panels are drawn as before.
import { distributionChart } from '../charts/distribution.js';
import { barChart } from '../charts/bar.js';
import { lineChart } from '../charts/line.js';
import { channelLabel, formatDate, formatEuro, isoToDay } from '../charts/format.js';
import { MUTED, TIER_COLORS, channelColor } from '../charts/palette.js';
import { callout, figure, grid, list, section, table, tierBadge } from '../html.js';
import type { MarketData, ReportInput } from '../types.js';
import { chartMarkets, tierLabel, sectionNumber, WEEK_BIN, weekBins } from './common.js';

/** Large panels: how many markets have how many weeks of data (13-week bins, coloured by history tier). */
function weeksHistogram(markets: readonly MarketData[]): string {
  const bins = weekBins(markets.map((m) => m.numObserved));
  // (a bin across a tier boundary takes the colour of most of its markets)
  const color = (b: (typeof bins)[number]) => {
    const count = (t: string) => b.members.filter((g) => markets[g]!.tier === t).length;
    return TIER_COLORS[[...new Set(b.members.map((g) => markets[g]!.tier))].sort((x, y) => count(y) - count(x))[0] ?? 'medium']!;
  };
  return barChart({
    title: 'Markets by weeks of data',
    subtitle: `${markets.length} markets in bins of ${WEEK_BIN} weeks; colour = the history of most markets in the bin`,
    bars: bins.map((b) => ({ label: `${b.lo}–${b.hi}`, value: b.members.length, color: color(b), note: `${b.members.length}` })),
    valueLabel: 'markets',
    categoryLabel: 'weeks observed',
    legend: (['rich', 'medium', 'sparse'] as const).filter((t) => markets.some((m) => m.tier === t)).map((t) => ({ label: tierLabel(t), color: TIER_COLORS[t]! })),
    width: 520,
    height: 300,
  });
}

export function renderDataSection(input: ReportInput): string {
  const d = input.data;
  if (!d) {
    return section('data', sectionNumber(input, 'data'), 'The data', 'The data file was not given (--data FILE), so this section is empty.', callout('<p>Run <code>tributary report results/ --data data/volta_marketing.csv</code> to include it.</p>'));
  }
  const byWeeks = new Map<number, string[]>();
  for (const m of [...d.markets].sort((a, b) => b.numObserved - a.numObserved)) byWeeks.set(m.numObserved, [...(byWeeks.get(m.numObserved) ?? []), m.market]);
  const groups = [...byWeeks.entries()].map(([w, ms]) => `${ms.join(' and ')} ${w}`);
  const { markets: top, rest } = chartMarkets(input);
  // (large panels: counts per history tier instead of every market's name)
  const fewest = Math.min(...d.markets.map((m) => m.numObserved));
  const most = Math.max(...d.markets.map((m) => m.numObserved));
  const tiers = (['rich', 'medium', 'sparse'] as const).map((t) => ({ t, n: d.markets.filter((m) => m.tier === t).length })).filter((x) => x.n > 0);
  const history = rest
    ? fewest === most
      ? `Every market has ${most} weeks of data. `
      : `The markets do not have the same history — from ${fewest} to ${most} weeks of data; ${tiers.map((x) => `${x.n} ${tierLabel(x.t)}`).join(', ')}. `
    : `The markets do not have the same history — weeks of data: ${groups.join(', ')}. `;
  const lead =
    `${d.numRows} weekly rows from ${formatDate(d.firstDate)} to ${formatDate(d.lastDate)} across ${d.markets.length} markets and ${input.channels.length} channels. ` +
    history +
    'A market with half a year of data cannot tell six channels apart on its own: that is the problem this report is about.';

  const weeksChart = rest ? weeksHistogram(d.markets) : barChart({
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
    subtitle: rest
      ? `The ${top.length} markets with the most revenue, then the weeks of the ${rest.rest.length} others together; box = middle half, white line = median`
      : 'Shape of the weekly values; box = middle half, white line = median',
    groups: rest
      ? [
          ...top.map((g) => d.markets[g]!).map((m) => ({ label: m.market, color: TIER_COLORS[m.tier]!, values: m.target })),
          { label: rest.label, color: MUTED, values: rest.rest.flatMap((g) => d.markets[g]!.target) },
        ]
      : d.markets.map((m) => ({ label: m.market, color: TIER_COLORS[m.tier]!, values: m.target })),
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
    { caption: 'Markets, richest history first (click a column to sort)', ...(rest ? { scroll: true } : {}) },
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
