// Public surface of @tributary/transforms. Every export is listed by name; the export list is
// snapshotted in test/exports.test.ts, so changing it is a deliberate act.

export type { AdstockKind, AdstockSpec } from './adstock.js';
export {
  adstockWeights,
  adstockWeightsWithGradient,
  applyAdstock,
  applyAdstockWithGradient,
  convolveAdstock,
  delayedAdstock,
  delayedAdstockWithGradient,
  geometricAdstock,
  geometricAdstockWithGradient,
  numAdstockParameters,
  weibullCdfAdstock,
  weibullCdfAdstockWithGradient,
  weibullPdfAdstock,
  weibullPdfAdstockWithGradient,
} from './adstock.js';

export {
  hill,
  hillInverseScalar,
  hillScalar,
  hillWithGradient,
  logisticSaturation,
  logisticSaturationScalar,
  logisticSaturationWithGradient,
  michaelisMenten,
  michaelisMentenScalar,
  michaelisMentenWithGradient,
  tanhSaturation,
  tanhSaturationScalar,
  tanhSaturationWithGradient,
} from './saturation.js';

export type {
  LogNormalPrior,
  SaturationDefaults,
  SaturationKind,
  SaturationParameters,
  SaturationSpec,
} from './saturation-spec.js';
export {
  buildSaturationSpec,
  numSaturationParameters,
  SATURATION_DEFAULTS,
  SATURATION_PARAMETER_NAMES,
} from './saturation-spec.js';

export {
  HILL_SMALL_A,
  hillScalarWithGradient,
  hillSmoothScalar,
  logisticSaturationScalarWithGradient,
  michaelisMentenScalarWithGradient,
  saturationScalarWithGradient,
  saturationSmoothScalar,
  tanhSaturationScalarWithGradient,
} from './saturation-kernels.js';

export type { ChannelTransformDefaults } from './defaults.js';
export {
  buildAdstockSpec,
  CHANNEL_DEFAULTS,
  channelDefaults,
  DEFAULT_L_MAX,
  FALLBACK_CHANNEL_DEFAULTS,
} from './defaults.js';

export { TRANSFORM_PARAMETER_ERROR_CODE, TransformParameterError } from './errors.js';
