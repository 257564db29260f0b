// The public surface of @tributary/data. Named re-exports only; test/exports.test.ts snapshots this list.
export { TributaryError, DataValidationError } from './errors.js';
export type { DataProblem } from './errors.js';
export { addWeeks, weeksBetween, isIsoDate } from './dates.js';
export { parseMarketingCsv, readMarketingCsv, MIN_ROWS_PER_MARKET } from './csv.js';
export type { DataOptions, MarketingRow, MarketingData } from './csv.js';
export { DEFAULT_TARGET } from './schema.js';
export { buildPanel, NUM_FOURIER_FEATURES } from './panel.js';
export type { BuildPanelOptions, Panel } from './panel.js';
export { fourierFeatures, SEASONALITY_PERIOD_WEEKS, FOURIER_ORDER } from './features.js';
export { summarizeDataset, formatSummary } from './summary.js';
export type { DatasetSummary, MarketSummary, GapSummary, ChannelSpendSummary, TargetStats } from './summary.js';
export { parseLiftTests, readLiftTests, LIFT_TEST_COLUMNS } from './lift.js';
export type { LiftTest, LiftTestData, LiftTestPanel, LiftTestOptions } from './lift.js';
