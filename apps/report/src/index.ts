// Public surface of @tributary/report: build the report's input from results folders, render it
// to one self-contained HTML page. The chart primitives are exported for reuse and tests.
export { buildReportInput } from './build.js';
export type { BuildReportOptions } from './build.js';
export { renderReport, REPORT_SECTIONS } from './render.js';
export { isTributaryReport, REPORT_MARKER } from './marker.js';
export { SPARSE_BELOW_WEEKS, RICH_FROM_WEEKS, tierOf } from './build/data.js';
export type {
  BacktestFold,
  BacktestInput,
  BacktestScore,
  BacktestSeries,
  CalibrationInput,
  ComparisonInput,
  ComparisonRow,
  ContributionSeries,
  CoverageRow,
  DataInput,
  Estimate,
  FailureIndicator,
  FailureInput,
  FitSeries,
  LiftTestResult,
  MarketData,
  ModelInput,
  ParameterRow,
  PlanAllocation,
  PlanInput,
  PlanVerdict,
  ReportInput,
  RoasShiftChannel,
  SbcInput,
  SbcParameterInput,
  SpendSeries,
  Status,
  Tier,
  TimeVaryingSeries,
  TransformInput,
  TruthInput,
} from './types.js';
export {
  barChart,
  distributionChart,
  escapeHtml,
  escapeXml,
  forestPlot,
  formatEuro,
  groupedBarChart,
  heatmap,
  histogram,
  lineChart,
  linearScale,
  niceTicks,
  rankPlot,
  scatterChart,
  stackedAreaChart,
} from './charts/index.js';
