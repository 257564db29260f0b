/**
 * The options of `buildModel`, their vocabularies, and their validation into one resolved
 * record (`resolveOptions`) that the design and the terms read. Every configuration error of
 * the model is raised here or where the option is mapped onto the data (ROAS priors in
 * roas-priors.ts, lift tests in terms/lift-tests.ts), as `ModelError('MODEL_INVALID_OPTIONS')`.
 *
 * Checks run in a fixed order (kind, likelihood, path, priors, panel shape, transforms,
 * time-varying channels and knots, learned prior centres, control scaling; then ROAS priors
 * and lift tests), so that a call with several mistakes
 * always reports the same one first.
 */
import { channelDefaults, SATURATION_DEFAULTS, type SaturationKind } from '@tributary/transforms';
import { ModelError } from './errors.js';
import type { ModelKind } from './layout.js';
import { checkPanel, type PanelData } from './panel.js';
import { resolvePriors, type Priors } from './priors.js';
import {
  ADSTOCK_KINDS,
  SATURATION_KINDS,
  WEIBULL_DEFAULTS,
  adstockParameterNames,
  saturationParameterNames,
  type ChannelTransform,
} from './transform-kinds.js';

export type { ChannelTransform } from './transform-kinds.js';
export type Likelihood = 'normal' | 'student-t';
export type GradientPath = 'auto' | 'sufficient' | 'direct';
export type OutputScale = 'scaled' | 'money';

export const MODEL_KINDS: readonly ModelKind[] = Object.freeze(['pooled', 'unpooled', 'hierarchical']);
export const LIKELIHOODS: readonly Likelihood[] = Object.freeze(['normal', 'student-t']);

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
  /** Lift tests: each adds `lift ~ Normal(model-implied lift, liftSe)` (see model.ts's header). */
  readonly liftTests?: readonly LiftTestInput[];
  /** Time-varying media effects (see terms/time-varying.ts). Forces the direct path. */
  readonly timeVarying?: TimeVaryingOptions;
}

/** The validated options, with the panel facts they depend on. */
export interface ResolvedOptions {
  readonly kind: ModelKind;
  readonly likelihood: Likelihood;
  readonly isLearned: boolean;
  readonly path: 'sufficient' | 'direct';
  readonly priors: Priors;
  /** Per channel: the fixed transforms, or the prior centres when learned. */
  readonly transforms: readonly ChannelTransform[];
  /** Observed rows of market g: obsStart[g] .. obsStart[g + 1] − 1 (from checkPanel). */
  readonly obsStart: Int32Array;
  /** Global week of each market's first grid week (zeros when the panel has none). */
  readonly marketStartT: Int32Array;
  /** T_max: the last observed global week. */
  readonly lastWeek: number;
  /** Time-varying channel indices (ascending), weeks between knots, knots per walk. */
  readonly tvChannels: readonly number[];
  readonly tvEvery: number;
  readonly tvKnots: number;
  readonly controlScaling: 'standardized' | 'raw';
  readonly liftTests: readonly LiftTestInput[];
}

export function configError(message: string): never {
  throw new ModelError('MODEL_INVALID_OPTIONS', message);
}

/** Every key a channel's transform may have (`adstock`, `saturation` and the parameters of all kinds). */
export const TRANSFORM_KEYS: readonly string[] = Object.freeze([
  'adstock', 'alpha', 'theta', 'K', 'S', 'lMax', 'shape', 'scale', 'saturation', 'lam', 'b', 'c',
]);

/**
 * A channel's transform: `channelDefaults(channel)` overridden by `override`. geometric/delayed
 * with Hill keep exactly today's record; a Weibull adstock adds `shape`, `scale`; a saturation
 * other than Hill adds `saturation` and its parameters (defaults: model README "Transform
 * family"). alpha/theta/K/S stay present (the channel defaults) when the kinds do not use them,
 * so a manifest can always carry them; parameters of a kind the channel does not use are errors.
 */
function resolveTransform(channel: string, override: Partial<ChannelTransform> | undefined): ChannelTransform {
  const base = channelDefaults(channel);
  const where = `transforms.${channel}`;
  if (override !== undefined && (override === null || typeof override !== 'object' || Array.isArray(override))) {
    configError(`${where} must be an object`);
  }
  const given = (override ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!TRANSFORM_KEYS.includes(key)) configError(`${where} has unknown key "${key}"; expected some of ${TRANSFORM_KEYS.join(', ')}`);
  }
  const adstock = (given['adstock'] ?? base.adstock) as ChannelTransform['adstock'];
  if (!ADSTOCK_KINDS.includes(adstock)) {
    configError(`${where}.adstock = ${JSON.stringify(adstock)}; expected ${ADSTOCK_KINDS.map((k) => `'${k}'`).join(', ')}`);
  }
  const saturation = (given['saturation'] ?? 'hill') as SaturationKind;
  if (!SATURATION_KINDS.includes(saturation)) {
    configError(`${where}.saturation = ${JSON.stringify(saturation)}; expected ${SATURATION_KINDS.map((k) => `'${k}'`).join(', ')}`);
  }
  const isWeibull = adstock === 'weibull_cdf' || adstock === 'weibull_pdf';
  const aNames = adstockParameterNames(adstock);
  const sNames = saturationParameterNames(saturation);
  for (const key of ['shape', 'scale', 'lam', 'b', 'c']) {
    if (given[key] !== undefined && !aNames.includes(key) && !sNames.includes(key)) {
      configError(`${where}.${key} is not a parameter of ${adstock} adstock with ${saturation} saturation (${[...aNames, ...sNames].join(', ')})`);
    }
  }
  const spec: Record<string, unknown> = {
    adstock,
    alpha: given['alpha'] ?? base.alpha,
    theta: given['theta'] ?? base.theta,
    K: given['K'] ?? base.K,
    S: given['S'] ?? base.S,
    lMax: given['lMax'] ?? base.lMax,
  };
  if (isWeibull) {
    spec['shape'] = given['shape'] ?? WEIBULL_DEFAULTS.shape;
    spec['scale'] = given['scale'] ?? WEIBULL_DEFAULTS.scale;
  }
  if (saturation !== 'hill') {
    spec['saturation'] = saturation;
    const values = SATURATION_DEFAULTS[saturation].values as Readonly<Record<string, number>>;
    for (const name of sNames) spec[name] = given[name] ?? values[name];
  }
  const t = spec as unknown as ChannelTransform;
  const positive = (name: string): void => {
    const v = spec[name] as number;
    if (!(typeof v === 'number' && v > 0 && Number.isFinite(v))) configError(`${where}.${name} = ${v}; expected a finite number > 0`);
  };
  if (!(typeof t.alpha === 'number' && t.alpha >= 0 && t.alpha < 1)) configError(`${where}.alpha = ${t.alpha}; expected [0, 1)`);
  positive('K');
  positive('S');
  if (!(Number.isInteger(t.lMax) && t.lMax >= 1)) configError(`${where}.lMax = ${t.lMax}; expected an integer >= 1`);
  if (adstock === 'delayed' && !(typeof t.theta === 'number' && t.theta >= 0 && t.theta <= t.lMax - 1)) {
    configError(`${where}.theta = ${t.theta}; expected a lag in [0, lMax - 1]`);
  }
  if (isWeibull) {
    positive('shape');
    positive('scale');
  }
  if (saturation !== 'hill') for (const name of sNames) positive(name);
  return Object.freeze({ ...t });
}

/** Validates `options` against `panel` (whose shape it checks too). */
export function resolveOptions(panel: PanelData, options: BuildModelOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') configError('buildModel: options must be an object with a kind');
  const kind = options.kind;
  if (!MODEL_KINDS.includes(kind)) {
    configError(`buildModel: kind = ${JSON.stringify(kind)}; expected 'pooled', 'unpooled' or 'hierarchical'`);
  }
  const likelihood = options.likelihood ?? 'normal';
  if (!LIKELIHOODS.includes(likelihood)) {
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
  const path = requested === 'direct' || !canSufficient ? 'direct' : 'sufficient';
  const priors = resolvePriors(options.priors ?? {}, 'buildModel options.priors');

  const obsStart = checkPanel(panel);
  const G = panel.markets.length;
  const channels = panel.channels;
  const overrides = options.transforms ?? {};
  for (const name of Object.keys(overrides)) {
    if (!channels.includes(name)) {
      configError(`buildModel: transforms has key "${name}", which is not a channel (${channels.join(', ')})`);
    }
  }
  const transforms = Object.freeze(channels.map((ch) => resolveTransform(ch, overrides[ch])));

  // Global week of each market's first grid week (lift tests and time-varying effects).
  const needsWeeks = hasTv || (options.liftTests?.length ?? 0) > 0;
  if (needsWeeks && (panel.marketStart === undefined || panel.marketStart.length !== G)) {
    configError('buildModel: lift tests and time-varying effects need panel.marketStart (pass the Panel from @tributary/data buildPanel)');
  }
  const marketStartT = Int32Array.from(panel.marketStart ?? new Array<number>(G).fill(0));
  let lastWeek = 0;
  for (let g = 0; g < G; g++) lastWeek = Math.max(lastWeek, marketStartT[g]! + panel.marketLength[g]! - 1);

  // Time-varying channels and knots.
  const tvChannels: number[] = [];
  let tvEvery = 0;
  let tvKnots = 0;
  if (hasTv) {
    const seen = new Set<string>();
    for (const name of tvOptions.channels) {
      const c = channels.indexOf(name);
      if (c < 0) configError(`buildModel: timeVarying.channels has "${name}", which is not a channel (${channels.join(', ')})`);
      if (seen.has(name)) configError(`buildModel: timeVarying.channels lists "${name}" twice`);
      seen.add(name);
      tvChannels.push(c);
    }
    tvChannels.sort((a, b) => a - b);
    tvEvery = tvOptions.knotEvery ?? 4;
    if (!(Number.isInteger(tvEvery) && tvEvery >= 1)) configError(`buildModel: timeVarying.knotEvery = ${tvEvery}; expected an integer >= 1 (weeks)`);
    tvKnots = Math.ceil(lastWeek / tvEvery) + 1;
    if (tvKnots < 3) {
      configError(`buildModel: time-varying effects need at least 3 knots; the data span ${lastWeek + 1} weeks, so use timeVarying.knotEvery <= ${Math.max(1, Math.floor(lastWeek / 2))}`);
    }
  }

  if (isLearned) {
    transforms.forEach((t, c) => {
      if (!(t.alpha > 0 && t.alpha < 1)) {
        if (t.adstock === 'geometric' || t.adstock === 'delayed') {
          configError(`buildModel: learned adstock of ${channels[c]} needs a prior centre alpha in (0, 1), got ${t.alpha}`);
        }
      }
    });
  }

  const controlScaling = options.controlScaling ?? 'standardized';
  if (controlScaling !== 'standardized' && controlScaling !== 'raw') {
    configError(`buildModel: controlScaling = ${JSON.stringify(controlScaling)}; expected 'standardized' or 'raw'`);
  }
  const lifts = options.liftTests ?? [];
  if (!Array.isArray(lifts)) configError('buildModel: liftTests must be an array');
  const liftTests = Object.freeze(lifts.map((t) => Object.freeze({ ...t })));
  return {
    kind, likelihood, isLearned, path, priors, transforms, obsStart, marketStartT, lastWeek,
    tvChannels, tvEvery, tvKnots, controlScaling, liftTests,
  };
}
