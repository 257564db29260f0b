/**
 * One call that evaluates a fitted model: diagnostics, ROAS and contributions, shrinkage,
 * stability, posterior predictive checks, PSIS-LOO, failure-mode indicators and (with a
 * ground truth) recovery. `evaluateFolder(dir)` loads the folder and rebuilds the model first.
 * Every per-draw quantity comes from one pass over the draws (`passOverDraws`: one
 * `model.loadDraw` per draw); `evaluateFolder` and `evaluateResultsParallel` share the work with
 * a worker thread (parallel.ts), with the same numbers.
 */
import { resolve } from 'node:path';
import type { ModelKind } from '@tributary/models';
import type { SummaryRow } from '@tributary/sampler';
import { liftTestChecks, pointwiseLogLikelihood, spendTotals, summarizeDerived, type ContributionRow, type DerivedSummary, type LiftTestCheck, type RoasRow } from './derived.js';
import { makePass, type DrawPass } from './draw-pass.js';
import { diagnoseResults, summarizeResults, type DiagnosticsReport } from './diagnostics.js';
import { failureModes, residualAutocorrelation, type FailureIndicator, type ResidualAutocorrelation } from './failure-modes.js';
import { psisLooWithRelativeEff, type LooResult } from './loo.js';
import { countedPredictiveChecks, passCoverage, type PpcMarket } from './ppc.js';
import { rebuildFromManifest, rebuildModel, type FittedModel } from './rebuild.js';
import { loadGroundTruth, recoverGroundTruth, type GroundTruth, type RecoveryReport } from './recovery.js';
import { invalidArgument } from './errors.js';
import { defaultThreads, evaluationPartsWithWorker, EvaluationWorker } from './parallel.js';
import { loadResults, loadResultsInto, type ResultsFolder } from './results.js';
import { computeShrinkage, roasStability, shrinkageByMarket, type ShrinkageRow, type StabilityRow } from './shrinkage.js';

export interface EvaluationReport {
  /** Folder name, e.g. `hierarchical`. */
  readonly name: string;
  readonly kind: ModelKind;
  readonly dir: string;
  readonly dataFile: string;
  readonly dataSha256: string;
  readonly numChains: number;
  readonly numDraws: number;
  readonly numObs: number;
  readonly markets: readonly string[];
  readonly channels: readonly string[];
  readonly diagnostics: DiagnosticsReport;
  /** Per-parameter summary of every constrained parameter. */
  readonly summary: readonly SummaryRow[];
  readonly roas: readonly RoasRow[];
  readonly contributions: readonly ContributionRow[];
  /** Hierarchical fits only ([] otherwise). */
  readonly shrinkage: readonly ShrinkageRow[];
  readonly shrinkageByMarket: readonly { market: string; mean: number }[];
  readonly stability: readonly StabilityRow[];
  readonly ppc: readonly PpcMarket[];
  readonly residuals: readonly ResidualAutocorrelation[];
  /** PSIS-LOO of the pointwise log-likelihood of the scaled target, r_eff from relative_eff. */
  readonly loo: LooResult;
  readonly recovery: RecoveryReport | undefined;
  /** Measured vs model-implied lift of the lift tests the model was fitted with ([] without). */
  readonly liftTests: readonly LiftTestCheck[];
  readonly failureModes: readonly FailureIndicator[];
  /** The folder itself (for comparisons that need the draws, e.g. shrinkage displacement). */
  readonly results: ResultsFolder;
}

export interface EvaluateOptions {
  readonly truth?: GroundTruth;
  /** Seed of the posterior predictive draws (default 1). */
  readonly seed?: number | string;
}

/** Evaluates a loaded results folder with its rebuilt model (on this thread; see evaluateResultsParallel). */
export function evaluateResults(results: ResultsFolder, fitted: FittedModel, options: EvaluateOptions = {}): EvaluationReport {
  const summary = summarizeResults(results);
  // One pass over the draws, one model.loadDraw per draw, for every per-draw quantity.
  // (the predictive coverage counted as y_rep is drawn, ROAS from the contributions: draw-pass.ts)
  const coverage = passCoverage(fitted.panel);
  const pass = makePass(
    results,
    fitted.model,
    { derived: true, ppc: true, logLik: true, liftTests: true, ...(options.seed === undefined ? {} : { seed: options.seed }) },
    { spendTotal: spendTotals(fitted.panel), coverage },
  );
  const derived = summarizeDerived(results, fitted, { pass });
  const ppc = countedPredictiveChecks(fitted, pass, coverage);
  const loo = psisLooWithRelativeEff(pointwiseLogLikelihood(results, fitted.model, { pass }));
  return assembleReport(results, fitted, options, { summary, pass, derived, ppc, loo });
}

/** What the heavy steps produced (on one thread or several); the rest is cheap. */
export interface EvaluationParts {
  readonly summary: readonly SummaryRow[];
  /** A pass with the `derived` and `liftTests` parts. */
  readonly pass: DrawPass;
  /** `summarizeDerived` of that pass. */
  readonly derived: DerivedSummary;
  readonly ppc: readonly PpcMarket[];
  readonly loo: LooResult;
}

/** The report from the heavy parts: diagnostics, derived summaries, shrinkage, residuals, failure modes. */
export function assembleReport(results: ResultsFolder, fitted: FittedModel, options: EvaluateOptions, parts: EvaluationParts): EvaluationReport {
  const { model, panel } = fitted;
  const { summary, pass, derived, ppc, loo } = parts;
  const diagnostics = diagnoseResults(results, { summary });
  const shrinkage = computeShrinkage(results);
  const residuals = residualAutocorrelation(panel, derived.fittedMean);
  const recovery = options.truth ? recoverGroundTruth(results, options.truth, summary, derived.roas) : undefined;
  return {
    name: results.name,
    kind: results.manifest.model,
    dir: results.dir,
    dataFile: fitted.dataFile,
    dataSha256: results.manifest.data.sha256,
    numChains: results.numChains,
    numDraws: results.numDraws,
    numObs: model.numObs,
    markets: model.markets,
    channels: model.channels,
    diagnostics,
    summary,
    roas: derived.roas,
    contributions: derived.contributions,
    shrinkage,
    shrinkageByMarket: shrinkageByMarket(shrinkage),
    stability: roasStability(derived.roas),
    ppc,
    residuals,
    loo,
    recovery,
    liftTests: liftTestChecks(results, model, { pass }),
    failureModes: failureModes({ kind: results.manifest.model, summary, channels: model.channels, shrinkage, residuals, ppc, loo, panel }),
    results,
  };
}

export interface ParallelOptions {
  /**
   * Threads to evaluate on: 1 = this thread only (`evaluateResults`), ≥ 2 = this thread and one
   * worker thread (parallel.ts; more are not used). Default min(2, cores). The numbers are the
   * same either way.
   */
  readonly threads?: number;
}

/**
 * `evaluateResults` on this thread and a worker thread (parallel.ts): the same report, bit for
 * bit, in about half the wall time on two free cores. `threads: 1` (or one core) evaluates here.
 */
export async function evaluateResultsParallel(results: ResultsFolder, fitted: FittedModel, options: EvaluateOptions & ParallelOptions = {}): Promise<EvaluationReport> {
  if (resolveThreads(options.threads) < 2) return evaluateResults(results, fitted, options);
  const worker = new EvaluationWorker({ dir: results.dir, dataFile: fitted.dataFile });
  try {
    return assembleReport(results, fitted, options, await evaluationPartsWithWorker(worker, results, fitted, options.seed));
  } finally {
    await worker.terminate();
  }
}

function resolveThreads(threads: number | undefined): number {
  if (threads === undefined) return defaultThreads();
  if (!Number.isInteger(threads) || threads < 1) invalidArgument(`threads must be a positive integer, got ${threads}.`);
  return threads;
}

export interface EvaluateFolderOptions extends ParallelOptions {
  /** Data file to use instead of the manifest's path (verified by sha256). */
  readonly dataFile?: string;
  /** A ground_truth.json to compare with. */
  readonly truthFile?: string;
  readonly seed?: number | string;
}

/**
 * Loads `dir`, rebuilds its model from the data file and evaluates it — on two threads by default
 * (the worker starts first, rebuilds the model and parses half of the draws).
 */
export async function evaluateFolder(dir: string, options: EvaluateFolderOptions = {}): Promise<EvaluationReport> {
  const threads = resolveThreads(options.threads);
  const worker = threads >= 2 ? new EvaluationWorker({ dir: resolve(dir), dataFile: options.dataFile === undefined ? undefined : resolve(options.dataFile) }) : undefined;
  try {
    const rebuildOptions = options.dataFile === undefined ? {} : { dataFile: options.dataFile };
    // with a worker, the draws go to shared memory: it reads them without a copy; and the model
    // is rebuilt from the manifest (as the worker does) once this thread has parsed its half of
    // draws.csv, while it waits for the worker's half (a microtask queued when the worker is
    // asked runs when this thread's parse yields). Errors in the order of one thread: the draws'
    // first.
    let early: Promise<FittedModel> | undefined;
    const rebuildEarly = () => {
      early ??= rebuildFromManifest(dir, rebuildOptions).then(({ manifest: _manifest, ...rebuilt }): FittedModel => rebuilt);
      early.catch(() => undefined);
    };
    const results = worker
      ? await loadResultsInto(
          dir,
          (n) => new Float64Array(new SharedArrayBuffer(8 * n)),
          (values, from, to, width) => {
            queueMicrotask(rebuildEarly);
            return worker.parseRows(values, from, to, width);
          },
        )
      : await loadResults(dir);
    const fitted = await (early ?? rebuildModel(results, rebuildOptions));
    const truth = options.truthFile === undefined ? undefined : await loadGroundTruth(options.truthFile);
    const evaluateOptions: EvaluateOptions = {
      ...(truth ? { truth } : {}),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    };
    if (!worker) return evaluateResults(results, fitted, evaluateOptions);
    return assembleReport(results, fitted, evaluateOptions, await evaluationPartsWithWorker(worker, results, fitted, options.seed));
  } finally {
    await worker?.terminate();
  }
}
