// The public surface of @tributary/optimizer, snapshotted (conventions.md: "a test snapshots the export list").
import { expect, it } from 'vitest';
import * as mod from '../src/index.js';

// The public surface changes only on purpose: update this list together with src/index.ts
// and the README.
it('exports exactly the documented names', () => {
  expect(Object.keys(mod).sort()).toEqual([
    'OptimizerError',
    'PLAN_JSON_VERSION',
    'budgetScenarios',
    'buildResponseCurves',
    'buildResponseModel',
    'buildUtility',
    'evaluatePlan',
    'findTargetSpend',
    'formatUtilitySpec',
    'maximizeCappedSimplex',
    'optimizeBudget',
    'parseBounds',
    'parseUtilitySpec',
    'planToJson',
    'projectCappedSimplex',
    'resolveBounds',
    'roundToCents',
    'summarizeInterval',
  ]);
});
