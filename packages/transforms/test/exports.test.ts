import { expect, it } from 'vitest';
import * as mod from '../src/index.js';

// The public surface changes only on purpose: update this list together with src/index.ts
// and the README.
it('exports exactly the documented names', () => {
  expect(Object.keys(mod).sort()).toEqual([
    'CHANNEL_DEFAULTS',
    'DEFAULT_L_MAX',
    'FALLBACK_CHANNEL_DEFAULTS',
    'TRANSFORM_PARAMETER_ERROR_CODE',
    'TransformParameterError',
    'adstockWeights',
    'adstockWeightsWithGradient',
    'applyAdstock',
    'applyAdstockWithGradient',
    'buildAdstockSpec',
    'channelDefaults',
    'convolveAdstock',
    'delayedAdstock',
    'delayedAdstockWithGradient',
    'geometricAdstock',
    'geometricAdstockWithGradient',
    'hill',
    'hillInverseScalar',
    'hillScalar',
    'hillWithGradient',
    'logisticSaturation',
    'logisticSaturationScalar',
    'logisticSaturationWithGradient',
    'michaelisMenten',
    'michaelisMentenScalar',
    'michaelisMentenWithGradient',
    'numAdstockParameters',
    'tanhSaturation',
    'tanhSaturationScalar',
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
