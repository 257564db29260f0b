/**
 * Pooled, unpooled and hierarchical marketing mix models: log density with analytic gradient
 * on the unconstrained scale, the constrained ↔ unconstrained maps, and the per-draw derived
 * quantities (mean, posterior predictive, pointwise log-likelihood, contributions, ROAS,
 * marginal ROAS).
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
 * Two evaluation paths give the same log density and gradient (tested to ~1e-9 relative):
 * - `sufficient` (Normal likelihood, fixed transforms): the mean is linear in a per-market
 *   coefficient vector b_g = [alpha, delta, gamma(4), gamma_control(K), beta(C)] over the
 *   design X_g = [1, τ, F, controls, H], so Σ(y − μ)² = y'y − 2b'X'y + b'X'Xb with X'X, X'y,
 *   y'y precomputed per market (per model, when pooled): O(G·P²) per evaluation, P = 6+K+C.
 * - `direct`: O(N·P) over the observed rows; used for the Student-t likelihood and for learned
 *   transforms, where adstock and Hill are recomputed with their parameter gradients in one
 *   pass per channel and market along the grid (chain rule through h'(a)·∂a/∂α, ∂h/∂K, ∂h/∂S).
 *
 * Calibration and richer models (issue 8; not in model-spec v1, so documented here):
 * - Lift tests (`liftTests`). A test adds d money per week to channel c of market g in global
 *   weeks s..e. With x the market's scaled spend on its grid (0 in gaps, before its first and
 *   after its last week) and x' = x + d / spendScale[g,c] in s..e, the model-implied lift is
 *   `beta[g,c] · yScale[g] · Σ_{t=s}^{e+L−1} m_c(t) · (h(adstock(x')[t]) − h(adstock(x)[t]))`
 *   — through adstock AND saturation, so a test informs carry-over and curvature too
 *   (PyMC-Marketing's `add_lift_test_measurements` evaluates the saturation curve only, at the
 *   spend before and after the change; Meridian has no lift likelihood, it calibrates through
 *   ROAS priors). Each test adds `lift ~ Normal(implied, lift_se)`, written on the scaled target
 *   (both divided by yScale[g]); with learned transforms the windows are re-convolved per
 *   evaluation with ∂/∂(α, K, S). The perturbed spend scale stays the observed maximum.
 * - ROAS priors (`priors.roas`, as Meridian's ROAS parameterization): a LogNormal with the given
 *   mean and sd (moment-matched) on a channel's ROAS over the observed period. With the model's
 *   transforms fixed, ROAS is linear in the coefficient, roas = beta · k with
 *   k = Σ yScale[g]·Σ_n H[n,c] / Σ spend over the markets the coefficient covers (spec §6), so
 *   the prior becomes `log beta ~ Normal(m − log k, s)` in place of the beta_log_mu prior:
 *   unpooled — per market (optionally with per-market moments); pooled — the shared beta;
 *   hierarchical — the population effect beta_log_mu (k pooled over markets: the ROAS the
 *   channel would have if every market had the population effect). Meridian samples roas and
 *   derives beta; with fixed transforms that is the same density. With learned transforms k is
 *   taken at the prior centres of α, K, S (a deviation: the mapping does not move with them).
 * - Time-varying media effects (`timeVarying`): contribution beta[g,c] · m_c(t) · H[n,c] with
 *   m_c(t) = exp(w_c(t)) pooled across markets; w_c is a Gaussian random walk on knots every E
 *   weeks (J = ceil(T_max / E) + 1 knots; knot 1 is the origin, knot k = knot k−1 + σ_c z_k,
 *   z ~ Normal(0, 1), σ_c ~ HalfNormal(tv_sigma), non-centred like Stan's usual GRW), centred
 *   to mean 0 over the knots so beta keeps its meaning (the average effect), and interpolated
 *   linearly between knots (a low-rank random walk, like PyMC-Marketing's time-varying media
 *   HSGP in spirit, but a random walk rather than a GP). The draws report tv_multiplier[c,k] at
 *   the knots; forecasts (the optimizer) use the multiplier at the last observed week. Forces
 *   the direct path (the multiplier breaks the per-market sufficient statistics).
 *
 * Deviations from a literal reading of the spec:
 * - User controls enter standardized by default (Panel.controlStandardized: (value − mean)/sd
 *   over the observed rows, sd with divisor n, 0 for a constant control), so that the §4
 *   Normal(0, 0.5) prior has a scale-free meaning; `controlScaling: 'raw'` uses the raw
 *   values (§4 says nothing about scaling them).
 * - Marginal ROAS uses the linearity of adstock: adstock(1.01·x) = 1.01·adstock(x) along the
 *   grid, so the bumped Hill input is 1.01·a exactly (no second adstock pass).
 * - The pointwise log-likelihood (for LOO) is the full normalized density of y_s (including
 *   −½log 2π and the Student-t constant); `{ scale: 'money' }` subtracts log(y_scale[g]).
 */
import {
  adstockWeightsWithGradient,
  applyAdstock,
  buildAdstockSpec,
  channelDefaults,
  hill,
  hillScalar,
  type AdstockSpec,
  type ChannelTransformDefaults,
} from '@tributary/transforms';
import { ModelError } from './errors.js';
import {
  EXP,
  FOURIER_TERMS,
  IDENTITY,
  INV_LOGIT,
  buildLayout,
  type Layout,
  type ModelKind,
  type UnconstrainedOffsets,
} from './layout.js';
import { checkPanel, standardizedControls, type PanelData } from './panel.js';
import { resolvePriors, type Priors } from './priors.js';
import { invLogit, logGamma, softplus, standardNormal, studentT, type Rng } from './random.js';

/** Adstock and saturation settings of one channel (as returned by `channelDefaults`). */
export type ChannelTransform = ChannelTransformDefaults;
export type Likelihood = 'normal' | 'student-t';
export type GradientPath = 'auto' | 'sufficient' | 'direct';
export type OutputScale = 'scaled' | 'money';

/**
 * One lift test (experiment) for calibration: `deltaSpend` extra spend per week (money) in
 * weeks `startT..endT` (global week indices, inclusive) of `channel` in `market`, and the
 * measured incremental revenue `lift` (money, over the window and its carry-over) with its
 * standard error. `@tributary/data`'s `LiftTest` has these fields (and more).
 */
export interface LiftTestInput {
  readonly market: string;
  readonly channel: string;
  readonly startT: number;
  readonly endT: number;
  readonly deltaSpend: number;
  readonly lift: number;
  readonly liftSe: number;
}

/** Time-varying media effects: a random-walk multiplier over time per listed channel. */
export interface TimeVaryingOptions {
  /** Channel column names whose effect may drift (pooled across markets). */
  readonly channels: readonly string[];
  /** Weeks between knots of the walk (default 4); weeks between knots are interpolated. */
  readonly knotEvery?: number;
}

export interface BuildModelOptions {
  readonly kind: ModelKind;
  /** Sample per-channel adstock α, Hill K and S (spec §5 "Learned transforms"). Default false. */
  readonly learnTransforms?: boolean;
  /** Default 'normal'. */
  readonly likelihood?: Likelihood;
  /** Overrides of DEFAULT_PRIORS (validated like a priors file). */
  readonly priors?: Partial<Priors>;
  /**
   * Per-channel overrides of the transform defaults (`channelDefaults(column)`), keyed by
   * channel column name. With learned transforms these are the prior centres.
   */
  readonly transforms?: Readonly<Record<string, Partial<ChannelTransform>>>;
  /**
   * Evaluation path. 'auto' (default) uses sufficient statistics when the likelihood is Normal
   * and transforms are fixed, the direct path otherwise. 'sufficient' with Student-t or learned
   * transforms is a configuration error.
   */
  readonly path?: GradientPath;
  /** How controls enter the mean: 'standardized' (default) or 'raw' values. */
  readonly controlScaling?: 'standardized' | 'raw';
  /** Lift tests: each adds `lift ~ Normal(model-implied lift, liftSe)` (see the header). */
  readonly liftTests?: readonly LiftTestInput[];
  /** Time-varying media effects (see the header). Forces the direct path. */
  readonly timeVarying?: TimeVaryingOptions;
}

/** Per-market contributions (money) summed over the market's observed weeks, for one draw. */
export interface Contributions {
  /** G: Σ alpha[g]·y_scale[g]. */
  readonly baseline: Float64Array;
  /** G: Σ delta[g]·τ[n]·y_scale[g]. */
  readonly trend: Float64Array;
  /** G: Σ F[n]·gamma·y_scale[g]. */
  readonly seasonality: Float64Array;
  /** G: Σ controls[n]·gamma_control·y_scale[g] (0 without controls). */
  readonly controls: Float64Array;
  /** G arrays of C: contrib[g,c] = beta[g,c]·y_scale[g]·Σ H[n,c] (spec §6). */
  readonly channels: Float64Array[];
}

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
   * The model's inputs as plain JSON-able data for an independent Stan program (README "Stan
   * equivalence"): the exact y_s, τ, F, controls and H the log density uses (H at the fixed
   * transforms, or at the prior centres when learned), the grid for learned transforms, and
   * the prior constants. Indices are 1-based.
   */
  stanData(): Record<string, number | number[] | number[][]>;
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

function configError(message: string): never {
  throw new ModelError('MODEL_INVALID_OPTIONS', message);
}

function resolveTransform(channel: string, override: Partial<ChannelTransform> | undefined): ChannelTransform {
  const base = channelDefaults(channel);
  const spec = override === undefined ? base : ({ ...base, ...override } as ChannelTransform);
  if (!(spec.alpha >= 0 && spec.alpha < 1)) configError(`transforms.${channel}.alpha = ${spec.alpha}; expected [0, 1)`);
  if (!(spec.K > 0 && Number.isFinite(spec.K))) configError(`transforms.${channel}.K = ${spec.K}; expected > 0`);
  if (!(spec.S > 0 && Number.isFinite(spec.S))) configError(`transforms.${channel}.S = ${spec.S}; expected > 0`);
  if (!(Number.isInteger(spec.lMax) && spec.lMax >= 1)) configError(`transforms.${channel}.lMax = ${spec.lMax}; expected an integer >= 1`);
  if (spec.adstock !== 'geometric' && spec.adstock !== 'delayed') {
    configError(`transforms.${channel}.adstock = ${JSON.stringify(spec.adstock)}; expected 'geometric' or 'delayed'`);
  }
  if (spec.adstock === 'delayed' && !(spec.theta >= 0 && spec.theta <= spec.lMax - 1)) {
    configError(`transforms.${channel}.theta = ${spec.theta}; expected a lag in [0, lMax - 1]`);
  }
  return Object.freeze({ ...spec });
}

/** Builds a model of `panel` (see `BuildModelOptions`). Throws `ModelError` for bad options. */
export function buildModel(panel: PanelData, options: BuildModelOptions): Model {
  return new MarketingMixModel(panel, options);
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

  // ---- data -------------------------------------------------------------------------------
  private readonly G: number;
  private readonly C: number;
  private readonly K: number;
  private readonly P: number;
  private readonly N: number;
  private readonly numSets: number;
  private readonly off: UnconstrainedOffsets;
  private readonly obsStart: Int32Array;
  private readonly obsGridRow: Int32Array;
  private readonly y: Float64Array;
  private readonly yScale: Float64Array;
  /** G×C: Σ observed spend (money). */
  private readonly spendTotal: Float64Array;
  /** N×P design [1, τ, F, controls, H]; H columns rewritten per evaluation when learned. */
  private readonly X: Float64Array;
  /** N×C adstocked (scaled) spend of the fixed transforms. */
  private readonly fixedA: Float64Array;
  private readonly numGrid: number;
  /** Per market: number of observed rows in its coefficient set (for sufficient stats). */
  private readonly setCount: Float64Array;
  private readonly xtx: Float64Array;
  private readonly xty: Float64Array;
  private readonly yty: Float64Array;
  private readonly nu: number;
  private readonly studentConst: number;

  // ---- priors, unpacked --------------------------------------------------------------------
  private readonly prAlphaM: number;
  private readonly prAlphaS: number;
  private readonly prAlphaSigma: number;
  private readonly prDeltaM: number;
  private readonly prDeltaS: number;
  private readonly prGammaM: number;
  private readonly prGammaS: number;
  private readonly prCtrlM: number;
  private readonly prCtrlS: number;
  private readonly prBetaM: number;
  private readonly prBetaS: number;
  private readonly prBetaSigma: number;
  private readonly prSigma: number;
  /**
   * Prior of each log media coefficient (beta_log_mu[c] when hierarchical, else log beta per
   * set × channel): Normal(prBetaMean, prBetaSd); the spec's beta_log_mu prior, or the
   * ROAS prior mapped onto the coefficient.
   */
  private readonly prBetaMean: Float64Array;
  private readonly prBetaSd: Float64Array;
  private readonly prTvSigma: number;
  /** Learned transforms, per channel: Beta(a, b) for α, log-centres of K and S. */
  private readonly prAdA: Float64Array;
  private readonly prAdB: Float64Array;
  private readonly prLogK: Float64Array;
  private readonly prLogS: Float64Array;

  // ---- grid buffers (channel-major, C × numGrid) and per (market, channel) views ----------
  private readonly vX: Float64Array[] = [];
  private readonly vA: Float64Array[] = [];
  private readonly vH: Float64Array[] = [];
  private readonly gridA: Float64Array;
  private readonly gridH: Float64Array;
  /** C × numGrid scaled spend (channel-major). */
  private readonly gridXc: Float64Array;
  /** Per observed row: week index within its market's grid. */
  private readonly obsWeek: Int32Array;
  /** Per channel: adstock spec whose alpha is overwritten per evaluation (learned only). */
  private readonly adSpecs: AdstockSpec[];
  /** Per channel: lag weights and ∂w/∂α (lMax each, at offset c * maxLag). */
  private readonly lagW: Float64Array;
  private readonly lagDW: Float64Array;
  private readonly lagWViews: Float64Array[];
  private readonly lagDWViews: Float64Array[];
  private readonly maxLag: number;

  // ---- scratch (allocation-free evaluation) -----------------------------------------------
  private readonly B: Float64Array;
  private readonly sig: Float64Array;
  private readonly gB: Float64Array;
  private readonly gLogSig: Float64Array;
  private readonly betaSigma: Float64Array;
  private readonly tAlpha: Float64Array;
  private readonly tK: Float64Array;
  private readonly tS: Float64Array;
  private readonly gTAlpha: Float64Array;
  private readonly gTK: Float64Array;
  private readonly gTS: Float64Array;
  /** N×C: ∂H/∂α, ∂H/∂K, ∂H/∂S at the current learned transforms. */
  private readonly dHa: Float64Array;
  private readonly dHK: Float64Array;
  private readonly dHS: Float64Array;
  private readonly gradScratch: Float64Array;
  /** Per observed row: ∂lp/∂μ (scaled), kept by the direct path for time-varying effects. */
  private readonly eRow: Float64Array;
  /** The design the likelihood reads: X, or Xe (media columns × multipliers) when time-varying. */
  private readonly design: Float64Array;

  // ---- lift tests (see the header) ------------------------------------------------------
  private readonly numLift: number;
  private readonly liftMarket: Int32Array;
  private readonly liftChannel: Int32Array;
  /** Global week of each test's first week; the window's length + carry-over tail. */
  private readonly liftStartT: Int32Array;
  private readonly liftLength: Int32Array;
  /** Measured lift and its se on the scaled target (money / yScale[g]). */
  private readonly liftObs: Float64Array;
  private readonly liftSeScaled: Float64Array;
  /** Local scaled-spend windows, weeks startT − (L−1) .. endT + (L−1): without / with the test. */
  private readonly liftXBase: Float64Array[];
  private readonly liftXTest: Float64Array[];
  /** Per test and output week: Δh (fixed transforms: precomputed) and ∂Δh/∂(α, K, S). */
  private readonly liftDh: Float64Array[];
  private readonly liftDa: Float64Array[];
  private readonly liftDK: Float64Array[];
  private readonly liftDS: Float64Array[];

  // ---- time-varying effects (see the header) --------------------------------------------
  /** Time-varying channel indices; tvOf[c] = position in tvIdx or −1. */
  private readonly tvIdx: Int32Array;
  private readonly tvOf: Int32Array;
  private readonly tvEvery: number;
  private readonly tvJ: number;
  /** T_max: the last observed global week (latestMultipliers). */
  private readonly lastWeek: number;
  private readonly marketStartT: Int32Array;
  /** Per observed row: knot on its left and the interpolation fraction. */
  private readonly tvKnot: Int32Array;
  private readonly tvFrac: Float64Array;
  /** T × J centred log-multipliers at the knots, their gradient, and the step sds. */
  private readonly tvW: Float64Array;
  private readonly gTvW: Float64Array;
  private readonly tvSig: Float64Array;
  /** N × T multipliers at the observed rows (evaluation / derived draw). */
  private readonly tvM: Float64Array;
  private readonly dTvW: Float64Array;
  private readonly dTvM: Float64Array;

  // ---- scratch of the derived quantities --------------------------------------------------
  private readonly dB: Float64Array;
  private readonly dSig: Float64Array;
  private readonly dX: Float64Array;
  private readonly dA: Float64Array;
  private readonly dK: Float64Array;
  private readonly dS: Float64Array;

  constructor(panel: PanelData, options: BuildModelOptions) {
    if (options === null || typeof options !== 'object') configError('buildModel: options must be an object with a kind');
    const kind = options.kind;
    if (kind !== 'pooled' && kind !== 'unpooled' && kind !== 'hierarchical') {
      configError(`buildModel: kind = ${JSON.stringify(kind)}; expected 'pooled', 'unpooled' or 'hierarchical'`);
    }
    const likelihood = options.likelihood ?? 'normal';
    if (likelihood !== 'normal' && likelihood !== 'student-t') {
      configError(`buildModel: likelihood = ${JSON.stringify(likelihood)}; expected 'normal' or 'student-t'`);
    }
    const isLearned = options.learnTransforms === true;
    const requested = options.path ?? 'auto';
    if (requested !== 'auto' && requested !== 'sufficient' && requested !== 'direct') {
      configError(`buildModel: path = ${JSON.stringify(requested)}; expected 'auto', 'sufficient' or 'direct'`);
    }
    const tvOptions = options.timeVarying;
    const hasTv = tvOptions !== undefined && tvOptions !== null && (tvOptions.channels?.length ?? 0) > 0;
    const canSufficient = likelihood === 'normal' && !isLearned && !hasTv;
    if (requested === 'sufficient' && !canSufficient) {
      configError(
        "buildModel: path 'sufficient' needs a Normal likelihood, fixed transforms and constant effects; use path 'auto' or 'direct'",
      );
    }
    this.kind = kind;
    this.likelihood = likelihood;
    this.isLearnedTransforms = isLearned;
    this.path = requested === 'direct' || !canSufficient ? 'direct' : 'sufficient';
    this.priors = resolvePriors(options.priors ?? {}, 'buildModel options.priors');

    const obsStart = checkPanel(panel);
    const G = panel.markets.length;
    const C = panel.channels.length;
    const K = panel.controls.length;
    const N = panel.numObs;
    const P = 6 + K + C;
    this.G = G;
    this.C = C;
    this.K = K;
    this.P = P;
    this.N = N;
    this.markets = Object.freeze([...panel.markets]);
    this.channels = Object.freeze([...panel.channels]);
    this.controls = Object.freeze([...panel.controls]);
    this.numObs = N;
    this.obsStart = obsStart;
    this.obsMarket = Int32Array.from(panel.obsMarket);
    this.obsGridRow = Int32Array.from(panel.obsGridRow);
    this.y = Float64Array.from(panel.yScaled);
    this.yScale = Float64Array.from(panel.yScale);
    this.numGrid = panel.numGrid;

    const overrides = options.transforms ?? {};
    for (const name of Object.keys(overrides)) {
      if (!this.channels.includes(name)) {
        configError(`buildModel: transforms has key "${name}", which is not a channel (${this.channels.join(', ')})`);
      }
    }
    this.transforms = Object.freeze(this.channels.map((ch) => resolveTransform(ch, overrides[ch])));

    // Global week of each market's first grid week (lift tests and time-varying effects).
    const needsWeeks = hasTv || (options.liftTests?.length ?? 0) > 0;
    if (needsWeeks && (panel.marketStart === undefined || panel.marketStart.length !== G)) {
      configError('buildModel: lift tests and time-varying effects need panel.marketStart (pass the Panel from @tributary/data buildPanel)');
    }
    this.marketStartT = Int32Array.from(panel.marketStart ?? new Array<number>(G).fill(0));
    let lastWeek = 0;
    for (let g = 0; g < G; g++) lastWeek = Math.max(lastWeek, this.marketStartT[g]! + panel.marketLength[g]! - 1);
    this.lastWeek = lastWeek;

    // Time-varying channels and knots.
    const tvChannels: number[] = [];
    let tvEvery = 0;
    let tvJ = 0;
    if (hasTv) {
      const seen = new Set<string>();
      for (const name of tvOptions.channels) {
        const c = this.channels.indexOf(name);
        if (c < 0) configError(`buildModel: timeVarying.channels has "${name}", which is not a channel (${this.channels.join(', ')})`);
        if (seen.has(name)) configError(`buildModel: timeVarying.channels lists "${name}" twice`);
        seen.add(name);
        tvChannels.push(c);
      }
      tvChannels.sort((a, b) => a - b);
      tvEvery = tvOptions.knotEvery ?? 4;
      if (!(Number.isInteger(tvEvery) && tvEvery >= 1)) configError(`buildModel: timeVarying.knotEvery = ${tvEvery}; expected an integer >= 1 (weeks)`);
      tvJ = Math.ceil(lastWeek / tvEvery) + 1;
      if (tvJ < 3) {
        configError(`buildModel: time-varying effects need at least 3 knots; the data span ${lastWeek + 1} weeks, so use timeVarying.knotEvery <= ${Math.max(1, Math.floor(lastWeek / 2))}`);
      }
    }
    this.tvIdx = Int32Array.from(tvChannels);
    this.tvOf = new Int32Array(C).fill(-1);
    tvChannels.forEach((c, i) => (this.tvOf[c] = i));
    this.tvEvery = tvEvery;
    this.tvJ = tvJ;
    this.timeVarying = hasTv
      ? Object.freeze({ channels: Object.freeze(tvChannels.map((c) => this.channels[c]!)), knotEvery: tvEvery, numKnots: tvJ })
      : null;

    const layout = buildLayout(kind, this.markets, this.channels, this.controls, isLearned, { channels: tvChannels, numKnots: tvJ });
    this.layout = layout;
    this.dim = layout.dim;
    this.parameterNames = layout.parameterNames;
    this.constrainedDim = layout.constrainedDim;
    this.constrainedNames = layout.constrainedNames;
    this.numSets = layout.numSets;
    this.off = layout.offsets;

    // Priors.
    const pr = this.priors;
    this.prAlphaM = pr.alpha_mu.normal[0];
    this.prAlphaS = pr.alpha_mu.normal[1];
    this.prAlphaSigma = pr.alpha_sigma.half_normal;
    this.prDeltaM = pr.delta.normal[0];
    this.prDeltaS = pr.delta.normal[1];
    this.prGammaM = pr.gamma.normal[0];
    this.prGammaS = pr.gamma.normal[1];
    this.prCtrlM = pr.gamma_control.normal[0];
    this.prCtrlS = pr.gamma_control.normal[1];
    this.prBetaM = pr.beta_log_mu.normal[0];
    this.prBetaS = pr.beta_log_mu.normal[1];
    this.prBetaSigma = pr.beta_sigma.half_normal;
    this.prSigma = pr.sigma.half_normal;
    this.prTvSigma = pr.tv_sigma.half_normal;
    this.nu = pr.student_t_nu;
    const nu = this.nu;
    this.studentConst = logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI);
    this.prAdA = new Float64Array(C);
    this.prAdB = new Float64Array(C);
    this.prLogK = new Float64Array(C);
    this.prLogS = new Float64Array(C);
    for (let c = 0; c < C; c++) {
      const t = this.transforms[c]!;
      if (isLearned && !(t.alpha > 0 && t.alpha < 1)) {
        configError(`buildModel: learned adstock of ${this.channels[c]} needs a prior centre alpha in (0, 1), got ${t.alpha}`);
      }
      this.prAdA[c] = pr.adstock_alpha_concentration * t.alpha;
      this.prAdB[c] = pr.adstock_alpha_concentration * (1 - t.alpha);
      this.prLogK[c] = Math.log(t.K);
      this.prLogS[c] = Math.log(t.S);
    }

    // Observed spend totals.
    this.spendTotal = new Float64Array(G * C);
    for (let n = 0; n < N; n++) {
      const g = this.obsMarket[n]!;
      for (let c = 0; c < C; c++) this.spendTotal[g * C + c]! += panel.spend[n * C + c]!;
    }

    // Grid series, channel-major, and per (market, channel) views.
    const numGrid = panel.numGrid;
    const gridX = new Float64Array(C * numGrid);
    for (let r = 0; r < numGrid; r++) for (let c = 0; c < C; c++) gridX[c * numGrid + r] = panel.gridX[r * C + c]!;
    this.gridA = new Float64Array(C * numGrid);
    this.gridH = new Float64Array(C * numGrid);
    this.gridXc = gridX;
    this.obsWeek = Int32Array.from(this.obsGridRow, (r, n) => r - panel.gridOffset[this.obsMarket[n]!]!);
    this.adSpecs = this.transforms.map((t) => buildAdstockSpec(t));
    this.maxLag = Math.max(...this.transforms.map((t) => t.lMax));
    this.lagW = new Float64Array(isLearned ? C * this.maxLag : 0);
    this.lagDW = new Float64Array(isLearned ? C * this.maxLag : 0);
    this.lagWViews = this.transforms.map((t, c) => this.lagW.subarray(c * this.maxLag, c * this.maxLag + (isLearned ? t.lMax : 0)));
    this.lagDWViews = this.transforms.map((t, c) => this.lagDW.subarray(c * this.maxLag, c * this.maxLag + (isLearned ? t.lMax : 0)));
    for (let g = 0; g < G; g++) {
      const start = panel.gridOffset[g]!;
      const end = start + panel.marketLength[g]!;
      for (let c = 0; c < C; c++) {
        const a = c * numGrid + start;
        const b = c * numGrid + end;
        this.vX.push(gridX.subarray(a, b));
        this.vA.push(this.gridA.subarray(a, b));
        this.vH.push(this.gridH.subarray(a, b));
      }
    }

    // Design matrix with the fixed transforms (learned: prior centres, rewritten per evaluation).
    this.X = new Float64Array(N * P);
    this.fixedA = new Float64Array(N * C);
    const controlScaling = options.controlScaling ?? 'standardized';
    if (controlScaling !== 'standardized' && controlScaling !== 'raw') {
      configError(`buildModel: controlScaling = ${JSON.stringify(controlScaling)}; expected 'standardized' or 'raw'`);
    }
    const controlValues = controlScaling === 'raw' ? panel.controlValues : standardizedControls(panel);
    for (let n = 0; n < N; n++) {
      const row = n * P;
      this.X[row] = 1;
      this.X[row + 1] = panel.trend[n]!;
      for (let k = 0; k < FOURIER_TERMS; k++) this.X[row + 2 + k] = panel.fourier[n * FOURIER_TERMS + k]!;
      for (let j = 0; j < K; j++) this.X[row + 6 + j] = controlValues[n * K + j]!;
    }
    this.computeDrawTransforms(
      Float64Array.from(this.transforms, (t) => t.alpha),
      Float64Array.from(this.transforms, (t) => t.K),
      Float64Array.from(this.transforms, (t) => t.S),
      this.X,
      this.fixedA,
    );

    // Media coefficient priors: the spec's beta_log_mu, or a ROAS prior mapped through the
    // observed spend and saturation (X's media columns hold H at the fixed transforms / the
    // prior centres here).
    const sumH = new Float64Array(G * C);
    for (let n = 0; n < N; n++) {
      const g = this.obsMarket[n]!;
      for (let c = 0; c < C; c++) sumH[g * C + c]! += this.X[n * P + 6 + K + c]!;
    }
    const numPriorSlots = kind === 'hierarchical' ? C : this.numSets * C;
    this.prBetaMean = new Float64Array(numPriorSlots).fill(this.prBetaM);
    this.prBetaSd = new Float64Array(numPriorSlots).fill(this.prBetaS);
    this.applyRoasPriors(sumH);

    // Lift tests.
    const lifts = options.liftTests ?? [];
    if (!Array.isArray(lifts)) configError('buildModel: liftTests must be an array');
    this.liftTests = Object.freeze(lifts.map((t) => Object.freeze({ ...t })));
    const J = lifts.length;
    this.numLift = J;
    this.liftMarket = new Int32Array(J);
    this.liftChannel = new Int32Array(J);
    this.liftStartT = new Int32Array(J);
    this.liftLength = new Int32Array(J);
    this.liftObs = new Float64Array(J);
    this.liftSeScaled = new Float64Array(J);
    this.liftXBase = [];
    this.liftXTest = [];
    this.liftDh = [];
    this.liftDa = [];
    this.liftDK = [];
    this.liftDS = [];
    lifts.forEach((test, j) => this.addLiftTest(panel, test, j));

    // Time-varying effects: knot and fraction per observed row.
    const T = this.tvIdx.length;
    this.tvKnot = new Int32Array(T > 0 ? N : 0);
    this.tvFrac = new Float64Array(T > 0 ? N : 0);
    for (let n = 0; n < this.tvKnot.length; n++) {
      const t = this.marketStartT[this.obsMarket[n]!]! + this.obsWeek[n]!;
      const k = this.knotIndex(t);
      this.tvKnot[n] = k;
      this.tvFrac[n] = this.knotFraction(t, k);
    }
    this.tvW = new Float64Array(T * this.tvJ);
    this.gTvW = new Float64Array(T * this.tvJ);
    this.tvSig = new Float64Array(T);
    this.tvM = new Float64Array(T * (T > 0 ? N : 0));
    this.dTvW = new Float64Array(T * this.tvJ);
    this.dTvM = new Float64Array(T * (T > 0 ? N : 0));

    // Sufficient statistics per coefficient set.
    const S = this.numSets;
    this.setCount = new Float64Array(S);
    const useSuff = this.path === 'sufficient';
    this.xtx = new Float64Array(useSuff ? S * P * P : 0);
    this.xty = new Float64Array(useSuff ? S * P : 0);
    this.yty = new Float64Array(useSuff ? S : 0);
    for (let n = 0; n < N; n++) {
      const s = S === 1 ? 0 : this.obsMarket[n]!;
      this.setCount[s]!++;
      if (!useSuff) continue;
      const row = n * P;
      const yn = this.y[n]!;
      this.yty[s]! += yn * yn;
      const m = s * P * P;
      for (let p = 0; p < P; p++) {
        const xp = this.X[row + p]!;
        this.xty[s * P + p]! += xp * yn;
        for (let q = p; q < P; q++) this.xtx[m + p * P + q]! += xp * this.X[row + q]!;
      }
    }
    if (useSuff) {
      for (let s = 0; s < S; s++) {
        const m = s * P * P;
        for (let p = 0; p < P; p++) for (let q = 0; q < p; q++) this.xtx[m + p * P + q] = this.xtx[m + q * P + p]!;
      }
    }

    // Scratch.
    this.B = new Float64Array(S * P);
    this.sig = new Float64Array(S);
    this.gB = new Float64Array(S * P);
    this.gLogSig = new Float64Array(S);
    this.betaSigma = new Float64Array(C);
    this.tAlpha = new Float64Array(C);
    this.tK = new Float64Array(C);
    this.tS = new Float64Array(C);
    this.gTAlpha = new Float64Array(C);
    this.gTK = new Float64Array(C);
    this.gTS = new Float64Array(C);
    this.dHa = new Float64Array(isLearned ? N * C : 0);
    this.dHK = new Float64Array(isLearned ? N * C : 0);
    this.dHS = new Float64Array(isLearned ? N * C : 0);
    this.gradScratch = new Float64Array(this.dim);
    this.eRow = new Float64Array(N);
    this.design = T > 0 ? Float64Array.from(this.X) : this.X;
    this.dB = new Float64Array(S * P);
    this.dSig = new Float64Array(S);
    this.dX = isLearned || T > 0 ? Float64Array.from(this.X) : this.X;
    this.dA = isLearned ? new Float64Array(N * C) : this.fixedA;
    this.dK = Float64Array.from(this.transforms, (t) => t.K);
    this.dS = Float64Array.from(this.transforms, (t) => t.S);
  }

  // =========================================================================================
  // Log density and gradient
  // =========================================================================================

  logDensity(theta: Float64Array): number {
    return this.logDensityAndGradient(theta, this.gradScratch);
  }

  logDensityAndGradient(theta: Float64Array, grad: Float64Array): number {
    grad.fill(0);
    let lp = 0;
    if (this.isLearnedTransforms) {
      const lpT = this.learnedTransforms(theta, grad);
      if (lpT === -Infinity) return this.reject(grad);
      lp += lpT;
    }
    if (this.kind === 'hierarchical') lp += this.forwardHierarchical(theta, grad);
    else lp += this.forwardFlat(theta, grad);
    const hasTv = this.tvIdx.length > 0;
    if (hasTv) lp += this.timeVaryingForward(theta, grad);
    if (this.path === 'sufficient') lp += this.likelihoodSufficient();
    else lp += this.likelihoodDirect();
    if (this.numLift > 0) lp += this.liftLikelihood();
    if (hasTv) this.timeVaryingBackward(theta, grad);
    if (this.kind === 'hierarchical') this.backwardHierarchical(theta, grad);
    else this.backwardFlat(grad);
    if (this.isLearnedTransforms) {
      const C = this.C;
      const o = this.off;
      for (let c = 0; c < C; c++) {
        const a = this.tAlpha[c]!;
        grad[o.adstockAlpha + c]! += this.gTAlpha[c]! * a * (1 - a);
        grad[o.satK + c]! += this.gTK[c]! * this.tK[c]!;
        grad[o.satS + c]! += this.gTS[c]! * this.tS[c]!;
      }
    }
    if (!(lp > -Infinity && lp < Infinity)) return this.reject(grad);
    const d = this.dim;
    for (let i = 0; i < d; i++) if (!Number.isFinite(grad[i]!)) return this.reject(grad);
    return lp;
  }

  private reject(grad: Float64Array): number {
    grad.fill(0);
    return -Infinity;
  }

  /**
   * Learned transforms: priors (+ Jacobians) of α, K, S; recomputes H (into the design's media
   * columns) and ∂H/∂(α, K, S) per observed row in one fused pass per channel: the lag weights
   * w and ∂w/∂α come from @tributary/transforms (`adstockWeightsWithGradient`, normalized, so
   * the adstock definition is the package's), the convolution a = Σ w_l x[t−l] (and ∂a/∂α) is
   * evaluated at the observed weeks only, and Hill uses r = exp(S·(log a − log K)),
   * h = r/(1+r), g = h/(1+r): ∂h/∂K = −(S/K)g, ∂h/∂S = g·log(a/K), ∂h/∂a = S·g/a (the same
   * formulas as `hillWithGradient`, one log and one exp per row instead of pow and log).
   * Returns −Infinity outside the kernels' domain.
   */
  private learnedTransforms(theta: Float64Array, grad: Float64Array): number {
    const C = this.C;
    const N = this.N;
    const P = this.P;
    const K = this.K;
    const o = this.off;
    const numGrid = this.numGrid;
    const X = this.X;
    const obsGridRow = this.obsGridRow;
    const obsWeek = this.obsWeek;
    const xg = this.gridXc;
    const dHa = this.dHa;
    const dHK = this.dHK;
    const dHS = this.dHS;
    const lagW = this.lagW;
    const lagDW = this.lagDW;
    const maxLag = this.maxLag;
    const sdK = this.priors.sat_K_sd;
    const sdS = this.priors.sat_S_sd;
    let lp = 0;
    for (let c = 0; c < C; c++) {
      const ua = theta[o.adstockAlpha + c]!;
      const alpha = invLogit(ua);
      if (!(alpha >= 0 && alpha < 1)) return -Infinity;
      const pa = this.prAdA[c]!;
      const pb = this.prAdB[c]!;
      // Beta(a, b) kernel + Jacobian log α + log(1 − α) = a·log α + b·log(1 − α).
      lp += -pa * softplus(-ua) - pb * softplus(ua);
      grad[o.adstockAlpha + c]! += pa * (1 - alpha) - pb * alpha;
      const uk = theta[o.satK + c]!;
      const us = theta[o.satS + c]!;
      const Kc = Math.exp(uk);
      const Sc = Math.exp(us);
      if (!(Kc > 0 && Kc < Infinity && Sc > 0 && Sc < Infinity)) return -Infinity;
      // LogNormal kernel −log K − ½((log K − m)/s)² + Jacobian log K.
      const zk = (uk - this.prLogK[c]!) / sdK;
      const zs = (us - this.prLogS[c]!) / sdS;
      lp += -0.5 * (zk * zk + zs * zs);
      grad[o.satK + c]! += -zk / sdK;
      grad[o.satS + c]! += -zs / sdS;
      this.tAlpha[c] = alpha;
      this.tK[c] = Kc;
      this.tS[c] = Sc;

      const spec = this.adSpecs[c]!;
      (spec as { alpha: number }).alpha = alpha;
      const L = spec.lMax;
      const wo = c * maxLag;
      adstockWeightsWithGradient(spec, this.lagWViews[c]!, this.lagDWViews[c]!);
      const xo = c * numGrid;
      const col = 6 + K + c;
      const sOverK = Sc / Kc;
      for (let n = 0; n < N; n++) {
        const r = xo + obsGridRow[n]!;
        const week = obsWeek[n]!;
        const lim = week < L - 1 ? week : L - 1;
        let a = 0;
        let da = 0;
        for (let l = 0; l <= lim; l++) {
          const xv = xg[r - l]!;
          a += lagW[wo + l]! * xv;
          da += lagDW[wo + l]! * xv;
        }
        const j = n * C + c;
        if (a > 0) {
          const lr = Math.log(a) - uk;
          const q = Math.exp(Sc * lr);
          let h: number;
          let g: number;
          if (q === Infinity) {
            h = 1;
            g = 0;
          } else {
            const onePlusQ = 1 + q;
            h = q / onePlusQ;
            g = h / onePlusQ;
          }
          X[n * P + col] = h;
          dHa[j] = g === 0 ? 0 : ((Sc * g) / a) * da;
          dHK[j] = -sOverK * g;
          dHS[j] = g * lr;
        } else {
          X[n * P + col] = 0;
          dHa[j] = 0;
          dHK[j] = 0;
          dHS[j] = 0;
        }
      }
    }
    return lp;
  }

  /** Hierarchical: priors and Jacobians; fills B (G×P), sig (G), betaSigma (C). */
  private forwardHierarchical(theta: Float64Array, grad: Float64Array): number {
    const G = this.G;
    const C = this.C;
    const K = this.K;
    const P = this.P;
    const o = this.off;
    const B = this.B;
    let lp = 0;
    // alpha_mu ~ Normal
    const amu = theta[o.alphaMu]!;
    let z = (amu - this.prAlphaM) / this.prAlphaS;
    lp -= 0.5 * z * z;
    grad[o.alphaMu]! -= z / this.prAlphaS;
    // alpha_sigma ~ HalfNormal, on log scale
    const ua = theta[o.alphaSigma]!;
    const asig = Math.exp(ua);
    z = asig / this.prAlphaSigma;
    lp += -0.5 * z * z + ua;
    grad[o.alphaSigma]! += 1 - z * z;
    for (let g = 0; g < G; g++) {
      const zg = theta[o.alphaZ + g]!;
      lp -= 0.5 * zg * zg;
      grad[o.alphaZ + g]! -= zg;
      B[g * P] = amu + asig * zg;
    }
    for (let g = 0; g < G; g++) {
      const d = theta[o.delta + g]!;
      z = (d - this.prDeltaM) / this.prDeltaS;
      lp -= 0.5 * z * z;
      grad[o.delta + g]! -= z / this.prDeltaS;
      B[g * P + 1] = d;
    }
    for (let k = 0; k < FOURIER_TERMS; k++) {
      const gk = theta[o.gamma + k]!;
      z = (gk - this.prGammaM) / this.prGammaS;
      lp -= 0.5 * z * z;
      grad[o.gamma + k]! -= z / this.prGammaS;
      for (let g = 0; g < G; g++) B[g * P + 2 + k] = gk;
    }
    for (let j = 0; j < K; j++) {
      const gj = theta[o.gammaControl + j]!;
      z = (gj - this.prCtrlM) / this.prCtrlS;
      lp -= 0.5 * z * z;
      grad[o.gammaControl + j]! -= z / this.prCtrlS;
      for (let g = 0; g < G; g++) B[g * P + 6 + j] = gj;
    }
    for (let c = 0; c < C; c++) {
      const m = theta[o.betaLogMu + c]!;
      const sd = this.prBetaSd[c]!;
      z = (m - this.prBetaMean[c]!) / sd;
      lp -= 0.5 * z * z;
      grad[o.betaLogMu + c]! -= z / sd;
      const us = theta[o.betaSigma + c]!;
      const s = Math.exp(us);
      z = s / this.prBetaSigma;
      lp += -0.5 * z * z + us;
      grad[o.betaSigma + c]! += 1 - z * z;
      this.betaSigma[c] = s;
    }
    for (let g = 0; g < G; g++) {
      for (let c = 0; c < C; c++) {
        const i = o.betaZ + g * C + c;
        const zgc = theta[i]!;
        lp -= 0.5 * zgc * zgc;
        grad[i]! -= zgc;
        B[g * P + 6 + K + c] = Math.exp(theta[o.betaLogMu + c]! + this.betaSigma[c]! * zgc);
      }
    }
    lp += this.sigmaPriors(theta, grad, G);
    return lp;
  }

  /** sigma[s] ~ HalfNormal on the log scale (all kinds). */
  private sigmaPriors(theta: Float64Array, grad: Float64Array, count: number): number {
    const o = this.off;
    let lp = 0;
    for (let s = 0; s < count; s++) {
      const u = theta[o.sigma + s]!;
      const sg = Math.exp(u);
      const z = sg / this.prSigma;
      lp += -0.5 * z * z + u;
      grad[o.sigma + s]! += 1 - z * z;
      this.sig[s] = sg;
    }
    return lp;
  }

  /** Unpooled (S = G sets) and pooled (S = 1): every coefficient is a primary parameter. */
  private forwardFlat(theta: Float64Array, grad: Float64Array): number {
    const S = this.numSets;
    const C = this.C;
    const K = this.K;
    const P = this.P;
    const o = this.off;
    const B = this.B;
    let lp = 0;
    let z: number;
    for (let s = 0; s < S; s++) {
      const a = theta[o.alpha + s]!;
      z = (a - this.prAlphaM) / this.prAlphaS;
      lp -= 0.5 * z * z;
      grad[o.alpha + s]! -= z / this.prAlphaS;
      B[s * P] = a;
      const d = theta[o.delta + s]!;
      z = (d - this.prDeltaM) / this.prDeltaS;
      lp -= 0.5 * z * z;
      grad[o.delta + s]! -= z / this.prDeltaS;
      B[s * P + 1] = d;
      for (let k = 0; k < FOURIER_TERMS; k++) {
        const i = o.gamma + s * FOURIER_TERMS + k;
        const gk = theta[i]!;
        z = (gk - this.prGammaM) / this.prGammaS;
        lp -= 0.5 * z * z;
        grad[i]! -= z / this.prGammaS;
        B[s * P + 2 + k] = gk;
      }
      for (let j = 0; j < K; j++) {
        const i = o.gammaControl + s * K + j;
        const gj = theta[i]!;
        z = (gj - this.prCtrlM) / this.prCtrlS;
        lp -= 0.5 * z * z;
        grad[i]! -= z / this.prCtrlS;
        B[s * P + 6 + j] = gj;
      }
      for (let c = 0; c < C; c++) {
        const i = o.betaLog + s * C + c;
        const lb = theta[i]!;
        const sd = this.prBetaSd[s * C + c]!;
        z = (lb - this.prBetaMean[s * C + c]!) / sd;
        lp -= 0.5 * z * z;
        grad[i]! -= z / sd;
        B[s * P + 6 + K + c] = Math.exp(lb);
      }
    }
    lp += this.sigmaPriors(theta, grad, S);
    return lp;
  }

  /**
   * Normal likelihood from sufficient statistics; sets gB and gLogSig. Per set s:
   * v = X'X b, SSR = y'y − 2 b'X'y + b'v, lp = −n log σ − SSR / 2σ², ∂lp/∂b = (X'y − v) / σ².
   */
  private likelihoodSufficient(): number {
    const S = this.numSets;
    const P = this.P;
    const B = this.B;
    const gB = this.gB;
    const xtx = this.xtx;
    const xty = this.xty;
    const yty = this.yty;
    const sig = this.sig;
    const setCount = this.setCount;
    const gLogSig = this.gLogSig;
    let lp = 0;
    for (let s = 0; s < S; s++) {
      const bo = s * P;
      const mo = s * P * P;
      const sg = sig[s]!;
      const inv = 1 / (sg * sg);
      let quad = 0;
      let lin = 0;
      for (let p = 0; p < P; p++) {
        let acc = 0;
        const row = mo + p * P;
        for (let q = 0; q < P; q++) acc += xtx[row + q]! * B[bo + q]!;
        const bp = B[bo + p]!;
        const xp = xty[bo + p]!;
        quad += acc * bp;
        lin += xp * bp;
        gB[bo + p] = (xp - acc) * inv;
      }
      const ssr = yty[s]! - 2 * lin + quad;
      const n = setCount[s]!;
      lp += -n * Math.log(sg) - 0.5 * ssr * inv;
      gLogSig[s] = -n + ssr * inv;
    }
    return lp;
  }

  /** Normal or Student-t likelihood over the observed rows; sets gB, gLogSig (and gT*). */
  private likelihoodDirect(): number {
    if (this.likelihood === 'normal' && !this.isLearnedTransforms) return this.likelihoodDirectNormal();
    const G = this.G;
    const C = this.C;
    const K = this.K;
    const P = this.P;
    const B = this.B;
    const gB = this.gB;
    const X = this.design;
    const y = this.y;
    const eRow = this.eRow;
    const obsStart = this.obsStart;
    const isPooled = this.numSets === 1;
    const isStudent = this.likelihood === 'student-t';
    const isLearned = this.isLearnedTransforms;
    const nu = this.nu;
    const dHa = this.dHa;
    const dHK = this.dHK;
    const dHS = this.dHS;
    const gTAlpha = this.gTAlpha;
    const gTK = this.gTK;
    const gTS = this.gTS;
    const mediaCol = 6 + K;
    gB.fill(0);
    this.gLogSig.fill(0);
    if (isLearned) {
      gTAlpha.fill(0);
      gTK.fill(0);
      gTS.fill(0);
    }
    let lp = 0;
    for (let g = 0; g < G; g++) {
      const s = isPooled ? 0 : g;
      const bo = s * P;
      const sg = this.sig[s]!;
      const inv = 1 / (sg * sg);
      const start = obsStart[g]!;
      const end = obsStart[g + 1]!;
      let acc = 0;
      let accSig = 0;
      for (let n = start; n < end; n++) {
        const row = n * P;
        let mu = 0;
        for (let p = 0; p < P; p++) mu += X[row + p]! * B[bo + p]!;
        const r = y[n]! - mu;
        let e: number;
        if (isStudent) {
          const q = (r * r * inv) / nu;
          acc += Math.log1p(q);
          accSig += q / (1 + q);
          e = ((nu + 1) * r) / (nu * sg * sg + r * r);
        } else {
          acc += r * r;
          e = r * inv;
        }
        eRow[n] = e;
        for (let p = 0; p < P; p++) gB[bo + p]! += e * X[row + p]!;
        if (isLearned) {
          const j = n * C;
          for (let c = 0; c < C; c++) {
            const w = e * B[bo + mediaCol + c]!;
            gTAlpha[c]! += w * dHa[j + c]!;
            gTK[c]! += w * dHK[j + c]!;
            gTS[c]! += w * dHS[j + c]!;
          }
        }
      }
      const count = end - start;
      if (isStudent) {
        lp += -count * Math.log(sg) - 0.5 * (nu + 1) * acc;
        this.gLogSig[s]! += -count + (nu + 1) * accSig;
      } else {
        lp += -count * Math.log(sg) - 0.5 * acc * inv;
        this.gLogSig[s]! += -count + acc * inv;
      }
    }
    return lp;
  }

  /** The direct path specialised to a Normal likelihood with fixed transforms (no branches). */
  private likelihoodDirectNormal(): number {
    const G = this.G;
    const P = this.P;
    const B = this.B;
    const gB = this.gB;
    const X = this.design;
    const y = this.y;
    const eRow = this.eRow;
    const obsStart = this.obsStart;
    const sig = this.sig;
    const gLogSig = this.gLogSig;
    const isPooled = this.numSets === 1;
    gB.fill(0);
    gLogSig.fill(0);
    let lp = 0;
    for (let g = 0; g < G; g++) {
      const s = isPooled ? 0 : g;
      const bo = s * P;
      const sg = sig[s]!;
      const inv = 1 / (sg * sg);
      const start = obsStart[g]!;
      const end = obsStart[g + 1]!;
      let acc = 0;
      for (let n = start; n < end; n++) {
        const row = n * P;
        let mu = 0;
        for (let p = 0; p < P; p++) mu += X[row + p]! * B[bo + p]!;
        const r = y[n]! - mu;
        acc += r * r;
        const e = r * inv;
        eRow[n] = e;
        for (let p = 0; p < P; p++) gB[bo + p]! += e * X[row + p]!;
      }
      const count = end - start;
      lp += -count * Math.log(sg) - 0.5 * acc * inv;
      gLogSig[s]! += -count + acc * inv;
    }
    return lp;
  }

  // =========================================================================================
  // ROAS priors, lift tests, time-varying effects
  // =========================================================================================

  /**
   * ROAS priors: roas ~ LogNormal(m, s) with E = mean, SD = sd (s² = log(1 + sd²/mean²),
   * m = log mean − s²/2). With fixed transforms the ROAS of a coefficient is linear in it,
   * roas = beta · k with k = Σ_g yScale[g]·ΣH[g,c] / Σ_g spend[g,c] over the markets the
   * coefficient covers, so the prior is log beta ~ Normal(m − log k, s) (a constant Jacobian).
   */
  private applyRoasPriors(sumH: Float64Array): void {
    const roas = this.priors.roas;
    const C = this.C;
    const G = this.G;
    for (const [name, prior] of Object.entries(roas)) {
      const c = this.channels.indexOf(name);
      if (c < 0) configError(`priors.roas has key "${name}", which is not a channel (${this.channels.join(', ')})`);
      const markets = prior.markets ?? {};
      for (const market of Object.keys(markets)) {
        if (!this.markets.includes(market)) {
          configError(`priors.roas.${name}.markets has key "${market}", which is not a market (${this.markets.join(', ')})`);
        }
        if (this.kind !== 'unpooled') {
          configError(
            `priors.roas.${name}.markets: per-market ROAS priors need the unpooled model; in the ${this.kind} model the channel's ROAS prior sets ${this.kind === 'hierarchical' ? 'the population effect beta_log_mu' : 'the shared effect'} through the pooled spend and saturation`,
          );
        }
      }
      const logNormal = (m: { mean: number; sd: number }): [number, number] => {
        const s2 = Math.log1p((m.sd * m.sd) / (m.mean * m.mean));
        return [Math.log(m.mean) - 0.5 * s2, Math.sqrt(s2)];
      };
      const mapTo = (slot: number, moments: { mean: number; sd: number }, marketsCovered: number[]): void => {
        let num = 0;
        let den = 0;
        for (const g of marketsCovered) {
          num += this.yScale[g]! * sumH[g * C + c]!;
          den += this.spendTotal[g * C + c]!;
        }
        if (!(num > 0 && den > 0)) return; // no spend or no response: the coefficient has no ROAS
        const [m, s] = logNormal(moments);
        this.prBetaMean[slot] = m - Math.log(num / den);
        this.prBetaSd[slot] = s;
      };
      const all = Array.from({ length: G }, (_, g) => g);
      if (this.kind === 'unpooled') {
        for (let g = 0; g < G; g++) mapTo(g * C + c, markets[this.markets[g]!] ?? prior, [g]);
      } else {
        mapTo(c, prior, all);
      }
    }
  }

  /** Knot on the left of global week t (the last segment's for weeks past the last knot). */
  private knotIndex(t: number): number {
    return Math.min(Math.floor(t / this.tvEvery), this.tvJ - 2);
  }

  /** Interpolation fraction of week t between knot k and k + 1 (1 past the last knot). */
  private knotFraction(t: number, k: number): number {
    return Math.min((t - k * this.tvEvery) / this.tvEvery, 1);
  }

  /** Checks one lift test against the panel and precomputes its spend windows (and Δh when fixed). */
  private addLiftTest(panel: PanelData, test: LiftTestInput, j: number): void {
    const where = `liftTests[${j}]`;
    if (test === null || typeof test !== 'object') configError(`buildModel: ${where} must be an object`);
    const g = this.markets.indexOf(test.market);
    if (g < 0) configError(`buildModel: ${where}.market = "${test.market}" is not a market (${this.markets.join(', ')})`);
    const c = this.channels.indexOf(test.channel);
    if (c < 0) configError(`buildModel: ${where}.channel = "${test.channel}" is not a channel (${this.channels.join(', ')})`);
    const first = this.marketStartT[g]!;
    const last = first + panel.marketLength[g]! - 1;
    if (!(Number.isInteger(test.startT) && Number.isInteger(test.endT) && first <= test.startT && test.startT <= test.endT && test.endT <= last)) {
      configError(`buildModel: ${where} weeks ${test.startT}..${test.endT} must be whole weeks within market ${test.market}'s weeks ${first}..${last}, start <= end`);
    }
    if (!(Number.isFinite(test.deltaSpend) && test.deltaSpend !== 0)) configError(`buildModel: ${where}.deltaSpend = ${test.deltaSpend}; expected a finite, non-zero spend per week`);
    if (!Number.isFinite(test.lift)) configError(`buildModel: ${where}.lift = ${test.lift}; expected a finite number`);
    if (!(test.liftSe > 0 && Number.isFinite(test.liftSe))) configError(`buildModel: ${where}.liftSe = ${test.liftSe}; expected a finite number > 0`);
    const scale = panel.spendScale[g * this.C + c]!;
    if (!(scale > 0)) configError(`buildModel: ${where}: ${test.channel} never spends in ${test.market}, so its spend has no scale; a lift test there cannot be mapped onto the model`);
    const L = this.transforms[c]!.lMax;
    const t0 = test.startT - (L - 1);
    const width = test.endT - test.startT + 1 + 2 * (L - 1);
    const base = new Float64Array(width);
    const withTest = new Float64Array(width);
    const grid = this.vX[g * this.C + c]!;
    const dx = test.deltaSpend / scale;
    for (let i = 0; i < width; i++) {
      const t = t0 + i;
      const x = t >= first && t <= last ? grid[t - first]! : 0;
      base[i] = x;
      withTest[i] = t >= test.startT && t <= test.endT ? x + dx : x;
      if (withTest[i]! < 0) configError(`buildModel: ${where}: deltaSpend ${test.deltaSpend} makes the spend of week ${t} negative`);
    }
    const length = test.endT - test.startT + L;
    this.liftMarket[j] = g;
    this.liftChannel[j] = c;
    this.liftStartT[j] = test.startT;
    this.liftLength[j] = length;
    this.liftObs[j] = test.lift / this.yScale[g]!;
    this.liftSeScaled[j] = test.liftSe / this.yScale[g]!;
    this.liftXBase.push(base);
    this.liftXTest.push(withTest);
    this.liftDh.push(new Float64Array(length));
    const isLearned = this.isLearnedTransforms;
    this.liftDa.push(new Float64Array(isLearned ? length : 0));
    this.liftDK.push(new Float64Array(isLearned ? length : 0));
    this.liftDS.push(new Float64Array(isLearned ? length : 0));
    if (!isLearned) {
      const t = this.transforms[c]!;
      const w = new Float64Array(L);
      adstockWeightsWithGradient(buildAdstockSpec(t), w, new Float64Array(L));
      this.liftDeltaH(j, w, null, t.K, t.S);
    }
  }

  /**
   * Δh[i] = h(a_test) − h(a) at the test's output weeks i (startT .. endT + L − 1), with lag
   * weights w (and ∂w/∂α when `dw` is given, also ∂Δh/∂α, ∂Δh/∂K, ∂Δh/∂S into liftDa/DK/DS).
   */
  private liftDeltaH(j: number, w: ArrayLike<number>, dw: ArrayLike<number> | null, Kc: number, Sc: number): void {
    const xb = this.liftXBase[j]!;
    const xt = this.liftXTest[j]!;
    const dh = this.liftDh[j]!;
    const da = this.liftDa[j]!;
    const dK = this.liftDK[j]!;
    const dS = this.liftDS[j]!;
    const L = w.length;
    const logK = Math.log(Kc);
    const n = this.liftLength[j]!;
    // h, ∂h/∂α, ∂h/∂K, ∂h/∂S of one adstocked value (a, ∂a/∂α).
    let h = 0;
    let hA = 0;
    let hK = 0;
    let hS = 0;
    const hill = (a: number, aa: number): void => {
      if (!(a > 0)) {
        h = hA = hK = hS = 0;
        return;
      }
      const lr = Math.log(a) - logK;
      const q = Math.exp(Sc * lr);
      if (q === Infinity) {
        h = 1;
        hA = hK = hS = 0;
        return;
      }
      h = q / (1 + q);
      const g = h / (1 + q);
      hA = ((Sc * g) / a) * aa;
      hK = -(Sc / Kc) * g;
      hS = g * lr;
    };
    for (let i = 0; i < n; i++) {
      const li = i + L - 1;
      let ab = 0;
      let at = 0;
      let dab = 0;
      let dat = 0;
      for (let l = 0; l < L; l++) {
        ab += w[l]! * xb[li - l]!;
        at += w[l]! * xt[li - l]!;
        if (dw !== null) {
          dab += dw[l]! * xb[li - l]!;
          dat += dw[l]! * xt[li - l]!;
        }
      }
      hill(at, dat);
      const h1 = h;
      const a1 = hA;
      const k1 = hK;
      const s1 = hS;
      hill(ab, dab);
      dh[i] = h1 - h;
      if (dw !== null) {
        da[i] = a1 - hA;
        dK[i] = k1 - hK;
        dS[i] = s1 - hS;
      }
    }
  }

  /** exp of the interpolated log-multiplier of time-varying slot i at global week t (knots W). */
  private multiplierAt(W: Float64Array, i: number, t: number): number {
    const k = this.knotIndex(t);
    const f = this.knotFraction(t, k);
    const o = i * this.tvJ + k;
    return Math.exp((1 - f) * W[o]! + f * W[o + 1]!);
  }

  /**
   * Lift-test likelihood: lift_j / yScale ~ Normal(beta[g,c] · Σ_i m_c(t_i) Δh_j[i], se_j / yScale),
   * added to the gradient buffers gB (and gTAlpha/gTK/gTS, gTvW) the likelihood filled.
   */
  private liftLikelihood(): number {
    const P = this.P;
    const col0 = 6 + this.K;
    const isLearned = this.isLearnedTransforms;
    const W = this.tvW;
    const J = this.tvJ;
    let lp = 0;
    for (let j = 0; j < this.numLift; j++) {
      const g = this.liftMarket[j]!;
      const c = this.liftChannel[j]!;
      const bi = this.setOf(g) * P + col0 + c;
      const beta = this.B[bi]!;
      if (isLearned) {
        this.liftDeltaH(j, this.lagWViews[c]!, this.lagDWViews[c]!, this.tK[c]!, this.tS[c]!);
      }
      const dh = this.liftDh[j]!;
      const tv = this.tvOf[c]!;
      const n = this.liftLength[j]!;
      const t0 = this.liftStartT[j]!;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += (tv >= 0 ? this.multiplierAt(W, tv, t0 + i) : 1) * dh[i]!;
      const se = this.liftSeScaled[j]!;
      const resid = this.liftObs[j]! - beta * sum;
      lp -= (0.5 * resid * resid) / (se * se);
      const r = resid / (se * se);
      this.gB[bi]! += r * sum;
      if (isLearned || tv >= 0) {
        let sa = 0;
        let sk = 0;
        let ss = 0;
        for (let i = 0; i < n; i++) {
          const m = tv >= 0 ? this.multiplierAt(W, tv, t0 + i) : 1;
          if (isLearned) {
            sa += m * this.liftDa[j]![i]!;
            sk += m * this.liftDK[j]![i]!;
            ss += m * this.liftDS[j]![i]!;
          }
          if (tv >= 0) {
            const k = this.knotIndex(t0 + i);
            const f = this.knotFraction(t0 + i, k);
            const gw = r * beta * dh[i]! * m;
            this.gTvW[tv * J + k]! += (1 - f) * gw;
            this.gTvW[tv * J + k + 1]! += f * gw;
          }
        }
        if (isLearned) {
          this.gTAlpha[c]! += r * beta * sa;
          this.gTK[c]! += r * beta * sk;
          this.gTS[c]! += r * beta * ss;
        }
      }
    }
    return lp;
  }

  /**
   * Time-varying effects, forward: priors (tv_sigma ~ HalfNormal on the log scale, tv_z ~
   * Normal(0, 1)), the centred walk W (knot 1 = 0, knot k = knot k−1 + σ z_k, minus the mean
   * over knots), the multipliers of the observed rows, the likelihood's design Xe (media
   * columns × multiplier) and, with learned transforms, ∂H/∂(α, K, S) × multiplier.
   */
  private timeVaryingForward(theta: Float64Array, grad: Float64Array): number {
    const o = this.off;
    const T = this.tvIdx.length;
    const J = this.tvJ;
    const N = this.N;
    const C = this.C;
    const P = this.P;
    const col0 = 6 + this.K;
    const W = this.tvW;
    let lp = 0;
    for (let i = 0; i < T; i++) {
      const u = theta[o.tvSigma + i]!;
      const sg = Math.exp(u);
      const z = sg / this.prTvSigma;
      lp += -0.5 * z * z + u;
      grad[o.tvSigma + i]! += 1 - z * z;
      this.tvSig[i] = sg;
      lp += this.walk(theta, o.tvZ + i * (J - 1), sg, W, i * J, grad);
    }
    this.gTvW.fill(0);
    const X = this.X;
    const Xe = this.design;
    const isLearned = this.isLearnedTransforms;
    for (let n = 0; n < N; n++) {
      const k = this.tvKnot[n]!;
      const f = this.tvFrac[n]!;
      const row = n * P + col0;
      if (isLearned) for (let c = 0; c < C; c++) Xe[row + c] = X[row + c]!;
      for (let i = 0; i < T; i++) {
        const c = this.tvIdx[i]!;
        const w = i * J + k;
        const m = Math.exp((1 - f) * W[w]! + f * W[w + 1]!);
        this.tvM[n * T + i] = m;
        Xe[row + c] = X[row + c]! * m;
        if (isLearned) {
          this.dHa[n * C + c]! *= m;
          this.dHK[n * C + c]! *= m;
          this.dHS[n * C + c]! *= m;
        }
      }
    }
    return lp;
  }

  /**
   * One centred random walk into W[at .. at+J): W_k = σ (Σ_{2≤i≤k} z_i − mean over knots).
   * With `grad`, adds the z priors' log density gradient and returns their log density.
   */
  private walk(theta: ArrayLike<number>, zAt: number, sg: number, W: Float64Array, at: number, grad: Float64Array | null): number {
    const J = this.tvJ;
    let lp = 0;
    let v = 0;
    let sum = 0;
    W[at] = 0;
    for (let k = 1; k < J; k++) {
      const z = theta[zAt + k - 1]!;
      if (grad !== null) {
        lp -= 0.5 * z * z;
        grad[zAt + k - 1]! -= z;
      }
      v += sg * z;
      W[at + k] = v;
      sum += v;
    }
    const mean = sum / J;
    for (let k = 0; k < J; k++) W[at + k]! -= mean;
    return lp;
  }

  /**
   * Time-varying effects, backward: ∂lp/∂W from the rows (e_n · beta · Xe[n, c], split between
   * the two knots of the row) plus what the lift tests added, then through the centred walk:
   * ∂W_k/∂z_i = σ([i ≤ k] − (J − i)/J), ∂W/∂log σ = W.
   */
  private timeVaryingBackward(theta: Float64Array, grad: Float64Array): void {
    const o = this.off;
    const T = this.tvIdx.length;
    const J = this.tvJ;
    const N = this.N;
    const P = this.P;
    const col0 = 6 + this.K;
    const gW = this.gTvW;
    const Xe = this.design;
    for (let n = 0; n < N; n++) {
      const e = this.eRow[n]!;
      const bo = this.setOf(this.obsMarket[n]!) * P + col0;
      const k = this.tvKnot[n]!;
      const f = this.tvFrac[n]!;
      for (let i = 0; i < T; i++) {
        const c = this.tvIdx[i]!;
        const gw = e * this.B[bo + c]! * Xe[n * P + col0 + c]!;
        gW[i * J + k]! += (1 - f) * gw;
        gW[i * J + k + 1]! += f * gw;
      }
    }
    for (let i = 0; i < T; i++) {
      const sg = this.tvSig[i]!;
      let total = 0;
      let gLogSig = 0;
      for (let k = 0; k < J; k++) {
        total += gW[i * J + k]!;
        gLogSig += gW[i * J + k]! * this.tvW[i * J + k]!;
      }
      grad[o.tvSigma + i]! += gLogSig;
      let suffix = 0;
      for (let k = J - 1; k >= 1; k--) {
        suffix += gW[i * J + k]!;
        grad[o.tvZ + i * (J - 1) + k - 1]! += sg * (suffix - ((J - k) / J) * total);
      }
    }
  }

  private backwardHierarchical(theta: Float64Array, grad: Float64Array): void {
    const G = this.G;
    const C = this.C;
    const K = this.K;
    const P = this.P;
    const o = this.off;
    const B = this.B;
    const gB = this.gB;
    const asig = Math.exp(theta[o.alphaSigma]!);
    let gAmu = 0;
    let gAsig = 0;
    for (let g = 0; g < G; g++) {
      const bo = g * P;
      const ga = gB[bo]!;
      const zg = theta[o.alphaZ + g]!;
      gAmu += ga;
      grad[o.alphaZ + g]! += ga * asig;
      gAsig += ga * asig * zg;
      grad[o.delta + g]! += gB[bo + 1]!;
      for (let k = 0; k < FOURIER_TERMS; k++) grad[o.gamma + k]! += gB[bo + 2 + k]!;
      for (let j = 0; j < K; j++) grad[o.gammaControl + j]! += gB[bo + 6 + j]!;
      for (let c = 0; c < C; c++) {
        const i = o.betaZ + g * C + c;
        const gb = gB[bo + 6 + K + c]! * B[bo + 6 + K + c]!;
        const s = this.betaSigma[c]!;
        grad[o.betaLogMu + c]! += gb;
        grad[i]! += gb * s;
        grad[o.betaSigma + c]! += gb * s * theta[i]!;
      }
      grad[o.sigma + g]! += this.gLogSig[g]!;
    }
    grad[o.alphaMu]! += gAmu;
    grad[o.alphaSigma]! += gAsig;
  }

  private backwardFlat(grad: Float64Array): void {
    const S = this.numSets;
    const C = this.C;
    const K = this.K;
    const P = this.P;
    const o = this.off;
    const B = this.B;
    const gB = this.gB;
    for (let s = 0; s < S; s++) {
      const bo = s * P;
      grad[o.alpha + s]! += gB[bo]!;
      grad[o.delta + s]! += gB[bo + 1]!;
      for (let k = 0; k < FOURIER_TERMS; k++) grad[o.gamma + s * FOURIER_TERMS + k]! += gB[bo + 2 + k]!;
      for (let j = 0; j < K; j++) grad[o.gammaControl + s * K + j]! += gB[bo + 6 + j]!;
      for (let c = 0; c < C; c++) grad[o.betaLog + s * C + c]! += gB[bo + 6 + K + c]! * B[bo + 6 + K + c]!;
      grad[o.sigma + s]! += this.gLogSig[s]!;
    }
  }

  // =========================================================================================
  // Constrained ↔ unconstrained
  // =========================================================================================

  constrain(theta: Float64Array, out: Float64Array = new Float64Array(this.constrainedDim)): Float64Array {
    this.checkLength('constrain', 'theta', theta, this.dim);
    this.checkLength('constrain', 'out', out, this.constrainedDim);
    const L = this.layout;
    const d = this.dim;
    for (let i = 0; i < d; i++) {
      const u = theta[i]!;
      const t = L.transform[i];
      out[L.target[i]!] = t === IDENTITY ? u : t === EXP ? Math.exp(u) : invLogit(u);
    }
    if (this.kind === 'hierarchical') {
      const o = this.off;
      const G = this.G;
      const C = this.C;
      const amu = theta[o.alphaMu]!;
      const asig = Math.exp(theta[o.alphaSigma]!);
      for (let g = 0; g < G; g++) out[L.alphaIndex[g]!] = amu + asig * theta[o.alphaZ + g]!;
      for (let c = 0; c < C; c++) out[L.betaMuIndex[c]!] = Math.exp(theta[o.betaLogMu + c]!);
      for (let g = 0; g < G; g++) {
        for (let c = 0; c < C; c++) {
          const s = Math.exp(theta[o.betaSigma + c]!);
          out[L.betaIndex[g * C + c]!] = Math.exp(theta[o.betaLogMu + c]! + s * theta[o.betaZ + g * C + c]!);
        }
      }
    }
    const T = this.tvIdx.length;
    if (T > 0) {
      const J = this.tvJ;
      const o = this.off;
      const W = new Float64Array(J);
      for (let i = 0; i < T; i++) {
        this.walk(theta, o.tvZ + i * (J - 1), Math.exp(theta[o.tvSigma + i]!), W, 0, null);
        for (let k = 0; k < J; k++) out[L.tvMultiplierIndex[i * J + k]!] = Math.exp(W[k]!);
      }
    }
    return out;
  }

  unconstrain(constrained: ArrayLike<number> | Readonly<Record<string, number>>): Float64Array {
    const L = this.layout;
    const d = this.dim;
    const theta = new Float64Array(d);
    const isArray = typeof (constrained as ArrayLike<number>).length === 'number';
    if (isArray) this.checkLength('unconstrain', 'constrained', constrained as ArrayLike<number>, this.constrainedDim);
    for (let i = 0; i < d; i++) {
      const ci = L.target[i]!;
      const name = this.constrainedNames[ci]!;
      let value: number | undefined;
      if (isArray) value = (constrained as ArrayLike<number>)[ci];
      else value = (constrained as Readonly<Record<string, number>>)[name];
      if (typeof value !== 'number' || Number.isNaN(value)) {
        throw new ModelError('MODEL_INVALID_INPUT', `unconstrain: missing or non-numeric value for "${name}"`);
      }
      const t = L.transform[i];
      let u: number;
      if (t === IDENTITY) u = value;
      else if (t === EXP) {
        if (!(value > 0)) {
          throw new ModelError('MODEL_INVALID_INPUT', `unconstrain: "${name}" = ${value}; it must be > 0`);
        }
        u = Math.log(value);
      } else {
        if (!(value > 0 && value < 1)) {
          throw new ModelError('MODEL_INVALID_INPUT', `unconstrain: "${name}" = ${value}; it must be in (0, 1)`);
        }
        u = Math.log(value) - Math.log1p(-value);
      }
      if (!Number.isFinite(u)) {
        throw new ModelError('MODEL_INVALID_INPUT', `unconstrain: "${name}" = ${value} is not finite on the unconstrained scale`);
      }
      theta[i] = u;
    }
    return theta;
  }

  logJacobian(theta: Float64Array): number {
    this.checkLength('logJacobian', 'theta', theta, this.dim);
    const L = this.layout;
    let lj = 0;
    for (let i = 0; i < this.dim; i++) {
      const t = L.transform[i];
      const u = theta[i]!;
      if (t === EXP) lj += u;
      else if (t === INV_LOGIT) lj -= softplus(-u) + softplus(u);
    }
    return lj;
  }

  initialPoint(rng: Rng, options: { radius?: number } = {}): Float64Array {
    const radius = options.radius ?? 2;
    if (!(radius >= 0 && Number.isFinite(radius))) configError(`initialPoint: radius = ${radius}; expected a finite number >= 0`);
    const theta = new Float64Array(this.dim);
    for (let i = 0; i < this.dim; i++) theta[i] = -radius + 2 * radius * rng();
    return theta;
  }

  private checkLength(fn: string, name: string, value: ArrayLike<number>, expected: number): void {
    if (value === null || value === undefined || value.length !== expected) {
      throw new ModelError(
        'MODEL_INVALID_INPUT',
        `${fn}: ${name} has length ${value?.length}, expected ${expected} (${fn === 'constrain' || fn === 'logJacobian' ? 'dim' : 'constrainedDim'})`,
      );
    }
  }

  // =========================================================================================
  // Derived quantities (spec §6), per constrained draw
  // =========================================================================================

  /** Adstock + Hill of every channel with the given (α, K, S); H into X's media columns. */
  private computeDrawTransforms(
    alpha: Float64Array,
    Kc: Float64Array,
    Sc: Float64Array,
    X: Float64Array,
    A: Float64Array,
  ): void {
    const C = this.C;
    const G = this.G;
    const N = this.N;
    const P = this.P;
    const col0 = 6 + this.K;
    for (let c = 0; c < C; c++) {
      const spec = buildAdstockSpec({ ...this.transforms[c]!, alpha: alpha[c]! });
      for (let g = 0; g < G; g++) {
        const i = g * C + c;
        applyAdstock(this.vX[i]!, spec, this.vA[i]!);
        hill(this.vA[i]!, Kc[c]!, Sc[c]!, this.vH[i]!);
      }
      const base = c * this.numGrid;
      for (let n = 0; n < N; n++) {
        const r = base + this.obsGridRow[n]!;
        const a = this.gridA[r]!;
        A[n * C + c] = a;
        X[n * P + col0 + c] = a > 0 ? this.gridH[r]! : 0;
      }
    }
  }

  /** Gathers b (sets × P) and sigma of a constrained draw; recomputes H when learned. */
  private loadDraw(constrained: ArrayLike<number>, fn: string): void {
    this.checkLength(fn, 'constrained', constrained, this.constrainedDim);
    const L = this.layout;
    const S = this.numSets;
    const P = this.P;
    for (let i = 0; i < S * P; i++) this.dB[i] = constrained[L.coefIndex[i]!]!;
    for (let s = 0; s < S; s++) this.dSig[s] = constrained[L.sigmaIndex[s]!]!;
    if (this.isLearnedTransforms) {
      const C = this.C;
      const alpha = new Float64Array(C);
      for (let c = 0; c < C; c++) {
        alpha[c] = constrained[L.adstockAlphaIndex[c]!]!;
        this.dK[c] = constrained[L.satKIndex[c]!]!;
        this.dS[c] = constrained[L.satSIndex[c]!]!;
      }
      this.computeDrawTransforms(alpha, this.dK, this.dS, this.dX, this.dA);
    }
    const T = this.tvIdx.length;
    if (T > 0) {
      // Multipliers of the draw: knot log-values from tv_multiplier, interpolated per row.
      const J = this.tvJ;
      const W = this.dTvW;
      for (let i = 0; i < T * J; i++) W[i] = Math.log(constrained[L.tvMultiplierIndex[i]!]!);
      const col0 = 6 + this.K;
      for (let n = 0; n < this.N; n++) {
        const k = this.tvKnot[n]!;
        const f = this.tvFrac[n]!;
        for (let i = 0; i < T; i++) {
          const c = this.tvIdx[i]!;
          const m = Math.exp((1 - f) * W[i * J + k]! + f * W[i * J + k + 1]!);
          this.dTvM[n * T + i] = m;
          const h = this.isLearnedTransforms ? this.dX[n * P + col0 + c]! : this.X[n * P + col0 + c]!;
          this.dX[n * P + col0 + c] = h * m;
        }
      }
    }
  }

  private setOf(g: number): number {
    return this.numSets === 1 ? 0 : g;
  }

  private meanLoaded(out: Float64Array, isMoney: boolean): void {
    const P = this.P;
    const X = this.dX;
    const B = this.dB;
    for (let g = 0; g < this.G; g++) {
      const bo = this.setOf(g) * P;
      const scale = isMoney ? this.yScale[g]! : 1;
      for (let n = this.obsStart[g]!; n < this.obsStart[g + 1]!; n++) {
        let mu = 0;
        for (let p = 0; p < P; p++) mu += X[n * P + p]! * B[bo + p]!;
        out[n] = mu * scale;
      }
    }
  }

  mean(constrained: ArrayLike<number>, out: Float64Array, options: { scale?: OutputScale } = {}): Float64Array {
    this.loadDraw(constrained, 'mean');
    this.checkOut('mean', out, this.N);
    this.meanLoaded(out, (options.scale ?? 'money') === 'money');
    return out;
  }

  posteriorPredictive(
    constrained: ArrayLike<number>,
    rng: Rng,
    out: Float64Array,
    options: { scale?: OutputScale } = {},
  ): Float64Array {
    this.loadDraw(constrained, 'posteriorPredictive');
    this.checkOut('posteriorPredictive', out, this.N);
    this.meanLoaded(out, false);
    const isMoney = (options.scale ?? 'money') === 'money';
    const isStudent = this.likelihood === 'student-t';
    for (let n = 0; n < this.N; n++) {
      const g = this.obsMarket[n]!;
      const sg = this.dSig[this.setOf(g)]!;
      const eps = isStudent ? studentT(rng, this.nu) : standardNormal(rng);
      const ys = out[n]! + sg * eps;
      out[n] = isMoney ? ys * this.yScale[g]! : ys;
    }
    return out;
  }

  pointwiseLogLik(constrained: ArrayLike<number>, out: Float64Array, options: { scale?: OutputScale } = {}): Float64Array {
    this.loadDraw(constrained, 'pointwiseLogLik');
    this.checkOut('pointwiseLogLik', out, this.N);
    this.meanLoaded(out, false);
    const isMoney = (options.scale ?? 'scaled') === 'money';
    const isStudent = this.likelihood === 'student-t';
    const nu = this.nu;
    for (let n = 0; n < this.N; n++) {
      const g = this.obsMarket[n]!;
      const sg = this.dSig[this.setOf(g)]!;
      const z = (this.y[n]! - out[n]!) / sg;
      let ll = isStudent
        ? this.studentConst - Math.log(sg) - 0.5 * (nu + 1) * Math.log1p((z * z) / nu)
        : -HALF_LOG_2PI - Math.log(sg) - 0.5 * z * z;
      if (isMoney) ll -= Math.log(this.yScale[g]!);
      out[n] = ll;
    }
    return out;
  }

  contributions(constrained: ArrayLike<number>): Contributions {
    this.loadDraw(constrained, 'contributions');
    const G = this.G;
    const C = this.C;
    const K = this.K;
    const P = this.P;
    const X = this.dX;
    const B = this.dB;
    const baseline = new Float64Array(G);
    const trend = new Float64Array(G);
    const seasonality = new Float64Array(G);
    const controls = new Float64Array(G);
    const channels: Float64Array[] = [];
    for (let g = 0; g < G; g++) {
      const bo = this.setOf(g) * P;
      const ys = this.yScale[g]!;
      const ch = new Float64Array(C);
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let n = this.obsStart[g]!; n < this.obsStart[g + 1]!; n++) {
        const row = n * P;
        b0 += B[bo]!;
        b1 += X[row + 1]! * B[bo + 1]!;
        for (let k = 0; k < FOURIER_TERMS; k++) b2 += X[row + 2 + k]! * B[bo + 2 + k]!;
        for (let j = 0; j < K; j++) b3 += X[row + 6 + j]! * B[bo + 6 + j]!;
        for (let c = 0; c < C; c++) ch[c]! += X[row + 6 + K + c]!;
      }
      for (let c = 0; c < C; c++) ch[c] = ch[c]! * B[bo + 6 + K + c]! * ys;
      baseline[g] = b0 * ys;
      trend[g] = b1 * ys;
      seasonality[g] = b2 * ys;
      controls[g] = b3 * ys;
      channels.push(ch);
    }
    return { baseline, trend, seasonality, controls, channels };
  }

  roas(constrained: ArrayLike<number>, out: Float64Array): Float64Array {
    this.checkOut('roas', out, this.G * this.C);
    const contrib = this.contributions(constrained);
    const C = this.C;
    for (let g = 0; g < this.G; g++) {
      for (let c = 0; c < C; c++) {
        const spend = this.spendTotal[g * C + c]!;
        out[g * C + c] = spend > 0 ? contrib.channels[g]![c]! / spend : NaN;
      }
    }
    return out;
  }

  marginalRoas(constrained: ArrayLike<number>, out: Float64Array): Float64Array {
    this.loadDraw(constrained, 'marginalRoas');
    this.checkOut('marginalRoas', out, this.G * this.C);
    const G = this.G;
    const C = this.C;
    const P = this.P;
    const col0 = 6 + this.K;
    const bump = 1.01;
    for (let g = 0; g < G; g++) {
      const bo = this.setOf(g) * P;
      for (let c = 0; c < C; c++) {
        const spend = this.spendTotal[g * C + c]!;
        if (!(spend > 0)) {
          out[g * C + c] = NaN;
          continue;
        }
        const Kc = this.dK[c]!;
        const Sc = this.dS[c]!;
        const tv = this.tvOf[c]!;
        const T = this.tvIdx.length;
        let diff = 0;
        for (let n = this.obsStart[g]!; n < this.obsStart[g + 1]!; n++) {
          const a = this.dA[n * C + c]!;
          if (!(a > 0)) continue;
          const m = tv >= 0 ? this.dTvM[n * T + tv]! : 1;
          diff += m * (hillScalar(bump * a, Kc, Sc) - hillScalar(a, Kc, Sc));
        }
        out[g * C + c] = (diff * this.dB[bo + col0 + c]! * this.yScale[g]!) / ((bump - 1) * spend);
      }
    }
    return out;
  }

  liftTestPredictions(constrained: ArrayLike<number>, out: Float64Array): Float64Array {
    this.loadDraw(constrained, 'liftTestPredictions');
    this.checkOut('liftTestPredictions', out, this.numLift);
    const P = this.P;
    const col0 = 6 + this.K;
    for (let j = 0; j < this.numLift; j++) {
      const g = this.liftMarket[j]!;
      const c = this.liftChannel[j]!;
      if (this.isLearnedTransforms) {
        const t = this.transforms[c]!;
        const alpha = constrained[this.layout.adstockAlphaIndex[c]!]!;
        const w = new Float64Array(t.lMax);
        adstockWeightsWithGradient(buildAdstockSpec({ ...t, alpha }), w, new Float64Array(t.lMax));
        this.liftDeltaH(j, w, null, this.dK[c]!, this.dS[c]!);
      }
      const dh = this.liftDh[j]!;
      const tv = this.tvOf[c]!;
      let sum = 0;
      for (let i = 0; i < dh.length; i++) sum += (tv >= 0 ? this.multiplierAt(this.dTvW, tv, this.liftStartT[j]! + i) : 1) * dh[i]!;
      out[j] = this.dB[this.setOf(g) * P + col0 + c]! * sum * this.yScale[g]!;
    }
    return out;
  }

  latestMultipliers(constrained: ArrayLike<number>, out: Float64Array): Float64Array {
    this.checkOut('latestMultipliers', out, this.C);
    this.checkLength('latestMultipliers', 'constrained', constrained, this.constrainedDim);
    out.fill(1, 0, this.C);
    const J = this.tvJ;
    const L = this.layout;
    const k = this.tvIdx.length > 0 ? this.knotIndex(this.lastWeek) : 0;
    const f = this.tvIdx.length > 0 ? this.knotFraction(this.lastWeek, k) : 0;
    this.tvIdx.forEach((c, i) => {
      const w0 = Math.log(constrained[L.tvMultiplierIndex[i * J + k]!]!);
      const w1 = Math.log(constrained[L.tvMultiplierIndex[i * J + k + 1]!]!);
      out[c] = Math.exp((1 - f) * w0 + f * w1);
    });
    return out;
  }

  stanData(): Record<string, number | number[] | number[][]> {
    const { N, G, C, K, P } = this;
    const X = this.X;
    const rows = (count: number, width: number, at: (n: number, j: number) => number): number[][] =>
      Array.from({ length: count }, (_, n) => Array.from({ length: width }, (_, j) => at(n, j)));
    // The design's media columns hold the fixed transforms (or, when learned, whatever the last
    // evaluation left): recompute them at the fixed values / prior centres.
    const H = new Float64Array(N * P);
    const A = new Float64Array(N * C);
    H.set(X);
    this.computeDrawTransforms(
      Float64Array.from(this.transforms, (t) => t.alpha),
      Float64Array.from(this.transforms, (t) => t.K),
      Float64Array.from(this.transforms, (t) => t.S),
      H,
      A,
    );
    const pr = this.priors;
    return {
      N,
      G,
      C,
      K,
      market: Array.from(this.obsMarket, (g) => g + 1),
      y: Array.from(this.y),
      tau: Array.from({ length: N }, (_, n) => X[n * P + 1]!),
      F: rows(N, FOURIER_TERMS, (n, k) => X[n * P + 2 + k]!),
      Xc: rows(N, K, (n, j) => X[n * P + 6 + j]!),
      H: rows(N, C, (n, c) => H[n * P + 6 + K + c]!),
      y_scale: Array.from(this.yScale),
      n_grid: this.numGrid,
      grid_start: Array.from({ length: G }, (_, g) => this.obsGridRow[this.obsStart[g]!]! - this.obsWeek[this.obsStart[g]!]! + 1),
      grid_len: this.vX.filter((_, i) => i % C === 0).map((v) => v.length),
      x_grid: rows(this.numGrid, C, (r, c) => this.gridXc[c * this.numGrid + r]!),
      obs_grid_row: Array.from(this.obsGridRow, (r) => r + 1),
      lags: this.transforms.map((t) => t.lMax),
      adstock_delayed: this.transforms.map((t) => (t.adstock === 'delayed' ? 1 : 0)),
      adstock_theta: this.transforms.map((t) => t.theta),
      alpha0: this.transforms.map((t) => t.alpha),
      K0: this.transforms.map((t) => t.K),
      S0: this.transforms.map((t) => t.S),
      nu: pr.student_t_nu,
      prior_alpha_mu: [...pr.alpha_mu.normal],
      prior_alpha_sigma: pr.alpha_sigma.half_normal,
      prior_delta: [...pr.delta.normal],
      prior_gamma: [...pr.gamma.normal],
      prior_gamma_control: [...pr.gamma_control.normal],
      prior_beta_log_mu: [...pr.beta_log_mu.normal],
      prior_beta_sigma: pr.beta_sigma.half_normal,
      prior_sigma: pr.sigma.half_normal,
      adstock_alpha_concentration: pr.adstock_alpha_concentration,
      sat_K_sd: pr.sat_K_sd,
      sat_S_sd: pr.sat_S_sd,
    };
  }

  private checkOut(fn: string, out: Float64Array, expected: number): void {
    if (!(out instanceof Float64Array) || out.length < expected) {
      throw new ModelError(
        'MODEL_INVALID_INPUT',
        `${fn}: out must be a Float64Array of length >= ${expected}, got ${out instanceof Float64Array ? out.length : typeof out}`,
      );
    }
  }
}
