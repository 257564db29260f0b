// ReportInput: everything the report shows, as plain numbers and strings (no draws of the
// whole posterior, no classes), so that rendering is a pure function and a test can build an
// input by hand. `buildReportInput` (build.ts) computes it from results folders. Large panels add
// `marketGroups` and each model's `rest` (issue 17); small panels leave them out.

/** How much data a market has: sparse (< 40 observed weeks), medium (40–77) or rich (≥ 78). */
export type Tier = 'sparse' | 'medium' | 'rich';

/** A posterior summary: mean and the 94% highest density interval. */
export interface Estimate {
  mean: number;
  lower: number;
  upper: number;
}

export type Status = 'good' | 'warning' | 'bad';

export interface ReportInput {
  /** Page title, e.g. "VOLTA — marketing mix report". */
  title: string;
  /** One line under the title (data set, markets, weeks). */
  subtitle?: string;
  /** Scenario name when the data came from `tributary generate` (from ground_truth.json). */
  scenario?: string;
  target: string;
  markets: string[];
  channels: string[];
  /** Observed weeks per market (for sorting and tiers), in `markets` order. */
  marketWeeks: number[];
  marketTiers: Tier[];
  /**
   * Large panels only (more than 24 markets, build/markets.ts): the markets shown by name in
   * the per-market charts (the most observed revenue first) and the rest, drawn as one group.
   * Absent for small panels, which show every market in every chart.
   */
  marketGroups?: MarketGroups;
  /** Where the inputs came from (shown in the footer). */
  sources: { label: string; path: string }[];
  /** Things the reader should know about the report itself (missing files, skipped parts). */
  notes: string[];
  data?: DataInput;
  transforms: TransformInput[];
  /** Fitted models, in the order pooled, unpooled, hierarchical (those present). */
  models: ModelInput[];
  comparison?: ComparisonInput;
  truth?: TruthInput;
  /** Failure indicators of the main results. */
  failure?: FailureInput;
  /** Failure indicators of a second results folder (`--divergent`), shown side by side. */
  divergent?: FailureInput;
  plan?: PlanInput;
  /** Time-slice cross-validation of `tributary backtest` (`--backtest DIR`); the section appears only with it. */
  backtest?: BacktestInput;
  /** Lift tests and time-varying effects; the section appears only when a model has either. */
  calibration?: CalibrationInput;
  /** Simulation-based calibration of `tributary sbc` (`--sbc FILE`); the section appears only with it. */
  sbc?: SbcInput;
}

/** One parameter of an SBC run: its ranks over the replicates and interval coverage. */
export interface SbcParameterInput {
  name: string;
  /** Rank of the true value among the fit's thinned draws, per replicate (0 … drawsPerFit). */
  ranks: number[];
  pUniform: number;
  coverage50: number;
  coverage90: number;
  /** Whether the name carries a market (per-market parameter) rather than being shared. */
  isPerMarket: boolean;
}

/** sbc.json of `tributary sbc`, as the report shows it. */
export interface SbcInput {
  model: string;
  replicates: number;
  drawsPerFit: number;
  /** Level of every band and verdict (0.99). */
  level: number;
  /** How the run was made (markets, weeks, channels, chains, …) as label: value. */
  settings: { label: string; value: string }[];
  parameters: SbcParameterInput[];
  /** Simultaneous band of ECDF − z at the evaluation points z (Säilynoja et al. 2022). */
  ecdfBand: { z: number[]; lower: number[]; upper: number[] };
  /** Rank histogram bins (rank edges) and the pointwise binomial interval of each bin's count. */
  histogramBand: { edges: number[]; lower: number[]; upper: number[] };
  /** Binomial intervals of the 50% and 90% coverage (as shares). */
  coverageBand: { coverage50: [number, number]; coverage90: [number, number] };
  failedReplicates: string[];
  /** Over the fitted replicates: divergent transitions, replicates with any, worst R-hat, smallest bulk ESS. */
  fits: { divergences: number; withDivergences: number; maxRhat: number; minEssBulk: number };
}

export interface MarketData {
  market: string;
  tier: Tier;
  firstDate: string;
  lastDate: string;
  /** Weeks from the first to the last date, inclusive. */
  numWeeks: number;
  numObserved: number;
  numGaps: number;
  /** Weekly target values (observed weeks). */
  target: number[];
  targetMean: number;
  /** Total spend per channel over the observed weeks (channels order). */
  totalSpend: number[];
}

export interface SpendSeries {
  market: string;
  tier: Tier;
  /** ISO dates of the market's full weekly grid. */
  dates: string[];
  /** spend[c][t]; null in gap weeks. */
  spend: (number | null)[][];
}

export interface DataInput {
  numRows: number;
  firstDate: string;
  lastDate: string;
  markets: MarketData[];
  /** Spend over time for a rich and a sparse market. */
  spendSeries: SpendSeries[];
  gaps: { market: string; dates: string[] }[];
  warnings: string[];
}

export interface TransformInput {
  channel: string;
  /** Adstock kind: geometric, delayed, weibull_cdf or weibull_pdf. */
  adstock: string;
  /** Decay α (geometric and delayed; NaN for Weibull). */
  alpha: number;
  theta: number;
  /** Hill K and S (NaN for other saturation kinds). */
  K: number;
  S: number;
  lMax: number;
  /** Saturation kind and its parameters as text, e.g. "logistic (λ 2.60)". */
  saturationKind?: string;
  saturationText?: string;
  isLearned: boolean;
  /** Normalized adstock weights by lag (0..lMax−1); bands when learned. */
  weights: number[];
  weightsLower?: number[];
  weightsUpper?: number[];
  /** Saturation curve on x = spend / max weekly spend in [0, 1.5]. */
  saturation: { x: number[]; y: number[]; lower?: number[]; upper?: number[] };
}

export interface ParameterRow {
  name: string;
  mean: number;
  sd: number;
  lower: number;
  upper: number;
  essBulk: number;
  essTail: number;
  rhat: number;
}

export interface FitSeries {
  market: string;
  dates: string[];
  observed: number[];
  /** Posterior predictive mean and 94% interval per observed week. */
  mean: number[];
  lower: number[];
  upper: number[];
}

export interface ContributionSeries {
  market: string;
  dates: string[];
  /** Baseline (intercept + trend + seasonality + controls) per observed week (posterior mean). */
  base: number[];
  /** channels[c][t]: posterior-mean media contribution per observed week. */
  channels: number[][];
}

export interface ModelInput {
  kind: string;
  status: Status;
  /** Plain-words reasons behind the status. */
  statusReasons: string[];
  numChains: number;
  numDraws: number;
  wallSeconds?: number;
  divergences: number;
  divergentPercent: number;
  maxRhat: number;
  minEssBulk: number;
  minEssTail: number;
  treedepthHits: number;
  /** Summary of the global (population-level) parameters. */
  globalParameters: ParameterRow[];
  /** Draws per chain of a few global parameters, for rank plots. */
  rankDraws: { name: string; chains: number[][] }[];
  /** roas[g][c]; null where the market never spent on the channel. */
  roas: (Estimate | null)[][];
  marginalRoas: (Estimate | null)[][];
  /** ROAS of each channel over all markets together (Σ contribution / Σ spend). */
  roasTotal: (Estimate | null)[];
  marginalRoasTotal: (Estimate | null)[];
  /** Posterior-mean media revenue per market and channel (money, over the observed weeks). */
  contribution: number[][];
  /** Cross-market sd of the posterior-mean ROAS per channel. */
  stability: number[];
  /** The population effect per channel: beta_mu[c] (hierarchical), beta[c] (pooled); mean and sd. */
  betaMu?: { mean: number; sd: number }[];
  /** beta[g][c] posterior mean and sd. */
  beta?: { mean: number; sd: number; lower: number; upper: number }[][];
  betaSigma?: Estimate[];
  /** shrinkage[g][c] = min(1, posterior sd of beta_z[g,c]) (hierarchical only). */
  shrinkage?: number[][];
  /** Displacement towards the population mean relative to the unpooled fit (hierarchical). */
  displacement?: (number | null)[][];
  /** Posterior predictive check per market. */
  fit?: FitSeries[];
  /** Share of observed weeks inside the 94% predictive interval, per market. */
  ppcCoverage?: number[];
  contributionsOverTime?: ContributionSeries[];
  /**
   * With `marketGroups`: the rest markets as one group. `fit` and `contributionsOverTime` then
   * hold the top markets only.
   */
  rest?: RestOfMarkets;
}

/** Indices into `ReportInput.markets`. */
export interface MarketGroups {
  /** Shown by name, most observed revenue first. */
  top: number[];
  /** Shown as one group, in data order. */
  rest: number[];
  /** "other 188 markets". */
  label: string;
}

/** The rest markets of `MarketGroups` together, per model. */
export interface RestOfMarkets {
  /** ROAS per channel of the group: Σ contribution / Σ spend over its markets, per draw. */
  roas: (Estimate | null)[];
  /** Spend-weighted marginal ROAS per channel of the group, per draw. */
  marginalRoas: (Estimate | null)[];
  /** Weekly revenue summed over the group's markets observed that week: observed, predictive mean and 94% band of the sum. */
  fit?: FitSeries;
  /** Share of the group's weeks (sums) inside that band. */
  fitCoverage?: number;
  /** The group's summed weekly contributions (posterior mean). */
  contributions?: ContributionSeries;
}

export interface ComparisonRow {
  model: string;
  elpd: number;
  se: number;
  pLoo: number;
  elpdDiff: number;
  seDiff: number;
  weight: number;
  /** Observations with Pareto k > 0.7. */
  numHighK: number;
}

export interface ComparisonInput {
  /** Best model first. */
  rows: ComparisonRow[];
}

export interface CoverageRow {
  model: string;
  quantity: string;
  covered: number;
  total: number;
}

export interface TruthInput {
  betaMu: number[];
  betaSigma: number[];
  /** beta[g][c] and roas[g][c] in the report's market and channel order. */
  beta: number[][];
  roas: number[][];
  coverage: CoverageRow[];
}

export interface FailureIndicator {
  id: string;
  /** Short name, e.g. "Divergent transitions". */
  name: string;
  /** The measured value in words, e.g. "12 of 400 draws". */
  value: string;
  status: Status;
  /** What it means, in plain words. */
  explanation: string;
}

export interface FailureInput {
  /** "VOLTA", "divergent scenario", … */
  label: string;
  verdict: string;
  status: Status;
  indicators: FailureIndicator[];
  /** For the side-by-side ROAS picture: hierarchical vs unpooled ROAS of one channel. */
  example?: {
    channel: string;
    rows: { market: string; tier: Tier; unpooled: Estimate | null; hierarchical: Estimate | null; truth?: number }[];
  };
}

export interface PlanAllocation {
  market: string;
  channel: string;
  weeklySpend: number;
  totalSpend: number;
  historicalWeeklySpend?: number;
  isOutsideObservedRange: boolean;
}

export interface PlanInput {
  budget: number;
  weeks: number;
  utility: string;
  allocation: PlanAllocation[];
  response: { mean: number; q05: number; q95: number };
  roas?: { mean: number; q05: number; q95: number };
  historical?: { budget?: number; response: { mean: number; q05: number; q95: number } };
  /** Probability that the plan brings more revenue than the historical allocation. */
  pUplift?: number;
  scenarios: { budget: number; response: { mean: number; q05: number; q95: number } }[];
  /** Draws of the response (plan and historical) when the plan file holds them. */
  responseDraws?: { plan: number[]; historical?: number[] };
  /** The results folder the plan was made from (plan.json's `results`), when it records it. */
  source?: { dir: string; model?: string; verdict?: PlanVerdict };
}

/** The diagnostics of the fit a plan was made from, as plan.json records them (`results.verdict`). */
export interface PlanVerdict {
  /** 'good', 'warning' or 'bad' (the manifest's diagnostics status, as `tributary optimize` writes it): a plan from a warning or bad fit should not be acted on. */
  status: Status;
  /** NaN when not recorded. */
  divergences: number;
  maxRhat: number;
  minEssBulk: number;
}

/** Forecast scores of a group of held-out weeks (one market in one fold, or over all folds). */
export interface BacktestScore {
  market: string;
  /** Fold number, or null for the market over all folds. */
  fold: number | null;
  weeks: number;
  /** Mean CRPS over the weeks, money (NaN when not computable). */
  crps: number;
  /** MAPE of the posterior predictive mean, in %. */
  mape: number;
  /** Share of weeks inside the central 94% predictive interval. */
  coverage: number;
  /** MAPE (%) of the naive forecasts: the last training week, the training mean. */
  naiveLastMape: number;
  naiveMeanMape: number;
}

export interface BacktestFold {
  fold: number;
  /** First held-out week (ISO date); the model was trained on the weeks before it. */
  cutoff: string;
  testLastDate: string;
  /** Markets trained on but not scored in this fold, or not trained on, with the reason. */
  notScored: { market: string; reason: string }[];
  divergences?: number;
  maxRhat?: number;
}

/** One market's observed weeks around and in the held-out windows, with the forecasts. */
export interface BacktestSeries {
  market: string;
  dates: string[];
  observed: number[];
  /** Posterior predictive mean and central 94% band; null outside the held-out weeks. */
  mean: (number | null)[];
  lower: (number | null)[];
  upper: (number | null)[];
}

export interface BacktestInput {
  /** The model kind that was backtested. */
  model: string;
  /** Options of that model beyond the defaults, e.g. "time-varying meta_spend, lift tests" ('' for none). */
  variant?: string;
  horizon: number;
  /** e.g. "4 chains × 500 draws after 500 warmup, seed 42". */
  settings: string;
  folds: BacktestFold[];
  /** Per market and fold, in market then fold order. */
  scores: BacktestScore[];
  /** Per market over all folds. */
  overall: BacktestScore[];
  series: BacktestSeries[];
}

/** One lift test (experiment) of the calibrated model, against what the model implies for it. */
export interface LiftTestResult {
  market: string;
  channel: string;
  /** First and last test week (ISO dates, inclusive). */
  start: string;
  end: string;
  /** Test weeks (end − start + 1). */
  weeks: number;
  /** Extra spend per week during the test (money; negative for a go-dark test). */
  deltaSpend: number;
  /** Measured incremental revenue over the window and its carry-over, and its standard error. */
  lift: number;
  liftSe: number;
  /** Model-implied lift (money): posterior mean and 94% HDI, and the posterior sd. */
  implied: Estimate;
  impliedSd: number;
  /** (implied mean − lift) / √(lift_se² + implied sd²): how far the model is from the experiment. */
  z: number;
  /** The same for the model fitted without the lift tests (`--uncalibrated DIR`). */
  uncalibrated?: { implied: Estimate; impliedSd: number; z: number };
  /** True lift, when the ground truth has it (synthetic data). */
  truth?: number;
}

/** ROAS of one tested channel per market, without and with the lift tests. */
export interface RoasShiftChannel {
  channel: string;
  /** In the report's market order; null where the market never spent on the channel. */
  without: (Estimate | null)[];
  with: (Estimate | null)[];
  /** True ROAS per market (ground truth), NaN where unknown. */
  truth?: number[];
  /** Markets with at least one lift test of this channel. */
  testedMarkets: string[];
}

/** A time-varying channel's effect multiplier m(t) at the knots of its random walk. */
export interface TimeVaryingSeries {
  /** Results folder name (e.g. `hierarchical` or `hierarchical-tv`). */
  model: string;
  channel: string;
  knotEvery: number;
  /** ISO date of each knot (knot k at week (k−1)·knotEvery from the data's first date). */
  dates: string[];
  /** Posterior mean and 94% HDI of tv_multiplier[channel, k] per knot. */
  multiplier: Estimate[];
  /** Step sd of the walk (tv_sigma). */
  sigma?: Estimate;
  /** Multiplier at the last observed week (what `optimize` uses). */
  latest?: Estimate;
  lastDate: string;
  /**
   * True multiplier per week (ground truth), rescaled to the model's normalization (geometric
   * mean 1 over the knot weeks), with its dates.
   */
  truth?: { dates: string[]; multiplier: number[] };
}

export interface CalibrationInput {
  /** Results folder whose lift tests are shown (e.g. `hierarchical`); undefined without lift tests. */
  model?: string;
  /** Model kind of that folder (pooled, unpooled, hierarchical). */
  kind?: string;
  liftTests: LiftTestResult[];
  /** Folder of the fit without the lift tests (`--uncalibrated DIR`), when given. */
  uncalibratedModel?: string;
  /** ROAS without vs with the lift tests, per tested channel (with `--uncalibrated`). */
  roasShift?: RoasShiftChannel[];
  timeVarying: TimeVaryingSeries[];
}
