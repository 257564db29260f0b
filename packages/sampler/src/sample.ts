// sample(): validates the options, runs the chains (in worker threads for a TargetSpec, else in
// this thread) and assembles the Posterior.
//
// References: see chain.ts and nuts.ts (Hoffman & Gelman 2014; Betancourt 2017; Stan's
// base_nuts.hpp, windowed_adaptation.hpp, run_adaptive_sampler.hpp).
// Deviations from Stan's services: chains in worker threads instead of separate processes or
// Stan's multi-chain threading; chain c's random stream is seeded by `${seed}:${c}`.

import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { getRandomValues } from 'node:crypto';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { assertLogDensity, runChainAsync, type ChainConfig, type ChainResult } from './chain.js';
import { SamplerError, SamplingAbortedError } from './errors.js';
import { assertTargetSpec, isTargetSpec, isTypeScriptModule, loadTarget } from './target-spec.js';
import type { LogDensity, MetricInit, MetricKind, Posterior, ProgressEvent, SampleOptions, Target, TargetSpec } from './types.js';
import type { WorkerRequest, WorkerResponse } from './worker.js';

const MAX_TREE_DEPTH_LIMIT = 20;

interface ResolvedOptions {
  readonly numChains: number;
  readonly numWarmup: number;
  readonly numDraws: number;
  readonly seed: number | string;
  readonly targetAccept: number;
  readonly maxTreeDepth: number;
  readonly metricKind: MetricKind;
  readonly metricInit: MetricInit;
  readonly initOptimize: boolean;
  readonly inits: (Float64Array | null)[];
  readonly numWorkers: number | false;
  readonly onProgress: ((event: ProgressEvent) => void) | undefined;
  readonly signal: AbortSignal | undefined;
}

function invalid(option: string, value: unknown, expected: string): SamplerError {
  let shown: string;
  try {
    shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    shown = typeof value;
  }
  return new SamplerError('INVALID_OPTION', `Invalid option ${option}: ${shown}. Expected ${expected}.`);
}

function integerOption(options: SampleOptions, key: 'chains' | 'warmup' | 'draws' | 'maxTreeDepth', fallback: number, min: number, max: number): number {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(key, value, `an integer from ${min} to ${max}`);
  }
  return value;
}

function isArrayLikeOfNumbers(x: unknown): x is ArrayLike<number> {
  if (ArrayBuffer.isView(x)) return !(x instanceof DataView);
  return Array.isArray(x) && x.every((v) => typeof v === 'number');
}

function resolveInits(init: SampleOptions['init'], numChains: number): (Float64Array | null)[] {
  if (init === undefined) return Array.from({ length: numChains }, () => null);
  if (isArrayLikeOfNumbers(init)) {
    const q = Float64Array.from(init);
    return Array.from({ length: numChains }, () => Float64Array.from(q));
  }
  if (Array.isArray(init) && init.every((x) => isArrayLikeOfNumbers(x))) {
    if (init.length !== numChains) {
      throw invalid('init', `an array of ${init.length} initial points`, `one initial point for all chains, or exactly one per chain (${numChains})`);
    }
    return init.map((q: ArrayLike<number>) => Float64Array.from(q));
  }
  throw invalid('init', typeof init, 'a Float64Array or number[] (one point for all chains), or an array of them (one per chain)');
}

function defaultSeed(): number {
  return getRandomValues(new Uint32Array(1))[0]!;
}

function resolveOptions(options: SampleOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw invalid('options', options, 'an object');
  const numChains = integerOption(options, 'chains', 4, 1, 1024);
  const numWarmup = integerOption(options, 'warmup', 1000, 0, 10_000_000);
  const numDraws = integerOption(options, 'draws', 1000, 1, 10_000_000);
  const maxTreeDepth = integerOption(options, 'maxTreeDepth', 10, 1, MAX_TREE_DEPTH_LIMIT);
  const targetAccept = options.targetAccept ?? 0.8;
  if (typeof targetAccept !== 'number' || !(targetAccept > 0 && targetAccept < 1)) {
    throw invalid('targetAccept', targetAccept, 'a number strictly between 0 and 1 (0.8 by default; raise it, e.g. to 0.95, when there are divergences)');
  }
  const metricKind = options.metric ?? 'diag';
  if (metricKind !== 'diag' && metricKind !== 'dense') throw invalid('metric', metricKind, "'diag' or 'dense'");
  const metricInit = options.metricInit ?? 'curvature';
  const initOptimize = options.initOptimize ?? true;
  if (typeof initOptimize !== 'boolean') throw invalid('initOptimize', initOptimize, 'true (L-BFGS towards a mode before warmup) or false (Stan: warmup starts at the initial point)');
  if (metricInit !== 'curvature' && metricInit !== 'unit') throw invalid('metricInit', metricInit, "'curvature' or 'unit' (Stan's warmup)");
  let seed: number | string;
  if (options.seed === undefined) seed = defaultSeed();
  else if ((typeof options.seed === 'number' && Number.isFinite(options.seed)) || typeof options.seed === 'string') seed = options.seed;
  else throw invalid('seed', options.seed, 'a finite number or a string');
  const parallel = options.parallel ?? true;
  let numWorkers: number | false;
  if (parallel === false) numWorkers = false;
  else if (parallel === true) numWorkers = Math.max(1, Math.min(availableParallelism(), numChains));
  else if (typeof parallel === 'number' && Number.isInteger(parallel) && parallel >= 1) numWorkers = Math.min(parallel, numChains);
  else throw invalid('parallel', parallel, 'true (one worker per core), false (this thread), or a positive integer number of workers');
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw invalid('onProgress', typeof options.onProgress, 'a function');
  const signal = options.signal;
  if (signal !== undefined && (typeof signal !== 'object' || signal === null || typeof signal.aborted !== 'boolean')) {
    throw invalid('signal', typeof signal, 'an AbortSignal');
  }
  return {
    numChains,
    numWarmup,
    numDraws,
    seed,
    targetAccept,
    maxTreeDepth,
    metricKind,
    metricInit,
    initOptimize,
    inits: resolveInits(options.init, numChains),
    numWorkers,
    onProgress: options.onProgress,
    signal,
  };
}

async function runInThisThread(target: LogDensity, configs: ChainConfig[], opts: ResolvedOptions): Promise<ChainResult[]> {
  const results: ChainResult[] = [];
  for (const config of configs) results.push(await runChainAsync(target, config, opts.onProgress, opts.signal));
  return results;
}

function workerEntry(): { url: URL; isTypeScript: boolean } {
  const here = import.meta.url;
  const isTypeScript = isTypeScriptModule(new URL(here).pathname);
  return { url: new URL(isTypeScript ? './worker.ts' : './worker.js', here), isTypeScript };
}

/** File URL of tsx's ESM registration API (resolved from this package), or the bare specifier. */
function tsxApiSpecifier(): string {
  try {
    const resolved = createRequire(import.meta.url).resolve('tsx/esm/api');
    const esm = resolved.replace(/index\.cjs$/, 'index.mjs');
    return pathToFileURL(existsSync(esm) ? esm : resolved).href;
  } catch {
    return 'tsx/esm/api';
  }
}

/**
 * How to start a worker. A TypeScript worker entry (tests and dev runs from src/) or a
 * TypeScript target module needs tsx: Node 20 does not apply loader hooks given by
 * `execArgv: ['--import', 'tsx']` to a worker's entry file, so a tiny bootstrap registers tsx's
 * hooks first and then imports the worker entry.
 */
function workerLaunch(spec: TargetSpec): { filename: string | URL; options: WorkerOptions } {
  const { url, isTypeScript } = workerEntry();
  if (!isTypeScript && !isTypeScriptModule(spec.module)) return { filename: url, options: {} };
  const api = JSON.stringify(tsxApiSpecifier());
  const entry = JSON.stringify(url.href);
  const code =
    `import(${api}).catch((e) => { throw new Error('Loading a TypeScript sampler worker or target needs the tsx package: ' + e.message); })` +
    `.then((m) => { m.register(); return import(${entry}); });`;
  return { filename: code, options: { eval: true } };
}

function errorFromWorker(response: Extract<WorkerResponse, { type: 'error' }>): SamplerError {
  const { error, chain } = response;
  if (error.code !== undefined) {
    const e = error.code === 'ABORTED' ? new SamplingAbortedError(error.message) : new SamplerError(error.code as SamplerError['code'], error.message);
    if (error.stack !== undefined) e.stack = error.stack;
    return e;
  }
  const e = new SamplerError('WORKER_FAILED', `Chain ${chain} failed in its worker thread: ${error.name}: ${error.message}`);
  if (error.stack !== undefined) e.stack = `${e.name}: ${e.message}\n--- worker stack ---\n${error.stack}`;
  return e;
}

function runInWorkers(spec: TargetSpec, configs: ChainConfig[], numWorkers: number, opts: ResolvedOptions): Promise<ChainResult[]> {
  const { filename, options } = workerLaunch(spec);
  const cloneableSpec: TargetSpec = { module: spec.module, export: spec.export, args: spec.args ?? [] };
  return new Promise<ChainResult[]>((resolve, reject) => {
    const results: ChainResult[] = new Array<ChainResult>(configs.length);
    const workers: Worker[] = [];
    let nextConfig = 0;
    let numDone = 0;
    let isSettled = false;
    const signal = opts.signal;
    const finish = (error?: Error): void => {
      if (isSettled) return;
      isSettled = true;
      signal?.removeEventListener('abort', onAbort);
      for (const w of workers) void w.terminate();
      if (error) reject(error);
      else resolve(results);
    };
    const onAbort = (): void => finish(new SamplingAbortedError());
    signal?.addEventListener('abort', onAbort, { once: true });
    const assign = (w: Worker): void => {
      const config = configs[nextConfig++];
      if (config !== undefined) w.postMessage({ type: 'run', config } satisfies WorkerRequest);
    };
    for (let k = 0; k < numWorkers && !isSettled; k++) {
      let worker: Worker;
      try {
        worker = new Worker(filename, { ...options, workerData: { spec: cloneableSpec } });
      } catch (error) {
        finish(new SamplerError('WORKER_FAILED', `Could not start a sampler worker thread: ${(error as Error).message}`, { cause: error }));
        break;
      }
      workers.push(worker);
      worker.on('message', (response: WorkerResponse) => {
        if (isSettled) return;
        if (response.type === 'progress') {
          try {
            opts.onProgress?.(response.event);
          } catch (error) {
            finish(error as Error);
          }
        } else if (response.type === 'done') {
          results[response.result.chain] = response.result;
          numDone++;
          if (numDone === configs.length) finish();
          else assign(worker);
        } else {
          finish(errorFromWorker(response));
        }
      });
      worker.on('error', (error) => finish(new SamplerError('WORKER_FAILED', `A sampler worker thread crashed: ${error.message}`, { cause: error })));
      worker.on('exit', (code) => finish(new SamplerError('WORKER_FAILED', `A sampler worker thread exited (code ${code}) before its chains finished.`)));
      assign(worker);
    }
  });
}

function assemblePosterior(results: ChainResult[], opts: ResolvedOptions, wallSeconds: number): Posterior {
  const first = results[0]!;
  return {
    numChains: results.length,
    numDraws: opts.numDraws,
    numWarmup: opts.numWarmup,
    dim: first.dim,
    parameterNames: first.parameterNames,
    draws: results.map((r) => r.draws),
    sampleStats: {
      stepsize: results.map((r) => r.stats.stepsize),
      treedepth: results.map((r) => r.stats.treedepth),
      n_leapfrog: results.map((r) => r.stats.n_leapfrog),
      divergent: results.map((r) => r.stats.divergent),
      energy: results.map((r) => r.stats.energy),
      accept_stat: results.map((r) => r.stats.accept_stat),
      lp: results.map((r) => r.stats.lp),
    },
    metricKind: opts.metricKind,
    metric: results.map((r) => r.metric),
    stepSize: results.map((r) => r.stepSize),
    seed: opts.seed,
    warmupSeconds: results.map((r) => r.warmupSeconds),
    samplingSeconds: results.map((r) => r.samplingSeconds),
    wallSeconds,
    numGradientEvaluations: results.map((r) => r.numGradientEvaluations),
  };
}

/**
 * Draws from the target with multinomial NUTS and Stan's windowed warmup adaptation.
 *
 * `target` is a LogDensity object (chains run one after another in this thread) or a
 * TargetSpec (chains run in parallel worker threads that rebuild the target; with
 * `parallel: false` it is built and run in this thread). Same seed ⇒ byte-identical draws,
 * whichever way the chains run.
 */
export async function sample(target: Target, options: SampleOptions = {}): Promise<Posterior> {
  const start = performance.now();
  const opts = resolveOptions(options);
  if (opts.signal?.aborted) throw new SamplingAbortedError();
  const configs: ChainConfig[] = opts.inits.map((init, chain) => ({
    chain,
    seed: opts.seed,
    numWarmup: opts.numWarmup,
    numDraws: opts.numDraws,
    targetAccept: opts.targetAccept,
    maxTreeDepth: opts.maxTreeDepth,
    metricKind: opts.metricKind,
    metricInit: opts.metricInit,
    initOptimize: opts.initOptimize,
    init,
  }));
  let results: ChainResult[];
  if (target !== null && typeof target === 'object' && isTargetSpec(target)) {
    assertTargetSpec(target);
    if (opts.numWorkers === false) {
      const built = await loadTarget(target);
      results = await runInThisThread(built, configs, opts);
    } else {
      results = await runInWorkers(target, configs, opts.numWorkers, opts);
    }
  } else {
    assertLogDensity(target, 'target');
    results = await runInThisThread(target, configs, opts);
  }
  return assemblePosterior(results, opts, (performance.now() - start) / 1000);
}

/** The draws of one parameter (by index or name): one Float64Array (numDraws) per chain. */
export function getParameterDraws(posterior: Posterior, parameter: number | string): Float64Array[] {
  const index = typeof parameter === 'number' ? parameter : posterior.parameterNames.indexOf(parameter);
  if (!Number.isInteger(index) || index < 0 || index >= posterior.dim) {
    throw new SamplerError('INVALID_OPTION', `Unknown parameter ${JSON.stringify(parameter)}; expected an index 0…${posterior.dim - 1} or one of the parameterNames.`);
  }
  return posterior.draws.map((d) => {
    const out = new Float64Array(posterior.numDraws);
    for (let k = 0; k < posterior.numDraws; k++) out[k] = d[k * posterior.dim + index]!;
    return out;
  });
}
