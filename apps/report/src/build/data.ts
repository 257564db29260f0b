// The data section's numbers: markets with their history tier, weekly target values, spend over
// time for the richest and the sparsest market, and the gaps found by validation.
import { addWeeks, summarizeDataset, type MarketingData, type Panel } from '@tributary/data';
import type { DataInput, MarketData, SpendSeries, Tier } from '../types.js';

/** Observed weeks below which a market is sparse / rich. */
export const SPARSE_BELOW_WEEKS = 40;
export const RICH_FROM_WEEKS = 78;

export function tierOf(observedWeeks: number): Tier {
  return observedWeeks < SPARSE_BELOW_WEEKS ? 'sparse' : observedWeeks < RICH_FROM_WEEKS ? 'medium' : 'rich';
}

export function buildDataInput(data: MarketingData, panel: Panel): DataInput {
  const summary = summarizeDataset(data);
  const C = panel.channels.length;
  const markets: MarketData[] = panel.markets.map((market, g) => {
    const s = summary.markets.find((m) => m.market === market)!;
    const start = panel.obsOffset[g]!;
    const count = panel.marketNumObs[g]!;
    return {
      market,
      tier: tierOf(count),
      firstDate: s.firstDate,
      lastDate: s.lastDate,
      numWeeks: s.numWeeks,
      numObserved: s.numObserved,
      numGaps: s.numGaps,
      target: Array.from(panel.y.subarray(start, start + count)),
      targetMean: panel.yScale[g]!,
      totalSpend: s.totalSpend,
    };
  });
  const byWeeks = panel.markets.map((_, g) => g).sort((a, b) => panel.marketNumObs[b]! - panel.marketNumObs[a]! || a - b);
  const picks = [...new Set([byWeeks[0]!, byWeeks[byWeeks.length - 1]!])];
  const spendSeries: SpendSeries[] = picks.map((g) => {
    const off = panel.gridOffset[g]!;
    const len = panel.marketLength[g]!;
    const dates = Array.from({ length: len }, (_, i) => addWeeks(panel.firstDate, panel.marketStart[g]! + i));
    const spend = Array.from({ length: C }, (_, c) =>
      Array.from({ length: len }, (_, i) => (panel.gridObserved[off + i]! < 0 ? null : panel.gridSpend[(off + i) * C + c]!)),
    );
    return { market: panel.markets[g]!, tier: tierOf(panel.marketNumObs[g]!), dates, spend };
  });
  return {
    numRows: summary.numRows,
    firstDate: summary.firstDate,
    lastDate: summary.lastDate,
    markets,
    spendSeries,
    gaps: summary.gaps.map((g) => ({ market: g.market, dates: g.dates })),
    warnings: [...new Set([...data.warnings, ...panel.warnings])],
  };
}
