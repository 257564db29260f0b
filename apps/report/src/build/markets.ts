// Large panels (issue 17, "Scale up"): above COMPACT_ABOVE markets the report stops drawing one
// row or one chart per market. The TOP_MARKETS markets with the most observed revenue are shown
// by name and the others as one group, "other N markets", whose ROAS comes from the per-draw sums
// of their contributions and spend (model.ts), not from averaging their estimates; every market
// stays in the sortable tables. Small panels (VOLTA has 8 markets) keep the full per-market charts.
import type { Panel } from '@tributary/data';
import type { MarketGroups } from '../types.js';

/** More markets than this switch the per-market charts to the top markets plus one group. */
export const COMPACT_ABOVE = 24;
/** Markets shown by name in the compact views. */
export const TOP_MARKETS = 12;

/** The label of the grouped rest: "other 188 markets". */
export function otherMarketsLabel(count: number): string {
  return `other ${count} market${count === 1 ? '' : 's'}`;
}

/**
 * Top markets by total observed revenue (ties: data order) and the rest, or undefined when the
 * panel is small enough to show every market. `top` is in revenue order, `rest` in data order.
 */
export function marketGroups(panel: Panel, options: { compactAbove?: number; top?: number } = {}): MarketGroups | undefined {
  const G = panel.markets.length;
  const above = options.compactAbove ?? COMPACT_ABOVE;
  const n = options.top ?? TOP_MARKETS;
  if (G <= above) return undefined;
  const revenue = panel.markets.map((_, g) => {
    const start = panel.obsOffset[g]!;
    let s = 0;
    for (let i = start; i < start + panel.marketNumObs[g]!; i++) s += panel.y[i]!;
    return s;
  });
  const order = panel.markets.map((_, g) => g).sort((a, b) => revenue[b]! - revenue[a]! || a - b);
  const top = order.slice(0, n);
  const inTop = new Set(top);
  const rest = panel.markets.map((_, g) => g).filter((g) => !inTop.has(g));
  return { top, rest, label: otherMarketsLabel(rest.length) };
}
