/**
 * The `plan.json` format (README "plan.json"): a plan, optionally with its budget scenarios and
 * target search, as plain JSON with snake_case keys. `total_spend` is whole cents and sums to
 * `spend` (= `budget` unless the budget is flexible) exactly; `weekly_spend` is total / weeks,
 * rounded to cents for display.
 */
import type { Plan, PlanCell, PlanEvaluation, Scenario, TargetResult } from './optimize.js';
import type { Summary } from './summary.js';

export const PLAN_JSON_VERSION = 1;

export interface PlanJsonExtras {
  readonly scenarios?: readonly Scenario[];
  readonly target?: TargetResult;
}

const cents = (v: number): number => Math.round(v * 100) / 100;
const summary = (s: Summary): { mean: number; q05: number; q95: number } => ({ mean: s.mean, q05: s.q05, q95: s.q95 });

function evaluationJson(e: PlanEvaluation): Record<string, unknown> {
  return { response: summary(e.response), roas: summary(e.roas), utility_value: e.utilityValue };
}

function cellJson(c: PlanCell): Record<string, unknown> {
  return {
    market: c.market,
    channel: c.channel,
    weekly_spend: cents(c.weeklySpend),
    total_spend: c.totalSpend,
    lower_weekly: cents(c.lowerWeekly),
    upper_weekly: cents(c.upperWeekly),
    fixed: c.isFixed,
    observed_min: c.observedMin,
    observed_max: c.observedMax,
    outside_observed_range: c.isOutsideObservedRange,
    response: summary(c.response),
  };
}

/** The JSON object written to plan.json. */
export function planToJson(plan: Plan, extras: PlanJsonExtras = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {
    tributary_plan_version: PLAN_JSON_VERSION,
    budget: plan.budget,
    spend: plan.spend,
    weeks: plan.weeks,
    utility: plan.utility,
    flexible: plan.isFlexible,
    allocation: plan.allocation.map(cellJson),
    ...evaluationJson(plan),
    historical: {
      basis: plan.historical.basis,
      ...evaluationJson(plan.historical),
      allocation: plan.allocation.map((c, i) => ({ market: c.market, channel: c.channel, weekly_spend: cents(plan.historical.weeklySpend[i]!) })),
    },
    uplift: summary(plan.uplift),
    p_uplift: plan.pUplift,
    extrapolation: plan.extrapolation.map((c) => ({
      market: c.market,
      channel: c.channel,
      weekly_spend: cents(c.weeklySpend),
      observed_min: c.observedMin,
      observed_max: c.observedMax,
      response: summary(c.response),
      response_band_width: c.response.q95 - c.response.q05,
    })),
    // No solver seconds: a plan is byte-identical for the same fit and options (the terminal
    // report of `tributary optimize` shows the time).
    solver: {
      best_start: plan.solver.best,
      starts: plan.solver.starts.map((s) => ({
        name: s.name,
        value: s.value,
        iterations: s.iterations,
        evaluations: s.evaluations,
        converged: s.isConverged,
        kkt_residual: s.kktResidual,
        draws: s.numDraws,
      })),
    },
  };
  if (extras.scenarios !== undefined) {
    out.scenarios = extras.scenarios.map((s) =>
      s.plan === undefined
        ? { multiplier: s.multiplier, budget: s.budget, error: s.error }
        : {
            multiplier: s.multiplier,
            budget: s.budget,
            spend: s.plan.spend,
            response: summary(s.plan.response),
            roas: summary(s.plan.roas),
            historical: { response: summary(s.plan.historical.response) },
            p_uplift: s.plan.pUplift,
            num_outside_observed_range: s.plan.extrapolation.length,
          },
    );
  }
  if (extras.target !== undefined) {
    const t = extras.target;
    out.target =
      t.target.kind === 'revenue'
        ? { kind: 'revenue', revenue: t.target.revenue, budget: t.budget, solves: t.numSolves }
        : { kind: 'roas', roas: t.target.roas, min_prob: t.target.probability, budget: t.budget, max_budget: t.maxBudget, solves: t.numSolves };
  }
  return out;
}
