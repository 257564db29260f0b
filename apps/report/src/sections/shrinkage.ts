// Section 5: shrinkage — how much of each market's estimate comes from the group rather than
// from its own data, and how that falls as a market's history grows. Large panels (issue 17): the
// heatmap has one row per 13-week bin of history (mean shrinkage of its markets) rather than one
// per market — shrinkage is about history, so bins tell more than the top markets by revenue would
// — unless fewer than 3 bins are filled (every market with about the same history, as in the geo
// benchmark): then the top markets by revenue and the others' average. The scatter keeps every
// market without point labels or the connecting line, and a sortable table lists every market.
import { heatmap } from '../charts/heatmap.js';
import { scatterChart } from '../charts/scatter.js';
import { channelLabel, formatFixed, formatPercent } from '../charts/format.js';
import { channelColor } from '../charts/palette.js';
import { callout, figure, grid, section, table } from '../html.js';
import type { ReportInput } from '../types.js';
import { findModel, marketColumns, marketsByData, sectionNumber, WEEK_BIN, weekBins } from './common.js';

export function renderShrinkageSection(input: ReportInput): string {
  const hier = findModel(input, 'hierarchical');
  const title = 'Borrowing strength: shrinkage';
  if (!hier?.shrinkage) {
    return section('shrinkage', sectionNumber(input, 'shrinkage'), title, 'Shrinkage is defined for the hierarchical model only, and it was not fitted.', callout('<p>Fit it with <code>tributary fit DATA --model hierarchical</code>.</p>'));
  }
  const order = marketsByData(input, 'sparse-first');
  const compact = input.marketGroups !== undefined;
  const lead =
    'Shrinkage says how much of a market’s channel effect is borrowed from the other markets: 0 means the market’s own data decides, 1 means the estimate is simply the group’s. ' +
    'Markets with few weeks should borrow more; markets with years of data should stand on their own.';
  const map = compact ? binnedHeatmap(input, hier.shrinkage) : heatmap({
    title: 'Shrinkage per market and channel',
    subtitle: 'Markets sorted by weeks of data (fewest first); n = weeks observed',
    rows: order.map((g) => input.markets[g]!),
    rowNotes: order.map((g) => `n = ${input.marketWeeks[g] ?? 0}`),
    columns: input.channels.map(channelLabel),
    values: order.map((g) => input.channels.map((_, c) => hier.shrinkage![g]?.[c] ?? null)),
    domain: [0, 1],
    format: (v) => formatFixed(v, 2),
    scaleLabel: '0 = own data · 1 = group',
    width: 560,
  });
  const marketMean = (g: number) => {
    const v = (hier.shrinkage![g] ?? []).filter((x) => Number.isFinite(x));
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
  };
  const scatter = scatterChart({
    title: 'Shrinkage against weeks of data',
    subtitle: 'Small dots: one channel in one market; black: the market’s average',
    series: [
      ...input.channels.map((c, ci) => ({
        name: channelLabel(c),
        color: channelColor(ci),
        points: input.markets.map((_, g) => ({ x: input.marketWeeks[g] ?? 0, y: hier.shrinkage![g]?.[ci] ?? NaN })),
      })),
      {
        name: 'market average',
        color: '#222222',
        shape: 'diamond' as const,
        // (large panels: many markets share a week count, so a line through them is a scribble)
        connect: !compact,
        // (large panels: no name on each of the many points; the table below has every market)
        points: marketsByData(input, 'sparse-first').map((g) => ({ x: input.marketWeeks[g] ?? 0, y: marketMean(g), ...(compact ? {} : { label: input.markets[g]! }) })),
      },
    ],
    xLabel: 'weeks of data in the market',
    yLabel: 'shrinkage',
    yDomain: [0, 1],
    yFormat: (v) => formatFixed(v, 1),
    jitter: 3,
    width: 480,
    height: 380,
  });
  const mean = (gs: number[]) => {
    const v = gs.flatMap((g) => hier.shrinkage![g] ?? []).filter((x) => Number.isFinite(x));
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
  };
  const sparse = input.markets.map((_, g) => g).filter((g) => input.marketTiers[g] === 'sparse');
  const rich = input.markets.map((_, g) => g).filter((g) => input.marketTiers[g] === 'rich');
  const summary =
    sparse.length && rich.length
      ? callout(
          `<p>On average, sparse markets take ${formatPercent(mean(sparse))} of their channel effects from the group, rich markets ${formatPercent(mean(rich))}. ` +
            (mean(sparse) > mean(rich) ? 'That is the intended behaviour: the less data, the more borrowing.' : 'Unusually, sparse markets do not borrow more than rich ones — see section 9.') +
            '</p>',
          'key',
        )
      : '';
  const everyMarket = compact
    ? table<number>(
        [
          ...marketColumns(input),
          { header: 'Average', value: (g) => formatFixed(marketMean(g), 2), sort: (g) => marketMean(g), align: 'right' },
          ...input.channels.map((c, ci) => ({
            header: channelLabel(c),
            value: (g: number) => formatFixed(hier.shrinkage![g]?.[ci] ?? NaN, 2),
            sort: (g: number) => hier.shrinkage![g]?.[ci] ?? -1,
            align: 'right' as const,
          })),
        ],
        order,
        { caption: 'Shrinkage per market and channel, every market, fewest weeks first (click a column to sort)', scroll: true },
      )
    : '';
  return section('shrinkage', sectionNumber(input, 'shrinkage'), title, lead, summary + grid([figure(map), figure(scatter)]) + everyMarket);
}

/** Large panels: the heatmap with one row per 13-week bin of history (the mean shrinkage of its markets) instead of one per market. */
function binnedHeatmap(input: ReportInput, shrinkage: number[][]): string {
  let used = weekBins(input.markets.map((_, g) => input.marketWeeks[g] ?? 0))
    .filter((b) => b.members.length)
    .map((b) => ({ label: `${b.lo}–${b.hi} weeks`, members: b.members }));
  // When (nearly) every market has the same history the bins say nothing: the top markets by
  // revenue and the others' average instead, like the other sections.
  const groups = input.marketGroups;
  const byHistory = used.length >= 3 || !groups;
  if (!byHistory) used = [...groups.top.map((g) => ({ label: input.markets[g]!, members: [g] })), { label: groups.label, members: groups.rest }];
  const avg = (gs: number[], c: number) => {
    const v = gs.map((g) => shrinkage[g]?.[c] ?? NaN).filter((x) => Number.isFinite(x));
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
  };
  return heatmap({
    title: byHistory ? 'Shrinkage per channel, by weeks of data' : 'Shrinkage per channel, largest markets',
    subtitle: byHistory ? `Average over the markets in each ${WEEK_BIN}-week bin of history, fewest first` : 'By revenue; the group’s row is its markets’ average',
    rows: used.map((b) => b.label),
    rowNotes: used.map((b) => (b.members.length > 1 ? `${b.members.length} mkts` : `n = ${input.marketWeeks[b.members[0]!] ?? 0}`)),
    columns: input.channels.map(channelLabel),
    values: used.map((b) => input.channels.map((_, c) => avg(b.members, c))),
    domain: [0, 1],
    format: (v) => formatFixed(v, 2),
    scaleLabel: '0 = own data · 1 = group',
    width: 560,
  });
}
