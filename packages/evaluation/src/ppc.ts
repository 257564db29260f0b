/**
 * Posterior predictive checks per market (Gelman, Carlin, Stern, Dunson, Vehtari & Rubin 2013,
 * Bayesian Data Analysis, 3rd ed., ch. 6; Gabry et al. 2019, Visualization in Bayesian
 * workflow, JRSS A 182:389–402).
 *
 * For every posterior draw, a replicated data set y_rep is drawn with `DrawView.yRep` (money
 * scale) from seeded random streams, one per block of 32 draws (draw-pass.ts `yRepBlockSeed`:
 * `buildRng("${seed}/y_rep/${block}")` of `@tributary/sampler`), so the same seed gives the same
 * numbers whether the draws are visited here, in `evaluateResults`'s single pass or by two
 * threads (draw-pass.ts, parallel.ts). Per market:
 * - Bayesian p-values p = Pr(T(y_rep) ≥ T(y)) for T = mean, sd (n − 1), min and max of the
 *   market's observed target; values near 0 or 1 (outside [0.025, 0.975]) mean the model does
 *   not reproduce that feature of the data;
 * - the share of observations inside their central 50% and 94% posterior predictive intervals
 *   (equal-tailed, R's type-7 quantiles of the y_rep draws of that observation); a calibrated
 *   model gives about 0.50 and 0.94. Whether y is inside is read from counts of the draws below
 *   and at y (`CoverageCounts`); the quantiles themselves are selected only when y sits between
 *   or next to the order statistics of an interval end — the same answers as selecting them for
 *   every observation (test/selection.test.ts).
 */
import type { Panel } from '@tributary/data';
import type { Model } from '@tributary/models';
import { invalidArgument } from './errors.js';
import { quantilesBySelection } from './numerics.js';
import { PPC_STATS, marketStarts, passWith, seriesStats, type DrawPass } from './draw-pass.js';
import type { ResultsFolder } from './results.js';

export interface PpcMarket {
  readonly market: string;
  readonly numObs: number;
  readonly pMean: number;
  readonly pSd: number;
  readonly pMin: number;
  readonly pMax: number;
  readonly coverage50: number;
  readonly coverage94: number;
}

export interface PpcOptions {
  /** Seed of the replicated draws (default 1). */
  readonly seed?: number | string;
  /** A pass over the draws with the `ppc` part (default: one is made with `seed`). */
  readonly pass?: DrawPass;
}

/** p-values outside [PPC_P_LOW, PPC_P_HIGH] are flagged. */
export const PPC_P_LOW = 0.025;
export const PPC_P_HIGH = 0.975;

/** The interval ends of the coverage checks: 94% (0.03, 0.97) and 50% (0.25, 0.75), type 7. */
const PPC_PROBS = [0.03, 0.25, 0.75, 0.97] as const;
export const INSIDE_50 = 1;
export const INSIDE_94 = 2;

/**
 * Whether each observation y_n lies inside the central 50% and 94% intervals of its draws (R's
 * type-7 quantiles), decided from counts instead of selecting the quantiles: with lt = #{x < y},
 * le = #{x ≤ y} and the draws nearest to y on either side (`below`, `above`), every order
 * statistic's side of y is known, and so is the quantile's when it is an order statistic or
 * interpolates between two on the same side of y farther from y than the interpolation's
 * rounding (8·ε·max|x|). When y falls between the two order statistics of an interval end (or on
 * one of them), those two are `below`, y itself or `above`, so the quantile is computed from them
 * with quantileSorted's expression and compared with y. Only when y is within rounding of a draw
 * on the same side, or a draw or y is not finite, do the draws themselves decide
 * (`quantilesBySelection`); the answers are the same (test/selection.test.ts). The counts are
 * taken one draw of all observations at a time (`add`, in the pass: parallel.ts) or one
 * observation's row at a time (`addRow`); the counts of two sets of draws merge exactly
 * (`merge`: integer sums, maxima and minima, in any order).
 */
export class CoverageCounts {
  private readonly y: ArrayLike<number>;
  private readonly lt: Int32Array;
  private readonly eq: Int32Array;
  private readonly below: Float64Array; // the largest draw < y
  private readonly above: Float64Array; // the smallest draw > y
  private readonly absMax: Float64Array;
  private readonly odd: Uint8Array; // 1: a draw was NaN
  private scratch = new Float64Array(0);
  private readonly q = new Float64Array(PPC_PROBS.length);

  constructor(y: ArrayLike<number>, state?: CoverageState) {
    const n = y.length;
    this.y = y;
    this.lt = state?.lt ?? new Int32Array(n);
    this.eq = state?.eq ?? new Int32Array(n);
    this.below = state?.below ?? new Float64Array(n).fill(-Infinity);
    this.above = state?.above ?? new Float64Array(n).fill(Infinity);
    this.absMax = state?.absMax ?? new Float64Array(n);
    this.odd = state?.odd ?? new Uint8Array(n);
  }

  /** The counts as plain typed arrays (to send to another thread; `new CoverageCounts(y, state)`). */
  state(): CoverageState {
    return { lt: this.lt, eq: this.eq, below: this.below, above: this.above, absMax: this.absMax, odd: this.odd };
  }

  /** Adds the counts of other draws of the same observations (exact: the order does not matter). */
  merge(other: CoverageState): void {
    for (let n = 0; n < this.y.length; n++) {
      this.lt[n] = this.lt[n]! + other.lt[n]!;
      this.eq[n] = this.eq[n]! + other.eq[n]!;
      if (other.below[n]! > this.below[n]!) this.below[n] = other.below[n]!;
      if (other.above[n]! < this.above[n]!) this.above[n] = other.above[n]!;
      if (other.absMax[n]! > this.absMax[n]!) this.absMax[n] = other.absMax[n]!;
      this.odd[n] = this.odd[n]! | other.odd[n]!;
    }
  }

  /** Counts one draw x[n] of every observation. */
  add(x: ArrayLike<number>): void {
    const { y, lt, eq, below, above, absMax } = this;
    for (let n = 0; n < y.length; n++) this.count(n, x[n]!, y[n]!, lt, eq, below, above, absMax);
  }

  /** Counts the draws `row` of observation n. */
  addRow(n: number, row: ArrayLike<number>): void {
    const { y, lt, eq, below, above, absMax } = this;
    const yn = y[n]!;
    for (let i = 0; i < row.length; i++) this.count(n, row[i]!, yn, lt, eq, below, above, absMax);
  }

  private count(n: number, v: number, y: number, lt: Int32Array, eq: Int32Array, below: Float64Array, above: Float64Array, absMax: Float64Array): void {
    if (v < y) {
      lt[n]!++;
      if (v > below[n]!) below[n] = v;
    } else if (v > y) {
      if (v < above[n]!) above[n] = v;
    } else if (v === y) eq[n]!++;
    else this.odd[n] = 1; // NaN (or y NaN): the draws decide
    const a = Math.abs(v);
    if (a > absMax[n]!) absMax[n] = a;
  }

  /**
   * INSIDE_50 | INSIDE_94 flags of observation n after its `numDraws` draws were counted;
   * `draws()` gives them (any order) when the counts cannot tell.
   */
  inside(n: number, numDraws: number, draws: () => ArrayLike<number>): number {
    const flags = this.decide(n, numDraws);
    if (flags >= 0) return flags;
    if (this.scratch.length !== numDraws) this.scratch = new Float64Array(numDraws);
    this.scratch.set(draws()); // a copy: the caller's draws keep their order
    const y = this.y[n]!;
    const q = quantilesBySelection(this.scratch, PPC_PROBS, this.q);
    return (q[1]! <= y && y <= q[2]! ? INSIDE_50 : 0) | (q[0]! <= y && y <= q[3]! ? INSIDE_94 : 0);
  }

  /** `inside`'s flags when the counts tell, −1 when the draws must decide. */
  decide(n: number, numDraws: number): number {
    const y = this.y[n]!;
    const lt = this.lt[n]!;
    const le = lt + this.eq[n]!;
    const below = this.below[n]!;
    const above = this.above[n]!;
    const absMax = this.absMax[n]!;
    if (!(Number.isFinite(y) && Number.isFinite(absMax)) || this.odd[n] !== 0) return -1;
    const margin = 8 * Number.EPSILON * absMax;
    const side = (p: number): number => {
      // sign of quantile(p) − y: −1, 0, 1, or NaN when the counts cannot tell
      const index = 1 + (numDraws - 1) * p;
      const lo = Math.floor(index);
      const hi = Math.ceil(index);
      const sideOf = (k: number) => (k <= lt ? -1 : k <= le ? 0 : 1);
      if (!(index > lo)) return sideOf(lo);
      const a = sideOf(lo);
      const b = sideOf(hi);
      if (a === 0 && b === 0) return 0; // both equal y: quantileSorted returns that value
      if (a !== b) {
        // y between or at the two order statistics (hi = lo + 1): they are `below` (lo = lt),
        // y (lt < lo, hi ≤ le) or `above` (hi = le + 1); quantileSorted's interpolation of them
        const xLo = a < 0 ? below : y;
        const xHi = b > 0 ? above : y;
        const h = index - lo;
        const q = (1 - h) * xLo + h * xHi;
        return q < y ? -1 : q > y ? 1 : 0;
      }
      // both on one side: the interpolation (rounding ≤ margin) stays there when it is far enough
      if (a < 0) return y - below > margin ? -1 : NaN;
      return above - y > margin ? 1 : NaN;
    };
    const s0 = side(PPC_PROBS[0]);
    const s1 = side(PPC_PROBS[1]);
    const s2 = side(PPC_PROBS[2]);
    const s3 = side(PPC_PROBS[3]);
    if (Number.isNaN(s0 + s1 + s2 + s3)) return -1;
    return (s1 <= 0 && s2 >= 0 ? INSIDE_50 : 0) | (s0 <= 0 && s3 >= 0 ? INSIDE_94 : 0);
  }
}

/** The arrays of a `CoverageCounts` (structured-cloneable). */
export interface CoverageState {
  readonly lt: Int32Array;
  readonly eq: Int32Array;
  readonly below: Float64Array;
  readonly above: Float64Array;
  readonly absMax: Float64Array;
  readonly odd: Uint8Array;
}

export function posteriorPredictiveChecks(results: ResultsFolder, fitted: { model: Model; panel: Panel }, options: PpcOptions = {}): PpcMarket[] {
  const { model, panel } = fitted;
  const pass = passWith('ppc', results, model, options.pass, options.seed === undefined ? {} : { seed: options.seed });
  const yrep = pass.yRep!; // observation-major
  const S = pass.numDraws;
  const counts = new CoverageCounts(panel.y);
  for (let n = 0; n < model.numObs; n++) counts.addRow(n, yrep.subarray(n * S, (n + 1) * S));
  return predictiveChecks(fitted, S, pass.yRepStats!, (n) => counts.inside(n, S, () => yrep.subarray(n * S, (n + 1) * S)));
}

/**
 * What a pass fills when it counts the coverage as it draws y_rep (draw-pass.ts
 * `PassSplit.coverage`): the counts, and a way to draw the y_rep of given observations again
 * (all draws, in order) for the rare ones the counts cannot decide.
 */
export interface PassCoverage {
  readonly counts: CoverageCounts;
  replay?: (observations: readonly number[]) => Float64Array[];
}

export function passCoverage(panel: Panel): PassCoverage {
  return { counts: new CoverageCounts(panel.y) };
}

/** The checks of a pass made with `coverage` (no stored y_rep needed). */
export function countedPredictiveChecks(fitted: { model: Model; panel: Panel }, pass: DrawPass, coverage: PassCoverage): PpcMarket[] {
  const S = pass.numDraws;
  const N = fitted.model.numObs;
  if (!coverage.replay || !pass.yRepStats) invalidArgument('countedPredictiveChecks: the pass was made without the ppc part and its coverage');
  const { counts } = coverage;
  const flags = new Int32Array(N);
  const undecided: number[] = [];
  for (let n = 0; n < N; n++) if ((flags[n] = counts.decide(n, S)) < 0) undecided.push(n);
  const rows = coverage.replay(undecided);
  undecided.forEach((n, k) => (flags[n] = counts.inside(n, S, () => rows[k]!)));
  return predictiveChecks(fitted, S, pass.yRepStats, (n) => flags[n]!);
}

/**
 * The checks from the per-draw test statistics T(y_rep) (`DrawPass.yRepStats`) and each
 * observation's INSIDE_50 | INSIDE_94 flags (parallel.ts calls it with counts taken in its pass).
 */
export function predictiveChecks(fitted: { model: Model; panel: Panel }, S: number, T: Float64Array, insideFlags: (n: number) => number): PpcMarket[] {
  const { model, panel } = fitted;
  const G = model.markets.length;
  const N = model.numObs;
  const start = marketStarts(model);
  const observed = Array.from({ length: G }, (_, g) => seriesStats(panel.y, start[g]!, start[g + 1]!));
  const countGe = Array.from({ length: G }, () => ({ mean: 0, sd: 0, min: 0, max: 0 }));
  for (let g = 0; g < G; g++) {
    const o = observed[g]!;
    const cnt = countGe[g]!;
    const at = (k: number, s: number) => T[(g * PPC_STATS + k) * S + s]!;
    for (let s = 0; s < S; s++) {
      if (at(0, s) >= o.mean) cnt.mean++;
      if (at(1, s) >= o.sd) cnt.sd++;
      if (at(2, s) >= o.min) cnt.min++;
      if (at(3, s) >= o.max) cnt.max++;
    }
  }
  const inside50 = new Float64Array(G);
  const inside94 = new Float64Array(G);
  for (let n = 0; n < N; n++) {
    const g = model.obsMarket[n]!;
    const inside = insideFlags(n);
    if (inside & INSIDE_50) inside50[g] = inside50[g]! + 1;
    if (inside & INSIDE_94) inside94[g] = inside94[g]! + 1;
  }
  return model.markets.map((market, g) => {
    const n = start[g + 1]! - start[g]!;
    const c = countGe[g]!;
    return {
      market,
      numObs: n,
      pMean: c.mean / S,
      pSd: c.sd / S,
      pMin: c.min / S,
      pMax: c.max / S,
      coverage50: inside50[g]! / n,
      coverage94: inside94[g]! / n,
    };
  });
}
