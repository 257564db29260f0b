/**
 * The draw view: per-draw derived quantities (model-spec §6) from ONE load of a constrained
 * draw — its coefficients b per set and sigma, and, when transforms are learned, one adstock +
 * saturation pass per channel along every market's grid (design.ts `mediaColumns`, the
 * @tributary/transforms kernels `applyAdstock` and `hill`), and the time-varying multipliers
 * of every row. Everything else is read from that load: `mean`, `yRep`, `logLik`,
 * `contributions` (totals per market) and `weeklyContributions` (per observed row × channel),
 * `roas`, `marginalRoas`, `liftPredictions`, `latestMultipliers`.
 *
 * Conventions (documented in model.ts's header before the split, and unchanged):
 * - Outputs are in money by default (y_s · y_scale[g]); `{ scale: 'scaled' }` gives y_s.
 * - The pointwise log-likelihood (for LOO) is the full normalized density of y_s (including
 *   −½log 2π and the Student-t constant); `{ scale: 'money' }` subtracts log(y_scale[g]).
 * - Marginal ROAS and lift predictions are cell responses of response.ts (which defines them
 *   next to the forecast): beta · Σ m·Δh · y_scale. Marginal ROAS uses the linearity of
 *   adstock, adstock(1.01·x) = 1.01·adstock(x) along the grid, so the bumped saturation input
 *   is 1.01·a exactly (no second adstock pass).
 * - Contributions: contrib[g,c] = beta[g,c]·y_scale[g]·Σ_n m_c(t_n)·H[n,c]; ROAS divides by
 *   the observed spend, NaN where it is 0.
 *
 * Every value equals what the model's per-method API returned before the view existed (those
 * methods now delegate here) — marginal ROAS to rounding, since its Hill is response.ts's;
 * test/draw-view.test.ts checks this against recorded values.
 *
 * Speed (for `tributary evaluate`, which loads every posterior draw once), without changing the
 * numbers beyond reassociation:
 * - with fixed transforms and no time-varying effect X does not depend on the draw, so the
 *   per-market column sums of X are cached per model (`fixedColumnSums`) and `contributions` is
 *   O(G·P) per draw instead of O(N·P): the channel totals are the same sums in the same order, bit
 *   for bit; baseline, trend, seasonality and controls are b·Σx instead of Σ x·b (reassociated,
 *   within the 1e-12 of the draw-view test);
 * - `logLik` takes log σ (and log y_scale, and the Student-t constant) once per market, not per
 *   row: the same left-to-right expression, bit for bit;
 * - with fixed transforms the units Σ Δh of marginal ROAS of a channel without a time-varying
 *   effect are cached per market and channel too (`fixedBumpUnits`; the same sums, bit for bit);
 * - μ sums four rows at a time (four independent accumulators, each row's terms in the same
 *   order as before: bit for bit);
 * - `yRep` accepts another standard normal generator (`YRepOptions.normal`; the evaluation
 *   passes a ziggurat). Its default is still random.ts's Box–Muller, so `posteriorPredictive`
 *   and the recorded values are unchanged.
 */
import { checkLength, checkOut } from './constrain.js';
import type { ModelData } from './design.js';
import { FOURIER_COLUMN, FOURIER_TERMS, INTERCEPT_COLUMN, TREND_COLUMN } from './layout.js';
import { HALF_LOG_2PI, logGamma } from './math.js';
import type { Likelihood, OutputScale } from './options.js';
import { standardNormal, studentT, type Rng } from './random.js';
import { cellMoney, coefSlot, drawSlots, saturationChange, weightedChange } from './response.js';
import type { LiftTestsTerm } from './terms/lift-tests.js';
import { knotMultiplier, type TimeVaryingTerm } from './terms/time-varying.js';
import { saturationKind } from './transform-kinds.js';

/** Per-market contributions (money) summed over the market's observed weeks, for one draw. */
export interface Contributions {
  /** G: Σ alpha[g]·y_scale[g]. */
  readonly baseline: Float64Array;
  /** G: Σ delta[g]·τ[n]·y_scale[g]. */
  readonly trend: Float64Array;
  /** G: Σ F[n]·gamma·y_scale[g]. */
  readonly seasonality: Float64Array;
  /** G: Σ controls[n]·gamma_control·y_scale[g] (0 without controls). */
  readonly controls: Float64Array;
  /** G arrays of C: contrib[g,c] = beta[g,c]·y_scale[g]·Σ H[n,c] (spec §6). */
  readonly channels: Float64Array[];
}

/** Options of `DrawView.yRep`. */
export interface YRepOptions {
  readonly scale?: OutputScale;
  /**
   * The standard normal generator of the normal likelihood's ε (default `standardNormal`,
   * Box–Muller, two uniforms per variate). The Student-t likelihood ignores it.
   */
  readonly normal?: (rng: Rng) => number;
}

/** The derived quantities of one loaded draw (`model.loadDraw(constrained)`). */
export interface DrawView {
  /** μ per observed row (money by default). */
  mean(out?: Float64Array, options?: { scale?: OutputScale }): Float64Array;
  /** y_rep per observed row (money by default): μ + σ·ε, ε Normal or Student-t from `rng`. */
  yRep(rng: Rng, out?: Float64Array, options?: YRepOptions): Float64Array;
  /** Full normalized log-likelihood per observed row, of y_s by default. */
  logLik(out?: Float64Array, options?: { scale?: OutputScale }): Float64Array;
  /** Per-market totals over the observed weeks (money); fresh arrays on every call. */
  contributions(): Contributions;
  /** N×C row-major: channel c's contribution in observed row n, beta·m_c(t)·H[n,c]·y_scale (money). */
  weeklyContributions(out?: Float64Array): Float64Array;
  /** G×C row-major: contrib[g,c] / Σ spend[g,·,c]; NaN when that spend is 0. */
  roas(out?: Float64Array): Float64Array;
  /** G×C: extra revenue from +1% spend in every observed week of (g,c) / extra spend. */
  marginalRoas(out?: Float64Array): Float64Array;
  /** Per lift test: the model-implied lift (money), comparable with the measured one. */
  liftPredictions(out?: Float64Array): Float64Array;
  /** C: each channel's effect multiplier at the last observed week (1 for constant effects). */
  latestMultipliers(out?: Float64Array): Float64Array;
}

/** What a draw view needs from the model besides the data. */
export interface DrawContext {
  readonly data: ModelData;
  readonly likelihood: Likelihood;
  readonly nu: number;
  readonly isLearned: boolean;
  readonly tv: TimeVaryingTerm;
  readonly lift: LiftTestsTerm;
}

/** Marginal ROAS: revenue from 1% more spend (adstock is linear: the saturation input becomes 1.01·a). */
const MARGINAL_BUMP = 1.01;

/**
 * Δh = h(1.01·a) − h(a) of every observed row and channel (C × N, channel-major: the rows of
 * a cell are contiguous), for adstocked spend A (N × C) and slot values par (C × 4).
 */
function bumpChanges(data: ModelData, A: Float64Array, par: Float64Array, out: Float64Array): Float64Array {
  const { N, C } = data;
  for (let c = 0; c < C; c++) {
    const kind = saturationKind(data.transforms[c]!);
    const p2 = par[4 * c + 2]!;
    const p3 = par[4 * c + 3]!;
    for (let n = 0; n < N; n++) {
      const a = A[n * C + c]!;
      out[c * N + n] = saturationChange(kind, a, MARGINAL_BUMP * a, p2, p3);
    }
  }
  return out;
}

/** `compute(data)` once per model (its ModelData), then the cached value: the per-model constants below. */
function perModel<T>(compute: (data: ModelData) => T): (data: ModelData) => T {
  const cache = new WeakMap<ModelData, T>();
  return (data) => {
    let value = cache.get(data);
    if (value === undefined) {
      value = compute(data);
      cache.set(data, value);
    }
    return value;
  };
}

/**
 * With fixed transforms the Δh of marginal ROAS are the same for every draw: computed once per
 * model and reused, which makes marginal ROAS a sum per draw instead of 2·N·C saturation
 * evaluations (the largest cost of `tributary evaluate`).
 */
const fixedBumpChanges = perModel((data) => bumpChanges(data, data.fixedA, data.centreSlots(), new Float64Array(data.N * data.C)));

/**
 * With fixed transforms, Σ Δh over each market's observed rows (G × C), summed in
 * `weightedChange`'s order: the units of marginal ROAS of a channel without a time-varying
 * effect, the same for every draw (bit for bit what the sum per draw gives).
 */
const fixedBumpUnits = perModel((data) => {
  const { G, C, N, obsStart } = data;
  const dh = fixedBumpChanges(data);
  const units = new Float64Array(G * C);
  for (let g = 0; g < G; g++) {
    const from = obsStart[g]!;
    const rows = obsStart[g + 1]! - from;
    for (let c = 0; c < C; c++) units[g * C + c] = weightedChange(dh, c * N + from, null, 0, rows);
  }
  return units;
});

/**
 * With fixed transforms and no time-varying effects the design X is the same for every draw:
 * per market, the sum of every column over the market's observed rows (G × P, the rows summed in
 * order), computed once per model. A draw's contributions are then O(G·P) instead of O(N·P).
 */
const fixedColumnSums = perModel((data) => {
  const { G, P, X, obsStart } = data;
  const sums = new Float64Array(G * P);
  for (let g = 0; g < G; g++) {
    for (let n = obsStart[g]!; n < obsStart[g + 1]!; n++) {
      for (let p = 0; p < P; p++) sums[g * P + p]! += X[n * P + p]!;
    }
  }
  return sums;
});

export class LoadedDraw implements DrawView {
  private readonly B: Float64Array;
  private readonly sig: Float64Array;
  /** N×P design of the draw (media columns × multipliers), N×C adstocked spend, per-channel K, S, α. */
  private readonly X: Float64Array;
  private readonly A: Float64Array;
  /** C × 4 transform slot values of the draw (transform-kinds.ts); `learned` when read from it. */
  private readonly par: Float64Array;
  private readonly learned: boolean;
  /** T×J knot log-values and T×N row multipliers (slot-major: a market's rows are contiguous). */
  private readonly W: Float64Array;
  private readonly M: Float64Array;
  private mu: Float64Array | null = null;

  constructor(
    private readonly ctx: DrawContext,
    constrained: ArrayLike<number>,
    fn = 'loadDraw',
  ) {
    const { data, tv, isLearned } = ctx;
    const L = data.layout;
    const { N, C, P, numSets: S } = data;
    checkLength(fn, 'constrained', constrained, L.constrainedDim);
    this.B = new Float64Array(S * P);
    this.sig = new Float64Array(S);
    for (let i = 0; i < S * P; i++) this.B[i] = constrained[L.coefIndex[i]!]!;
    for (let s = 0; s < S; s++) this.sig[s] = constrained[L.sigmaIndex[s]!]!;
    const T = tv.count;
    this.X = isLearned || T > 0 ? Float64Array.from(data.X) : data.X;
    this.par = drawSlots(data, constrained);
    this.learned = isLearned;
    if (isLearned) {
      this.A = new Float64Array(N * C);
      data.mediaColumns(this.par, this.X, this.A);
    } else {
      this.A = data.fixedA;
    }
    const J = tv.numKnots;
    this.W = new Float64Array(T * J);
    this.M = new Float64Array(T > 0 ? N * T : 0);
    if (T > 0) {
      tv.loadKnots(constrained, L, this.W);
      const col0 = L.mediaColumn(0);
      for (let n = 0; n < N; n++) {
        const k = tv.rowKnot[n]!;
        const f = tv.rowFrac[n]!;
        for (let i = 0; i < T; i++) {
          const m = knotMultiplier(this.W, i * J + k, f);
          this.M[i * N + n] = m;
          this.X[n * P + col0 + tv.tvIdx[i]!]! *= m;
        }
      }
    }
  }

  /** μ per row on the scaled target, computed once. */
  private scaledMean(): Float64Array {
    if (this.mu !== null) return this.mu;
    const { G, P, obsStart, layout } = this.ctx.data;
    const X = this.X;
    const B = this.B;
    const mu = new Float64Array(this.ctx.data.N);
    for (let g = 0; g < G; g++) {
      const set = layout.setOf(g);
      const b = B.subarray(set * P, (set + 1) * P);
      const to = obsStart[g + 1]!;
      // four rows at a time: four independent sums (each in the same order as one row alone) keep
      // the adder busy instead of waiting on one chain of P additions
      let n = obsStart[g]!;
      for (let row = n * P; n + 4 <= to; n += 4, row += 4 * P) {
        let m0 = 0;
        let m1 = 0;
        let m2 = 0;
        let m3 = 0;
        for (let p = 0; p < P; p++) {
          const bp = b[p]!;
          m0 += X[row + p]! * bp;
          m1 += X[row + P + p]! * bp;
          m2 += X[row + 2 * P + p]! * bp;
          m3 += X[row + 3 * P + p]! * bp;
        }
        mu[n] = m0;
        mu[n + 1] = m1;
        mu[n + 2] = m2;
        mu[n + 3] = m3;
      }
      for (let row = n * P; n < to; n++, row += P) {
        let m = 0;
        for (let p = 0; p < P; p++) m += X[row + p]! * b[p]!;
        mu[n] = m;
      }
    }
    this.mu = mu;
    return mu;
  }

  mean(out?: Float64Array, options: { scale?: OutputScale } = {}): Float64Array {
    const { N, G, obsStart, yScale } = this.ctx.data;
    const o = out ?? new Float64Array(N);
    checkOut('mean', o, N);
    const mu = this.scaledMean();
    if ((options.scale ?? 'money') === 'money') {
      for (let g = 0; g < G; g++) for (let n = obsStart[g]!; n < obsStart[g + 1]!; n++) o[n] = mu[n]! * yScale[g]!;
    } else {
      o.set(mu);
    }
    return o;
  }

  yRep(rng: Rng, out?: Float64Array, options: YRepOptions = {}): Float64Array {
    const { N, G, obsStart, yScale, layout } = this.ctx.data;
    const o = out ?? new Float64Array(N);
    checkOut('posteriorPredictive', o, N);
    const mu = this.scaledMean();
    const isMoney = (options.scale ?? 'money') === 'money';
    const isStudent = this.ctx.likelihood === 'student-t';
    const nu = this.ctx.nu;
    const normal = options.normal ?? standardNormal;
    for (let g = 0; g < G; g++) {
      const sg = this.sig[layout.setOf(g)]!;
      const ysc = yScale[g]!;
      for (let n = obsStart[g]!; n < obsStart[g + 1]!; n++) {
        const eps = isStudent ? studentT(rng, nu) : normal(rng);
        const ys = mu[n]! + sg * eps;
        o[n] = isMoney ? ys * ysc : ys;
      }
    }
    return o;
  }

  logLik(out?: Float64Array, options: { scale?: OutputScale } = {}): Float64Array {
    const { N, G, obsStart, yScale, y, layout } = this.ctx.data;
    const o = out ?? new Float64Array(N);
    checkOut('pointwiseLogLik', o, N);
    const mu = this.scaledMean();
    const isMoney = (options.scale ?? 'scaled') === 'money';
    const isStudent = this.ctx.likelihood === 'student-t';
    const nu = this.ctx.nu;
    const studentConst = isStudent ? logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI) : 0;
    // the row's constant (−½log 2π or the Student-t constant, minus log σ) once per market: the
    // same left-to-right expression as per row, so the same numbers
    for (let g = 0; g < G; g++) {
      const sg = this.sig[layout.setOf(g)]!;
      const logSg = Math.log(sg);
      const logScale = isMoney ? Math.log(yScale[g]!) : 0;
      const from = obsStart[g]!;
      const to = obsStart[g + 1]!;
      if (isStudent) {
        const c0 = studentConst - logSg;
        const h = 0.5 * (nu + 1);
        for (let n = from; n < to; n++) {
          const z = (y[n]! - mu[n]!) / sg;
          const ll = c0 - h * Math.log1p((z * z) / nu);
          o[n] = isMoney ? ll - logScale : ll;
        }
      } else {
        const c0 = -HALF_LOG_2PI - logSg;
        for (let n = from; n < to; n++) {
          const z = (y[n]! - mu[n]!) / sg;
          const ll = c0 - 0.5 * z * z;
          o[n] = isMoney ? ll - logScale : ll;
        }
      }
    }
    return o;
  }

  contributions(): Contributions {
    const { G, C, K, P, obsStart, yScale, layout } = this.ctx.data;
    const X = this.X;
    const B = this.B;
    const control0 = layout.controlColumn(0);
    const media0 = layout.mediaColumn(0);
    const baseline = new Float64Array(G);
    const trend = new Float64Array(G);
    const seasonality = new Float64Array(G);
    const controls = new Float64Array(G);
    const channels: Float64Array[] = [];
    // fixed design: Σ_n X[n,p]·b[p] = b[p]·Σ_n X[n,p] from the cached column sums (the channel
    // sums are the same numbers as the loop's; the other terms are reassociated)
    const sums = X === this.ctx.data.X ? fixedColumnSums(this.ctx.data) : null;
    for (let g = 0; g < G; g++) {
      const bo = layout.setOf(g) * P;
      const ys = yScale[g]!;
      const ch = new Float64Array(C);
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      if (sums !== null) {
        const so = g * P;
        b0 = (obsStart[g + 1]! - obsStart[g]!) * B[bo + INTERCEPT_COLUMN]!;
        b1 = sums[so + TREND_COLUMN]! * B[bo + TREND_COLUMN]!;
        for (let k = 0; k < FOURIER_TERMS; k++) b2 += sums[so + FOURIER_COLUMN + k]! * B[bo + FOURIER_COLUMN + k]!;
        for (let j = 0; j < K; j++) b3 += sums[so + control0 + j]! * B[bo + control0 + j]!;
        for (let c = 0; c < C; c++) ch[c] = sums[so + media0 + c]!;
      } else {
        for (let n = obsStart[g]!; n < obsStart[g + 1]!; n++) {
          const row = n * P;
          b0 += B[bo + INTERCEPT_COLUMN]!;
          b1 += X[row + TREND_COLUMN]! * B[bo + TREND_COLUMN]!;
          for (let k = 0; k < FOURIER_TERMS; k++) b2 += X[row + FOURIER_COLUMN + k]! * B[bo + FOURIER_COLUMN + k]!;
          for (let j = 0; j < K; j++) b3 += X[row + control0 + j]! * B[bo + control0 + j]!;
          for (let c = 0; c < C; c++) ch[c]! += X[row + media0 + c]!;
        }
      }
      for (let c = 0; c < C; c++) ch[c] = ch[c]! * B[bo + media0 + c]! * ys;
      baseline[g] = b0 * ys;
      trend[g] = b1 * ys;
      seasonality[g] = b2 * ys;
      controls[g] = b3 * ys;
      channels.push(ch);
    }
    return { baseline, trend, seasonality, controls, channels };
  }

  weeklyContributions(out?: Float64Array): Float64Array {
    const { G, C, P, N, obsStart, yScale, layout } = this.ctx.data;
    const o = out ?? new Float64Array(N * C);
    checkOut('weeklyContributions', o, N * C);
    const media0 = layout.mediaColumn(0);
    for (let g = 0; g < G; g++) {
      const bo = layout.setOf(g) * P + media0;
      const ys = yScale[g]!;
      for (let n = obsStart[g]!; n < obsStart[g + 1]!; n++) {
        for (let c = 0; c < C; c++) o[n * C + c] = this.X[n * P + media0 + c]! * this.B[bo + c]! * ys;
      }
    }
    return o;
  }

  roas(out?: Float64Array): Float64Array {
    const { G, C, spendTotal } = this.ctx.data;
    const o = out ?? new Float64Array(G * C);
    checkOut('roas', o, G * C);
    const contrib = this.contributions();
    for (let g = 0; g < G; g++) {
      for (let c = 0; c < C; c++) {
        const spend = spendTotal[g * C + c]!;
        o[g * C + c] = spend > 0 ? contrib.channels[g]![c]! / spend : NaN;
      }
    }
    return o;
  }

  marginalRoas(out?: Float64Array): Float64Array {
    const data = this.ctx.data;
    const { G, C, N, obsStart, spendTotal } = data;
    const o = out ?? new Float64Array(G * C);
    checkOut('marginalRoas', o, G * C);
    const tvOf = this.ctx.tv.tvOf;
    const dh = this.learned ? bumpChanges(data, this.A, this.par, new Float64Array(N * C)) : fixedBumpChanges(data);
    const fixedUnits = this.learned ? null : fixedBumpUnits(data);
    for (let g = 0; g < G; g++) {
      const from = obsStart[g]!;
      const rows = obsStart[g + 1]! - from;
      for (let c = 0; c < C; c++) {
        const spend = spendTotal[g * C + c]!;
        if (!(spend > 0)) {
          o[g * C + c] = NaN;
          continue;
        }
        const slot = tvOf[c]!;
        const units =
          slot < 0 && fixedUnits !== null ? fixedUnits[g * C + c]! : weightedChange(dh, c * N + from, slot >= 0 ? this.M : null, slot * N + from, rows);
        o[g * C + c] = cellMoney(data, g, this.B[coefSlot(data.layout, g, c)]!, units) / ((MARGINAL_BUMP - 1) * spend);
      }
    }
    return o;
  }

  liftPredictions(out?: Float64Array): Float64Array {
    const lift = this.ctx.lift;
    const o = out ?? new Float64Array(lift.count);
    checkOut('liftTestPredictions', o, lift.count);
    return lift.predictions(this.B, this.W, this.learned ? this.par : null, o);
  }

  latestMultipliers(out?: Float64Array): Float64Array {
    const { C, lastWeek } = this.ctx.data;
    const o = out ?? new Float64Array(C);
    checkOut('latestMultipliers', o, C);
    return latestMultipliers(this.ctx.tv, this.W, lastWeek, o);
  }
}

/** C: m_c at global week `lastWeek` from the knot log-values W (1 for constant channels). */
export function latestMultipliers(tv: TimeVaryingTerm, W: ArrayLike<number>, lastWeek: number, out: Float64Array): Float64Array {
  out.fill(1, 0, tv.tvOf.length);
  tv.tvIdx.forEach((c, i) => (out[c] = tv.multiplierAt(W, i, lastWeek)));
  return out;
}
