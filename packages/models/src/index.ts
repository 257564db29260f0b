/**
 * Public surface of `@tributary/models` (listed one by one; test/exports.test.ts snapshots the
 * runtime names). The models follow shared/design/model-spec.md §2–§6; README.md documents the
 * parameter layout, the prior keys and the Stan equivalence.
 */
export { ModelError, PriorsError } from './errors.js';
export type { ModelErrorCode } from './errors.js';
export type { Contributions, DrawView } from './derived.js';
export type { ForecastBasis } from './forecast.js';
export { transformSpecs } from './transform-kinds.js';
export type { Layout, ModelKind, TimeVaryingLayout, UnconstrainedOffsets } from './layout.js';
export { buildModel } from './model.js';
export type { Model, SamplingTarget } from './model.js';
export type {
  BuildModelOptions,
  ChannelTransform,
  GradientPath,
  Likelihood,
  LiftTestInput,
  OutputScale,
  TimeVaryingOptions,
} from './options.js';
export type { PanelData } from './panel.js';
export { DEFAULT_PRIORS, PRIOR_KEYS, loadPriors, parsePriors, resolvePriors } from './priors.js';
export type { HalfNormalPrior, NormalPrior, Priors, RoasMoments, RoasPrior } from './priors.js';
export type { Rng } from './random.js';
export { coordinatePriors, drawCoordinate, logPriorKernel, priorDraw, type CoordinatePrior } from './prior-draw.js';
export { MODEL_MODULE_URL, buildModelFromSpec, buildSamplingTargetFromSpec, modelWorkerTarget } from './spec.js';
export type { ModelSpec } from './spec.js';
