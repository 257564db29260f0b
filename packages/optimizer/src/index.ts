/**
 * Public surface of `@tributary/optimizer` (listed one by one; test/exports.test.ts snapshots
 * the runtime names). README.md defines the response of a plan, the utilities, the solver and
 * the plan.json format.
 */
export { parseBounds, resolveBounds } from './bounds.js';
export type { BoundSpec, BoundsOptions, FixedSpec, ResolvedBounds } from './bounds.js';
export { buildResponseCurves } from './curves.js';
export type { CurveSpec, ResponseCurves } from './curves.js';
export { OptimizerError } from './errors.js';
export type { OptimizerErrorCode } from './errors.js';
export { budgetScenarios, evaluatePlan, findTargetSpend, optimizeBudget, roundToCents } from './optimize.js';
export type {
  HistoricalBasis,
  OptimizeOptions,
  Plan,
  PlanCell,
  PlanEvaluation,
  PlanningOptions,
  PlanStart,
  Scenario,
  ScenarioOptions,
  SpendTarget,
  StartReport,
  TargetOptions,
  TargetResult,
} from './optimize.js';
export { PLAN_JSON_VERSION, planToJson } from './plan-json.js';
export type { PlanJsonExtras } from './plan-json.js';
export { projectCappedSimplex } from './projection.js';
export type { ProjectionOptions } from './projection.js';
export { buildResponseModel } from './response.js';
export type { BuildResponseModelOptions, ResponseModel } from './response.js';
export { maximizeCappedSimplex } from './solver.js';
export type { CappedSimplexProblem, SolveOptions, SolveResult } from './solver.js';
export { summarizeInterval } from './summary.js';
export type { Summary } from './summary.js';
export { buildUtility, formatUtilitySpec, parseUtilitySpec } from './utilities.js';
export type { Utility, UtilityOptions, UtilitySpec, UtilityValue } from './utilities.js';
