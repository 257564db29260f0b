// Runs the sampler on one posteriordb posterior and applies the README's comparison rule.
// Shared by the CI test (posteriordb.test.ts, small runs) and the bench (run-full.ts, full size).

import { fileURLToPath } from 'node:url';
import { essBulk, rhat } from '../../src/diagnostics/index.js';
import { sample } from '../../src/index.js';
import type { MetricKind, Posterior, SampleOptions } from '../../src/index.js';
import { compareToReference, type Comparison, type ParameterDiagnostics } from './compare.js';
import { loadPosteriordb, type Reference } from './fixtures.js';
import { POSTERIORDB_BUILDERS, type PosteriordbName, type PosteriordbTarget } from './targets.js';

export interface CheckOptions {
  warmup: number;
  draws: number;
  seed: number | string;
  chains?: number;
  /** Defaults to the reference run's `adapt_delta` (0.8 when it did not set one). */
  targetAccept?: number;
  /** Defaults to the reference run's `max_treedepth` (10 when it did not set one). */
  maxTreeDepth?: number;
  metric?: MetricKind;
  /**
   * `false` (default): the chains run one after another in this thread on the target object.
   * Otherwise the target is passed as a TargetSpec (targets.ts and the factory's name) to worker
   * threads. As of this writing that works under vitest but not under the tsx CLI on Node 20
   * (the worker fails with ERR_UNKNOWN_FILE_EXTENSION for .ts: `--import tsx` in a Worker's
   * execArgv does not install the loader hooks there, nodejs/node#47747).
   */
  parallel?: boolean | number;
}

export interface CheckResult extends Comparison {
  name: PosteriordbName;
  settings: Required<Omit<CheckOptions, 'parallel'>> & { parallel: boolean | number };
  wallSeconds: number;
  /** Mean over chains of the adapted step size, and sampler summaries over all draws. */
  meanStepSize: number;
  meanTreedepth: number;
  maxTreedepthHits: number;
  meanAcceptStat: number;
  numGradientEvaluations: number;
}

/** Sampler settings of the reference run (Stan's adapt_delta and max_treedepth). */
export function referenceControl(reference: Reference): { targetAccept: number; maxTreeDepth: number } {
  const control = reference.reference_method.method_arguments['control'] as Record<string, unknown> | undefined;
  const adaptDelta = control?.['adapt_delta'];
  const maxTreedepth = control?.['max_treedepth'];
  return {
    targetAccept: typeof adaptDelta === 'number' ? adaptDelta : 0.8,
    maxTreeDepth: typeof maxTreedepth === 'number' ? maxTreedepth : 10,
  };
}

const TARGETS_MODULE = fileURLToPath(new URL('./targets.ts', import.meta.url));
/** Per reference parameter, one Float64Array per chain of constrained draws. */
export function constrainDraws(target: PosteriordbTarget, posterior: Posterior): Record<string, Float64Array[]> {
  const names = target.constrainedNames;
  const byParameter: Record<string, Float64Array[]> = {};
  for (const name of names) byParameter[name] = [];
  const theta = new Float64Array(target.dim);
  const out = new Float64Array(names.length);
  for (const chain of posterior.draws) {
    const columns = names.map(() => new Float64Array(posterior.numDraws));
    for (let i = 0; i < posterior.numDraws; i++) {
      theta.set(chain.subarray(i * target.dim, (i + 1) * target.dim));
      target.constrain(theta, out);
      for (let p = 0; p < names.length; p++) columns[p]![i] = out[p]!;
    }
    names.forEach((name, p) => byParameter[name]!.push(columns[p]!));
  }
  return byParameter;
}

function sumOver(stats: Float64Array[], f: (v: number) => number): number {
  let s = 0;
  for (const chain of stats) for (const v of chain) s += f(v);
  return s;
}

/** Samples posterior `name` and compares it with posteriordb's reference draws. */
export async function checkPosteriordb(name: PosteriordbName, options: CheckOptions): Promise<CheckResult> {
  const fixture = loadPosteriordb(name);
  const target = POSTERIORDB_BUILDERS[name](fixture.data);
  const control = referenceControl(fixture.reference);
  const settings = {
    warmup: options.warmup,
    draws: options.draws,
    seed: options.seed,
    chains: options.chains ?? 4,
    targetAccept: options.targetAccept ?? control.targetAccept,
    maxTreeDepth: options.maxTreeDepth ?? control.maxTreeDepth,
    metric: options.metric ?? 'diag',
    parallel: options.parallel ?? false,
  };
  const sampleOptions: SampleOptions = {
    chains: settings.chains,
    warmup: settings.warmup,
    draws: settings.draws,
    seed: settings.seed,
    targetAccept: settings.targetAccept,
    maxTreeDepth: settings.maxTreeDepth,
    metric: settings.metric,
    parallel: settings.parallel,
  };
  const start = performance.now();
  const posterior =
    settings.parallel === false
      ? await sample(target, sampleOptions)
      : await sample({ module: TARGETS_MODULE, export: POSTERIORDB_BUILDERS[name].name, args: [fixture.data] }, sampleOptions);
  const wallSeconds = (performance.now() - start) / 1000;

  const chainsByParameter = constrainDraws(target, posterior);
  const diagnostics: Record<string, ParameterDiagnostics> = {};
  for (const [parameter, chains] of Object.entries(chainsByParameter)) {
    diagnostics[parameter] = { essBulk: essBulk(chains), rhat: rhat(chains) };
  }
  const stats = posterior.sampleStats;
  const numDivergent = sumOver(stats.divergent, (v) => v);
  const numTotal = posterior.numChains * posterior.numDraws;
  return {
    name,
    settings,
    wallSeconds,
    meanStepSize: posterior.stepSize.reduce((a, b) => a + b, 0) / posterior.numChains,
    meanTreedepth: sumOver(stats.treedepth, (v) => v) / numTotal,
    maxTreedepthHits: sumOver(stats.treedepth, (v) => (v >= settings.maxTreeDepth ? 1 : 0)),
    meanAcceptStat: sumOver(stats.accept_stat, (v) => v) / numTotal,
    numGradientEvaluations: posterior.numGradientEvaluations.reduce((a, b) => a + b, 0),
    ...compareToReference(fixture.reference, chainsByParameter, diagnostics, numDivergent),
  };
}

/** One-paragraph header for a CheckResult (the table itself is formatComparison). */
export function describeRun(result: CheckResult): string {
  const s = result.settings;
  return (
    `${result.name}: ${s.chains} chains x (${s.warmup} warmup + ${s.draws} draws), seed ${s.seed}, ` +
    `metric ${s.metric}, targetAccept ${s.targetAccept}, maxTreeDepth ${s.maxTreeDepth}; ` +
    `${result.wallSeconds.toFixed(2)} s, ${result.numGradientEvaluations} gradients, ` +
    `step size ${result.meanStepSize.toPrecision(3)}, mean treedepth ${result.meanTreedepth.toFixed(2)}, ` +
    `max-depth hits ${result.maxTreedepthHits}, mean accept_stat ${result.meanAcceptStat.toFixed(3)}, ` +
    `divergent ${result.numDivergent}: ${result.passed ? 'PASS' : 'FAIL'}`
  );
}
