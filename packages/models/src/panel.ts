/**
 * The part of a `@tributary/data` `Panel` that the models read, as plain data.
 *
 * Follows shared/design/model-spec.md §2 (panel construction) and §4 (Fourier terms, trend):
 * the models never recompute scaling, seasonality or trend; they take them from the panel, so
 * a Stan program fed the same panel arrays sees the same numbers. The interface is structural
 * (numeric fields are `ArrayLike<number>`), so a real `Panel`, a structured clone of one (as
 * received by a worker thread) or a hand-built object literal all work; the model copies what
 * it needs into its own typed arrays at build time.
 *
 * Controls enter the models standardized by default (`controlStandardized`, which
 * @tributary/data computes; recomputed here with the same definition for hand-built panels).
 *
 * `checkPanel` validates the shape (lengths, ordering of observed rows by market then time)
 * and throws `ModelError('MODEL_INVALID_PANEL')` naming the field.
 */
import { ModelError } from './errors.js';

export interface PanelData {
  readonly markets: readonly string[];
  readonly channels: readonly string[];
  readonly controls: readonly string[];
  /** Grid row of each market's first week (markets' grids are concatenated). */
  readonly gridOffset: ArrayLike<number>;
  /**
   * Global week index t of each market's first grid week. Optional: needed only by lift tests
   * and time-varying effects (which address global weeks); the data Panel always has it.
   */
  readonly marketStart?: ArrayLike<number>;
  /** Number of grid weeks (first to last date, gaps included) of each market. */
  readonly marketLength: ArrayLike<number>;
  readonly numGrid: number;
  /** numGrid × C, row-major: spend / spendScale[g,c]; 0 in gaps. */
  readonly gridX: ArrayLike<number>;
  /** G × C, row-major: max observed spend of market g, channel c (0 if none). */
  readonly spendScale: ArrayLike<number>;
  /** G: mean observed target of market g. */
  readonly yScale: ArrayLike<number>;
  readonly numObs: number;
  readonly obsMarket: ArrayLike<number>;
  readonly obsGridRow: ArrayLike<number>;
  /** N: target / yScale[market]. */
  readonly yScaled: ArrayLike<number>;
  /** N × C raw spend (money), row-major. */
  readonly spend: ArrayLike<number>;
  /** N × 4: sin/cos Fourier terms of order 1 and 2 (spec §4). */
  readonly fourier: ArrayLike<number>;
  /** N: t / T_max. */
  readonly trend: ArrayLike<number>;
  /** N × K raw control values, row-major. */
  readonly controlValues: ArrayLike<number>;
  /**
   * N × K standardized controls `(value − mean) / sd` over the observed rows (sd with divisor
   * n; 0 for a constant control). Optional: computed from `controlValues` when absent.
   */
  readonly controlStandardized?: ArrayLike<number>;
}

function fail(message: string): never {
  throw new ModelError('MODEL_INVALID_PANEL', `panel: ${message}`);
}

function checkLength(name: string, value: ArrayLike<number> | undefined, expected: number): void {
  if (value === undefined || value === null || typeof value.length !== 'number') {
    fail(`field "${name}" is missing; pass the Panel from @tributary/data buildPanel(...)`);
  }
  if (value.length !== expected) fail(`field "${name}" has length ${value.length}, expected ${expected}`);
}

/** Checks shapes and ordering; returns obsStart (G+1 entries). */
export function checkPanel(panel: PanelData): Int32Array {
  if (panel === null || typeof panel !== 'object') fail('expected an object');
  const G = panel.markets?.length ?? 0;
  const C = panel.channels?.length ?? 0;
  const K = panel.controls?.length ?? 0;
  const N = panel.numObs;
  if (G < 1) fail('no markets');
  if (C < 1) fail('no channels');
  if (!Number.isInteger(N) || N < 1) fail(`numObs = ${String(N)}; expected a positive integer`);
  if (!Number.isInteger(panel.numGrid) || panel.numGrid < 1) fail(`numGrid = ${String(panel.numGrid)}`);
  checkLength('gridOffset', panel.gridOffset, G);
  checkLength('marketLength', panel.marketLength, G);
  checkLength('gridX', panel.gridX, panel.numGrid * C);
  checkLength('spendScale', panel.spendScale, G * C);
  checkLength('yScale', panel.yScale, G);
  checkLength('obsMarket', panel.obsMarket, N);
  checkLength('obsGridRow', panel.obsGridRow, N);
  checkLength('yScaled', panel.yScaled, N);
  checkLength('spend', panel.spend, N * C);
  checkLength('fourier', panel.fourier, N * 4);
  checkLength('trend', panel.trend, N);
  checkLength('controlValues', panel.controlValues, N * K);
  const obsStart = new Int32Array(G + 1);
  let previous = 0;
  let previousRow = -1;
  for (let n = 0; n < N; n++) {
    const g = panel.obsMarket[n]!;
    if (!Number.isInteger(g) || g < 0 || g >= G) fail(`obsMarket[${n}] = ${g} is not a market index in [0, ${G})`);
    if (g < previous) fail(`observed rows must be ordered by market then time; obsMarket[${n}] = ${g} after ${previous}`);
    const row = panel.obsGridRow[n]!;
    const start = panel.gridOffset[g]!;
    const length = panel.marketLength[g]!;
    if (!Number.isInteger(row) || row < start || row >= start + length) {
      fail(`obsGridRow[${n}] = ${row} is outside market ${panel.markets[g]}'s grid rows [${start}, ${start + length})`);
    }
    if (g === previous && row <= previousRow && n > 0) fail(`observed rows of market ${panel.markets[g]} are not in time order at row ${n}`);
    previous = g;
    previousRow = row;
    obsStart[g + 1]!++;
  }
  for (let g = 0; g < G; g++) {
    if (obsStart[g + 1] === 0) fail(`market ${panel.markets[g]} has no observed rows`);
    obsStart[g + 1] = obsStart[g + 1]! + obsStart[g]!;
    const start = panel.gridOffset[g]!;
    const length = panel.marketLength[g]!;
    if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0 || length < 1 || start + length > panel.numGrid) {
      fail(`market ${panel.markets[g]}: gridOffset ${start} / marketLength ${length} do not fit numGrid ${panel.numGrid}`);
    }
    const scale = panel.yScale[g]!;
    if (!(scale > 0 && Number.isFinite(scale))) fail(`yScale[${g}] (${panel.markets[g]}) = ${scale}; expected a finite number > 0`);
  }
  for (let i = 0; i < N; i++) {
    if (!Number.isFinite(panel.yScaled[i]!)) fail(`yScaled[${i}] = ${panel.yScaled[i]} is not finite`);
  }
  return obsStart;
}

/**
 * The N × K standardized controls: `panel.controlStandardized` when present, otherwise
 * `(value − mean) / sd` per control over the observed rows (sd with divisor n; 0 when constant).
 */
export function standardizedControls(panel: PanelData): Float64Array {
  const N = panel.numObs;
  const K = panel.controls.length;
  const given = panel.controlStandardized;
  if (given !== undefined && given !== null && given.length === N * K) return Float64Array.from(given);
  const out = new Float64Array(N * K);
  for (let j = 0; j < K; j++) {
    let mean = 0;
    for (let n = 0; n < N; n++) mean += panel.controlValues[n * K + j]!;
    mean /= N;
    let ss = 0;
    for (let n = 0; n < N; n++) {
      const d = panel.controlValues[n * K + j]! - mean;
      ss += d * d;
    }
    const sd = Math.sqrt(ss / N);
    for (let n = 0; n < N; n++) out[n * K + j] = sd > 0 ? (panel.controlValues[n * K + j]! - mean) / sd : 0;
  }
  return out;
}
