/**
 * Saturation specs: which curve a channel uses and its parameters, with parameter names,
 * default values and default priors per kind. Parallel to the adstock spec API
 * (`AdstockSpec`, `buildAdstockSpec`). The scalar kernels that evaluate a spec are in
 * saturation-kernels.ts; the array kernels in saturation.ts.
 *
 * Curves (a ≥ 0 is adstocked spend, scaled per market-channel by its largest observed weekly
 * spend, model-spec §2):
 * - hill:             h(a) = a^S / (K^S + a^S)          K, S > 0
 * - logistic:         h(a) = (1 − e^(−λa)) / (1 + e^(−λa)) λ = lam > 0
 * - michaelis_menten: h(a) = a / (λ + a)                 λ = lam > 0
 * - tanh:             h(a) = b · tanh(a / (b·c))         b, c > 0
 *
 * Defaults and priors (`SATURATION_DEFAULTS`). Every saturation parameter is positive, and the
 * model samples positive parameters on the log scale (model-spec §5), where a LogNormal prior
 * is a Normal. So each default prior is a LogNormal `{ lognormal: [mu, sigma] }` (mu and sigma
 * of log θ, the form of packages/models' prior files), and each default value is that prior's
 * median exp(mu), the role K0 and S0 play for Hill in model-spec §5.
 * - hill: the values and priors of model-spec §3/§5 (packages/models/src/priors.ts): the
 *   fallback row K0 = 0.5, S0 = 2.0, and K ~ LogNormal(log K0, 0.3), S ~ LogNormal(log S0, 0.3)
 *   (`sat_K_sd`, `sat_S_sd`). Per channel, model-spec's table gives other centres
 *   (`channelDefaults(column).K`, `.S`) with the same spread.
 * - logistic, michaelis_menten, tanh: PyMC-Marketing's default priors for the same curves
 *   (pymc_marketing/mmm/components/saturation.py, `LogisticSaturation`,
 *   `MichaelisMentenSaturation`, `TanhSaturation`), which also act on max-scaled media, turned
 *   into the LogNormal with the same mean and sd (moment matching, as the models package does
 *   for ROAS priors): for mean m and sd s, sigma² = log(1 + s²/m²), mu = log m − sigma²/2.
 */

import { FALLBACK_CHANNEL_DEFAULTS } from './defaults.js';
import { TransformParameterError } from './errors.js';

/** A saturation curve and its parameters (names as in `SATURATION_PARAMETER_NAMES`). */
export type SaturationSpec =
  | { kind: 'hill'; K: number; S: number }
  | { kind: 'logistic'; lam: number }
  | { kind: 'michaelis_menten'; lam: number }
  | { kind: 'tanh'; b: number; c: number };

/** The saturation kinds. */
export type SaturationKind = SaturationSpec['kind'];

/** The parameters of one kind, e.g. `{ K: number; S: number }` for `'hill'`. */
export type SaturationParameters<K extends SaturationKind> = Omit<Extract<SaturationSpec, { kind: K }>, 'kind'>;

/** LogNormal(mu, sigma): log θ ~ Normal(mu, sigma); median exp(mu). */
export interface LogNormalPrior {
  readonly lognormal: readonly [mu: number, sigma: number];
}

/** Default value (the prior median) and default prior of every parameter of one kind. */
export interface SaturationDefaults<K extends SaturationKind> {
  readonly values: Readonly<SaturationParameters<K>>;
  readonly priors: { readonly [P in keyof SaturationParameters<K>]: LogNormalPrior };
}

/**
 * Parameter names per kind, in the order the gradient kernels write their derivatives
 * (`out[2 + j]` = ∂h/∂names[j]) and the order a model should name its parameters in.
 */
export const SATURATION_PARAMETER_NAMES: {
  readonly hill: readonly ['K', 'S'];
  readonly logistic: readonly ['lam'];
  readonly michaelis_menten: readonly ['lam'];
  readonly tanh: readonly ['b', 'c'];
} = Object.freeze({
  hill: Object.freeze(['K', 'S'] as const),
  logistic: Object.freeze(['lam'] as const),
  michaelis_menten: Object.freeze(['lam'] as const),
  tanh: Object.freeze(['b', 'c'] as const),
});

/** What each parameter means, for error messages. */
const MEANING: Readonly<Record<string, string>> = {
  'hill.K': 'the half-saturation point, h(K) = 0.5',
  'hill.S': 'the Hill shape (slope) exponent',
  'logistic.lam': 'the logistic rate',
  'michaelis_menten.lam': 'the half-saturation point, h(lam) = 0.5',
  'tanh.b': 'the level at saturation',
  'tanh.c': 'the initial cost per unit of response, h\u2032(0) = 1/c',
};

const KINDS_TEXT = "one of 'hill', 'logistic', 'michaelis_menten', 'tanh'";

function isKind(kind: unknown): kind is SaturationKind {
  return typeof kind === 'string' && Object.hasOwn(SATURATION_PARAMETER_NAMES, kind);
}

function checkKind(fn: string, kind: unknown): asserts kind is SaturationKind {
  if (!isKind(kind)) throw new TransformParameterError(fn, 'kind', kind, KINDS_TEXT);
}

/** Number of parameters of a kind: 2 for hill and tanh, 1 for logistic and michaelis_menten. */
export function numSaturationParameters(kind: SaturationKind): 1 | 2 {
  checkKind('numSaturationParameters', kind);
  return SATURATION_PARAMETER_NAMES[kind].length;
}

// ---- defaults and priors --------------------------------------------------------------------

/** The LogNormal with mean m and sd s (moment matching). */
function momentMatched(m: number, s: number): LogNormalPrior {
  const v = Math.log1p((s * s) / (m * m));
  return Object.freeze({ lognormal: Object.freeze([Math.log(m) - v / 2, Math.sqrt(v)] as const) });
}

function logNormal(median: number, sigma: number): LogNormalPrior {
  return Object.freeze({ lognormal: Object.freeze([Math.log(median), sigma] as const) });
}

const median = (p: LogNormalPrior): number => Math.exp(p.lognormal[0]);

// Gamma(alpha = 3, beta = 1): mean 3, sd √3 → sigma = √log(4/3) ≈ 0.536, median 3·√3/2 ≈ 2.598.
const LOGISTIC_LAM = momentMatched(3, Math.sqrt(3));
// HalfNormal(sigma = 1): mean √(2/π), sd √(1 − 2/π) → sigma = √log(π/2) ≈ 0.672, median 2/π ≈ 0.637.
const HALF_NORMAL_1 = momentMatched(Math.sqrt(2 / Math.PI), Math.sqrt(1 - 2 / Math.PI));

/**
 * Default values and default priors per kind (see the file header for the sources):
 *
 * | kind             | parameter | value  | prior (log scale)               | from                                  |
 * |------------------|-----------|--------|---------------------------------|---------------------------------------|
 * | hill             | K         | 0.5    | LogNormal(log 0.5, 0.3)         | model-spec §3 fallback row, §5        |
 * | hill             | S         | 2.0    | LogNormal(log 2.0, 0.3)         | model-spec §3 fallback row, §5        |
 * | logistic         | lam       | 2.598  | LogNormal(0.955, 0.536)         | PyMC-Marketing lam ~ Gamma(3, 1)      |
 * | michaelis_menten | lam       | 0.637  | LogNormal(−0.452, 0.672)        | PyMC-Marketing lam ~ HalfNormal(1)    |
 * | tanh             | b         | 0.637  | LogNormal(−0.452, 0.672)        | PyMC-Marketing b ~ HalfNormal(1)      |
 * | tanh             | c         | 0.637  | LogNormal(−0.452, 0.672)        | PyMC-Marketing c ~ HalfNormal(1)      |
 *
 * Notes. Hill's spread 0.3 is much tighter than PyMC-Marketing's `HillSaturation`
 * (slope, kappa ~ HalfNormal(1.5)) because model-spec centres K and S on per-channel
 * knowledge. PyMC-Marketing's amplitude parameters (`beta`, Michaelis–Menten's `alpha`) have no
 * counterpart here: the model's media coefficient β plays that role. For tanh, b and β are
 * only identified through their product, as in PyMC-Marketing.
 */
export const SATURATION_DEFAULTS: {
  readonly [K in SaturationKind]: SaturationDefaults<K>;
} = Object.freeze({
  hill: Object.freeze({
    values: Object.freeze({ K: FALLBACK_CHANNEL_DEFAULTS.K, S: FALLBACK_CHANNEL_DEFAULTS.S }),
    priors: Object.freeze({ K: logNormal(FALLBACK_CHANNEL_DEFAULTS.K, 0.3), S: logNormal(FALLBACK_CHANNEL_DEFAULTS.S, 0.3) }),
  }),
  logistic: Object.freeze({
    values: Object.freeze({ lam: median(LOGISTIC_LAM) }),
    priors: Object.freeze({ lam: LOGISTIC_LAM }),
  }),
  michaelis_menten: Object.freeze({
    values: Object.freeze({ lam: median(HALF_NORMAL_1) }),
    priors: Object.freeze({ lam: HALF_NORMAL_1 }),
  }),
  tanh: Object.freeze({
    values: Object.freeze({ b: median(HALF_NORMAL_1), c: median(HALF_NORMAL_1) }),
    priors: Object.freeze({ b: HALF_NORMAL_1, c: HALF_NORMAL_1 }),
  }),
});

// ---- building a spec ------------------------------------------------------------------------

/**
 * A validated `SaturationSpec` of `kind`. Parameters missing from `params` take their default
 * value (`SATURATION_DEFAULTS[kind].values`), so `buildSaturationSpec('logistic')` is the
 * default logistic curve. Returns a fresh, mutable object.
 * @throws TransformParameterError (a RangeError) for an unknown kind, a parameter the kind does
 * not have, or a parameter that is not a finite number > 0.
 */
export function buildSaturationSpec<K extends SaturationKind>(
  kind: K,
  params?: Partial<SaturationParameters<K>>,
): Extract<SaturationSpec, { kind: K }> {
  const fn = 'buildSaturationSpec';
  checkKind(fn, kind);
  const names: readonly string[] = SATURATION_PARAMETER_NAMES[kind];
  if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params))) {
    throw new TransformParameterError(fn, 'params', params, `an object with some of ${names.join(', ')}`);
  }
  const given = (params ?? {}) as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(given)) {
    if (!names.includes(key)) {
      throw new TransformParameterError(
        fn,
        key,
        given[key],
        `no value: ${kind} has parameters ${names.join(', ')}`,
        'Check the parameter name.',
      );
    }
  }
  const defaults = SATURATION_DEFAULTS[kind].values as Readonly<Record<string, number>>;
  const spec: Record<string, unknown> = { kind };
  for (const name of names) {
    const value = given[name] === undefined ? defaults[name] : given[name];
    if (!(typeof value === 'number' && value > 0 && value < Infinity)) {
      throw new TransformParameterError(fn, name, value, `a finite number > 0 (${MEANING[`${kind}.${name}`]})`);
    }
    spec[name] = value;
  }
  return spec as Extract<SaturationSpec, { kind: K }>;
}
