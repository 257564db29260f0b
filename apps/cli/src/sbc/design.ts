// The design of every SBC replicate: M markets × W weeks × C channels of weekly spend (no
// controls, no gap weeks), generated once from the sbc seed by @tributary/synthetic with VOLTA's
// spend patterns, and the same for every replicate (SBC conditions on the covariates; only θ and
// y are drawn per replicate). Markets take VOLTA's names and revenue levels (DE, UK, FR, …, then
// M09, M10, …), channels VOLTA's columns and their default transforms (spotify_ads_spend,
// meta_spend, …, then channel7_spend, … with the fallback transforms), all ending on VOLTA's
// last week.
//
// The CSV is written here, not by the synthetic package: its spend text (cents, as
// `tributary generate` writes them) is the text every replicate's CSV repeats, and the panel the
// simulation uses is parsed from that very text, so the fit sees exactly the spend, dates and
// hence the media design H the data were simulated with.
import { buildPanel, parseMarketingCsv, type Panel } from '@tributary/data';
import { generateScenario, scenarioPreset, type ChannelConfig, type MarketConfig } from '@tributary/synthetic';

/** The target column of the replicates' CSVs. */
export const SBC_TARGET = 'revenue';

export interface SbcDesign {
  markets: string[];
  channels: string[];
  /** Per market: the revenue level y_s is multiplied by (any positive number would do). */
  sizes: number[];
  /** Per CSV row (market by market, then week): `date,country,<spend>` text without the target. */
  rowPrefixes: string[];
  /** Market index of each CSV row. */
  rowMarket: number[];
  /** The panel of the design (parsed from the CSV with a placeholder target; spend, dates and H are the fit's). */
  panel: Panel;
}

export function buildSbcDesign(options: { markets: number; weeks: number; channels: number; seed: number }): SbcDesign {
  const volta = scenarioPreset('volta');
  const markets: MarketConfig[] = Array.from({ length: options.markets }, (_, g) => {
    const known = volta.markets[g];
    return { name: known?.name ?? `M${String(g + 1).padStart(2, '0')}`, size: known?.size ?? 50_000, numWeeks: options.weeks };
  });
  const channels: ChannelConfig[] = Array.from(
    { length: options.channels },
    (_, c) => volta.channels[c] ?? { name: `channel${c + 1}_spend`, spendShare: 0.01, burstiness: 0.5, betaMu: 0.1, betaSigma: 0.3 },
  );
  const scenario = generateScenario({ ...volta, name: 'sbc', target: SBC_TARGET, markets, channels, liftTests: [] }, options.seed);
  const names = channels.map((c) => c.name);
  const index = new Map(markets.map((m, g) => [m.name, g]));
  // Rows by market, then date: the order of the panel's observed rows, so row i of every CSV is
  // observed row i of the fit's panel.
  const rows = [...scenario.rows].sort((a, b) => index.get(a.country)! - index.get(b.country)! || (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const rowPrefixes = rows.map((r) => [r.date, r.country, ...names.map((c) => (r.spend[c] ?? 0).toFixed(2))].join(','));
  const rowMarket = rows.map((r) => index.get(r.country)!);
  // The placeholder target (the scenario's revenue) only lets the panel build; the simulation
  // works on the scaled target and never reads it.
  const panel = buildPanel(parseMarketingCsv(sbcCsv({ channels: names, rowPrefixes }, rows.map((r) => r.target)), { target: SBC_TARGET }));
  if (panel.markets.join() !== markets.map((m) => m.name).join() || rowMarket.some((g, n) => panel.obsMarket[n] !== g)) {
    throw new Error('buildSbcDesign: the panel rows are not in the CSV order (market by market, then week)');
  }
  return { markets: markets.map((m) => m.name), channels: names, sizes: markets.map((m) => m.size), rowPrefixes, rowMarket, panel };
}

/**
 * The CSV of one replicate: the design's rows with the target values given in CSV row order,
 * written with `String(x)` (the shortest text that reads back as the same double).
 */
export function sbcCsv(design: Pick<SbcDesign, 'channels' | 'rowPrefixes'>, target: ArrayLike<number>): string {
  const lines = [['date', 'country', ...design.channels, SBC_TARGET].join(',')];
  design.rowPrefixes.forEach((prefix, i) => lines.push(`${prefix},${String(target[i])}`));
  return lines.join('\n') + '\n';
}
