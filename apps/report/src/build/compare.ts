// Model comparison by PSIS-LOO, from @tributary/evaluation's compareEvaluations (the same
// numbers as `tributary compare`): the LOO table with stacking weights, and the displacement
// form of shrinkage when both the hierarchical and the unpooled fit are present.
import { compareEvaluations, type EvaluationReport, type ModelComparison } from '@tributary/evaluation';
import type { ComparisonInput } from '../types.js';

export interface ComparisonResult {
  comparison?: ComparisonInput;
  raw?: ModelComparison;
  note?: string;
}

export function computeComparison(reports: readonly EvaluationReport[]): ComparisonResult {
  if (reports.length < 2) return {};
  let raw: ModelComparison;
  try {
    raw = compareEvaluations(reports);
  } catch (e) {
    return { note: `No model comparison: ${(e as Error).message}` };
  }
  return {
    raw,
    comparison: {
      rows: raw.models.map((m) => ({
        model: m.kind,
        elpd: m.elpdLoo,
        se: m.seElpdLoo,
        pLoo: m.pLoo,
        elpdDiff: m.elpdDiff,
        seDiff: m.seDiff,
        weight: m.weight,
        numHighK: m.numHighK,
      })),
    },
  };
}

/** displacement[g][c] from the comparison (null where it is undefined). */
export function displacementGrid(raw: ModelComparison | undefined, markets: readonly string[], channels: readonly string[]): (number | null)[][] | undefined {
  if (!raw || raw.displacement.length === 0) return undefined;
  return markets.map((m) =>
    channels.map((c) => {
      const v = raw.displacement.find((d) => d.market === m && d.channel === c)?.value;
      return v === undefined || !Number.isFinite(v) ? null : v;
    }),
  );
}
