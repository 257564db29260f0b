// One chain from start to end: initial point, Stan's windowed warmup (dual averaging of the step
// size, Welford estimates of the inverse metric in doubling windows, step-size re-initialisation
// after each metric update), then sampling. The same code runs in this thread and in workers,
// so both give byte-identical draws for the same seed.
//
// References
// - Stan: src/stan/services/util/run_adaptive_sampler.hpp (init_stepsize once before warmup,
//   mu = log(10 * initial step size 1), complete_adaptation at the end of warmup),
//   src/stan/mcmc/hmc/nuts/adapt_diag_e_nuts.hpp and adapt_dense_e_nuts.hpp (per warmup
//   iteration: transition, learn_stepsize, learn_variance / learn_covariance; after a metric
//   update: init_stepsize, set_mu(log(10 epsilon)), restart).
// - M. D. Hoffman & A. Gelman (2014); M. Betancourt (2017) (see nuts.ts).
//
// Deviations: with warmup = 0 the step size is still chosen by init_stepsize (Stan would keep
// the nominal step size 1). If a dense metric estimate fails to factorise (not positive definite
// in floating point) the previous metric is kept for the next window.
// Two additions to Stan's warmup, both on by default and both switchable off (SampleOptions
// initOptimize: false, metricInit: 'unit' give Stan's warmup exactly):
// - initOptimize: before warmup each chain moves from its random initial point up the log
//   density with L-BFGS (optimize.ts, ≤ 400 gradients), and with metricInit 'curvature' the
//   metric starts as the diagonal of the negative Hessian there (central differences of the
//   gradient, 2·dim evaluations). Stan starts warmup at the random point with the identity.
// - metricInit 'curvature': at the end of the initial fast buffer the metric is set the same way
//   at the chain's current point, where Stan keeps the identity through the first slow window.
// Why: with the identity metric, the initial buffer and the first slow window of a model whose
// posterior scales span orders of magnitude run at tiny step sizes and maximal trees; on VOLTA
// (hierarchical, fixed transforms, 4 × (1000 + 1000)) these two changes cut the fit's gradient
// evaluations from 0.55 M to 0.32 M (sampling coordinates; 1.21 M in θ with Stan's warmup;
// bench/results/sampling-coordinates.md) at the
// same ESS per draw (test/metric-init.test.ts, test/optimize.test.ts check the mechanisms).

import { finalDualAveraging, initDualAveraging, restartDualAveraging, updateDualAveraging } from './adaptation/dual-averaging.js';
import type { DualAveragingState } from './adaptation/dual-averaging.js';
import {
  finalWelfordCovar,
  finalWelfordVar,
  initWelfordCovar,
  initWelfordVar,
  restartWelfordCovar,
  restartWelfordVar,
  updateWelfordCovar,
  updateWelfordVar,
} from './adaptation/welford.js';
import type { WelfordCovar, WelfordVar } from './adaptation/welford.js';
import { isInAdaptationWindow, windowSchedule, type WindowSchedule } from './adaptation/window-schedule.js';
import { SamplerError, SamplingAbortedError } from './errors.js';
import { findInitialPoint } from './init.js';
import { lbfgsAscent } from './optimize.js';
import { buildDenseMetric, buildDiagMetric, buildUnitMetric, type Metric } from './metric.js';
import { buildNutsScratch, initStepSize, nutsTransition, type NutsInfo, type NutsScratch, type NutsState } from './nuts.js';
import { buildChainRng, type Rng } from './rng.js';
import type { LogDensity, MetricInit, MetricKind, ProgressEvent } from './types.js';

/** Everything one chain needs besides the target (structured-cloneable). */
export interface ChainConfig {
  readonly chain: number;
  readonly seed: number | string;
  readonly numWarmup: number;
  readonly numDraws: number;
  readonly targetAccept: number;
  readonly maxTreeDepth: number;
  readonly metricKind: MetricKind;
  readonly init: ArrayLike<number> | null;
  /** The metric of the first slow window (see the header): 'curvature' or Stan's 'unit'. */
  readonly metricInit: MetricInit;
  /** L-BFGS from the initial point before warmup (optimize.ts); with 'curvature', also the first metric. */
  readonly initOptimize: boolean;
}

export interface ChainStats {
  readonly stepsize: Float64Array;
  readonly treedepth: Float64Array;
  readonly n_leapfrog: Float64Array;
  readonly divergent: Float64Array;
  readonly energy: Float64Array;
  readonly accept_stat: Float64Array;
  readonly lp: Float64Array;
}

export interface ChainResult {
  readonly chain: number;
  readonly dim: number;
  readonly parameterNames: string[];
  /** numDraws × dim, row-major. */
  readonly draws: Float64Array;
  readonly stats: ChainStats;
  readonly metric: Float64Array;
  readonly stepSize: number;
  readonly warmupSeconds: number;
  readonly samplingSeconds: number;
  readonly numGradientEvaluations: number;
}

/** The in-flight state of one chain (advanced one iteration at a time by stepChainRun). */
export interface ChainRun {
  readonly config: ChainConfig;
  readonly target: LogDensity;
  readonly rng: Rng;
  readonly state: NutsState;
  readonly scratch: NutsScratch;
  readonly schedule: WindowSchedule;
  readonly dualAveraging: DualAveragingState;
  readonly welfordVar: WelfordVar | null;
  readonly welfordCovar: WelfordCovar | null;
  readonly inverseMetricEstimate: Float64Array;
  readonly draws: Float64Array;
  readonly stats: ChainStats;
  metric: Metric;
  stepSize: number;
  iteration: number;
  nextWindow: number;
  numWarmupDivergences: number;
  numSamplingDivergences: number;
  lastInfo: NutsInfo | null;
  lastStepSize: number;
  startTime: number;
  samplingStartTime: number;
  endTime: number;
  numInitEvaluations: number;
  lastProgressIteration: number;
  lastProgressTime: number;
}

const PROGRESS_INTERVAL_MS = 200;

function now(): number {
  return performance.now();
}

/** Parameter names of a target, defaulting to theta[1] … theta[dim]. */
export function targetParameterNames(target: LogDensity): string[] {
  const names = target.parameterNames;
  if (names === undefined) return Array.from({ length: target.dim }, (_, i) => `theta[${i + 1}]`);
  if (names.length !== target.dim) {
    throw new SamplerError('INVALID_TARGET', `The target has dim ${target.dim} but ${names.length} parameterNames; give one name per unconstrained coordinate.`);
  }
  return [...names];
}

/** Checks the shape of a LogDensity (dim and method), with a message naming what is wrong. */
export function assertLogDensity(target: unknown, where: string): asserts target is LogDensity {
  const t = target as Partial<LogDensity> | null;
  if (t === null || typeof t !== 'object') {
    throw new SamplerError('INVALID_TARGET', `${where} is ${t === null ? 'null' : typeof t}; expected a LogDensity { dim, logDensityAndGradient(theta, gradOut) } or a TargetSpec { module, export, args }.`);
  }
  if (typeof t.dim !== 'number' || !Number.isInteger(t.dim) || t.dim < 1) {
    throw new SamplerError('INVALID_TARGET', `${where}.dim is ${String(t.dim)}; expected a positive integer (the number of unconstrained parameters).`);
  }
  if (typeof t.logDensityAndGradient !== 'function') {
    throw new SamplerError('INVALID_TARGET', `${where}.logDensityAndGradient is not a function; expected (theta: Float64Array, gradOut: Float64Array) => number.`);
  }
}

/** Sets up a chain: its random stream, initial point and step size, and the warmup state. */
export function initChainRun(target: LogDensity, config: ChainConfig): ChainRun {
  const startTime = now();
  const dim = target.dim;
  const rng = buildChainRng(config.seed, config.chain);
  const { state, numTries } = findInitialPoint(target, rng, config.chain, config.init);
  let numInitEvaluations = numTries;
  const scratch = buildNutsScratch(target, config.maxTreeDepth);
  let metric = buildUnitMetric(config.metricKind, dim);
  if (config.initOptimize && config.numWarmup > 0) {
    // Start warmup near a mode (optimize.ts), with the metric of that point's curvature.
    const opt = lbfgsAscent(target, state.position, state.logDensity, state.gradient);
    state.position.set(opt.position);
    state.logDensity = opt.logDensity;
    state.gradient.set(opt.gradient);
    numInitEvaluations += opt.numEvaluations;
    if (config.metricInit === 'curvature') {
      const est = new Float64Array(dim);
      curvatureInverseMetric(target, state.position, new Float64Array(dim).fill(1), est);
      numInitEvaluations += 2 * dim;
      metric = metricFromDiagonal(config.metricKind, est) ?? metric;
    }
  }
  // Stan: mu = log(10 * stepsize) with the nominal initial step size 1, then init_stepsize.
  const dualAveraging = initDualAveraging(1, { targetAccept: config.targetAccept });
  const stepSize = initStepSize(rng, state, 1, metric, scratch);
  dualAveraging.stepSize = stepSize;
  const n = config.numDraws;
  const isDense = config.metricKind === 'dense';
  const samplingStartTime = config.numWarmup === 0 ? now() : 0;
  return {
    config,
    target,
    rng,
    state,
    scratch,
    schedule: windowSchedule(config.numWarmup),
    dualAveraging,
    welfordVar: isDense ? null : initWelfordVar(dim),
    welfordCovar: isDense ? initWelfordCovar(dim) : null,
    inverseMetricEstimate: Float64Array.from(metric.inverse),
    draws: new Float64Array(n * dim),
    stats: {
      stepsize: new Float64Array(n),
      treedepth: new Float64Array(n),
      n_leapfrog: new Float64Array(n),
      divergent: new Float64Array(n),
      energy: new Float64Array(n),
      accept_stat: new Float64Array(n),
      lp: new Float64Array(n),
    },
    metric,
    stepSize,
    iteration: 0,
    nextWindow: 0,
    numWarmupDivergences: 0,
    numSamplingDivergences: 0,
    lastInfo: null,
    lastStepSize: stepSize,
    startTime,
    samplingStartTime,
    endTime: 0,
    numInitEvaluations,
    lastProgressIteration: 0,
    lastProgressTime: startTime,
  };
}

export function isChainRunDone(run: ChainRun): boolean {
  return run.iteration >= run.config.numWarmup + run.config.numDraws;
}

function updateMetric(run: ChainRun): void {
  const est = run.inverseMetricEstimate;
  const dim = run.target.dim;
  if (run.welfordVar !== null) {
    finalWelfordVar(run.welfordVar, est);
    restartWelfordVar(run.welfordVar);
    run.metric = buildDiagMetric(est);
  } else if (run.welfordCovar !== null) {
    finalWelfordCovar(run.welfordCovar, est);
    restartWelfordCovar(run.welfordCovar);
    try {
      run.metric = buildDenseMetric(est, dim);
    } catch (error) {
      if (!(error instanceof SamplerError)) throw error;
      est.set(run.metric.inverse); // keep the previous metric
    }
  }
}

/**
 * The diagonal of the negative Hessian at `position` by central differences of the gradient
 * (2·dim evaluations) into `out`: entry 1 / (−∂²lp/∂θ_i²), the conditional variance of θ_i,
 * clamped to [1e-12, 1e12]; entries with non-positive or non-finite curvature keep `current`'s.
 */
function curvatureInverseMetric(target: LogDensity, position: Float64Array, current: ArrayLike<number>, out: Float64Array): void {
  const dim = target.dim;
  const q = Float64Array.from(position);
  const gPlus = new Float64Array(dim);
  const gMinus = new Float64Array(dim);
  for (let i = 0; i < dim; i++) {
    const x = q[i]!;
    const h = CURVATURE_STEP * Math.max(1, Math.abs(x));
    q[i] = x + h;
    const lpPlus = target.logDensityAndGradient(q, gPlus);
    q[i] = x - h;
    const lpMinus = target.logDensityAndGradient(q, gMinus);
    q[i] = x;
    const v = (2 * h) / -(gPlus[i]! - gMinus[i]!);
    const ok = lpPlus > -Infinity && lpMinus > -Infinity && v > 0 && v < Infinity;
    out[i] = ok ? Math.min(Math.max(v, 1e-12), 1e12) : current[i]!;
  }
}

/** Replaces the chain's metric by the curvature one at its current position (2·dim evaluations). */
function curvatureMetric(run: ChainRun): void {
  const dim = run.target.dim;
  const m = run.metric;
  const current = m.kind === 'diag' ? m.inverse : Float64Array.from({ length: dim }, (_, i) => m.inverse[i * dim + i]!);
  const diagonal = new Float64Array(dim);
  curvatureInverseMetric(run.target, run.state.position, current, diagonal);
  run.numInitEvaluations += 2 * dim;
  run.metric = metricFromDiagonal(m.kind, diagonal) ?? m;
}

/** A metric with this inverse diagonal (dim entries); null when a dense one does not factorise in floating point. */
function metricFromDiagonal(kind: MetricKind, diagonal: Float64Array): Metric | null {
  if (kind === 'diag') return buildDiagMetric(diagonal);
  const dim = diagonal.length;
  const dense = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) dense[i * dim + i] = diagonal[i]!;
  try {
    return buildDenseMetric(dense, dim);
  } catch (error) {
    if (!(error instanceof SamplerError)) throw error;
    return null;
  }
}

const CURVATURE_STEP = 1e-5;

/** Advances the chain by one iteration (warmup or sampling). */
export function stepChainRun(run: ChainRun): void {
  const { config, rng, state, scratch } = run;
  const i = run.iteration;
  const stepSize = run.stepSize;
  const info = nutsTransition(rng, state, { stepSize, metric: run.metric, maxTreeDepth: config.maxTreeDepth }, scratch);
  run.lastInfo = info;
  run.lastStepSize = stepSize;
  if (i < config.numWarmup) {
    if (info.isDivergent) run.numWarmupDivergences++;
    run.stepSize = updateDualAveraging(run.dualAveraging, info.acceptStat);
    const schedule = run.schedule;
    if (schedule.isMetricAdapted) {
      if (isInAdaptationWindow(schedule, i)) {
        if (run.welfordVar !== null) updateWelfordVar(run.welfordVar, state.position);
        else if (run.welfordCovar !== null) updateWelfordCovar(run.welfordCovar, state.position);
      }
      if (i === schedule.initBuffer - 1 && config.metricInit === 'curvature') {
        curvatureMetric(run);
        run.stepSize = initStepSize(rng, state, run.stepSize, run.metric, scratch);
        restartDualAveraging(run.dualAveraging, run.stepSize);
      }
      if (i === schedule.windowEnds[run.nextWindow]) {
        run.nextWindow++;
        updateMetric(run);
        run.stepSize = initStepSize(rng, state, run.stepSize, run.metric, scratch);
        restartDualAveraging(run.dualAveraging, run.stepSize);
      }
    }
    if (i === config.numWarmup - 1) {
      run.stepSize = finalDualAveraging(run.dualAveraging);
      run.samplingStartTime = now();
    }
  } else {
    const k = i - config.numWarmup;
    const dim = run.target.dim;
    run.draws.set(state.position, k * dim);
    const st = run.stats;
    st.stepsize[k] = stepSize;
    st.treedepth[k] = info.treeDepth;
    st.n_leapfrog[k] = info.numLeapfrog;
    st.divergent[k] = info.isDivergent ? 1 : 0;
    st.energy[k] = info.energy;
    st.accept_stat[k] = info.acceptStat;
    st.lp[k] = info.logDensity;
    if (info.isDivergent) run.numSamplingDivergences++;
  }
  run.iteration = i + 1;
}

/** A progress event for the latest iteration, or null when throttled (1 % or 200 ms). */
export function takeProgressEvent(run: ChainRun, force = false): ProgressEvent | null {
  const total = run.config.numWarmup + run.config.numDraws;
  const it = run.iteration;
  const onePercent = Math.max(1, Math.floor(total / 100));
  const t = now();
  if (!force && it < total && it - run.lastProgressIteration < onePercent && t - run.lastProgressTime < PROGRESS_INTERVAL_MS) {
    return null;
  }
  run.lastProgressIteration = it;
  run.lastProgressTime = t;
  const isWarmup = it <= run.config.numWarmup && run.config.numWarmup > 0;
  return {
    chain: run.config.chain,
    iteration: it,
    numIterations: total,
    phase: isWarmup ? 'warmup' : 'sampling',
    divergences: isWarmup ? run.numWarmupDivergences : run.numSamplingDivergences,
    stepSize: run.lastStepSize,
    treedepth: run.lastInfo?.treeDepth ?? 0,
  };
}

export function finishChainRun(run: ChainRun): ChainResult {
  run.endTime = now();
  const warmupEnd = run.samplingStartTime;
  return {
    chain: run.config.chain,
    dim: run.target.dim,
    parameterNames: targetParameterNames(run.target),
    draws: run.draws,
    stats: run.stats,
    metric: Float64Array.from(run.metric.inverse),
    stepSize: run.stepSize,
    warmupSeconds: (warmupEnd - run.startTime) / 1000,
    samplingSeconds: (run.endTime - warmupEnd) / 1000,
    numGradientEvaluations: run.numInitEvaluations + run.scratch.numGradientEvaluations,
  };
}

/** Runs a whole chain synchronously (used inside workers). */
export function runChain(target: LogDensity, config: ChainConfig, onProgress?: (event: ProgressEvent) => void): ChainResult {
  const run = initChainRun(target, config);
  while (!isChainRunDone(run)) {
    stepChainRun(run);
    if (onProgress) {
      const event = takeProgressEvent(run);
      if (event) onProgress(event);
    }
  }
  return finishChainRun(run);
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const YIELD_INTERVAL_MS = 20;

/**
 * Runs a whole chain in this thread, yielding to the event loop every ~20 ms so that an abort
 * signal is noticed; throws SamplingAbortedError when it fires.
 */
export async function runChainAsync(
  target: LogDensity,
  config: ChainConfig,
  onProgress?: (event: ProgressEvent) => void,
  signal?: AbortSignal,
): Promise<ChainResult> {
  if (signal?.aborted) throw new SamplingAbortedError();
  const run = initChainRun(target, config);
  let lastYield = now();
  while (!isChainRunDone(run)) {
    stepChainRun(run);
    if (onProgress) {
      const event = takeProgressEvent(run);
      if (event) onProgress(event);
    }
    if ((run.iteration & 3) === 0 && now() - lastYield > YIELD_INTERVAL_MS) {
      await yieldToEventLoop();
      lastYield = now();
      if (signal?.aborted) throw new SamplingAbortedError();
    }
  }
  return finishChainRun(run);
}
