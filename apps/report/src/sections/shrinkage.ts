// Section 5: shrinkage — how much of each market's estimate comes from the group rather than
// from its own data, and how that falls as a market's history grows.
import { heatmap } from '../charts/heatmap.js';
import { scatterChart } from '../charts/scatter.js';
import { channelLabel, formatFixed, formatPercent } from '../charts/format.js';
import { channelColor } from '../charts/palette.js';
import { callout, figure, grid, section } from '../html.js';
import type { ReportInput } from '../types.js';
import { findModel, marketsByData, sectionNumber } from './common.js';

export function renderShrinkageSection(input: ReportInput): string {
  const hier = findModel(input, 'hierarchical');
  const title = 'Borrowing strength: shrinkage';
  if (!hier?.shrinkage) {
    return section('shrinkage', sectionNumber(input, 'shrinkage'), title, 'Shrinkage is defined for the hierarchical model only, and it was not fitted.', callout('<p>Fit it with <code>tributary fit DATA --model hierarchical</code>.</p>'));
  }
  const order = marketsByData(input, 'sparse-first');
  const lead =
    'Shrinkage says how much of a market’s channel effect is borrowed from the other markets: 0 means the market’s own data decides, 1 means the estimate is simply the group’s. ' +
    'Markets with few weeks should borrow more; markets with years of data should stand on their own.';
  const map = heatmap({
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
        connect: true,
        points: marketsByData(input, 'sparse-first').map((g) => ({ x: input.marketWeeks[g] ?? 0, y: marketMean(g), label: input.markets[g]! })),
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
  return section('shrinkage', sectionNumber(input, 'shrinkage'), title, lead, summary + grid([figure(map), figure(scatter)]));
}
