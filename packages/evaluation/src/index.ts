/**
 * Public surface of `@tributary/evaluation` (listed one by one; test/exports.test.ts snapshots
 * the runtime names). README.md documents every function, the thresholds and the JSON documents.
 *
 * References: Vehtari, Gelman & Gabry (2017) PSIS-LOO; Vehtari, Simpson, Gelman, Yao & Gabry
 * (2024) Pareto smoothed importance sampling; Yao, Vehtari, Simpson & Gelman (2018) stacking;
 * Vehtari et al. (2021) R-hat and ESS; R's loo 2.5.1 sources (psis.R, gpdfit.R, loo.R,
 * loo_compare.R, loo_model_weights.R, effective_sample_sizes.R).
 */

// Results folders and the fitted model
export { EvaluationError } from './errors.js';
export type { EvaluationErrorCode } from './errors.js';
export { DRAWS_FILE, MANIFEST_FILE, SAMPLE_STATS_FILE, loadResults, manifestSchema, parameterDraws, parseManifest, splitCsvLine } from './results.js';
export type { ResultsFolder, ResultsManifest } from './results.js';
export { forEachDraw, rebuildModel, sha256Hex } from './rebuild.js';
export type { FittedModel, RebuildOptions } from './rebuild.js';

// Diagnostics
export { DEFAULT_DIAGNOSTIC_THRESHOLDS, diagnoseResults, summarizeResults } from './diagnostics.js';
export { summarizeParameters } from './summary.js';
export type { DiagnosticCheck, DiagnosticFailure, DiagnosticStatus, DiagnosticThresholds, DiagnosticsReport } from './diagnostics.js';

// One pass over the draws (one model.loadDraw per draw) feeding the summaries below
export { passOverDraws } from './draw-pass.js';
export type { DrawPass, DrawPassOptions, DrawPassParts } from './draw-pass.js';

// Derived quantities, shrinkage, stability, predictive checks
export { liftTestChecks, pointwiseLogLikelihood, spendTotals, summarizeDerived, summarizeDraws } from './derived.js';
export type { ContributionComponent, ContributionRow, DerivedSummary, IntervalSummary, LiftTestCheck, RoasRow, SummarizeDerivedOptions } from './derived.js';
export { DISPLACEMENT_MIN_GAP, computeShrinkage, roasStability, shrinkageByMarket, shrinkageDisplacement } from './shrinkage.js';
export type { DisplacementRow, ShrinkageRow, StabilityRow } from './shrinkage.js';
export { PPC_P_HIGH, PPC_P_LOW, posteriorPredictiveChecks } from './ppc.js';
export type { PpcMarket, PpcOptions } from './ppc.js';

// PSIS-LOO and model comparison (R's loo 2.5.1)
export { PSIS_MIN_TAIL_LENGTH, gpdFit, paretoKThreshold, psis, psisTailLength, psisWithTail, relativeEff } from './psis.js';
export type { GpdFit, PsisResult } from './psis.js';
export { buildLogLikelihoodMatrix, psisLoo, relativeEffOfLogLik } from './loo.js';
export type { LogLikelihoodMatrix, LooPointwise, LooResult, PsisLooOptions } from './loo.js';
export { looCompare, stackingWeights } from './compare.js';
export type { LooCompareRow } from './compare.js';
export { constrOptim, vmmin } from './optim.js';
export type { ConstrOptimResult, VmminResult } from './optim.js';

// Ground truth and failure modes
export { groundTruthSchema, loadGroundTruth, recoverGroundTruth } from './recovery.js';
export type { GroundTruth, RecoveredParameter, RecoveredRoas, RecoveryReport } from './recovery.js';
export { FAILURE_MODE_THRESHOLDS, failureModes, residualAutocorrelation } from './failure-modes.js';
export type { FailureIndicator, FailureModeInputs, FailureModeKind, ResidualAutocorrelation } from './failure-modes.js';

// Forecast scores and time-slice cross-validation (tributary backtest)
export { crpsFromSamples } from './crps.js';
export {
  BACKTEST_FILE,
  BACKTEST_INTERVAL_PROB,
  BACKTEST_SCORES_FILE,
  backtestFileSchema,
  forecastWeek,
  loadBacktest,
  meanAbsolutePercentError,
  scoreForecasts,
} from './backtest.js';
export type { BacktestFile, ForecastScore, ScoredWeek } from './backtest.js';

// Whole reports
export { evaluateFolder, evaluateResults, evaluateResultsParallel } from './evaluate.js';
export type { EvaluateFolderOptions, EvaluateOptions, EvaluationReport, ParallelOptions } from './evaluate.js';
export { compareEvaluations, compareFolder, findResultsFolders } from './comparison.js';
export type { ComparedModel, ModelComparison } from './comparison.js';
export { comparisonToJson, evaluationToJson, toJsonText } from './json.js';
export { formatComparisonText, formatEvaluationText, formatMoney, formatSignificant, formatTable } from './text.js';
