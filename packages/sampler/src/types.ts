// Public data types of the sampler: the target (log density), the options of `sample()`, the
// progress event and the `Posterior` it returns. Plain data only, so that everything here can
// cross a worker boundary by structured clone.

/**
 * A log density on the unconstrained scale, with its gradient.
 *
 * `logDensityAndGradient` returns log p(theta) (up to a constant) and writes d log p / d theta
 * into `gradOut`. Outside the support it returns `-Infinity` (a rejected proposal, never a
 * throw). It must not keep a reference to `theta` or `gradOut`: the sampler reuses both.
 */
export interface LogDensity {
  readonly dim: number;
  readonly parameterNames?: readonly string[];
  logDensityAndGradient(theta: Float64Array, gradOut: Float64Array): number;
}

/**
 * A target that a worker thread can rebuild: the worker imports `module` and calls
 * `module[export](...args)` to get the `LogDensity` (the factory may return a promise).
 */
export interface TargetSpec {
  /** Absolute path or `file:` URL of an ES module (a `.ts` module is loaded through tsx). */
  readonly module: string;
  /** Name of the factory function exported by `module`. */
  readonly export: string;
  /** Structured-cloneable arguments passed to the factory. */
  readonly args?: readonly unknown[];
}

export type Target = LogDensity | TargetSpec;

export type MetricKind = 'diag' | 'dense';

export type SamplingPhase = 'warmup' | 'sampling';

/** Throttled progress report of one chain (at most about every 1 % of iterations or 200 ms). */
export interface ProgressEvent {
  /** Chain index, 0-based. */
  readonly chain: number;
  /** Iterations done so far in this chain, warmup included (1 … numIterations). */
  readonly iteration: number;
  readonly numIterations: number;
  readonly phase: SamplingPhase;
  /** Divergent transitions so far in the current phase. */
  readonly divergences: number;
  /** Step size of the latest transition. */
  readonly stepSize: number;
  /** Tree depth of the latest transition. */
  readonly treedepth: number;
}

/** See SampleOptions.metricInit. */
export type MetricInit = 'curvature' | 'unit';

export interface SampleOptions {
  /** Number of chains (default 4). */
  chains?: number;
  /** Warmup (adaptation) iterations per chain, not returned (default 1000). */
  warmup?: number;
  /** Post-warmup draws per chain (default 1000). */
  draws?: number;
  /** Seed; chain c uses the stream seeded by `${seed}:${c}`. Default: drawn from crypto. */
  seed?: number | string;
  /** Target average acceptance statistic of the step-size adaptation, in (0, 1) (default 0.8). */
  targetAccept?: number;
  /** Maximum tree depth, 1 … 20 (default 10). */
  maxTreeDepth?: number;
  /** Adapted inverse metric: diagonal or dense (default 'diag'). */
  metric?: MetricKind;
  /**
   * The metric of the first slow warmup window: 'curvature' (default) sets it from the
   * curvature of the log density at the end of the initial fast buffer (chain.ts); 'unit'
   * keeps the identity there, as Stan does.
   */
  metricInit?: MetricInit;
  /**
   * Before warmup, move each chain's initial point up the log density with L-BFGS (optimize.ts;
   * default true); with metricInit 'curvature' the warmup's first metric is then the curvature
   * there. false starts warmup at the initial point, as Stan does.
   */
  initOptimize?: boolean;
  /** Initial point (unconstrained scale): one for all chains, or one per chain. */
  init?: ArrayLike<number> | readonly ArrayLike<number>[];
  /**
   * Worker threads: `true` (default) = one per core (`os.availableParallelism()`, capped at
   * `chains`), a number = that many, `false` = run the chains one after another in this thread.
   * Only a `TargetSpec` can run in workers; a `LogDensity` object always runs in this thread.
   */
  parallel?: boolean | number;
  onProgress?: (event: ProgressEvent) => void;
  /** Aborting terminates the workers and rejects with `SamplingAbortedError`. */
  signal?: AbortSignal;
}

/** Per-draw sampler diagnostics with Stan's names; one Float64Array (numDraws) per chain. */
export interface SampleStats {
  readonly stepsize: Float64Array[];
  readonly treedepth: Float64Array[];
  readonly n_leapfrog: Float64Array[];
  /** 1 for a divergent transition, else 0. */
  readonly divergent: Float64Array[];
  /** Hamiltonian at the selected state. */
  readonly energy: Float64Array[];
  readonly accept_stat: Float64Array[];
  /** Log density at the selected state. */
  readonly lp: Float64Array[];
}

export interface Posterior {
  readonly numChains: number;
  readonly numDraws: number;
  readonly numWarmup: number;
  readonly dim: number;
  readonly parameterNames: string[];
  /** One Float64Array per chain: numDraws × dim, row-major, post-warmup, unconstrained scale. */
  readonly draws: Float64Array[];
  readonly sampleStats: SampleStats;
  readonly metricKind: MetricKind;
  /** Final inverse metric per chain: dim entries (diag) or dim × dim row-major (dense). */
  readonly metric: Float64Array[];
  /** Adapted step size per chain. */
  readonly stepSize: number[];
  readonly seed: number | string;
  readonly warmupSeconds: number[];
  readonly samplingSeconds: number[];
  readonly wallSeconds: number;
  /** Gradient evaluations per chain, all phases (initialisation, step-size search, warmup, sampling). */
  readonly numGradientEvaluations: number[];
}
