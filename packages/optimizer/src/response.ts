/**
 * The response of a plan, from a fitted model and its posterior draws (README "The response of
 * a plan").
 *
 * The model owns the forecast: `model.forecastBasis(draws, { weeks })` (@tributary/models,
 * forecast.ts, where the formula is written down) gives, per draw and market-channel cell, the
 * coefficient β·y_scale·(latest time-varying multiplier), the saturation parameters, and the
 * carry-over of the observed weeks and the plan's adstock per unit of weekly spend for each
 * horizon term. This file only turns that basis into the solver's curves — its decision
 * variable is the total spend of each cell over the horizon, W·s[g,c], so the slopes are
 * divided by W — and summarises the panel's spend history per cell (observed range, recent and
 * whole-history weekly spend) for bounds, the historical allocation and extrapolation flags.
 * It knows nothing of the coefficient layout, the pooled-set rule, adstock or Hill.
 *
 * Deviations from PyMC-Marketing's `BudgetOptimizer` (budget_optimizer.py): it simulates the
 * horizon plus `adstock_periods` zero weeks from zero adstock, i.e. the carry-over of the
 * observed weeks is neither added to the plan's adstock nor subtracted as a baseline; here the
 * plan is credited only with its increment over that carry-over. Its default bounds are
 * [0, total budget] per cell; ours are [0, 2 × the largest observed weekly spend] (bounds.ts),
 * which keeps plans near the data the model has seen, and every cell outside the observed range
 * is flagged.
 */
import type { ForecastBasis, Model, PanelData } from '@tributary/models';
import { buildResponseCurves, type ResponseCurves } from './curves.js';
import { OptimizerError } from './errors.js';

export interface BuildResponseModelOptions {
  readonly model: Model;
  /** The panel the model was built from (the same markets, channels and grid). */
  readonly panel: PanelData;
  /**
   * Constrained draws in `model.constrainedNames` order: one row-major matrix
   * (numDraws × constrainedDim) or one matrix per chain (concatenated in order).
   */
  readonly draws: Float64Array | readonly Float64Array[];
  /** Column names of the draws; checked against `model.constrainedNames` when given. */
  readonly names?: readonly string[];
  /** Horizon length W in weeks (default 13). */
  readonly weeks?: number;
}

export interface ResponseModel {
  readonly markets: readonly string[];
  readonly channels: readonly string[];
  /** Horizon length W. */
  readonly weeks: number;
  readonly numDraws: number;
  /** G·C market-channel cells, cell i = g·C + c. */
  readonly numCells: number;
  readonly isLearnedTransforms: boolean;
  /** Response per draw of the cells' total spends over the horizon (money). */
  readonly curves: ResponseCurves;
  /** G×C: largest observed weekly spend (model-spec §2 spend scale); 0 if never spent. */
  readonly spendScale: Float64Array;
  /** G×C: smallest and largest observed weekly spend (observed rows only). */
  readonly observedMin: Float64Array;
  readonly observedMax: Float64Array;
  /** G×C: mean weekly spend over the last W grid weeks of each market (gap weeks count as 0). */
  readonly recentWeeklySpend: Float64Array;
  /** G×C: mean weekly spend over each market's whole grid. */
  readonly historyWeeklySpend: Float64Array;
}

function fail(message: string): never {
  throw new OptimizerError('OPTIMIZER_INVALID_INPUT', message);
}

/** Builds the response model of `options.model` for a horizon of `weeks` weeks. */
export function buildResponseModel(options: BuildResponseModelOptions): ResponseModel {
  const { model, panel } = options;
  const W = options.weeks ?? 13;
  if (!Number.isInteger(W) || W < 1 || W > 520) {
    throw new OptimizerError('OPTIMIZER_INVALID_OPTIONS', `weeks = ${W}; expected an integer from 1 to 520`);
  }
  const G = model.markets.length;
  const C = model.channels.length;
  if (panel.markets.length !== G || panel.markets.some((m, g) => m !== model.markets[g])) {
    fail(`the panel's markets (${panel.markets.join(', ')}) differ from the model's (${model.markets.join(', ')}); pass the panel the model was built from`);
  }
  if (panel.channels.length !== C || panel.channels.some((c, i) => c !== model.channels[i])) {
    fail(`the panel's channels (${panel.channels.join(', ')}) differ from the model's (${model.channels.join(', ')})`);
  }
  if (options.names !== undefined) {
    const names = options.names;
    const expected = model.constrainedNames;
    const bad = expected.findIndex((name, j) => names[j] !== name);
    if (names.length !== expected.length || bad >= 0) {
      const at = bad >= 0 ? bad : Math.min(names.length, expected.length);
      fail(
        `draw column ${at + 1} is "${names[at] ?? '(missing)'}" but the model expects "${expected[at] ?? '(none)'}" ` +
          `(${names.length} columns given, ${expected.length} expected); the draws do not belong to this model`,
      );
    }
  }

  // The model's forecast basis (it validates the draws).
  let basis: ForecastBasis;
  try {
    basis = model.forecastBasis(options.draws, { weeks: W });
  } catch (e) {
    // Draws that do not fit the model are this package's invalid input, like the checks above.
    if ((e as { code?: unknown }).code === 'MODEL_INVALID_INPUT') fail((e as Error).message);
    throw e;
  }
  const n = basis.numCells;
  const D = basis.numDraws;

  // Panel summaries per cell.
  const spendScale = Float64Array.from(panel.spendScale);
  const observedMin = new Float64Array(n).fill(Infinity);
  const observedMax = new Float64Array(n);
  for (let r = 0; r < panel.numObs; r++) {
    const g = panel.obsMarket[r]!;
    for (let c = 0; c < C; c++) {
      const v = panel.spend[r * C + c]!;
      const i = g * C + c;
      if (v < observedMin[i]!) observedMin[i] = v;
      if (v > observedMax[i]!) observedMax[i] = v;
    }
  }
  for (let i = 0; i < n; i++) if (observedMin[i] === Infinity) observedMin[i] = 0;
  const recentWeeklySpend = new Float64Array(n);
  const historyWeeklySpend = new Float64Array(n);
  for (let g = 0; g < G; g++) {
    const start = panel.gridOffset[g]!;
    const T = panel.marketLength[g]!;
    for (let c = 0; c < C; c++) {
      const i = g * C + c;
      let all = 0;
      let recent = 0;
      for (let t = 0; t < T; t++) {
        const v = panel.gridX[(start + t) * C + c]! * spendScale[i]!;
        all += v;
        if (t >= T - W) recent += v;
      }
      historyWeeklySpend[i] = all / T;
      recentWeeklySpend[i] = recent / Math.min(W, T);
    }
  }

  // The solver's variable is the total over the horizon: a_plan = slope · (total / W).
  const slope = Float64Array.from(basis.slope, (v) => v / W);
  const curves = buildResponseCurves({
    numDraws: D,
    numCells: n,
    numTerms: basis.numTerms,
    saturation: basis.saturation,
    coef: basis.coef,
    K: basis.K,
    S: basis.S,
    carry: basis.carry,
    slope,
    multiplicity: basis.multiplicity,
  });
  return {
    markets: model.markets,
    channels: model.channels,
    weeks: W,
    numDraws: D,
    numCells: n,
    isLearnedTransforms: !basis.isShared,
    curves,
    spendScale,
    observedMin,
    observedMax,
    recentWeeklySpend,
    historyWeeklySpend,
  };
}
