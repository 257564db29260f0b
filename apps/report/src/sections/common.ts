// Helpers shared by the sections: section list and numbers, market order by data, model
// lookup, labels.
import { channelLabel } from '../charts/format.js';
import type { ModelInput, ReportInput, Tier } from '../types.js';

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
