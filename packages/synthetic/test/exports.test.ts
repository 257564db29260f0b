import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

describe('public surface', () => {
  it('exports exactly these names (change on purpose, then update the snapshot)', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "GEO_LIMITS",
        "GROUND_TRUTH_FILE",
        "LIFT_TESTS_FILE",
        "LIFT_TEST_COLUMNS",
        "MULTIPLIER_FILE",
        "SCENARIOS",
        "SCENARIO_CONFIG_ERROR_CODE",
        "ScenarioConfigError",
        "formatCsv",
        "formatGroundTruth",
        "formatLiftTests",
        "generateScenario",
        "geoScenario",
        "isScenarioName",
        "listScenarios",
        "scenarioCsvFileName",
        "scenarioPreset",
        "validateScenarioConfig",
        "writeScenario",
      ]
    `);
  });
});
