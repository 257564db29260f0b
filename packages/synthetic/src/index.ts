// Public surface of @tributary/synthetic. Every export is listed by name; the export list is
// snapshotted in test/exports.test.ts, so changing it is a deliberate act.

export type {
  ChannelConfig,
  ConfounderConfig,
  DriftConfig,
  LiftTestConfig,
  MarketConfig,
  ScenarioConfig,
  TransformSettings,
} from './config.js';
export { validateScenarioConfig } from './config.js';

export type { ConfounderTruth, DriftTruth, GeneratedScenario, GroundTruth, MarketTruth, SyntheticRow } from './generate.js';
export { formatCsv, formatGroundTruth, generateScenario } from './generate.js';

export type { GeoOptions } from './geo.js';
export { GEO_LIMITS, geoScenario } from './geo.js';

export type { ScenarioName } from './presets.js';
export { isScenarioName, listScenarios, scenarioPreset, SCENARIOS } from './presets.js';

export type { LiftTestRow, LiftTestTruth } from './lift.js';
export { formatLiftTests, LIFT_TEST_COLUMNS, LIFT_TESTS_FILE } from './lift.js';

export type { WrittenScenario } from './write.js';
export { GROUND_TRUTH_FILE, MULTIPLIER_FILE, scenarioCsvFileName, writeScenario } from './write.js';

export { SCENARIO_CONFIG_ERROR_CODE, ScenarioConfigError } from './errors.js';
