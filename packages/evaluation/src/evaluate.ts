/**
 * One call that evaluates a fitted model: diagnostics, ROAS and contributions, shrinkage,
 * stability, posterior predictive checks, PSIS-LOO, failure-mode indicators and (with a
 * ground truth) recovery. `evaluateFolder(dir)` loads the folder and rebuilds the model first.
 * Every per-draw quantity comes from one pass over the draws (`passOverDraws`: one
 * `model.loadDraw` per draw).
 */
import type { ModelKind } from '@tributary/models';
import type { SummaryRow } from '@tributary/sampler';
import { liftTestChecks, summarizeDerived, pointwiseLogLikelihood, type ContributionRow, type LiftTestCheck, type RoasRow } from './derived.js';
import { passOverDraws } from './draw-pass.js';
import { diagnoseResults, summarizeResults, type DiagnosticsReport } from './diagnostics.js';
import { failureModes, residualAutocorrelation, type FailureIndicator, type ResidualAutocorrelation } from './failure-modes.js';
import { psisLooWithRelativeEff, type LooResult } from './loo.js';
import { posteriorPredictiveChecks, type PpcMarket } from './ppc.js';
import { rebuildModel, type FittedModel } from './rebuild.js';
import { loadGroundTruth, recoverGroundTruth, type GroundTruth, type RecoveryReport } from './recovery.js';
import { loadResults, type ResultsFolder } from './results.js';
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

/** Evaluates a loaded results folder with its rebuilt model. */
export function evaluateResults(results: ResultsFolder, fitted: FittedModel, options: EvaluateOptions = {}): EvaluationReport {
  const { model, panel } = fitted;
  const summary = summarizeResults(results);
  const diagnostics = diagnoseResults(results, { summary });
  // One pass over the draws, one model.loadDraw per draw, for every per-draw quantity.
  const pass = passOverDraws(results, model, {
    derived: true,
    ppc: true,
    logLik: true,
    liftTests: true,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  const derived = summarizeDerived(results, fitted, { pass });
  const shrinkage = computeShrinkage(results);
  const ppc = posteriorPredictiveChecks(results, fitted, { pass });
  const ll = pointwiseLogLikelihood(results, model, { pass });
  const loo = psisLooWithRelativeEff(ll);
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

export interface EvaluateFolderOptions {
  /** Data file to use instead of the manifest's path (verified by sha256). */
  readonly dataFile?: string;
  /** A ground_truth.json to compare with. */
  readonly truthFile?: string;
  readonly seed?: number | string;
}

/** Loads `dir`, rebuilds its model from the data file and evaluates it. */
export async function evaluateFolder(dir: string, options: EvaluateFolderOptions = {}): Promise<EvaluationReport> {
  const results = await loadResults(dir);
  const fitted = await rebuildModel(results, options.dataFile === undefined ? {} : { dataFile: options.dataFile });
  const truth = options.truthFile === undefined ? undefined : await loadGroundTruth(options.truthFile);
  return evaluateResults(results, fitted, {
    ...(truth ? { truth } : {}),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
}
