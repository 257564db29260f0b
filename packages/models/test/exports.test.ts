// The public surface of @tributary/models, snapshotted (conventions.md: "a test snapshots the export list").
import { expect, expectTypeOf, it } from 'vitest';
import * as mod from '../src/index.js';
import type { Contributions, DrawView, Model } from '../src/index.js';

// The public surface changes only on purpose: update this list together with src/index.ts
// and the README.
it('exports exactly the documented names', () => {
  expect(Object.keys(mod).sort()).toEqual([
    'DEFAULT_PRIORS',
    'MODEL_MODULE_URL',
    'ModelError',
    'PRIOR_KEYS',
    'PriorsError',
    'buildModel',
    'buildModelFromSpec',
    'buildSamplingTargetFromSpec',
    'coordinatePriors',
    'drawCoordinate',
    'loadPriors',
    'logPriorKernel',
    'modelWorkerTarget',
    'parsePriors',
    'priorDraw',
    'resolvePriors',
    'transformSpecs',
  ]);
});

// Types have no runtime names: the draw view (issue 13) is checked at the type level.
it('exports the DrawView type, returned by model.loadDraw', () => {
  expectTypeOf<Model['loadDraw']>().returns.toEqualTypeOf<DrawView>();
  expectTypeOf<DrawView['contributions']>().returns.toEqualTypeOf<Contributions>();
  expectTypeOf<DrawView['weeklyContributions']>().returns.toEqualTypeOf<Float64Array>();
});
