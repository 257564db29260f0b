/**
 * Budget allocation over posterior draws: optimize a plan, budget scenarios, and target modes.
 *
 * Follows PyMC-Marketing's `BudgetOptimizer.allocate_budget` (pymc_marketing/mmm/
 * budget_optimizer.py) in what a plan is (a per-period spend per cell, constant over the
 * horizon, with the carry-over tail counted) and in maximizing a utility of the posterior
 * response distribution (utilities.ts) subject to a budget and per-cell bounds. Deviations:
 *
 * - Several starts, not one: historical shares of the budget, an equal split, and the global
 *   optimum of the mean response on a budget grid (starts.ts; S-shaped Hill curves make the
 *   problem multi-modal), plus any given; the best KKT point wins and every start's result is
 *   reported. PyMC-Marketing starts once, from the equal split.
 * - The budget holds exactly: the solver keeps every iterate on Σ x = B, and the plan is then
 *   rounded to whole cents by largest remainders within the bounds, so Σ total_spend equals the
 *   budget to the cent. SLSQP (ftol 1e-9) satisfies it to its tolerance only.
 * - The budget can be flexible (Σ x ≤ B), through a zero-utility slack variable.
 * - The response is the increment over the carry-over of the observed weeks (response.ts).
 * - With learned transforms (a curve per draw, ~50× the cost of an evaluation with fixed
 *   transforms) the starts are screened on an evenly thinned subset of 500 draws and only the
 *   best is polished on all draws (`screenDraws`); the reported plan is a KKT point of the
 *   full-posterior problem. Fixed transforms are always solved on every draw.
 * - The output carries the historical allocation of the same budget (shares of the last W
 *   weeks by default, or of the whole history), the per-draw uplift over it and P(uplift > 0),
 *   and flags every cell planned outside its observed weekly spend range with the 5–95% band
 *   of its response there. Spending nothing is never flagged: its increment is exactly 0.
 * - Target modes (not in PyMC-Marketing): the smallest budget whose optimized mean response
 *   reaches R (bracketing on the budget with the flexible, mean-optimal plan, which is
 *   non-decreasing in the budget); and the smallest (and largest) budget whose optimized plan
 *   has P(ROAS ≥ r) ≥ p (a log-spaced scan of budgets, then bisection at the crossings; the
 *   probability is the plain fraction of draws, the optimizer maximizes its smoothed version).
 */
import { resolveBounds, type BoundsOptions, type ResolvedBounds } from './bounds.js';
import { OptimizerError } from './errors.js';
import type { ResponseCurves } from './curves.js';
import type { ResponseModel } from './response.js';
import { solveCappedSimplex, type QuasiNewtonState, type SolveOptions } from './solver.js';
import { equalStart, gridStart } from './starts.js';
import { summarizeInterval, type Summary } from './summary.js';
import { buildUtility, type Utility, type UtilitySpec } from './utilities.js';

/** Which past weeks define the historical allocation: the last W weeks, or the whole history. */
export type HistoricalBasis = 'recent' | 'all';

export interface PlanStart {
  readonly name: string;
  /** Total spend over the horizon per cell (G×C); projected onto the constraints first. */
  readonly totalSpend: ArrayLike<number>;
}

export interface PlanningOptions extends BoundsOptions {
  /** Default 'mean'. A `Utility` object is a custom utility. */
  readonly utility?: Utility | UtilitySpec | string;
  /** Spend at most the budget instead of exactly the budget. */
  readonly isFlexible?: boolean;
  /** Default 'recent' (the last W weeks). */
  readonly historicalBasis?: HistoricalBasis;
  /** Extra starting plans. */
  readonly starts?: readonly PlanStart[];
  readonly solver?: SolveOptions;
  /** Bandwidth multiplier of the smoothed utilities (utilities.ts). */
  readonly bandwidth?: number;
  /**
   * Per-draw curves (learned transforms) with more than 2 × this many draws: the starts are
   * solved on an evenly thinned subset of this many draws, then the best is polished on all
   * draws (default 500; 0 solves every start on all draws). Fixed transforms are never screened.
   */
  readonly screenDraws?: number;
}

export interface OptimizeOptions extends PlanningOptions {
  /** Total budget over the horizon (money), in whole cents. */
  readonly budget: number;
}

export interface PlanCell {
  readonly market: string;
  readonly channel: string;
  readonly weeklySpend: number;
  /** Whole cents; Σ over cells = the plan's spend exactly. */
  readonly totalSpend: number;
  readonly lowerWeekly: number;
  readonly upperWeekly: number;
  readonly isFixed: boolean;
  readonly observedMin: number;
  readonly observedMax: number;
  /** Weekly spend > 0 and outside [observedMin, observedMax]. */
  readonly isOutsideObservedRange: boolean;
  /** Incremental response of this cell (horizon + carry-over tail), per-draw summary. */
  readonly response: Summary;
}

export interface StartReport {
  readonly name: string;
  readonly value: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly isConverged: boolean;
  readonly kktResidual: number;
  /** Draws the objective was evaluated on (fewer than all when screened). */
  readonly numDraws: number;
}

export interface PlanEvaluation {
  /** Σ total spend. */
  readonly spend: number;
  readonly response: Summary;
  /** Incremental response / spend, per draw. */
  readonly roas: Summary;
  readonly utilityValue: number;
  /** Per-draw incremental response (length numDraws). */
  readonly responseDraws: Float64Array;
}

export interface Plan extends PlanEvaluation {
  readonly budget: number;
  readonly weeks: number;
  readonly utility: string;
  readonly isFlexible: boolean;
  readonly allocation: readonly PlanCell[];
  readonly historical: PlanEvaluation & { readonly basis: HistoricalBasis; readonly weeklySpend: Float64Array };
  /** Per-draw plan response − historical response. */
  readonly uplift: Summary;
  /** Fraction of draws with uplift > 0. */
  readonly pUplift: number;
  readonly extrapolation: readonly PlanCell[];
  readonly solver: { readonly starts: readonly StartReport[]; readonly best: string; readonly seconds: number };
}

function invalid(message: string): never {
  throw new OptimizerError('OPTIMIZER_INVALID_OPTIONS', message);
}

function infeasible(message: string): never {
  throw new OptimizerError('OPTIMIZER_INFEASIBLE', message);
}

const money = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** Rounds totals to whole cents summing to `target` (cents), within the bounds (largest remainders). */
export function roundToCents(x: ArrayLike<number>, lower: ArrayLike<number>, upper: ArrayLike<number>, target: number): Float64Array {
  const n = x.length;
  const T = Math.round(target * 100);
  const cents = new Float64Array(n);
  const frac = new Float64Array(n);
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    lo[i] = Math.ceil(lower[i]! * 100 - 1e-6);
    hi[i] = Math.floor(upper[i]! * 100 + 1e-6);
    const v = x[i]! * 100;
    cents[i] = Math.min(hi[i]!, Math.max(lo[i]!, Math.floor(v + 1e-9)));
    frac[i] = v - cents[i]!;
    sum += cents[i]!;
  }
  let r = T - sum;
  while (r !== 0) {
    let best = -1;
    for (let i = 0; i < n; i++) {
      if (r > 0 ? cents[i]! < hi[i]! : cents[i]! > lo[i]!) {
        if (best < 0 || (r > 0 ? frac[i]! > frac[best]! : frac[i]! < frac[best]!)) best = i;
      }
    }
    if (best < 0) infeasible(`cannot round the plan to ${money(target)} in whole cents within the bounds`);
    const step = r > 0 ? 1 : -1;
    cents[best] = cents[best]! + step;
    frac[best] = frac[best]! - step;
    r -= step;
  }
  return cents.map((c) => c / 100);
}

/** State shared by every solve over one response model and one set of bounds. */
class Planner {
  readonly response: ResponseModel;
  readonly n: number;
  readonly D: number;
  readonly W: number;
  readonly bounds: ResolvedBounds;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly sumLower: number;
  readonly sumUpper: number;
  readonly basis: HistoricalBasis;
  readonly shares: Float64Array;
  private readonly wR: Float64Array;
  private readonly options: PlanningOptions;

  constructor(response: ResponseModel, options: PlanningOptions) {
    this.response = response;
    this.options = options;
    this.n = response.numCells;
    this.D = response.numDraws;
    this.W = response.weeks;
    this.bounds = resolveBounds(response, options);
    this.lower = this.bounds.lowerWeekly.map((v) => v * this.W);
    this.upper = this.bounds.upperWeekly.map((v) => v * this.W);
    this.sumLower = this.lower.reduce((a, b) => a + b, 0);
    this.sumUpper = this.upper.reduce((a, b) => a + b, 0);
    const basis = options.historicalBasis ?? 'recent';
    if (basis !== 'recent' && basis !== 'all') invalid(`historicalBasis = ${JSON.stringify(basis)}; expected 'recent' or 'all'`);
    this.basis = basis;
    let weekly = basis === 'recent' ? response.recentWeeklySpend : response.historyWeeklySpend;
    let total = weekly.reduce((a, b) => a + b, 0);
    if (!(total > 0)) {
      weekly = response.historyWeeklySpend;
      total = weekly.reduce((a, b) => a + b, 0);
    }
    if (!(total > 0)) throw new OptimizerError('OPTIMIZER_INVALID_INPUT', 'the data has no spend at all; there is no historical allocation');
    this.shares = weekly.map((v) => v / total);
    this.wR = new Float64Array(this.D);
  }

  utility(spec: Utility | UtilitySpec | string | undefined): Utility {
    if (spec !== undefined && typeof spec === 'object' && 'evaluate' in spec) return spec;
    return buildUtility(spec ?? 'mean', this.options.bandwidth === undefined ? {} : { bandwidth: this.options.bandwidth });
  }

  checkBudget(budget: number, isFlexible: boolean): void {
    if (!(budget >= 0 && Number.isFinite(budget))) invalid(`budget = ${budget}; expected a finite amount >= 0`);
    const tol = 0.005;
    if (budget < this.sumLower - tol) {
      infeasible(`budget ${money(budget)} is below the sum of the lower bounds over ${this.W} weeks (${money(this.sumLower)}, fixed cells included); raise the budget or lower the bounds`);
    }
    if (!isFlexible && budget > this.sumUpper + tol) {
      infeasible(
        `budget ${money(budget)} is above the sum of the upper bounds over ${this.W} weeks (${money(this.sumUpper)}; default upper = 2 × the largest observed weekly spend); raise the bounds or use a flexible budget`,
      );
    }
  }

  /** value and ∂/∂x of the utility at x (total spends), over the draws of `curves`. */
  objective(curves: ResponseCurves, utility: Utility): (x: Float64Array, grad: Float64Array) => number {
    const n = this.n;
    const R = new Float64Array(curves.numDraws);
    const wR = new Float64Array(curves.numDraws);
    return (x, grad) => {
      curves.evaluate(x, R, true);
      let spend = 0;
      for (let i = 0; i < n; i++) spend += x[i]!;
      const u = utility.evaluate(R, spend, wR);
      curves.pullback(wR, grad);
      if (u.dSpend !== 0) for (let i = 0; i < n; i++) grad[i] = grad[i]! + u.dSpend;
      return u.value;
    };
  }

  historicalTotals(budget: number): Float64Array {
    return this.shares.map((s) => s * budget);
  }

  /** Solves from every start; returns the best plan rounded to cents. */
  solve(
    budget: number,
    isFlexible: boolean,
    utility: Utility,
    extraStarts: readonly PlanStart[],
    defaultStarts: readonly ('historical' | 'equal' | 'grid')[] = ['historical', 'equal', 'grid'],
  ): { x: Float64Array; starts: StartReport[]; best: string; seconds: number } {
    this.checkBudget(budget, isFlexible);
    const started = performance.now();
    const starts: PlanStart[] = [];
    for (const name of defaultStarts) {
      if (name === 'historical') starts.push({ name, totalSpend: this.historicalTotals(budget) });
      else if (name === 'equal') starts.push({ name, totalSpend: equalStart(this.lower, this.upper, budget) });
      else starts.push({ name, totalSpend: gridStart(this.response.curves, this.lower, this.upper, budget, isFlexible) });
    }
    for (const s of extraStarts) {
      if (s.totalSpend.length !== this.n) invalid(`start "${s.name}" has ${s.totalSpend.length} cells, expected ${this.n} (markets × channels)`);
      starts.push(s);
    }
    const full = this.response.curves;
    const screenDraws = this.options.screenDraws ?? 500;
    const screened = !full.isShared && screenDraws > 0 && full.numDraws > 2 * screenDraws ? full.thin(screenDraws) : full;
    const problemOf = (curves: ResponseCurves) => ({
      lower: this.lower,
      upper: this.upper,
      total: budget,
      isFlexible,
      valueAndGradient: this.objective(curves, utility),
    });
    const reports: StartReport[] = [];
    let bestX: Float64Array | undefined;
    let bestValue = -Infinity;
    let bestName = '';
    const stage = screened === full ? problemOf(full) : problemOf(screened);
    let bestState: QuasiNewtonState | undefined;
    for (const s of starts) {
      const { result: res, state } = solveCappedSimplex(stage, s.totalSpend, this.options.solver);
      reports.push({ name: s.name, value: res.value, iterations: res.iterations, evaluations: res.evaluations, isConverged: res.isConverged, kktResidual: res.kktResidual, numDraws: screened.numDraws });
      if (res.value > bestValue || bestX === undefined) {
        bestValue = res.value;
        bestX = res.x;
        bestName = s.name;
        bestState = state;
      }
    }
    if (screened !== full) {
      // Polish the best screened plan on every draw, from its quasi-Newton matrix.
      const { result: res } = solveCappedSimplex(problemOf(full), bestX!, this.options.solver, bestState);
      reports.push({ name: `polish (${bestName})`, value: res.value, iterations: res.iterations, evaluations: res.evaluations, isConverged: res.isConverged, kktResidual: res.kktResidual, numDraws: full.numDraws });
      bestX = res.x;
      bestName = `polish (${bestName})`;
    }
    let planned = 0;
    for (let i = 0; i < this.n; i++) planned += bestX![i]!;
    const target = isFlexible ? Math.min(Math.floor(budget * 100 + 1e-6) / 100, Math.round(planned * 100) / 100) : budget;
    const x = roundToCents(bestX!, this.lower, this.upper, target);
    return { x, starts: reports, best: bestName, seconds: (performance.now() - started) / 1000 };
  }

  evaluate(x: ArrayLike<number>, utility: Utility): PlanEvaluation {
    const R = new Float64Array(this.D);
    this.response.curves.evaluate(x, R);
    let spend = 0;
    for (let i = 0; i < this.n; i++) spend += x[i]!;
    const roas = R.map((r) => r / spend);
    const value = utility.evaluate(R, spend, this.wR).value;
    return { spend, response: summarizeInterval(R), roas: summarizeInterval(roas), utilityValue: value, responseDraws: R };
  }

  plan(budget: number, isFlexible: boolean, utility: Utility, solved: ReturnType<Planner['solve']>): Plan {
    const { x } = solved;
    const response = this.response;
    const C = response.channels.length;
    const W = this.W;
    const own = this.evaluate(x, utility);
    const histTotals = this.historicalTotals(budget);
    const hist = this.evaluate(histTotals, utility);
    const uplift = new Float64Array(this.D);
    let wins = 0;
    for (let d = 0; d < this.D; d++) {
      uplift[d] = own.responseDraws[d]! - hist.responseDraws[d]!;
      if (uplift[d]! > 0) wins++;
    }
    const cellDraws = new Float64Array(this.D);
    const allocation: PlanCell[] = [];
    let cents = 0;
    for (let i = 0; i < this.n; i++) cents += Math.round(x[i]! * 100);
    for (let i = 0; i < this.n; i++) {
      const weekly = x[i]! / W;
      const lo = response.observedMin[i]!;
      const hi = response.observedMax[i]!;
      allocation.push({
        market: response.markets[Math.floor(i / C)]!,
        channel: response.channels[i % C]!,
        weeklySpend: weekly,
        totalSpend: x[i]!,
        lowerWeekly: this.bounds.lowerWeekly[i]!,
        upperWeekly: this.bounds.upperWeekly[i]!,
        isFixed: this.bounds.isFixed[i] === 1,
        observedMin: lo,
        observedMax: hi,
        isOutsideObservedRange: weekly > 0 && (weekly < lo - 0.005 || weekly > hi + 0.005),
        response: summarizeInterval(response.curves.cellResponse(i, x[i]!, cellDraws)),
      });
    }
    return {
      ...own,
      spend: cents / 100,
      budget,
      weeks: W,
      utility: utility.name,
      isFlexible,
      allocation,
      historical: { ...hist, basis: this.basis, weeklySpend: histTotals.map((v) => v / W) },
      uplift: summarizeInterval(uplift),
      pUplift: wins / this.D,
      extrapolation: allocation.filter((c) => c.isOutsideObservedRange),
      solver: { starts: solved.starts, best: solved.best, seconds: solved.seconds },
    };
  }
}

/**
 * Optimizes the plan for `options.budget` (total over the horizon): maximizes the utility over
 * weekly spends per market-channel, subject to the budget (exact, or at most when flexible)
 * and the bounds. See README "What it does".
 */
export function optimizeBudget(response: ResponseModel, options: OptimizeOptions): Plan {
  const planner = new Planner(response, options);
  const utility = planner.utility(options.utility);
  const isFlexible = options.isFlexible === true;
  const solved = planner.solve(options.budget, isFlexible, utility, options.starts ?? []);
  return planner.plan(options.budget, isFlexible, utility, solved);
}

/** Evaluates a given plan (total spend per cell over the horizon) like `optimizeBudget` reports one. */
export function evaluatePlan(response: ResponseModel, totalSpend: ArrayLike<number>, options: PlanningOptions = {}): Plan {
  const planner = new Planner(response, options);
  if (totalSpend.length !== planner.n) invalid(`evaluatePlan: ${totalSpend.length} cells given, expected ${planner.n}`);
  const utility = planner.utility(options.utility);
  const x = Float64Array.from(totalSpend, (v) => Math.round(v * 100) / 100);
  const budget = x.reduce((a, b) => a + b, 0);
  return planner.plan(budget, false, utility, { x, starts: [], best: 'given', seconds: 0 });
}

export interface Scenario {
  readonly multiplier: number;
  readonly budget: number;
  /** The optimized plan, or undefined when the budget is infeasible under the bounds. */
  readonly plan: Plan | undefined;
  /** Why there is no plan. */
  readonly error: string | undefined;
}

export interface ScenarioOptions extends OptimizeOptions {
  /** Budget multipliers (default 0.6, 0.8, 1, 1.2, 1.8). */
  readonly multipliers?: readonly number[];
}

/** Optimizes the budget × each multiplier: a budget–response curve with 5–95% bands. */
export function budgetScenarios(response: ResponseModel, options: ScenarioOptions): Scenario[] {
  const multipliers = options.multipliers ?? [0.6, 0.8, 1, 1.2, 1.8];
  for (const m of multipliers) if (!(m > 0 && Number.isFinite(m))) invalid(`scenario multiplier ${m}; expected a finite number > 0`);
  const planner = new Planner(response, options);
  const utility = planner.utility(options.utility);
  const isFlexible = options.isFlexible === true;
  const out: Scenario[] = [];
  let previous: { budget: number; x: Float64Array } | undefined;
  for (const m of multipliers) {
    const budget = Math.round(options.budget * m * 100) / 100;
    try {
      const extra: PlanStart[] = [...(options.starts ?? [])];
      if (previous !== undefined) {
        const ratio = budget / previous.budget;
        extra.push({ name: 'previous scenario', totalSpend: previous.x.map((v) => v * ratio) });
      }
      const solved = planner.solve(budget, isFlexible, utility, extra);
      previous = { budget, x: solved.x };
      out.push({ multiplier: m, budget, plan: planner.plan(budget, isFlexible, utility, solved), error: undefined });
    } catch (e) {
      if (e instanceof OptimizerError && e.code === 'OPTIMIZER_INFEASIBLE') out.push({ multiplier: m, budget, plan: undefined, error: e.message });
      else throw e;
    }
  }
  return out;
}

export type SpendTarget =
  /** The smallest budget whose optimized mean incremental revenue reaches `revenue`. */
  | { readonly kind: 'revenue'; readonly revenue: number }
  /** The smallest budget whose optimized plan has P(ROAS ≥ roas) ≥ probability. */
  | { readonly kind: 'roas'; readonly roas: number; readonly probability: number };

export interface TargetOptions extends PlanningOptions {
  /** Largest budget to consider (default: Σ upper bounds over the horizon). */
  readonly maxBudget?: number;
}

export interface TargetResult {
  readonly target: SpendTarget;
  /** The smallest budget found (whole cents). */
  readonly budget: number;
  /** ROAS target only: the largest budget that still meets it (within `maxBudget`). */
  readonly maxBudget: number | undefined;
  /** The plan at `budget`. */
  readonly plan: Plan;
  /** Number of budgets optimized during the search. */
  readonly numSolves: number;
}

/** Target modes: the smallest budget that reaches a mean revenue, or P(ROAS ≥ r) ≥ p. */
export function findTargetSpend(response: ResponseModel, target: SpendTarget, options: TargetOptions = {}): TargetResult {
  const planner = new Planner(response, options);
  const cap = Math.min(options.maxBudget ?? Infinity, planner.sumUpper);
  if (!(cap > 0)) infeasible('the upper bounds allow no spend at all');
  const hiBudget = Math.floor(cap * 100) / 100;
  const loBudget = Math.ceil(planner.sumLower * 100) / 100;
  let numSolves = 0;
  if (target.kind === 'revenue') {
    if (!(target.revenue > 0 && Number.isFinite(target.revenue))) invalid(`target revenue = ${target.revenue}; expected a finite amount > 0`);
    const utility = planner.utility('mean');
    let warm: { budget: number; x: Float64Array } | undefined;
    const meanAt = (budget: number): { value: number; solved: ReturnType<Planner['solve']> } => {
      numSolves++;
      const extra = warm === undefined ? [] : [{ name: 'nearby budget', totalSpend: warm.x.map((v) => (v * budget) / Math.max(warm!.budget, 1e-9)) }];
      const solved = planner.solve(budget, true, utility, extra, warm === undefined ? ['historical', 'equal', 'grid'] : ['grid']);
      warm = { budget, x: solved.x };
      return { value: planner.evaluate(solved.x, utility).response.mean, solved };
    };
    const top = meanAt(hiBudget);
    if (top.value < target.revenue) {
      infeasible(
        `mean incremental revenue ${money(target.revenue)} is out of reach: the best plan within the bounds (${money(hiBudget)} over ${planner.W} weeks) reaches ${money(top.value)}; raise the upper bounds`,
      );
    }
    let hi = { budget: hiBudget, ...top };
    const bottom = loBudget > 0 ? meanAt(loBudget) : { value: 0, solved: undefined };
    if (bottom.value >= target.revenue && bottom.solved !== undefined) {
      return { target, budget: loBudget, maxBudget: undefined, plan: planner.plan(loBudget, true, utility, bottom.solved), numSolves };
    }
    let lo = { budget: loBudget, value: bottom.value };
    // Illinois regula falsi on the budget (whole cents), a bisection every fourth step; stop
    // when the bracket is one cent wide or the mean at the upper end is within 1e-9 of R.
    let fLo = lo.value - target.revenue;
    let fHi = hi.value - target.revenue;
    let lastReplaced = 0;
    for (let iter = 0; iter < 100 && hi.budget - lo.budget > 0.011 && hi.value - target.revenue > 1e-9 * target.revenue; iter++) {
      let mid = iter % 4 === 3 ? 0.5 * (lo.budget + hi.budget) : lo.budget - (fLo * (hi.budget - lo.budget)) / (fHi - fLo);
      mid = Math.round(mid * 100) / 100;
      if (!(mid > lo.budget && mid < hi.budget)) mid = Math.round(50 * (lo.budget + hi.budget)) / 100;
      if (!(mid > lo.budget && mid < hi.budget)) break;
      const at = meanAt(mid);
      const f = at.value - target.revenue;
      if (f >= 0) {
        hi = { budget: mid, ...at };
        fHi = f;
        if (lastReplaced === 1) fLo /= 2;
        lastReplaced = 1;
      } else {
        lo = { budget: mid, value: at.value };
        fLo = f;
        if (lastReplaced === -1) fHi /= 2;
        lastReplaced = -1;
      }
    }
    return { target, budget: hi.budget, maxBudget: undefined, plan: planner.plan(hi.budget, true, utility, hi.solved), numSolves };
  }

  const { roas, probability } = target;
  if (!(roas > 0 && Number.isFinite(roas))) invalid(`target ROAS = ${roas}; expected a finite number > 0`);
  if (!(probability > 0 && probability < 1)) invalid(`minimum probability = ${probability}; expected a number in (0, 1)`);
  const utility = planner.utility({ kind: 'p-roas', target: roas });
  let warm: { budget: number; x: Float64Array } | undefined;
  const probAt = (budget: number): { p: number; solved: ReturnType<Planner['solve']> } => {
    numSolves++;
    const extra = warm === undefined ? [] : [{ name: 'nearby budget', totalSpend: warm.x.map((v) => (v * budget) / warm!.budget) }];
    const solved = planner.solve(budget, false, utility, extra, ['historical', 'grid']);
    warm = { budget, x: solved.x };
    const ev = planner.evaluate(solved.x, utility);
    let hits = 0;
    for (let d = 0; d < planner.D; d++) if (ev.responseDraws[d]! >= roas * ev.spend) hits++;
    return { p: hits / planner.D, solved };
  };
  const start = Math.max(loBudget, hiBudget * 1e-3, 0.01);
  const numGrid = 16;
  const grid: number[] = [];
  for (let k = 0; k < numGrid; k++) grid.push(Math.round(start * Math.pow(hiBudget / start, k / (numGrid - 1)) * 100) / 100);
  const results = grid.map((b) => ({ budget: b, ...probAt(b) }));
  const first = results.findIndex((r) => r.p >= probability);
  if (first < 0) {
    const best = results.reduce((a, b) => (b.p > a.p ? b : a));
    infeasible(
      `no budget up to ${money(hiBudget)} reaches P(ROAS >= ${roas}) >= ${probability}: the best is ${best.p.toFixed(3)} at ${money(best.budget)}; lower the target or the probability`,
    );
  }
  let last = first;
  for (let k = first; k < results.length; k++) if (results[k]!.p >= probability) last = k;
  const refine = (fail: number, ok: number, okResult: { p: number; solved: ReturnType<Planner['solve']> }) => {
    let bad = fail;
    let good = ok;
    let goodResult = okResult;
    for (let k = 0; k < 14 && Math.abs(good - bad) > Math.max(0.01, 1e-5 * good); k++) {
      const mid = Math.round(Math.sqrt(bad * good) * 100) / 100;
      if (mid === bad || mid === good) break;
      const at = probAt(mid);
      if (at.p >= probability) {
        good = mid;
        goodResult = at;
      } else bad = mid;
    }
    return { budget: good, result: goodResult };
  };
  const lowEnd = first > 0 ? refine(results[first - 1]!.budget, results[first]!.budget, results[first]!) : { budget: results[first]!.budget, result: results[first]! };
  const highEnd = last < results.length - 1 ? refine(results[last + 1]!.budget, results[last]!.budget, results[last]!) : { budget: results[last]!.budget, result: results[last]! };
  return {
    target,
    budget: lowEnd.budget,
    maxBudget: highEnd.budget,
    plan: planner.plan(lowEnd.budget, false, utility, lowEnd.result.solved),
    numSolves,
  };
}
