// Public surface of the convergence diagnostics (re-exported name by name from src/index.ts).
// References and deviations are listed at the top of each implementation file; the anchor is R's
// posterior 1.4.0 (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021) and ArviZ for the HDI.

export {
  essBasic,
  essBulk,
  essMean,
  essQuantile,
  essSd,
  essTail,
  mcseMean,
  mcseQuantile,
  mcseSd,
  quantile,
  rhat,
  rhatBasic,
} from './convergence.js';
export type { SplitOption } from './convergence.js';
export { extractColumn } from './draws.js';
export type { ParameterDraws } from './draws.js';
export { DiagnosticsError } from './errors.js';
export type { DiagnosticsErrorCode } from './errors.js';
export { autocovariance } from './fft.js';
export { qnorm } from './special.js';
export { DEFAULT_HDI_PROB, hdi } from './hdi.js';
export type { Interval } from './hdi.js';
export { ebfmi } from './bfmi.js';
export { formatSummaryCsv, summarize, summaryColumnNames } from './summary.js';
export type { SummarizeOptions, SummaryRow } from './summary.js';
