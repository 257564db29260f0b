import { expect, it } from 'vitest';
import * as mod from '../src/index.js';

// The public surface changes only on purpose: update this list together with src/index.ts
// and the README.
it('exports exactly the documented names', () => {
  expect(Object.keys(mod).sort()).toEqual([
    'CHANNEL_DEFAULTS',
    'DEFAULT_L_MAX',
    'FALLBACK_CHANNEL_DEFAULTS',
    'HILL_SMALL_A',
    'SATURATION_DEFAULTS',
    'SATURATION_PARAMETER_NAMES',
    'TRANSFORM_PARAMETER_ERROR_CODE',
    'TransformParameterError',
    'adstockWeights',
    'adstockWeightsWithGradient',
    'applyAdstock',
    'applyAdstockWithGradient',
    'buildAdstockSpec',
    'buildSaturationSpec',
    'channelDefaults',
    'convolveAdstock',
    'delayedAdstock',
    'delayedAdstockWithGradient',
    'geometricAdstock',
    'geometricAdstockWithGradient',
    'hill',
    'hillInverseScalar',
    'hillScalar',
    'hillScalarWithGradient',
    'hillSmoothScalar',
    'hillWithGradient',
    'logisticSaturation',
    'logisticSaturationScalar',
    'logisticSaturationScalarWithGradient',
    'logisticSaturationWithGradient',
    'michaelisMenten',
    'michaelisMentenScalar',
    'michaelisMentenScalarWithGradient',
    'michaelisMentenWithGradient',
    'numAdstockParameters',
    'numSaturationParameters',
    'saturationScalarWithGradient',
    'saturationSmoothScalar',
    'tanhSaturation',
    'tanhSaturationScalar',
    'tanhSaturationScalarWithGradient',
    'tanhSaturationWithGradient',
    'weibullCdfAdstock',
    'weibullCdfAdstockWithGradient',
    'weibullPdfAdstock',
    'weibullPdfAdstockWithGradient',
  ]);
});

it('has no default export', () => {
  expect('default' in mod).toBe(false);
});
