// `tributary backtest`: time-slice cross-validation. The model is refitted on expanding windows
// of the data and scored on the weeks that follow each window, which it has not seen.
//
// Design
// - Folds. With W weekly time points (t = 0 … W−1 from the file's first date), F folds and a
//   horizon of H weeks, fold k = 1 … F holds out the weeks [c_k, c_k + H) with
//   c_k = W − (F − k + 1)·H: the last fold ends at the last date, the cutoffs are H weeks apart
//   going back from the end, so the held-out windows tile the last F·H weeks. Fold k trains on
//   every row dated before c_k (an expanding window). c_1 must leave at least --min-train weeks
//   of training data, or the options are rejected (exit 2) naming --folds, --horizon and
//   --min-train. A fold trains on the markets with at least 8 rows before its cutoff (the
//   validator's minimum); the others are listed as "not scored in fold k: only n training
//   weeks", as are trained markets without a row in the held-out window.
// - Same inputs for the fitted rows. The training panel is built from the training rows alone
//   (its own scales: the model cannot know the future's). The held-out weeks are predicted on a
//   long panel (the training markets' rows before c_k + H) built with `{ reference: training
//   panel }`, which reuses the training panel's first date, target and spend scales, T_max and
//   control centring, so its training rows are bit-for-bit the fitted ones and the fitted
//   parameters mean the same thing on the new weeks (trend t/T_max and scaled spend may exceed 1
//   there: the model extrapolates as fitted). Carry-over (adstock) runs through the cutoff.
// - Spend in the held-out weeks is the actual spend: the usual MMM backtest, where the media
//   plan is known and the question is how well the model turns it into revenue.
// - Forecast. For every posterior draw, `model.posteriorPredictive` of the long-panel model
//   (money scale, Normal or Student-t noise) with a random stream seeded by (seed, fold). Scores
//   per market and fold and per market over all folds (@tributary/evaluation `scoreForecasts`):
//   mean CRPS (money), MAPE of the posterior mean (%), coverage of the central 94% interval,
//   number of weeks, and the MAPE of two naive forecasts (the last training week, the training
//   mean) for scale.
// - Sampling exactly as `tributary fit` (modelWorkerTarget on worker threads, a progress line per
//   chain, Ctrl-C aborts); fold k samples with --seed itself, so its posterior is the one
//   `tributary fit` gives on the training rows with the same options and seed.
// - Calibration options as in fit. `--lift-tests FILE`: a fold uses the experiments that end
//   before its cutoff (in a trained market); later ones are not known yet. `--time-varying`:
//   the long panel's walk has more knots than the fitted one; the held-out weeks use the
//   multipliers of the fitted knots and, beyond them, the last fitted knot's value (a random
//   walk's forecast is its last value).
// - Output, written atomically once every fold is done: OUT/backtest.json (settings, folds and
//   cutoffs, diagnostics per fold, scores per market × fold and per market, the predictive mean
//   and 94% band of every held-out week, recent observed weeks for context) and OUT/scores.csv,
//   plus a table on the terminal. No timings in the files: the same seed gives identical files.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { addWeeks, buildPanel, MIN_ROWS_PER_MARKET, parseMarketingCsv, readLiftTests, TributaryError, type MarketingData, type Panel } from '@tributary/data';
import {
  BACKTEST_FILE,
  BACKTEST_INTERVAL_PROB,
  BACKTEST_SCORES_FILE,
  forecastWeek,
  formatMoney,
  formatTable,
  scoreForecasts,
  summarizeParameters,
  toJsonText,
  type ForecastScore,
  type ScoredWeek,
} from '@tributary/evaluation';
import { buildModel, loadPriors, modelWorkerTarget, type BuildModelOptions, type Model, type ModelKind } from '@tributary/models';
import { buildRng, sample } from '@tributary/sampler';
import { CliUsageError, choiceOption, intOption, probabilityOption, type CommandSpec } from '../command.js';
import { checkOutputLocation, writeDirAtomic } from '../util/atomic.js';
import { csvField, csvNumber } from '../util/csv.js';
import { ProgressDisplay } from '../util/progress.js';
import { packageVersion } from '../util/versions.js';
import { buildTransformsModel, constrainDraws, liftInput, loadTransformsFile, MODEL_OPTIONS, parseTimeVarying } from './fit.js';
import { dataOptions } from './validate.js';

const KINDS: readonly ModelKind[] = ['pooled', 'unpooled', 'hierarchical'];
/** Observed weeks before the first cutoff kept in backtest.json for the report's charts. */
export const CONTEXT_WEEKS = 13;

export const backtestCommand: CommandSpec = {
  name: 'backtest',
  summary: 'Time-slice cross-validation: refit on expanding windows, score the held-out weeks (CRPS, MAPE, 94% coverage per market).',
  positionals: [{ name: 'FILE', description: 'Long CSV, one row per market-week (validated first).', required: true }],
  options: {
    model: { type: 'string', valueName: 'KIND', description: 'pooled, unpooled or hierarchical.', default: 'hierarchical' },
    folds: { type: 'string', valueName: 'N', description: 'Number of folds (held-out windows, the last one ending at the last date).', default: '3' },
    horizon: { type: 'string', valueName: 'WEEKS', description: 'Weeks held out after each cutoff (cutoffs are this far apart).', default: '8' },
    'min-train': { type: 'string', valueName: 'WEEKS', description: 'Weeks of data the first fold must train on, at least.', default: '26' },
    ...MODEL_OPTIONS,
    'lift-tests': { ...MODEL_OPTIONS['lift-tests'], description: 'Experiments as in fit; a fold uses those that end before its cutoff.' },
    chains: { type: 'string', valueName: 'N', description: 'Number of chains per fold.', default: '4' },
    warmup: { type: 'string', valueName: 'N', description: 'Warmup iterations per chain.', default: '500' },
    draws: { type: 'string', valueName: 'N', description: 'Post-warmup draws per chain.', default: '500' },
    seed: { type: 'string', valueName: 'N', description: 'Random seed; the same seed gives identical output.', default: '42' },
    'target-accept': { type: 'string', valueName: 'P', description: 'Target acceptance of step-size adaptation, in (0, 1).', default: '0.8' },
    parallel: { type: 'string', valueName: 'N', description: 'Worker threads (0 = run chains in this thread; default: one per core).' },
    out: { type: 'string', valueName: 'DIR', description: 'Output folder (backtest.json, scores.csv).', default: 'backtest' },
    quiet: { type: 'boolean', description: 'No progress output.' },
    json: { type: 'boolean', description: 'Print backtest.json instead of the tables.' },
  },
  examples: [
    'tributary backtest data/volta_marketing.csv',
    'tributary backtest data/volta_marketing.csv --model hierarchical --folds 3 --horizon 8 --chains 4 --warmup 500 --draws 500 --out backtest',
    'tributary backtest sales.csv --target revenue --folds 4 --horizon 13 --min-train 52 --json > backtest.json',
  ],
  async run(args, io) {
    const v = args.values;
    const kind = choiceOption(v.model, 'model', KINDS);
    const numFolds = intOption(v.folds, 'folds', 1, 1000);
    const horizon = intOption(v.horizon, 'horizon', 1, 10_000);
    const minTrain = intOption(v['min-train'], 'min-train', MIN_ROWS_PER_MARKET, 100_000);
    const chains = intOption(v.chains, 'chains', 1, 64);
    const warmup = intOption(v.warmup, 'warmup', 0, 1_000_000);
    const draws = intOption(v.draws, 'draws', 1, 1_000_000);
    const seed = intOption(v.seed, 'seed', 0, 2 ** 32 - 1);
    const targetAccept = probabilityOption(v['target-accept'], 'target-accept');
    const likelihood = choiceOption(v.likelihood, 'likelihood', ['normal', 'student-t'] as const);
    const parallel = v.parallel === undefined ? true : intOption(v.parallel, 'parallel', 0, 256) || false;
    const learnTransforms = v['learn-transforms'] === true;
    const isQuiet = v.quiet === true;

    // Validate the whole file first (no sampling on bad data), then plan the folds.
    const file = resolve(io.cwd, args.positionals[0]!);
    const text = await readText(file);
    const opts = dataOptions(v);
    const data = parseMarketingCsv(text, opts);
    const fullPanel = buildPanel(data);
    const numWeeks = fullPanel.numWeeks;
    const plan = planFolds({ numWeeks, firstDate: data.firstDate, folds: numFolds, horizon, minTrain });
    const priorsPath = v.priors === undefined ? undefined : resolve(io.cwd, String(v.priors));
    const priors = priorsPath === undefined ? undefined : loadPriors(priorsPath);
    const liftPath = v['lift-tests'] === undefined ? undefined : resolve(io.cwd, String(v['lift-tests']));
    const lifts = liftPath === undefined ? [] : (await readLiftTests(liftPath, fullPanel)).tests;
    const timeVarying = parseTimeVarying(v['time-varying'], v['knot-every'], fullPanel);
    const transformsPath = v.transforms === undefined ? undefined : resolve(io.cwd, String(v.transforms));
    const transforms = transformsPath === undefined ? undefined : await loadTransformsFile(transformsPath, fullPanel);
    const options: Omit<BuildModelOptions, 'kind'> = {
      learnTransforms,
      likelihood,
      ...(priors ? { priors } : {}),
      ...(timeVarying ? { timeVarying } : {}),
      ...(transforms ? { transforms } : {}),
    };
    // Checked once on the whole panel, against the file (each fold builds its own model).
    if (transformsPath !== undefined) buildTransformsModel(fullPanel, { kind: kind as ModelKind, ...options }, transformsPath);
    const outDir = resolve(io.cwd, String(v.out));
    await checkOutputLocation(outDir, 'backtest', '--out');
    const progress = (t: string) => {
      if (!isQuiet) io.err(t);
    };

    const controller = new AbortController();
    const onSigint = () => {
      io.err(`\nInterrupted: stopping the chains; nothing is written (${outDir} is as it was).\n`);
      controller.abort();
    };
    process.once('SIGINT', onSigint);
    const started = Date.now();
    const folds: FoldResult[] = [];
    try {
      for (const fold of plan) {
        // ---- the training window and the long panel of the same markets ----
        const trainCounts = data.markets.map((m) => data.rows.filter((r) => r.country === m && r.t < fold.cutoffT).length);
        const trainMarkets = data.markets.filter((_, g) => trainCounts[g]! >= MIN_ROWS_PER_MARKET);
        const notScored: { market: string; reason: string }[] = data.markets
          .map((m, g) => ({ market: m, n: trainCounts[g]! }))
          .filter((x) => x.n < MIN_ROWS_PER_MARKET)
          .map((x) => ({ market: x.market, reason: `only ${x.n} training week${x.n === 1 ? '' : 's'}` }));
        if (trainMarkets.length === 0) {
          throw new CliUsageError(
            `fold ${fold.fold} (cutoff ${fold.cutoff}): no market has ${MIN_ROWS_PER_MARKET} weeks of data before the cutoff; use fewer --folds, a shorter --horizon or a larger --min-train`,
          );
        }
        const trainPanel = buildPanel(sliceData(data, trainMarkets, fold.cutoffT));
        const longPanel = buildPanel(sliceData(data, trainMarkets, fold.cutoffT + horizon), { reference: trainPanel });
        const foldLifts = lifts.filter((t) => t.endT < fold.cutoffT && trainMarkets.includes(t.market)).map(liftInput);
        const foldOptions = { ...options, ...(foldLifts.length > 0 ? { liftTests: foldLifts } : {}) };
        const trainModel = buildModel(trainPanel, { kind: kind as ModelKind, ...foldOptions });
        const longModel = buildModel(longPanel, { kind: kind as ModelKind, ...options });
        const toLong = drawMapper(trainModel, longModel, fold.fold);
        progress(
          `\n== fold ${fold.fold}/${plan.length}: train ${trainPanel.firstDate} – ${addWeeks(fold.cutoff, -1)} (${trainMarkets.length} markets, ${trainPanel.numObs} rows), ` +
            `test ${fold.cutoff} – ${fold.testLastDate}\n`,
        );

        // ---- sample, exactly as tributary fit does ----
        const display = isQuiet ? undefined : new ProgressDisplay(io.err, io.isTty, chains, `fold ${fold.fold}`);
        const posterior = await sample(modelWorkerTarget({ panel: trainPanel, kind: kind as ModelKind, options: foldOptions }), {
          chains,
          warmup,
          draws,
          seed,
          targetAccept,
          parallel,
          signal: controller.signal,
          ...(display ? { onProgress: (e) => display.update(e) } : {}),
        });
        display?.finish();
        const constrained = constrainDraws(trainModel, posterior);
        const summary = summarizeParameters(constrained, trainModel.constrainedDim, trainModel.constrainedNames as string[]);
        const finite = (xs: number[]) => xs.filter((x) => Number.isFinite(x));
        const diagnostics = {
          divergences: posterior.sampleStats.divergent.reduce((a, d) => a + d.reduce((s, x) => s + x, 0), 0),
          max_rhat: Math.max(...finite(summary.map((r) => r.rHat))),
          min_ess_bulk: Math.min(...finite(summary.map((r) => r.essBulk))),
        };

        // ---- posterior predictive of the held-out weeks ----
        const heldOut: number[] = [];
        for (let n = 0; n < longPanel.numObs; n++) if (longPanel.obsDates[n]! >= fold.cutoff) heldOut.push(n);
        const S = posterior.numChains * posterior.numDraws;
        const predictive = new Float64Array(heldOut.length * S); // week-major
        const buffer = new Float64Array(longPanel.numObs);
        const rng = buildRng(`${seed}:backtest:${fold.fold}`);
        const uniform = () => rng.uniform();
        const cdim = trainModel.constrainedDim;
        let s = 0;
        for (const chain of constrained) {
          for (let i = 0; i < posterior.numDraws; i++, s++) {
            longModel.posteriorPredictive(toLong(chain.subarray(i * cdim, (i + 1) * cdim)), uniform, buffer);
            heldOut.forEach((n, h) => (predictive[h * S + s] = buffer[n]!));
          }
        }
        const weeks: FoldWeek[] = heldOut.map((n, h) => {
          const g = longPanel.obsMarket[n]!;
          const naive = naiveForecasts(trainPanel, g);
          return {
            market: longPanel.markets[g]!,
            date: longPanel.obsDates[n]!,
            ...forecastWeek(predictive.subarray(h * S, (h + 1) * S), longPanel.y[n]!, naive),
          };
        });
        for (const m of trainMarkets) {
          if (!weeks.some((w) => w.market === m)) notScored.push({ market: m, reason: 'no weeks in the test window' });
        }
        notScored.sort((a, b) => data.markets.indexOf(a.market) - data.markets.indexOf(b.market));
        for (const x of notScored) progress(`   ${x.market}: not scored in fold ${fold.fold}: ${x.reason}\n`);
        progress(`   divergences ${diagnostics.divergences}, max R-hat ${diagnostics.max_rhat.toFixed(3)}, min bulk ESS ${diagnostics.min_ess_bulk.toFixed(0)}\n`);
        folds.push({ plan: fold, trainPanel, trainMarkets, notScored, liftTests: foldLifts.length, weeks, diagnostics });
      }
    } finally {
      process.removeListener('SIGINT', onSigint);
    }

    const doc = backtestDocument({
      kind,
      file,
      sha256: createHash('sha256').update(text).digest('hex'),
      data,
      fullPanel,
      settings: {
        folds: numFolds,
        horizon,
        min_train: minTrain,
        chains,
        warmup,
        draws,
        seed,
        target_accept: targetAccept,
        likelihood,
        learn_transforms: learnTransforms,
        time_varying: timeVarying ? { channels: timeVarying.channels, knot_every: timeVarying.knotEvery } : null,
        lift_tests_file: liftPath ?? null,
        priors_file: priorsPath ?? null,
        transforms_file: transformsPath ?? null,
        interval_prob: BACKTEST_INTERVAL_PROB,
      },
      folds,
    });
    await writeDirAtomic(outDir, 'backtest', async (tmp) => {
      await writeFile(join(tmp, BACKTEST_FILE), toJsonText(doc.json));
      await writeFile(join(tmp, BACKTEST_SCORES_FILE), doc.csv);
    });
    const seconds = (Date.now() - started) / 1000;
    if (v.json) io.out(toJsonText(doc.json));
    else io.out(`${formatBacktestText(doc, kind)}\nWrote ${outDir} (${BACKTEST_FILE}, ${BACKTEST_SCORES_FILE}) in ${seconds.toFixed(1)} s.\n`);
    return 0;
  },
};

// ---- draws of the fitted model → draws of the long-panel model ----

/**
 * Maps a constrained draw of the fitted (training) model onto the long-panel model's names. They
 * are the same parameters except, with time-varying effects, the knots after the training
 * weeks: `tv_multiplier[c,k]` takes the last fitted knot's value (`tv_z` there is 0), so the
 * forecast keeps the drift where the data left it.
 */
function drawMapper(train: Model, long: Model, fold: number): (draw: Float64Array) => Float64Array {
  const from = new Map(train.constrainedNames.map((n, i) => [n, i]));
  const lastKnot = new Map<string, number>();
  for (const [name, i] of from) {
    const m = /^tv_multiplier\[(.+),(\d+)\]$/.exec(name);
    if (m && Number(m[2]) === train.timeVarying?.numKnots) lastKnot.set(m[1]!, i);
  }
  const source = long.constrainedNames.map((name) => {
    const i = from.get(name);
    if (i !== undefined) return i;
    const mult = /^tv_multiplier\[(.+),\d+\]$/.exec(name);
    if (mult && lastKnot.has(mult[1]!)) return lastKnot.get(mult[1]!)!;
    if (/^tv_z\[/.test(name)) return -1;
    throw new TributaryError('BACKTEST_MISMATCH', `fold ${fold}: the long-panel model has a parameter "${name}" the fitted one lacks; this is a bug, please report it.`);
  });
  const out = new Float64Array(long.constrainedDim);
  return (draw) => {
    for (let j = 0; j < source.length; j++) out[j] = source[j]! >= 0 ? draw[source[j]!]! : 0;
    return out;
  };
}

// ---- folds ----

export interface FoldPlan {
  fold: number;
  /** First held-out week (t from the file's first date) and its date. */
  cutoffT: number;
  cutoff: string;
  /** Last held-out week and its date. */
  testLastT: number;
  testLastDate: string;
}

/**
 * Expanding-window folds: fold k holds out [c_k, c_k + horizon) with c_k = numWeeks − (F − k + 1)·horizon.
 * Throws a CliUsageError naming the options when the first fold would train on fewer than
 * `minTrain` weeks.
 */
export function planFolds(o: { numWeeks: number; firstDate: string; folds: number; horizon: number; minTrain: number }): FoldPlan[] {
  const firstCutoff = o.numWeeks - o.folds * o.horizon;
  if (firstCutoff < o.minTrain) {
    const most = Math.max(0, Math.floor((o.numWeeks - o.minTrain) / o.horizon));
    throw new CliUsageError(
      `--folds ${o.folds} × --horizon ${o.horizon} = ${o.folds * o.horizon} held-out weeks leave ${Math.max(0, firstCutoff)} of the data's ${o.numWeeks} weeks ` +
        `to train the first fold on, fewer than --min-train ${o.minTrain}; ` +
        (most >= 1 ? `use at most --folds ${most} with this horizon, a shorter --horizon or a smaller --min-train` : `use a shorter --horizon or a smaller --min-train`),
    );
  }
  return Array.from({ length: o.folds }, (_, i) => {
    const cutoffT = firstCutoff + i * o.horizon;
    const testLastT = cutoffT + o.horizon - 1;
    return { fold: i + 1, cutoffT, cutoff: addWeeks(o.firstDate, cutoffT), testLastT, testLastDate: addWeeks(o.firstDate, testLastT) };
  });
}

/** The rows of `markets` dated before week `beforeT`, as MarketingData of their own (t from their first date). */
export function sliceData(data: MarketingData, markets: readonly string[], beforeT: number): MarketingData {
  const keep = new Set(markets);
  const rows = data.rows.filter((r) => r.t < beforeT && keep.has(r.country));
  const firstT = Math.min(...rows.map((r) => r.t));
  const firstDate = addWeeks(data.firstDate, firstT);
  return {
    ...data,
    markets: data.markets.filter((m) => keep.has(m)),
    firstDate,
    rows: rows.map((r) => ({ ...r, t: r.t - firstT })),
    warnings: [], // the file's warnings were checked once, on the whole file
  };
}

/** The last training week and the training mean of market g: what a forecast should beat. */
function naiveForecasts(train: Panel, g: number): { naiveLast: number; naiveMean: number } {
  const start = train.obsOffset[g]!;
  const n = train.marketNumObs[g]!;
  let sum = 0;
  for (let i = start; i < start + n; i++) sum += train.y[i]!;
  return { naiveLast: train.y[start + n - 1]!, naiveMean: sum / n };
}

interface FoldWeek extends ScoredWeek {
  market: string;
  date: string;
}

interface FoldResult {
  plan: FoldPlan;
  trainPanel: Panel;
  trainMarkets: string[];
  notScored: { market: string; reason: string }[];
  /** Lift tests the fold's model included (those that end before its cutoff). */
  liftTests: number;
  weeks: FoldWeek[];
  diagnostics: { divergences: number; max_rhat: number; min_ess_bulk: number };
}

// ---- output ----

interface ScoreRow {
  market: string;
  fold: number | null;
  cutoff: string | null;
  score: ForecastScore;
}

export interface BacktestDocument {
  json: Record<string, unknown>;
  csv: string;
  rows: ScoreRow[];
  overall: ScoreRow[];
  total: ForecastScore;
  folds: FoldResult[];
}

function scoreJson(s: ForecastScore): Record<string, number> {
  return {
    weeks: s.numWeeks,
    crps: s.crps,
    mape: s.mape,
    coverage_94: s.coverage,
    naive_last_mape: s.naiveLastMape,
    naive_mean_mape: s.naiveMeanMape,
  };
}

function backtestDocument(o: {
  kind: string;
  file: string;
  sha256: string;
  data: MarketingData;
  fullPanel: Panel;
  settings: Record<string, unknown>;
  folds: FoldResult[];
}): BacktestDocument {
  const markets = o.data.markets;
  const rows: ScoreRow[] = [];
  for (const f of o.folds) {
    for (const m of markets) {
      const weeks = f.weeks.filter((w) => w.market === m);
      if (weeks.length) rows.push({ market: m, fold: f.plan.fold, cutoff: f.plan.cutoff, score: scoreForecasts(weeks) });
    }
  }
  const all = o.folds.flatMap((f) => f.weeks);
  const overall: ScoreRow[] = markets.flatMap((m) => {
    const weeks = all.filter((w) => w.market === m);
    return weeks.length ? [{ market: m, fold: null, cutoff: null, score: scoreForecasts(weeks) }] : [];
  });
  const total = scoreForecasts(all);
  const firstCutoff = o.folds[0]!.plan.cutoff;
  const contextFrom = addWeeks(firstCutoff, -CONTEXT_WEEKS);
  const context: { market: string; date: string; observed: number }[] = [];
  for (let n = 0; n < o.fullPanel.numObs; n++) {
    const date = o.fullPanel.obsDates[n]!;
    if (date >= contextFrom && date < firstCutoff) context.push({ market: o.fullPanel.markets[o.fullPanel.obsMarket[n]!]!, date, observed: o.fullPanel.y[n]! });
  }
  const json: Record<string, unknown> = {
    tributary_backtest_version: 1,
    created_by: `tributary ${packageVersion('tributary')}`,
    model: o.kind,
    data: {
      path: o.file,
      sha256: o.sha256,
      rows: o.data.rows.length,
      first_date: o.data.firstDate,
      last_date: addWeeks(o.data.firstDate, o.fullPanel.numWeeks - 1),
      target: o.data.target,
      channels: o.data.channels,
      controls: o.data.controls,
    },
    markets,
    channels: o.data.channels,
    target: o.data.target,
    seed: o.settings.seed,
    settings: o.settings,
    package_versions: Object.fromEntries(['tributary', '@tributary/data', '@tributary/models', '@tributary/sampler', '@tributary/evaluation'].map((n) => [n, packageVersion(n)])),
    folds: o.folds.map((f) => ({
      fold: f.plan.fold,
      cutoff: f.plan.cutoff,
      train_first_date: f.trainPanel.firstDate,
      train_last_date: addWeeks(f.plan.cutoff, -1),
      test_first_date: f.plan.cutoff,
      test_last_date: f.plan.testLastDate,
      train_markets: f.trainMarkets,
      train_rows: f.trainPanel.numObs,
      test_rows: f.weeks.length,
      not_scored: f.notScored,
      lift_tests: f.liftTests,
      diagnostics: f.diagnostics,
    })),
    scores: rows.map((r) => ({ market: r.market, fold: r.fold, cutoff: r.cutoff, ...scoreJson(r.score) })),
    overall: overall.map((r) => ({ market: r.market, folds: rows.filter((x) => x.market === r.market).length, ...scoreJson(r.score) })),
    total: scoreJson(total),
    predictions: o.folds.flatMap((f) =>
      f.weeks.map((w) => ({
        market: w.market,
        fold: f.plan.fold,
        date: w.date,
        observed: w.y,
        mean: w.mean,
        lower: w.lower,
        upper: w.upper,
        crps: w.crps,
        naive_last: w.naiveLast,
        naive_mean: w.naiveMean,
      })),
    ),
    context,
  };
  const header = ['market', 'fold', 'cutoff', 'weeks', 'crps', 'mape', 'coverage_94', 'naive_last_mape', 'naive_mean_mape'];
  const line = (r: ScoreRow) =>
    [
      csvField(r.market),
      r.fold === null ? 'all' : String(r.fold),
      r.cutoff ?? '',
      String(r.score.numWeeks),
      csvNumber(r.score.crps),
      csvNumber(r.score.mape),
      csvNumber(r.score.coverage),
      csvNumber(r.score.naiveLastMape),
      csvNumber(r.score.naiveMeanMape),
    ].join(',');
  const csv = [header.join(','), ...rows.map(line), ...overall.map(line)].join('\n') + '\n';
  return { json, csv, rows, overall, total, folds: o.folds };
}

const pct = (x: number, digits = 1) => (Number.isFinite(x) ? `${x.toFixed(digits)}%` : '–');
const share = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(0)}%` : '–');

function formatBacktestText(doc: BacktestDocument, kind: string): string {
  const lines: string[] = [];
  lines.push(`Backtest of the ${kind} model: ${doc.folds.length} fold${doc.folds.length === 1 ? '' : 's'}, held-out weeks scored against the posterior predictive.`);
  lines.push('');
  for (const f of doc.folds) {
    lines.push(`fold ${f.plan.fold}: train ${f.trainPanel.firstDate} – ${addWeeks(f.plan.cutoff, -1)}, test ${f.plan.cutoff} – ${f.plan.testLastDate}`);
    for (const x of f.notScored) lines.push(`  not scored in fold ${f.plan.fold}: ${x.market} (${x.reason})`);
  }
  lines.push('');
  const header = ['market', 'fold', 'weeks', 'CRPS', 'MAPE', '94% cov.', 'naive last', 'naive mean'];
  const row = (r: ScoreRow) => [
    r.market,
    r.fold === null ? 'all' : String(r.fold),
    String(r.score.numWeeks),
    formatMoney(r.score.crps),
    pct(r.score.mape),
    share(r.score.coverage),
    pct(r.score.naiveLastMape),
    pct(r.score.naiveMeanMape),
  ];
  const body: string[][] = [];
  for (const o of doc.overall) {
    for (const r of doc.rows.filter((x) => x.market === o.market)) body.push(row(r));
    body.push(row(o));
  }
  lines.push(formatTable(header, body, [2, 3, 4, 5, 6, 7]));
  lines.push('');
  lines.push(
    `All markets: ${doc.total.numWeeks} held-out weeks, MAPE ${pct(doc.total.mape)} (naive: last week ${pct(doc.total.naiveLastMape)}, training mean ${pct(doc.total.naiveMeanMape)}), ` +
      `${share(doc.total.coverage)} inside the 94% interval (about 94% is calibrated).`,
  );
  lines.push('CRPS is in the units of the target (lower is better); MAPE is of the posterior mean; "naive" are the MAPE of carrying the last training week forward and of the training mean.');
  for (const f of doc.folds) {
    const d = f.diagnostics;
    const problems = [
      ...(d.divergences > 0 ? [`${d.divergences} divergent transition${d.divergences === 1 ? '' : 's'} (try --target-accept 0.95)`] : []),
      ...(d.max_rhat > 1.05 ? [`max R-hat ${d.max_rhat.toFixed(3)} (try more --warmup and --draws)`] : []),
    ];
    if (problems.length) lines.push(`warning: fold ${f.plan.fold} sampled with ${problems.join(' and ')}; its scores are less reliable.`);
  }
  return lines.join('\n') + '\n';
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new TributaryError('FILE_NOT_FOUND', `cannot read ${file} (${code ?? String(e)}); check the path.`);
  }
}
