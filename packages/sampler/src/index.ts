// The public surface of @tributary/sampler: named re-exports, listed one by one.

// Sampling
export { sample, getParameterDraws } from './sample.js';
export type {
  LogDensity,
  TargetSpec,
  Target,
  SampleOptions,
  Posterior,
  SampleStats,
  ProgressEvent,
  MetricInit,
  MetricKind,
  SamplingPhase,
} from './types.js';
export { SamplerError, SamplingAbortedError } from './errors.js';
export type { SamplerErrorCode } from './errors.js';

// NUTS kernel (state as data)
export { initState, buildNutsScratch, nutsTransition, initStepSize } from './nuts.js';
export type { NutsState, NutsParams, NutsInfo, NutsScratch } from './nuts.js';
export { leapfrog } from './leapfrog.js';
export { buildDiagMetric, buildDenseMetric, buildUnitMetric } from './metric.js';
export type { Metric } from './metric.js';
export { findInitialPoint, MAX_INIT_TRIES } from './init.js';
export { buildChainRng, buildRng } from './rng.js';
export type { Rng } from './rng.js';

// Warmup adaptation pieces (Stan's constants)
export { initDualAveraging, updateDualAveraging, finalDualAveraging, restartDualAveraging } from './adaptation/dual-averaging.js';
export type { DualAveragingOptions, DualAveragingState } from './adaptation/dual-averaging.js';
export {
  initWelfordVar,
  updateWelfordVar,
  finalWelfordVar,
  initWelfordCovar,
  updateWelfordCovar,
  finalWelfordCovar,
} from './adaptation/welford.js';
export type { WelfordVar, WelfordCovar } from './adaptation/welford.js';
export { windowSchedule } from './adaptation/window-schedule.js';
export type { WindowSchedule, WindowScheduleOptions } from './adaptation/window-schedule.js';

// ---------------------------------------------------------------------------------------------
// Convergence diagnostics (src/diagnostics/, owned by the diagnostics engineer): keep this block
// in step with src/diagnostics/index.ts and update test/exports.test.ts with new names.
// ---------------------------------------------------------------------------------------------
export {
  essBasic,
  essBulk,
  essMean,
  essQuantile,
  essSd,
  essTail,
  mcseMean,
  mcseQuantile,
  mcseSd,
  quantile,
  rhat,
  rhatBasic,
  extractColumn,
  DiagnosticsError,
  autocovariance,
  qnorm,
  DEFAULT_HDI_PROB,
  hdi,
  ebfmi,
  formatSummaryCsv,
  summarize,
  summaryColumnNames,
} from './diagnostics/index.js';
export type {
  SplitOption,
  ParameterDraws,
  DiagnosticsErrorCode,
  Interval,
  SummarizeOptions,
  SummaryRow,
} from './diagnostics/index.js';
