/**
 * ModelData: everything the terms read, built once from the panel — the observed rows and
 * their maps to markets and grid weeks, the scaled target, spend totals, the channel-major
 * spend grid, and the design matrix X = [1, τ, F, controls, H] (N × P, row-major; columns as
 * in layout.ts). With fixed transforms H is final; with learned transforms X holds H at the
 * prior centres and the learned-transforms term rewrites a copy per evaluation.
 *
 * Follows model-spec.md §2–§4: the models never recompute scaling, seasonality or trend; they
 * take them from the panel, so a Stan program fed the same arrays sees the same numbers. H is
 * `hill(adstock(x))` along each market's weekly grid (gap weeks spend 0, nothing before the
 * market's first week), evaluated with @tributary/transforms' `applyAdstock` and `hill`
 * (`mediaColumns`), so the adstock and Hill definitions are the package's.
 *
 * Also the sufficient statistics X'X, X'y, y'y per coefficient set (the Normal likelihood's
 * fast path, terms/likelihood.ts).
 */
import { applyAdstock, hill } from '@tributary/transforms';
import { FOURIER_COLUMN, FOURIER_TERMS, INTERCEPT_COLUMN, TREND_COLUMN, type Layout } from './layout.js';
import type { ChannelTransform, ResolvedOptions } from './options.js';
import { adstockSpecOf, centreSlots, saturationKind, saturationPoint } from './transform-kinds.js';
import { standardizedControls, type PanelData } from './panel.js';

export class ModelData {
  readonly G: number;
  readonly C: number;
  readonly K: number;
  /** Coefficients per set (6 + K + C) and number of sets (1 when pooled, else G). */
  readonly P: number;
  readonly numSets: number;
  readonly N: number;
  readonly numGrid: number;
  readonly layout: Layout;
  readonly markets: readonly string[];
  readonly channels: readonly string[];
  readonly controls: readonly string[];
  readonly transforms: readonly ChannelTransform[];
  /** Observed rows of market g: obsStart[g] .. obsStart[g + 1] − 1. */
  readonly obsStart: Int32Array;
  readonly obsMarket: Int32Array;
  readonly obsGridRow: Int32Array;
  /** Per observed row: week index within its market's grid. */
  readonly obsWeek: Int32Array;
  /** N: the scaled target y_s; G: y_scale. */
  readonly y: Float64Array;
  readonly yScale: Float64Array;
  /** G×C: Σ observed spend (money), and the spend scale (max observed spend). */
  readonly spendTotal: Float64Array;
  readonly spendScale: Float64Array;
  /** Global week of each market's first grid week; T_max. */
  readonly marketStartT: Int32Array;
  readonly lastWeek: number;
  /** Per coefficient set: number of observed rows. */
  readonly setCount: Float64Array;
  /** N×P design at the fixed transforms (learned: at the prior centres). */
  readonly X: Float64Array;
  /** N×C adstocked (scaled) spend of the same transforms. */
  readonly fixedA: Float64Array;
  /** C × numGrid scaled spend (channel-major) and its per (market, channel) views. */
  readonly gridXc: Float64Array;
  readonly vX: Float64Array[] = [];
  private readonly vA: Float64Array[] = [];
  private readonly vH: Float64Array[] = [];
  private readonly gridA: Float64Array;
  private readonly gridH: Float64Array;

  constructor(panel: PanelData, opts: ResolvedOptions, layout: Layout) {
    const G = panel.markets.length;
    const C = panel.channels.length;
    const K = panel.controls.length;
    const N = panel.numObs;
    const P = layout.numCoef;
    this.G = G;
    this.C = C;
    this.K = K;
    this.P = P;
    this.N = N;
    this.numSets = layout.numSets;
    this.layout = layout;
    this.markets = Object.freeze([...panel.markets]);
    this.channels = Object.freeze([...panel.channels]);
    this.controls = Object.freeze([...panel.controls]);
    this.transforms = opts.transforms;
    this.obsStart = opts.obsStart;
    this.obsMarket = Int32Array.from(panel.obsMarket);
    this.obsGridRow = Int32Array.from(panel.obsGridRow);
    this.y = Float64Array.from(panel.yScaled);
    this.yScale = Float64Array.from(panel.yScale);
    this.spendScale = Float64Array.from(panel.spendScale);
    this.marketStartT = opts.marketStartT;
    this.lastWeek = opts.lastWeek;
    this.numGrid = panel.numGrid;

    this.spendTotal = new Float64Array(G * C);
    for (let n = 0; n < N; n++) {
      const g = this.obsMarket[n]!;
      for (let c = 0; c < C; c++) this.spendTotal[g * C + c]! += panel.spend[n * C + c]!;
    }

    // Grid series, channel-major, and per (market, channel) views.
    const numGrid = panel.numGrid;
    const gridX = new Float64Array(C * numGrid);
    for (let r = 0; r < numGrid; r++) for (let c = 0; c < C; c++) gridX[c * numGrid + r] = panel.gridX[r * C + c]!;
    this.gridXc = gridX;
    this.gridA = new Float64Array(C * numGrid);
    this.gridH = new Float64Array(C * numGrid);
    this.obsWeek = Int32Array.from(this.obsGridRow, (r, n) => r - panel.gridOffset[this.obsMarket[n]!]!);
    for (let g = 0; g < G; g++) {
      const start = panel.gridOffset[g]!;
      const end = start + panel.marketLength[g]!;
      for (let c = 0; c < C; c++) {
        const a = c * numGrid + start;
        const b = c * numGrid + end;
        this.vX.push(gridX.subarray(a, b));
        this.vA.push(this.gridA.subarray(a, b));
        this.vH.push(this.gridH.subarray(a, b));
      }
    }

    // Design matrix with the fixed transforms (learned: prior centres).
    this.X = new Float64Array(N * P);
    this.fixedA = new Float64Array(N * C);
    const controlValues = opts.controlScaling === 'raw' ? panel.controlValues : standardizedControls(panel);
    const control0 = layout.controlColumn(0);
    for (let n = 0; n < N; n++) {
      const row = n * P;
      this.X[row + INTERCEPT_COLUMN] = 1;
      this.X[row + TREND_COLUMN] = panel.trend[n]!;
      for (let k = 0; k < FOURIER_TERMS; k++) this.X[row + FOURIER_COLUMN + k] = panel.fourier[n * FOURIER_TERMS + k]!;
      for (let j = 0; j < K; j++) this.X[row + control0 + j] = controlValues[n * K + j]!;
    }
    this.mediaColumns(this.centreSlots(), this.X, this.fixedA);

    this.setCount = new Float64Array(this.numSets);
    for (let n = 0; n < N; n++) this.setCount[layout.setOf(this.obsMarket[n]!)]!++;
  }

  /** C × 4 slot values (transform-kinds.ts) at the fixed transforms (the prior centres when learned). */
  centreSlots(): Float64Array {
    const out = new Float64Array(4 * this.C);
    this.transforms.forEach((t, c) => centreSlots(t, out, 4 * c));
    return out;
  }

  /**
   * Adstock + saturation of every channel with the given slot values (C × 4: α or Weibull shape,
   * scale; then the saturation's parameters) along every market's grid: H into the media
   * columns of `X` (N×P) and the adstocked spend into `A` (N×C), at the observed rows.
   */
  mediaColumns(par: ArrayLike<number>, X: Float64Array, A: Float64Array): void {
    const { C, G, N, P } = this;
    for (let c = 0; c < C; c++) {
      const t = this.transforms[c]!;
      const spec = adstockSpecOf(t, par[4 * c]!, par[4 * c + 1]!);
      const kind = saturationKind(t);
      const p2 = par[4 * c + 2]!;
      const p3 = par[4 * c + 3]!;
      for (let g = 0; g < G; g++) {
        const i = g * C + c;
        applyAdstock(this.vX[i]!, spec, this.vA[i]!);
        if (kind === 'hill') hill(this.vA[i]!, p2, p3, this.vH[i]!);
        else {
          const a = this.vA[i]!;
          const h = this.vH[i]!;
          for (let k = 0; k < a.length; k++) h[k] = a[k]! > 0 ? saturationPoint(kind, a[k]!, p2, p3, null) : 0;
        }
      }
      const base = c * this.numGrid;
      const col = this.layout.mediaColumn(c);
      for (let n = 0; n < N; n++) {
        const r = base + this.obsGridRow[n]!;
        const a = this.gridA[r]!;
        A[n * C + c] = a;
        X[n * P + col] = a > 0 ? this.gridH[r]! : 0;
      }
    }
  }
}

/** X'X (symmetric, full), X'y and y'y per coefficient set: the Normal likelihood's sufficient statistics. */
export interface SufficientStatistics {
  readonly xtx: Float64Array;
  readonly xty: Float64Array;
  readonly yty: Float64Array;
}

export function sufficientStatistics(data: ModelData): SufficientStatistics {
  const { N, P, numSets: S, X, y, layout } = data;
  const xtx = new Float64Array(S * P * P);
  const xty = new Float64Array(S * P);
  const yty = new Float64Array(S);
  for (let n = 0; n < N; n++) {
    const s = layout.setOf(data.obsMarket[n]!);
    const row = n * P;
    const yn = y[n]!;
    yty[s]! += yn * yn;
    const m = s * P * P;
    for (let p = 0; p < P; p++) {
      const xp = X[row + p]!;
      xty[s * P + p]! += xp * yn;
      for (let q = p; q < P; q++) xtx[m + p * P + q]! += xp * X[row + q]!;
    }
  }
  for (let s = 0; s < S; s++) {
    const m = s * P * P;
    for (let p = 0; p < P; p++) for (let q = 0; q < p; q++) xtx[m + p * P + q] = xtx[m + q * P + p]!;
  }
  return { xtx, xty, yty };
}
