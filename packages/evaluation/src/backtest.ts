/**
 * Scores of a time-slice cross-validation ("backtest"): a model is refitted on expanding
 * windows of the data and its posterior predictive distribution of the held-out weeks that
 * follow each window is compared with what was observed (`tributary backtest` writes them).
 *
 * References: Hyndman & Athanasopoulos (2021), Forecasting: principles and practice, 3rd ed.,
 * §5.10 (time series cross-validation on a rolling forecasting origin); Gneiting & Raftery
 * (2007) (CRPS, a proper score of the whole predictive distribution); Gneiting, Balabdaoui &
 * Raftery (2007), Probabilistic forecasts, calibration and sharpness, JRSS B 69:243–268
 * (interval coverage as a calibration check).
 *
 * Per held-out week, from the S predictive draws of that week (money scale):
 * - `crps`: the exact CRPS of the draws' empirical distribution (`crpsFromSamples`), money;
 * - `mean`: the posterior predictive mean, the point forecast;
 * - `lower`, `upper`: the central 94% interval (equal-tailed, R's type-7 quantiles 0.03 and 0.97,
 *   as the posterior predictive checks use), and whether the observation lies inside it.
 * A group of weeks (one market in one fold, or one market over all folds) is scored by:
 * - `crps`: mean CRPS over its weeks (money; lower is better);
 * - `mape`: mean absolute percentage error of the point forecast, `100 · mean |y − ŷ| / y`, over
 *   the weeks with y > 0 (NaN when there are none);
 * - `coverage`: share of weeks inside their 94% interval (about 0.94 for a calibrated model);
 * - two naive baselines a marketer would otherwise use, by the same MAPE: the market's last
 *   training week carried forward, and the market's mean over its training weeks.
 *
 * `backtest.json` (written by `tributary backtest`, read by the report) is validated with zod on
 * load, the boundary of conventions.md.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import { crpsFromSamples } from './crps.js';
import { EvaluationError, invalidArgument } from './errors.js';
import { quantileSorted } from './numerics.js';

export const BACKTEST_FILE = 'backtest.json';
export const BACKTEST_SCORES_FILE = 'scores.csv';
/** Probability of the central predictive interval whose coverage is reported. */
export const BACKTEST_INTERVAL_PROB = 0.94;

/** One held-out week: the observation, the forecast and the naive baselines. */
export interface ScoredWeek {
  readonly y: number;
  /** Posterior predictive mean (the point forecast). */
  readonly mean: number;
  /** Central 94% predictive interval. */
  readonly lower: number;
  readonly upper: number;
  readonly crps: number;
  /** Naive forecasts: the last training week of the market, and its training mean. */
  readonly naiveLast: number;
  readonly naiveMean: number;
}

/** Scores of a group of held-out weeks. */
export interface ForecastScore {
  readonly numWeeks: number;
  /** Mean CRPS (units of y). */
  readonly crps: number;
  /** Mean absolute percentage error of the posterior mean, in % (weeks with y > 0). */
  readonly mape: number;
  /** Share of weeks inside their central 94% predictive interval. */
  readonly coverage: number;
  /** MAPE (%) of the last-training-week and training-mean naive forecasts. */
  readonly naiveLastMape: number;
  readonly naiveMeanMape: number;
}

/**
 * Scores one held-out week from its predictive draws (not modified): mean, central interval of
 * probability `prob` (default 0.94), CRPS. Throws for no draws or non-finite values.
 */
export function forecastWeek(
  draws: ArrayLike<number>,
  y: number,
  baselines: { naiveLast: number; naiveMean: number },
  prob: number = BACKTEST_INTERVAL_PROB,
): ScoredWeek {
  if (!(prob > 0 && prob < 1)) invalidArgument(`forecastWeek: prob must be in (0, 1), got ${prob}.`);
  const crps = crpsFromSamples(draws, y); // also checks the draws and y
  const sorted = Float64Array.from(draws).sort();
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i]!;
  const tail = (1 - prob) / 2;
  return {
    y,
    mean: sum / sorted.length,
    lower: quantileSorted(sorted, tail),
    upper: quantileSorted(sorted, 1 - tail),
    crps,
    naiveLast: baselines.naiveLast,
    naiveMean: baselines.naiveMean,
  };
}

/** MAPE in % of point forecasts over the weeks with y > 0; NaN when there are none. */
export function meanAbsolutePercentError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  if (actual.length !== predicted.length) invalidArgument(`meanAbsolutePercentError: ${actual.length} observations but ${predicted.length} forecasts.`);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i]!;
    if (!(y > 0)) continue;
    sum += Math.abs(y - predicted[i]!) / y;
    n++;
  }
  return n === 0 ? NaN : (100 * sum) / n;
}

/** Scores of a group of weeks (NaN scores for an empty group). */
export function scoreForecasts(weeks: readonly ScoredWeek[]): ForecastScore {
  const n = weeks.length;
  const y = weeks.map((w) => w.y);
  let crps = 0;
  let inside = 0;
  for (const w of weeks) {
    crps += w.crps;
    if (w.lower <= w.y && w.y <= w.upper) inside++;
  }
  return {
    numWeeks: n,
    crps: n === 0 ? NaN : crps / n,
    mape: meanAbsolutePercentError(y, weeks.map((w) => w.mean)),
    coverage: n === 0 ? NaN : inside / n,
    naiveLastMape: meanAbsolutePercentError(y, weeks.map((w) => w.naiveLast)),
    naiveMeanMape: meanAbsolutePercentError(y, weeks.map((w) => w.naiveMean)),
  };
}

// ---- backtest.json ----

const num = z.number().nullable(); // NaN / ±Infinity are written as null

const scoreFields = {
  market: z.string().min(1),
  weeks: z.number().int().nonnegative(),
  crps: num,
  mape: num,
  coverage_94: num,
  naive_last_mape: num,
  naive_mean_mape: num,
};

/** The fields of backtest.json that readers rely on; other fields are kept as they are. */
export const backtestFileSchema = z.looseObject({
  tributary_backtest_version: z.literal(1, { error: 'must be 1 (this reader knows version 1 of backtest.json)' }),
  model: z.enum(['pooled', 'unpooled', 'hierarchical']),
  data: z.looseObject({ path: z.string().min(1), sha256: z.string(), target: z.string().min(1) }),
  markets: z.array(z.string().min(1)).min(1),
  settings: z.looseObject({
    folds: z.number().int().positive(),
    horizon: z.number().int().positive(),
    min_train: z.number().int().positive(),
    chains: z.number().int().positive(),
    warmup: z.number().int().nonnegative(),
    draws: z.number().int().positive(),
    seed: z.number(),
    interval_prob: z.number(),
  }),
  folds: z
    .array(
      z.looseObject({
        fold: z.number().int().positive(),
        cutoff: z.string(),
        test_last_date: z.string(),
        train_markets: z.array(z.string()),
        not_scored: z.array(z.looseObject({ market: z.string(), reason: z.string() })),
      }),
    )
    .min(1),
  scores: z.array(z.looseObject({ ...scoreFields, fold: z.number().int().positive(), cutoff: z.string() })),
  overall: z.array(z.looseObject({ ...scoreFields, folds: z.number().int().nonnegative() })),
  predictions: z.array(
    z.looseObject({ market: z.string(), fold: z.number().int().positive(), date: z.string(), observed: z.number(), mean: num, lower: num, upper: num, crps: num }),
  ),
  context: z.array(z.looseObject({ market: z.string(), date: z.string(), observed: z.number() })).optional(),
});

export type BacktestFile = z.infer<typeof backtestFileSchema>;

/** Reads and validates `DIR/backtest.json` (or the file itself when `path` ends in .json). */
export async function loadBacktest(path: string): Promise<BacktestFile & { file: string }> {
  const abs = resolve(path);
  const file = abs.endsWith('.json') ? abs : join(abs, BACKTEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new EvaluationError(
      'RESULTS_NOT_FOUND',
      `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)}); write it with tributary backtest DATA --out ${path}.`,
      { file, cause: e },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new EvaluationError('RESULTS_INVALID', `${file} is not valid JSON (${(e as Error).message}).`, { file, cause: e });
  }
  const parsed = backtestFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new EvaluationError('RESULTS_INVALID', `${file}: field "${issue.path.join('.') || '(root)'}" ${issue.message}; is this the backtest.json of tributary backtest?`, { file });
  }
  return { ...parsed.data, file };
}
