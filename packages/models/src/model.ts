/**
 * Pooled, unpooled and hierarchical marketing mix models: `buildModel` composes the design and
 * the terms of the log density, and exposes the constrained ↔ unconstrained maps and the
 * per-draw derived quantities.
 *
 * Follows shared/design/model-spec.md §3–§6 exactly (scaled target y_s, per-market spend
 * scaling from the panel, normalized adstock with l_max = 8, Hill saturation, Fourier order 2,
 * trend t / T_max, the §5 priors) and Stan's conventions:
 * - positive parameters are sampled as u = log x with the Jacobian u added; the learned
 *   adstock rate as u = logit α with log α + log(1 − α) added;
 * - the log density drops exactly the terms that Stan's `~` statements drop (terms constant
 *   in the parameters: −½log 2π, −log s of priors with fixed scale, normalizers of the
 *   half-normal truncation, the Beta function and the Student-t Γ terms), so
 *   `logDensityAndGradient` equals the `lp__` of the Stan programs in README.md;
 * - `initialPoint` draws uniform(−2, 2) on the unconstrained scale, Stan's default.
 *
 * Where each part lives (each file's header has its definitions, sources and deviations):
 * - options.ts — options and their validation; layout.ts — θ and draw layout, design columns;
 * - design.ts — ModelData, built once from the panel (X, grid, spend totals, sufficient
 *   statistics); deviation: controls enter standardized by default (`controlScaling: 'raw'`);
 * - roas-priors.ts — the media-coefficient prior, and ROAS priors mapped onto it;
 * - terms/ — the log density, lp = Σ term.forward, gradient by the backwards in reverse order
 *   (terms/term.ts): learned-transforms.ts, hierarchy.ts, time-varying.ts, likelihood.ts
 *   (sufficient / direct / direct-Normal, same value to ~1e-9), lift-tests.ts;
 * - constrain.ts — constrain, unconstrain, logJacobian, initialPoint;
 * - derived.ts — the draw view (mean, y_rep, pointwise log-likelihood, contributions, ROAS,
 *   marginal ROAS, lift predictions) from one load of a draw; stan-data.ts — the Stan export.
 */
import { checkLength, checkOut, constrain, initialPoint, logJacobian, unconstrain } from './constrain.js';
import { SamplingCoordinates } from './coordinates.js';
import { forecastBasis, type ForecastBasis } from './forecast.js';
import { latestMultipliers, LoadedDraw, type Contributions, type DrawContext, type DrawView } from './derived.js';
import { ModelData } from './design.js';
import { buildLayout, type Layout, type ModelKind } from './layout.js';
import { resolveOptions, type BuildModelOptions, type ChannelTransform, type LiftTestInput, type Likelihood, type OutputScale } from './options.js';
import type { PanelData } from './panel.js';
import type { Priors } from './priors.js';
import type { Rng } from './random.js';
import { mediaPriors } from './roas-priors.js';
import { stanData } from './stan-data.js';
import { FlatTerm, HierarchicalTerm, type CoefficientTerm } from './terms/hierarchy.js';
import { LearnedTransformsTerm } from './terms/learned-transforms.js';
import { channelSlots } from './transform-kinds.js';
import { LiftTestsTerm } from './terms/lift-tests.js';
import { DirectLikelihood, DirectNormalLikelihood, SufficientLikelihood } from './terms/likelihood.js';
import { createScratch, resetAdjoints, type Scratch, type Term } from './terms/term.js';
import { TimeVaryingTerm } from './terms/time-varying.js';

export interface Model {
  readonly kind: ModelKind;
  readonly likelihood: Likelihood;
  readonly isLearnedTransforms: boolean;
  /** The path actually used by `logDensityAndGradient`. */
  readonly path: 'sufficient' | 'direct';
  readonly priors: Priors;
  /** Per channel: the fixed transforms, or the prior centres when learned. */
  readonly transforms: readonly ChannelTransform[];
  readonly markets: readonly string[];
  readonly channels: readonly string[];
  readonly controls: readonly string[];
  readonly numObs: number;
  /** The lift tests the likelihood includes (as given). */
  readonly liftTests: readonly LiftTestInput[];
  /** Time-varying channels and knots (null when every effect is constant). */
  readonly timeVarying: { readonly channels: readonly string[]; readonly knotEvery: number; readonly numKnots: number } | null;
  /** Observed row → market index (copy of the panel's). */
  readonly obsMarket: Int32Array;
  /** Dimension of the unconstrained vector. */
  readonly dim: number;
  /** Names of the unconstrained coordinates, e.g. `sigma_log[DE]`. */
  readonly parameterNames: readonly string[];
  readonly constrainedDim: number;
  /** Stan-style names of the constrained draw (parameters and transformed parameters). */
  readonly constrainedNames: readonly string[];
  /** Index maps between the vectors (see layout.ts). */
  readonly layout: Layout;
  /** Log density up to a constant (= Stan's lp__) and its gradient; −Infinity outside support. */
  logDensityAndGradient(theta: Float64Array, gradOut: Float64Array): number;
  logDensity(theta: Float64Array): number;
  /** Unconstrained θ → constrained draw (constrainedNames order). */
  constrain(theta: Float64Array, out?: Float64Array): Float64Array;
  /** Constrained draw (array in constrainedNames order, or a record by name) → θ. */
  unconstrain(constrained: ArrayLike<number> | Readonly<Record<string, number>>): Float64Array;
  /** log |d constrained / d θ| of the parameters (not the transformed parameters). */
  logJacobian(theta: Float64Array): number;
  /** Stan's default initialization: uniform(−radius, radius), radius 2. */
  initialPoint(rng: Rng, options?: { radius?: number }): Float64Array;
  /**
   * Loads a constrained draw once (coefficients, sigma, and — learned transforms — one adstock
   * and Hill pass per channel) and returns its derived quantities (derived.ts). The methods
   * below each load the draw again; prefer the view when several are needed.
   */
  loadDraw(constrained: ArrayLike<number>): DrawView;
  /** μ per observed row (money by default). */
  mean(constrained: ArrayLike<number>, out: Float64Array, options?: { scale?: OutputScale }): Float64Array;
  /** y_rep per observed row (money by default). */
  posteriorPredictive(
    constrained: ArrayLike<number>,
    rng: Rng,
    out: Float64Array,
    options?: { scale?: OutputScale },
  ): Float64Array;
  /** Full normalized log-likelihood per observed row, of y_s by default. */
  pointwiseLogLik(constrained: ArrayLike<number>, out: Float64Array, options?: { scale?: OutputScale }): Float64Array;
  contributions(constrained: ArrayLike<number>): Contributions;
  /** G×C row-major: contrib[g,c] / Σ spend[g,·,c]; NaN when that spend is 0. */
  roas(constrained: ArrayLike<number>, out: Float64Array): Float64Array;
  /** G×C: extra revenue from +1% spend in every observed week of (g,c) / extra spend. */
  marginalRoas(constrained: ArrayLike<number>, out: Float64Array): Float64Array;
  /** Per lift test: the model-implied lift (money) of a draw, comparable with the measured one. */
  liftTestPredictions(constrained: ArrayLike<number>, out: Float64Array): Float64Array;
  /**
   * C: the effect multiplier of each channel at the last observed week (1 for constant
   * effects): what a forecast (the optimizer) should scale the coefficient by.
   */
  latestMultipliers(constrained: ArrayLike<number>, out: Float64Array): Float64Array;
  /**
   * The response of a future plan over `weeks` weeks (default 13), per draw and market-channel
   * cell: coefficient × y_scale × latest multiplier, the saturation parameters, and the
   * carry-over and plan slope of each horizon term (forecast.ts). The optimizer's curves.
   * `draws` are constrained draws (constrainedNames order): one matrix or one per chain.
   */
  forecastBasis(draws: Float64Array | readonly Float64Array[], options?: { weeks?: number }): ForecastBasis;
  /**
   * The model's inputs as plain JSON-able data for an independent Stan program (README "Stan
   * equivalence"): the exact y_s, τ, F, controls and H the log density uses (H at the fixed
   * transforms, or at the prior centres when learned), the grid for learned transforms, and
   * the prior constants. Indices are 1-based.
   */
  stanData(): Record<string, number | number[] | number[][]>;
  /**
   * The density the sampler runs on: the same posterior in coordinates with a better geometry
   * (coordinates.ts). Its draws are mapped to constrained draws by `sampling.constrain`.
   */
  readonly sampling: SamplingTarget;
}

/** The posterior in sampling coordinates ψ (coordinates.ts): a LogDensity for the sampler. */
export interface SamplingTarget {
  readonly dim: number;
  /** Names of ψ's coordinates: θ's, with the level coordinates named `alpha_level[...]`. */
  readonly parameterNames: readonly string[];
  /**
   * Per coefficient set (market, or the one pooled set): λ, the non-centring weight of its
   * level coordinate — 0 centred, 1 non-centred, chosen from the data (coordinates.ts); 0 for
   * the flat sets of the pooled and unpooled models, which have no population to centre on.
   */
  readonly levelNonCentring: readonly number[];
  /** lp_θ(φ(ψ)) + log|det ∂φ/∂ψ| and its gradient; −Infinity outside the support. */
  logDensityAndGradient(psi: Float64Array, gradOut: Float64Array): number;
  /** θ = φ(ψ), the model's unconstrained coordinates. */
  toModel(psi: Float64Array, out?: Float64Array): Float64Array;
  /** ψ = φ⁻¹(θ). */
  fromModel(theta: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** ψ → constrained draw (the model's constrainedNames order). */
  constrain(psi: Float64Array, out?: Float64Array): Float64Array;
}

/** Builds a model of `panel` (see `BuildModelOptions`). Throws `ModelError` for bad options. */
export function buildModel(panel: PanelData, options: BuildModelOptions): Model {
  return new MarketingMixModel(panel, options);
}

/** The design and the terms of a model, in forward order, with their shared scratch. */
export interface ModelParts extends DrawContext {
  readonly terms: readonly Term[];
  readonly scratch: Scratch;
  readonly hierarchy: CoefficientTerm;
  readonly likelihoodTerm: Term;
  readonly learned: LearnedTransformsTerm | null;
}

/** Builds ModelData and every term (validating the options); model.ts and the term tests use it. */
export function buildModelParts(
  panel: PanelData,
  options: BuildModelOptions,
): ModelParts & { priors: Priors; path: 'sufficient' | 'direct'; liftTests: readonly LiftTestInput[] } {
  const opts = resolveOptions(panel, options);
  const slots = opts.transforms.map((t) => channelSlots(t).names);
  const layout = buildLayout(opts.kind, panel.markets, panel.channels, panel.controls, opts.isLearned, {
    channels: opts.tvChannels,
    numKnots: opts.tvKnots,
  }, slots);
  const data = new ModelData(panel, opts, layout);
  const prior = mediaPriors(data, opts.priors, opts.kind);
  const hierarchy =
    opts.kind === 'hierarchical'
      ? new HierarchicalTerm(data, opts.priors, prior.mean, prior.sd)
      : new FlatTerm(data, opts.priors, prior.mean, prior.sd);
  const tv = new TimeVaryingTerm(data, opts, opts.priors.tv_sigma.half_normal);
  const lift = new LiftTestsTerm(data, opts, tv, opts.isLearned);
  const learned = opts.isLearned ? new LearnedTransformsTerm(data, opts.priors) : null;
  const likelihoodTerm =
    opts.path === 'sufficient'
      ? new SufficientLikelihood(data)
      : opts.likelihood === 'normal'
        ? new DirectNormalLikelihood(data)
        : new DirectLikelihood(data, opts.priors.student_t_nu);
  const terms: Term[] = [];
  if (learned !== null) terms.push(learned);
  terms.push(hierarchy);
  if (tv.count > 0) terms.push(tv);
  terms.push(likelihoodTerm);
  if (lift.count > 0) terms.push(lift);
  const scratch = createScratch(data.X, {
    N: data.N,
    C: data.C,
    P: data.P,
    numSets: data.numSets,
    isLearned: opts.isLearned,
    lMax: data.transforms.map((t) => t.lMax),
    slotUsed: [0, 1, 2, 3].map((j) => slots.some((n) => n[j] !== null)),
    numTv: tv.count,
    numKnots: tv.numKnots,
  });
  return {
    data, terms, scratch, hierarchy, likelihoodTerm, learned, tv, lift,
    likelihood: opts.likelihood, nu: opts.priors.student_t_nu, isLearned: opts.isLearned,
    priors: opts.priors, path: opts.path, liftTests: opts.liftTests,
  };
}

/**
 * lp = Σ term.forward(θ), then the backwards in reverse order; −Infinity and a zero gradient
 * when a term rejects θ or the value or gradient is not finite.
 */
export function evaluateTerms(terms: readonly Term[], s: Scratch, theta: Float64Array, grad: Float64Array): number {
  grad.fill(0);
  resetAdjoints(s);
  let lp = 0;
  for (let i = 0; i < terms.length; i++) {
    const part = terms[i]!.forward(theta, grad, s);
    if (part === -Infinity) return reject(grad);
    lp += part;
  }
  for (let i = terms.length - 1; i >= 0; i--) terms[i]!.backward(theta, grad, s);
  if (!(lp > -Infinity && lp < Infinity)) return reject(grad);
  const d = grad.length;
  for (let i = 0; i < d; i++) if (!Number.isFinite(grad[i]!)) return reject(grad);
  return lp;
}

function reject(grad: Float64Array): number {
  grad.fill(0);
  return -Infinity;
}

class MarketingMixModel implements Model {
  readonly kind: ModelKind;
  readonly likelihood: Likelihood;
  readonly isLearnedTransforms: boolean;
  readonly path: 'sufficient' | 'direct';
  readonly priors: Priors;
  readonly transforms: readonly ChannelTransform[];
  readonly markets: readonly string[];
  readonly channels: readonly string[];
  readonly controls: readonly string[];
  readonly numObs: number;
  readonly liftTests: readonly LiftTestInput[];
  readonly timeVarying: Model['timeVarying'];
  readonly obsMarket: Int32Array;
  readonly dim: number;
  readonly parameterNames: readonly string[];
  readonly constrainedDim: number;
  readonly constrainedNames: readonly string[];
  readonly layout: Layout;
  private readonly parts: ModelParts;
  private readonly data: ModelData;
  private readonly gradScratch: Float64Array;
  readonly sampling: SamplingTarget;

  constructor(panel: PanelData, options: BuildModelOptions) {
    const parts = buildModelParts(panel, options);
    const { data, tv } = parts;
    this.parts = parts;
    this.data = data;
    this.kind = data.layout.kind;
    this.likelihood = parts.likelihood;
    this.isLearnedTransforms = parts.isLearned;
    this.path = parts.path;
    this.priors = parts.priors;
    this.transforms = data.transforms;
    this.markets = data.markets;
    this.channels = data.channels;
    this.controls = data.controls;
    this.numObs = data.N;
    this.liftTests = parts.liftTests;
    this.timeVarying =
      tv.count > 0
        ? Object.freeze({
            channels: Object.freeze(Array.from(tv.tvIdx, (c) => data.channels[c]!)),
            knotEvery: tv.every,
            numKnots: tv.numKnots,
          })
        : null;
    this.obsMarket = data.obsMarket;
    this.layout = data.layout;
    this.dim = data.layout.dim;
    this.parameterNames = data.layout.parameterNames;
    this.constrainedDim = data.layout.constrainedDim;
    this.constrainedNames = data.layout.constrainedNames;
    this.gradScratch = new Float64Array(this.dim);
    this.sampling = new CoordinateTarget(this, new SamplingCoordinates(data, parts.hierarchy));
  }

  logDensity(theta: Float64Array): number {
    return this.logDensityAndGradient(theta, this.gradScratch);
  }

  logDensityAndGradient(theta: Float64Array, grad: Float64Array): number {
    return evaluateTerms(this.parts.terms, this.parts.scratch, theta, grad);
  }

  constrain(theta: Float64Array, out: Float64Array = new Float64Array(this.constrainedDim)): Float64Array {
    return constrain(this.data, this.parts.tv, theta, out);
  }

  unconstrain(constrained: ArrayLike<number> | Readonly<Record<string, number>>): Float64Array {
    return unconstrain(this.data, constrained);
  }

  logJacobian(theta: Float64Array): number {
    return logJacobian(this.data, theta);
  }

  initialPoint(rng: Rng, options: { radius?: number } = {}): Float64Array {
    return initialPoint(this.dim, rng, options);
  }

  loadDraw(constrained: ArrayLike<number>): DrawView {
    return new LoadedDraw(this.parts, constrained);
  }

  mean(constrained: ArrayLike<number>, out: Float64Array, options: { scale?: OutputScale } = {}): Float64Array {
    return new LoadedDraw(this.parts, constrained, 'mean').mean(out, options);
  }

  posteriorPredictive(constrained: ArrayLike<number>, rng: Rng, out: Float64Array, options: { scale?: OutputScale } = {}): Float64Array {
    return new LoadedDraw(this.parts, constrained, 'posteriorPredictive').yRep(rng, out, options);
  }

  pointwiseLogLik(constrained: ArrayLike<number>, out: Float64Array, options: { scale?: OutputScale } = {}): Float64Array {
    return new LoadedDraw(this.parts, constrained, 'pointwiseLogLik').logLik(out, options);
  }

  contributions(constrained: ArrayLike<number>): Contributions {
    return new LoadedDraw(this.parts, constrained, 'contributions').contributions();
  }

  roas(constrained: ArrayLike<number>, out: Float64Array): Float64Array {
    checkOut('roas', out, this.data.G * this.data.C);
    return new LoadedDraw(this.parts, constrained, 'contributions').roas(out);
  }

  marginalRoas(constrained: ArrayLike<number>, out: Float64Array): Float64Array {
    return new LoadedDraw(this.parts, constrained, 'marginalRoas').marginalRoas(out);
  }

  liftTestPredictions(constrained: ArrayLike<number>, out: Float64Array): Float64Array {
    return new LoadedDraw(this.parts, constrained, 'liftTestPredictions').liftPredictions(out);
  }

  latestMultipliers(constrained: ArrayLike<number>, out: Float64Array): Float64Array {
    checkOut('latestMultipliers', out, this.data.C);
    checkLength('latestMultipliers', 'constrained', constrained, this.constrainedDim);
    const tv = this.parts.tv;
    const W = new Float64Array(tv.count * tv.numKnots);
    tv.loadKnots(constrained, this.layout, W);
    return latestMultipliers(tv, W, this.data.lastWeek, out);
  }

  forecastBasis(draws: Float64Array | readonly Float64Array[], options: { weeks?: number } = {}): ForecastBasis {
    return forecastBasis(this.data, this.parts.tv, this.parts.isLearned, this.constrainedNames, draws, options.weeks ?? 13);
  }

  stanData(): Record<string, number | number[] | number[][]> {
    return stanData(this.data, this.priors);
  }
}

/** `model.sampling`: the model's density seen through SamplingCoordinates. */
class CoordinateTarget implements SamplingTarget {
  readonly dim: number;
  readonly parameterNames: readonly string[];
  readonly levelNonCentring: readonly number[];
  private readonly theta: Float64Array;
  private readonly gTheta: Float64Array;

  constructor(
    private readonly model: Model,
    private readonly coords: SamplingCoordinates,
  ) {
    this.dim = coords.dim;
    this.parameterNames = coords.parameterNames;
    this.levelNonCentring = Object.freeze(Array.from(coords.nonCentring));
    this.theta = new Float64Array(this.dim);
    this.gTheta = new Float64Array(this.dim);
  }

  logDensityAndGradient(psi: Float64Array, grad: Float64Array): number {
    const logJ = this.coords.toModel(psi, this.theta);
    const lp = this.model.logDensityAndGradient(this.theta, this.gTheta);
    if (lp === -Infinity) return reject(grad);
    this.coords.pullback(this.theta, this.gTheta, grad);
    const value = lp + logJ;
    if (!(value > -Infinity && value < Infinity)) return reject(grad);
    for (let i = 0; i < this.dim; i++) if (!Number.isFinite(grad[i]!)) return reject(grad);
    return value;
  }

  toModel(psi: Float64Array, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    checkLength('sampling.toModel', 'psi', psi, this.dim);
    this.coords.toModel(psi, out);
    return out;
  }

  fromModel(theta: ArrayLike<number>, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    checkLength('sampling.fromModel', 'theta', theta, this.dim);
    return this.coords.fromModel(theta, out);
  }

  constrain(psi: Float64Array, out?: Float64Array): Float64Array {
    return this.model.constrain(this.toModel(psi, this.theta), out);
  }
}
