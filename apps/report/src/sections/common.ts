// Helpers shared by the sections: section list and numbers, market order by data, model
// lookup, labels; for large panels (issue 17) the market rows of a chart (top markets and the
// rest), the first columns of one-row-per-market tables and the 13-week bins of history.
import { channelLabel, formatEuro } from '../charts/format.js';
import type { Column } from '../html.js';
import type { MarketGroups, ModelInput, ReportInput, Tier } from '../types.js';

/**
 * The ids and titles of the report's sections, in order. An `isOptional` section appears only
 * when its input is given (calibration when a model has lift tests or time-varying effects, the
 * backtest with `--backtest DIR`, simulation-based calibration with `--sbc FILE`); the others
 * always appear, with a plain message when their input is missing.
 */
export const REPORT_SECTIONS = [
  { id: 'data', title: 'Data', isOptional: false },
  { id: 'transforms', title: 'Transforms', isOptional: false },
  { id: 'diagnostics', title: 'Diagnostics', isOptional: false },
  { id: 'roas', title: 'ROAS', isOptional: false },
  { id: 'calibration', title: 'Calibration', isOptional: true },
  { id: 'shrinkage', title: 'Shrinkage', isOptional: false },
  { id: 'comparison', title: 'Model comparison', isOptional: false },
  { id: 'fit', title: 'Fit', isOptional: false },
  { id: 'backtest', title: 'Backtest', isOptional: true },
  { id: 'truth', title: 'Ground truth', isOptional: false },
  { id: 'failure', title: 'When pooling fails', isOptional: false },
  { id: 'plan', title: 'Budget plan', isOptional: false },
  { id: 'sbc', title: 'Simulation-based calibration', isOptional: true },
] as const;

export type SectionId = (typeof REPORT_SECTIONS)[number]['id'];

/** The sections this input shows, in order (an SBC-only report, without models, shows just that one). */
export function presentSections(input: ReportInput): (typeof REPORT_SECTIONS)[number][] {
  if (input.models.length === 0 && input.sbc !== undefined) return REPORT_SECTIONS.filter((s) => s.id === 'sbc');
  return REPORT_SECTIONS.filter(
    (s) =>
      !s.isOptional ||
      (s.id === 'backtest' && input.backtest !== undefined) ||
      (s.id === 'calibration' && input.calibration !== undefined) ||
      (s.id === 'sbc' && input.sbc !== undefined),
  );
}

/** The 1-based number of a section among those shown. */
export function sectionNumber(input: ReportInput, id: SectionId): number {
  return presentSections(input).findIndex((s) => s.id === id) + 1;
}

/** Market indices sorted by observed weeks, richest first (ties keep the data order). */
export function marketsByData(input: ReportInput, order: 'rich-first' | 'sparse-first' = 'rich-first'): number[] {
  const idx = input.markets.map((_, g) => g);
  const sign = order === 'rich-first' ? -1 : 1;
  return idx.sort((a, b) => sign * ((input.marketWeeks[a] ?? 0) - (input.marketWeeks[b] ?? 0)) || a - b);
}

/**
 * The market rows of a per-market chart. Small panels: every market (`marketsByData` order).
 * Large panels (`input.marketGroups`): the top markets by revenue, and `rest` for the one row of
 * the others together — the section draws that row from the model's `rest` numbers and lists
 * every market in a sortable table instead.
 */
export function chartMarkets(input: ReportInput, order: 'rich-first' | 'sparse-first' = 'rich-first'): { markets: number[]; rest?: MarketGroups } {
  const groups = input.marketGroups;
  if (!groups) return { markets: marketsByData(input, order) };
  return { markets: [...groups.top], rest: groups };
}

/** The first columns of a one-row-per-market table (rows are market indices): name, weeks of data, mean weekly revenue. */
export function marketColumns(input: ReportInput): Column<number>[] {
  return [
    { header: 'Market', value: (g) => input.markets[g] ?? '' },
    { header: 'Weeks', value: (g) => input.marketWeeks[g] ?? 0, align: 'right' },
    ...(input.data
      ? [{ header: 'Mean weekly revenue', value: (g: number) => formatEuro(input.data!.markets[g]?.targetMean ?? NaN), sort: (g: number) => input.data!.markets[g]?.targetMean ?? 0, align: 'right' as const }]
      : []),
  ];
}

/** Weeks of data per bin in the large-panel views (a quarter). */
export const WEEK_BIN = 13;

/** Markets (indices into `weeks`) binned by their weeks of data, 1–13, 14–26, …; empty bins included. */
export function weekBins(weeks: readonly number[]): { lo: number; hi: number; members: number[] }[] {
  const max = Math.max(1, ...weeks);
  const bins = Array.from({ length: Math.ceil(max / WEEK_BIN) }, (_, i) => ({ lo: i * WEEK_BIN + 1, hi: (i + 1) * WEEK_BIN, members: [] as number[] }));
  weeks.forEach((w, g) => bins[Math.min(bins.length - 1, Math.max(0, Math.ceil(w / WEEK_BIN) - 1))]!.members.push(g));
  return bins;
}

/** One sentence on the compact views of a large panel (empty for small ones). */
export function compactNote(input: ReportInput, what: string): string {
  const g = input.marketGroups;
  if (!g) return '';
  return `With ${input.markets.length} markets, ${what} show the ${g.top.length} markets with the most revenue by name and the ${g.rest.length} others as one group; every market is in the table.`;
}

export function findModel(input: ReportInput, kind: string): ModelInput | undefined {
  return input.models.find((m) => m.kind === kind);
}

/** The model the report leans on: hierarchical when fitted, else the best by LOO, else the last. */
export function mainModel(input: ReportInput): ModelInput | undefined {
  return findModel(input, 'hierarchical') ?? findModel(input, input.comparison?.rows[0]?.model ?? '') ?? input.models[input.models.length - 1];
}

export const MODEL_LABEL: Record<string, string> = {
  pooled: 'Pooled',
  unpooled: 'Unpooled',
  hierarchical: 'Hierarchical',
};

export function modelLabel(kind: string): string {
  return MODEL_LABEL[kind] ?? kind;
}

export const MODEL_PLAIN: Record<string, string> = {
  pooled: 'one set of effects for all markets together',
  unpooled: 'every market estimated on its own',
  hierarchical: 'every market its own effects, pulled towards the group in proportion to how little data it has',
};

export function tierLabel(tier: Tier): string {
  return tier === 'sparse' ? 'sparse (< 40 weeks)' : tier === 'medium' ? 'medium (40–77 weeks)' : 'rich (78+ weeks)';
}

export { channelLabel };

export function weeksNote(weeks: number): string {
  return `${weeks} wk`;
}
