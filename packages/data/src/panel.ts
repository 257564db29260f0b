/**
 * Panel construction (model-spec.md §2 and §4): the validated long table turned into flat
 * typed arrays that the model code reads. Two index spaces:
 *
 * - grid rows: for each market g, every week from its first to its last date (gaps included),
 *   flattened market after market; grid row `gridOffset[g] + (t − marketStart[g])` is week t of g.
 * - observed rows n: the rows of the file, ordered by market, then time; they carry the
 *   likelihood terms. `gridObserved[gridRow]` maps a grid row to n (−1 for a gap) and
 *   `obsGridRow[n]` maps back.
 *
 * A reference panel (`buildPanel(data, { reference })`) is how a model fitted on one window of
 * the data is evaluated on a longer window (time-slice cross-validation, `tributary backtest`):
 * the new panel takes the reference's markets (in its order), first date, target and spend
 * scales, T_max and control centring, instead of computing them from its own rows. So for every
 * row the two panels share, `yScaled`, `gridX`, `trend`, `fourier` and `controlStandardized` are
 * bit-for-bit the reference's (the same operations on the same numbers), and the fitted
 * parameters mean the same thing on both. In the rows beyond the reference, `gridX` may exceed 1
 * (more spend than the training maximum) and `trend` may exceed 1 (t beyond the reference's
 * T_max): the model extrapolates exactly as the fitted parameters say. A market-channel that
 * never spent in the reference has scale 0, so its later spend stays x = 0 (the fit knows
 * nothing about it).
 */
import { DataValidationError, dataProblem, type DataProblem } from './errors.js';
import { parseIsoDay } from './dates.js';
import { fourierFeatures, FOURIER_ORDER, trendFeature } from './features.js';
import { marketWarnings, type MarketingData, type MarketingRow } from './csv.js';
import { constantControlWarning, mergeWarnings } from './warnings.js';
import { MAX_ABS_VALUE, MAX_ABS_VALUE_TEXT } from './schema.js';

/** Number of Fourier features per observed row (order 2 → 4). */
export const NUM_FOURIER_FEATURES = 2 * FOURIER_ORDER;

export interface Panel {
  markets: string[];
  channels: string[];
  controls: string[];
  target: string;
  /** Global first date (ISO), where t = 0. */
  firstDate: string;
  /** Largest t plus 1: number of weeks from the global first date to the global last date. */
  numWeeks: number;
  /**
   * `T_max` (largest t; the reference's with `{ reference }`, so then `numWeeks` may exceed
   * `tMax + 1`); the trend is `t / T_max`.
   */
  tMax: number;

  // ---- per market g (length G) ----
  /** Global week index t of the market's first week. */
  marketStart: Int32Array;
  /** Grid length: weeks from the market's first to its last date, inclusive. */
  marketLength: Int32Array;
  /** Offset of market g's grid in the flattened grid arrays (cumulative `marketLength`). */
  gridOffset: Int32Array;
  /** Number of observed rows of market g. */
  marketNumObs: Int32Array;
  /** Index of market g's first observed row (observed rows are grouped by market). */
  obsOffset: Int32Array;
  /** G × C, row-major `[g*C + c]`: max observed spend of market g, channel c (0 if it never spends). */
  spendScale: Float64Array;
  /** Mean observed target of market g (> 0). */
  yScale: Float64Array;

  // ---- per grid row (numGrid = Σ marketLength) ----
  numGrid: number;
  /** numGrid × C, row-major `[gridRow*C + c]`: raw spend, 0 in gaps. */
  gridSpend: Float64Array;
  /** numGrid × C: scaled spend `spend / spendScale[g,c]` in [0, 1]; 0 in gaps and where the scale is 0. */
  gridX: Float64Array;
  /** Observed row index n of each grid row, or −1 for a gap. */
  gridObserved: Int32Array;

  // ---- per observed row n, ordered by market then time ----
  numObs: number;
  obsMarket: Int32Array;
  obsT: Int32Array;
  obsGridRow: Int32Array;
  /** 1-based line of the CSV file the row came from (as in `MarketingRow.line`). */
  obsLine: Int32Array;
  obsDates: string[];
  /** Raw target. */
  y: Float64Array;
  /** `y / yScale[g]`. */
  yScaled: Float64Array;
  /** numObs × C raw spend. */
  spend: Float64Array;
  /** numObs × 4: `[sin(2πt/P), cos(2πt/P), sin(4πt/P), cos(4πt/P)]`, P = 365.25/7. */
  fourier: Float64Array;
  /** `t / T_max` (0 when T_max = 0). */
  trend: Float64Array;
  /** numObs × K raw control values. */
  controlValues: Float64Array;
  /** K: mean of each control over the observed rows. */
  controlMean: Float64Array;
  /** K: standard deviation (divisor n) of each control over the observed rows; 0 if constant. */
  controlSd: Float64Array;
  /** numObs × K: `(value − controlMean) / controlSd`, 0 for a constant control. */
  controlStandardized: Float64Array;

  /** Data warnings plus panel warnings (gaps, zero-spend market-channels, constant controls). */
  warnings: string[];
}

/** Options of `buildPanel`. */
export interface BuildPanelOptions {
  /**
   * The panel of a training window: reuse its markets (order), first date (t = 0), target and
   * spend scales, T_max and control mean/sd instead of computing them from `data`. Every market
   * of `data` must be in the reference and vice versa; channels, controls and target must match.
   */
  reference?: Panel;
}

/** Checks `data` against the reference panel; returns the week shift from data's t to the reference's t. */
function checkReference(data: MarketingData, reference: Panel, firstDay: number): number {
  const problems: DataProblem[] = [];
  const where = 'buildPanel (reference panel)';
  const same = (what: string, a: readonly string[], b: readonly string[]): void => {
    if (a.length !== b.length || a.some((x, i) => x !== b[i])) {
      problems.push(dataProblem(null, null, a.join(','), `${where}: the ${what} (${a.join(', ') || 'none'}) differ from the reference's (${b.join(', ') || 'none'}); build both panels with the same data options.`));
    }
  };
  same('channels', data.channels, reference.channels);
  same('controls', data.controls, reference.controls);
  if (data.target !== reference.target) {
    problems.push(dataProblem(null, null, data.target, `${where}: the target "${data.target}" differs from the reference's "${reference.target}".`));
  }
  const refMarkets = new Set(reference.markets);
  const dataMarkets = new Set(data.markets);
  for (const m of data.markets) {
    if (!refMarkets.has(m)) problems.push(dataProblem(null, 'country', m, `${where}: market "${m}" is not in the reference panel (markets ${reference.markets.join(', ')}); a model fitted on the reference knows nothing about it, so drop its rows.`));
  }
  for (const m of reference.markets) {
    if (!dataMarkets.has(m)) problems.push(dataProblem(null, 'country', m, `${where}: market "${m}" of the reference panel has no rows in the data; keep every market of the reference.`));
  }
  const refDay = parseIsoDay(reference.firstDate);
  let shift = 0;
  if (refDay === null) {
    problems.push(dataProblem(null, null, reference.firstDate, `${where}: the reference's firstDate "${reference.firstDate}" is not a valid ISO date.`));
  } else {
    shift = (firstDay - refDay) / 7;
    if (!Number.isInteger(shift) || shift < 0) {
      problems.push(
        dataProblem(null, 'date', data.firstDate, `${where}: the first date ${data.firstDate} must be on the reference's weekly grid and not before its first date ${reference.firstDate}.`),
      );
    }
  }
  if (problems.length > 0) throw new DataValidationError(problems, data.warnings);
  return shift;
}

function checkData(data: MarketingData): { firstDay: number; rowMarket: Int32Array } {
  const problems: DataProblem[] = [];
  const fail = (): never => {
    throw new DataValidationError(problems, data.warnings);
  };
  const firstDay = parseIsoDay(data.firstDate);
  if (firstDay === null) {
    problems.push(dataProblem(null, null, data.firstDate, `buildPanel: firstDate "${data.firstDate}" is not a valid ISO date (YYYY-MM-DD).`));
    return fail();
  }
  const marketIndex = new Map<string, number>();
  data.markets.forEach((m, g) => {
    if (marketIndex.has(m)) problems.push(dataProblem(null, null, m, `buildPanel: market "${m}" is listed twice in data.markets.`));
    else marketIndex.set(m, g);
  });
  if (data.rows.length === 0) problems.push(dataProblem(null, null, null, 'buildPanel: data.rows is empty; there is nothing to model.'));
  const C = data.channels.length;
  const K = data.controls.length;
  const rowMarket = new Int32Array(data.rows.length);
  const dayOf = new Map<string, number | null>();
  data.rows.forEach((row, i) => {
    const at = (column: string | null, value: string | null, text: string): void => {
      problems.push(dataProblem(row.line, column, value, `buildPanel: ${text}`));
    };
    const g = marketIndex.get(row.country);
    if (g === undefined) at('country', row.country, `market "${row.country}" is not in data.markets.`);
    rowMarket[i] = g ?? -1;
    if (row.spend.length !== C) at(null, null, `the row has ${row.spend.length} spend values but there are ${C} channels.`);
    if (row.controls.length !== K) at(null, null, `the row has ${row.controls.length} control values but there are ${K} controls.`);
    // The magnitude limit of the CSV cells (MAX_ABS_VALUE, see schema.ts) holds for hand-made data too.
    row.spend.forEach((v, c) => {
      if (!(v >= 0 && v <= MAX_ABS_VALUE)) at(data.channels[c] ?? null, String(v), `spend must be a finite number ≥ 0 and at most ${MAX_ABS_VALUE_TEXT}.`);
    });
    if (!(row.target >= 0 && row.target <= MAX_ABS_VALUE)) at(data.target, String(row.target), `the target must be a finite number ≥ 0 and at most ${MAX_ABS_VALUE_TEXT}.`);
    row.controls.forEach((v, k) => {
      if (!(Math.abs(v) <= MAX_ABS_VALUE)) at(data.controls[k] ?? null, String(v), `a control must be a finite number between -${MAX_ABS_VALUE_TEXT} and ${MAX_ABS_VALUE_TEXT}.`);
    });
    let day = dayOf.get(row.date);
    if (day === undefined) {
      day = parseIsoDay(row.date);
      dayOf.set(row.date, day);
    }
    if (day === null) {
      at('date', row.date, `"${row.date}" is not a valid ISO date (YYYY-MM-DD).`);
    } else {
      const expected = (day - firstDay) / 7;
      if (row.t !== expected) {
        at('date', row.date, `t = ${row.t} does not match the date: ${row.date} is ${expected} weeks after firstDate ${data.firstDate} (t must be a whole number ≥ 0).`);
      }
    }
  });
  if (problems.length > 0) fail();
  return { firstDay, rowMarket };
}

/**
 * Builds the Panel of model-spec.md §2 from validated data. Rows may come in any order; they
 * are grouped by market (in `data.markets` order, or the reference's), then sorted by t. Throws
 * `DataValidationError` when `data` is inconsistent (possible only for hand-made data:
 * `parseMarketingCsv` output always passes) or does not fit `options.reference`.
 */
export function buildPanel(data: MarketingData, options: BuildPanelOptions = {}): Panel {
  const checked = checkData(data);
  const { firstDay } = checked;
  const reference = options.reference;
  // t of a row in this panel: relative to the reference's first date when there is one.
  const tShift = reference ? checkReference(data, reference, firstDay) : 0;
  const markets = reference ? [...reference.markets] : [...data.markets];
  let rowMarket = checked.rowMarket;
  if (reference) {
    const toRef = data.markets.map((m) => markets.indexOf(m));
    rowMarket = rowMarket.map((g) => toRef[g] as number);
  }
  const tOf = (r: MarketingRow): number => r.t + tShift;
  const rows = data.rows;
  const G = markets.length;
  const C = data.channels.length;
  const K = data.controls.length;
  const N = rows.length;

  const order = Array.from({ length: N }, (_, i) => i);
  const row = (n: number): MarketingRow => rows[order[n] as number] as MarketingRow;
  order.sort((a, b) => (rowMarket[a] as number) - (rowMarket[b] as number) || (rows[a] as MarketingRow).t - (rows[b] as MarketingRow).t);
  // (sorting by the data's t equals sorting by tOf: the shift is the same for every row)

  // ---- per-market ranges, duplicates, scales ----
  const problems: DataProblem[] = [];
  const marketStart = new Int32Array(G).fill(-1);
  const marketEnd = new Int32Array(G).fill(-1);
  const marketNumObs = new Int32Array(G);
  const obsOffset = new Int32Array(G);
  const spendScale = new Float64Array(G * C);
  const yScale = new Float64Array(G);
  let tMax = 0;
  let tMin = Infinity;
  for (let n = 0; n < N; n++) {
    const r = row(n);
    const g = rowMarket[order[n] as number] as number;
    const t = tOf(r);
    if (marketNumObs[g] === 0) {
      marketStart[g] = t;
      obsOffset[g] = n;
    } else if (marketEnd[g] === t) {
      problems.push(dataProblem(r.line, 'date', r.date, `buildPanel: market "${r.country}" has two rows for ${r.date}; each (country, date) pair may appear only once.`));
    }
    marketEnd[g] = t;
    marketNumObs[g] = (marketNumObs[g] as number) + 1;
    tMax = Math.max(tMax, t);
    tMin = Math.min(tMin, r.t);
    for (let c = 0; c < C; c++) {
      const v = r.spend[c] as number;
      if (v > (spendScale[g * C + c] as number)) spendScale[g * C + c] = v;
    }
    yScale[g] = (yScale[g] as number) + r.target;
  }
  if (N > 0 && tMin !== 0) {
    problems.push(dataProblem(null, null, data.firstDate, `buildPanel: firstDate ${data.firstDate} must be the earliest date of the rows (the smallest t is ${tMin}, not 0).`));
  }
  for (let g = 0; g < G; g++) {
    const name = markets[g] as string;
    if (marketNumObs[g] === 0) {
      problems.push(dataProblem(null, 'country', name, `buildPanel: market "${name}" has no rows; remove it from data.markets.`));
      continue;
    }
    yScale[g] = (yScale[g] as number) / (marketNumObs[g] as number);
    if (!reference && !((yScale[g] as number) > 0)) {
      problems.push(dataProblem(null, data.target, null, `buildPanel: market "${name}" has ${data.target} = 0 in every row; its scale (the mean target) must be > 0.`));
    }
  }
  if (problems.length > 0) throw new DataValidationError(problems, data.warnings);
  // The last week of the panel; T_max of the trend (the reference's, when given).
  const tLast = tMax;
  if (reference) {
    tMax = reference.tMax;
    spendScale.set(reference.spendScale);
    yScale.set(reference.yScale);
  }

  // ---- grid ----
  const marketLength = new Int32Array(G);
  const gridOffset = new Int32Array(G);
  let numGrid = 0;
  for (let g = 0; g < G; g++) {
    marketLength[g] = (marketEnd[g] as number) - (marketStart[g] as number) + 1;
    gridOffset[g] = numGrid;
    numGrid += marketLength[g] as number;
  }
  const gridSpend = new Float64Array(numGrid * C);
  const gridX = new Float64Array(numGrid * C);
  const gridObserved = new Int32Array(numGrid).fill(-1);

  // ---- observed rows ----
  const obsMarket = new Int32Array(N);
  const obsT = new Int32Array(N);
  const obsGridRow = new Int32Array(N);
  const obsLine = new Int32Array(N);
  const obsDates = new Array<string>(N);
  const y = new Float64Array(N);
  const yScaled = new Float64Array(N);
  const spend = new Float64Array(N * C);
  const fourier = new Float64Array(N * NUM_FOURIER_FEATURES);
  const trend = new Float64Array(N);
  const controlValues = new Float64Array(N * K);
  const scratch = new Float64Array(NUM_FOURIER_FEATURES);
  for (let n = 0; n < N; n++) {
    const r = row(n);
    const g = rowMarket[order[n] as number] as number;
    const t = tOf(r);
    const gridRow = (gridOffset[g] as number) + t - (marketStart[g] as number);
    obsMarket[n] = g;
    obsT[n] = t;
    obsGridRow[n] = gridRow;
    obsLine[n] = r.line;
    obsDates[n] = r.date;
    gridObserved[gridRow] = n;
    y[n] = r.target;
    yScaled[n] = r.target / (yScale[g] as number);
    for (let c = 0; c < C; c++) {
      const v = r.spend[c] as number;
      const scale = spendScale[g * C + c] as number;
      spend[n * C + c] = v;
      gridSpend[gridRow * C + c] = v;
      gridX[gridRow * C + c] = scale > 0 ? v / scale : 0;
    }
    fourierFeatures(t, scratch);
    fourier.set(scratch, n * NUM_FOURIER_FEATURES);
    trend[n] = trendFeature(t, tMax);
    for (let k = 0; k < K; k++) controlValues[n * K + k] = r.controls[k] as number;
  }

  // ---- controls: centre and scale ----
  const warnings: string[] = [];
  const controlMean = new Float64Array(K);
  const controlSd = new Float64Array(K);
  const controlStandardized = new Float64Array(N * K);
  for (let k = 0; k < K; k++) {
    if (reference) {
      // Centre and scale as the reference did, so its fitted control coefficients apply.
      const mean = reference.controlMean[k] as number;
      const sd = reference.controlSd[k] as number;
      controlMean[k] = mean;
      controlSd[k] = sd;
      if (sd === 0) warnings.push(constantControlWarning(data.controls[k] as string));
      else for (let n = 0; n < N; n++) controlStandardized[n * K + k] = ((controlValues[n * K + k] as number) - mean) / sd;
      continue;
    }
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let n = 0; n < N; n++) {
      const v = controlValues[n * K + k] as number;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const mean = sum / N;
    let ss = 0;
    for (let n = 0; n < N; n++) ss += ((controlValues[n * K + k] as number) - mean) ** 2;
    const sd = min === max ? 0 : Math.sqrt(ss / N);
    controlMean[k] = mean;
    controlSd[k] = sd;
    if (sd === 0) warnings.push(constantControlWarning(data.controls[k] as string));
    else for (let n = 0; n < N; n++) controlStandardized[n * K + k] = ((controlValues[n * K + k] as number) - mean) / sd;
  }

  // ---- warnings (gaps, zero-spend market-channels), merged with the data's ----
  const marketWarningList: string[] = [];
  for (let g = 0; g < G; g++) {
    const start = obsOffset[g] as number;
    const marketRows: MarketingRow[] = [];
    for (let n = start; n < start + (marketNumObs[g] as number); n++) marketRows.push(row(n));
    marketWarningList.push(...marketWarnings(markets[g] as string, marketRows, data.channels, firstDay));
  }

  return {
    markets,
    channels: [...data.channels],
    controls: [...data.controls],
    target: data.target,
    firstDate: reference ? reference.firstDate : data.firstDate,
    numWeeks: tLast + 1,
    tMax,
    marketStart,
    marketLength,
    gridOffset,
    marketNumObs,
    obsOffset,
    spendScale,
    yScale,
    numGrid,
    gridSpend,
    gridX,
    gridObserved,
    numObs: N,
    obsMarket,
    obsT,
    obsGridRow,
    obsLine,
    obsDates,
    y,
    yScaled,
    spend,
    fourier,
    trend,
    controlValues,
    controlMean,
    controlSd,
    controlStandardized,
    warnings: mergeWarnings(data.warnings, marketWarningList, warnings),
  };
}
