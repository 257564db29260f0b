/**
 * The transform family per channel (issue 13 part 4): any adstock kind of @tributary/transforms
 * (geometric, delayed, weibull_cdf, weibull_pdf) × any saturation kind (hill, logistic,
 * michaelis_menten, tanh), fixed or learned.
 *
 * Learned parameters sit in four slots per channel: slot 0, 1 = the adstock's parameters
 * (α; or Weibull shape, scale), slot 2, 3 = the saturation's (`SATURATION_PARAMETER_NAMES`
 * order: K, S; lam; lam; b, c). Unused slots are absent. Every positive parameter is sampled as
 * u = log x with a LogNormal(log x0, sd) prior centred on the channel's value x0; α as
 * u = logit α with Beta(κ·α0, κ·(1 − α0)). Names (`adstock_alpha[c]`, `sat_K[c]`, `sat_S[c]`)
 * are unchanged for the geometric/delayed + Hill case; the others are `adstock_shape[c]`,
 * `adstock_scale[c]`, `sat_lam[c]`, `sat_b[c]`, `sat_c[c]` (unconstrained: `_log` suffix).
 *
 * Default values and spreads: Hill and α as model-spec §3/§5 (channel table, `sat_K_sd`,
 * `sat_S_sd`, `adstock_alpha_concentration`); logistic, Michaelis–Menten and tanh the
 * transforms package's `SATURATION_DEFAULTS` (value = prior median, sd = its log-sd).
 * @tributary/transforms has no Weibull defaults; these are PyMC-Marketing's Weibull adstock
 * priors (k ~ Gamma(mean 3, sd 1), λ ~ Gamma(mean 2, sd 1)) moment-matched to LogNormals the
 * way the transforms package does for the saturation kinds: shape ≈ 2.846 (log-sd 0.3246),
 * scale ≈ 1.789 (log-sd 0.4724).
 */
import {
  buildSaturationSpec,
  SATURATION_DEFAULTS,
  SATURATION_PARAMETER_NAMES,
  type AdstockKind,
  type AdstockSpec,
  type SaturationKind,
  type SaturationSpec,
} from '@tributary/transforms';
import type { Priors } from './priors.js';

export const ADSTOCK_KINDS: readonly AdstockKind[] = Object.freeze(['geometric', 'delayed', 'weibull_cdf', 'weibull_pdf']);
export const SATURATION_KINDS: readonly SaturationKind[] = Object.freeze(['hill', 'logistic', 'michaelis_menten', 'tanh']);

/** Adstock and saturation settings of one channel (fixed values, or the prior centres when learned). */
export interface ChannelTransform {
  /**
   * An `AdstockKind` at runtime. Typed loosely for now (read it as `adstockKind(t)`): code written
   * before the transform family — forecast.ts, the report — still passes these records to
   * @tributary/transforms' `buildAdstockSpec`, which is typed for geometric/delayed only; a strict
   * type here would stop the whole tree from compiling until those callers switch on the kind.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly adstock: any;
  /** Geometric / delayed retention rate (kept, unused, for the Weibull kinds). */
  readonly alpha: number;
  /** Delayed adstock's peak lag (fixed; 0 otherwise). */
  readonly theta: number;
  /** Hill half-saturation point and shape (kept, unused, for the other saturation kinds). */
  readonly K: number;
  readonly S: number;
  readonly lMax: number;
  /** Weibull adstock (present for the Weibull kinds only). */
  readonly shape?: number;
  readonly scale?: number;
  /** Saturation kind; absent means 'hill'. */
  readonly saturation?: SaturationKind;
  /** Logistic / Michaelis–Menten λ (present for those kinds only). */
  readonly lam?: number;
  /** tanh b and c (present for tanh only). */
  readonly b?: number;
  readonly c?: number;
}

/** lognormal(mu, sigma) moment-matched to a distribution with this mean and sd. */
function momentLogNormal(mean: number, sd: number): { mu: number; sigma: number } {
  const s2 = Math.log(1 + (sd * sd) / (mean * mean));
  return { mu: Math.log(mean) - s2 / 2, sigma: Math.sqrt(s2) };
}
const WEIBULL_SHAPE = momentLogNormal(3, 1);
const WEIBULL_SCALE = momentLogNormal(2, 1);

/** Default values of the parameters a channel's kind adds (the prior medians). */
export const WEIBULL_DEFAULTS = Object.freeze({ shape: Math.exp(WEIBULL_SHAPE.mu), scale: Math.exp(WEIBULL_SCALE.mu) });
/** Log-scale sd of the Weibull priors. */
export const WEIBULL_PRIOR_SD = Object.freeze({ shape: WEIBULL_SHAPE.sigma, scale: WEIBULL_SCALE.sigma });

/** The adstock kind of a channel's transform. */
export function adstockKind(t: ChannelTransform): AdstockKind {
  return t.adstock as AdstockKind;
}

/** Model parameter names per adstock kind (α: logit scale; the others log scale). */
export function adstockParameterNames(kind: AdstockKind): readonly string[] {
  return kind === 'geometric' || kind === 'delayed' ? ['alpha'] : ['shape', 'scale'];
}

export function saturationKind(t: ChannelTransform): SaturationKind {
  return t.saturation ?? 'hill';
}

export function saturationParameterNames(kind: SaturationKind): readonly string[] {
  return SATURATION_PARAMETER_NAMES[kind];
}

/** Kind codes of the Stan export (1-based, ADSTOCK_KINDS / SATURATION_KINDS order). */
export const adstockCode = (k: AdstockKind): number => ADSTOCK_KINDS.indexOf(k) + 1;
export const saturationCode = (k: SaturationKind): number => SATURATION_KINDS.indexOf(k) + 1;

/** Learned-slot description of one channel. */
export interface ChannelSlots {
  readonly adstock: AdstockKind;
  readonly saturation: SaturationKind;
  /** Parameter name per slot (null: absent), e.g. ['alpha', null, 'K', 'S']. */
  readonly names: readonly (string | null)[];
}

export function channelSlots(t: ChannelTransform): ChannelSlots {
  const a = adstockParameterNames(adstockKind(t));
  const sat = saturationKind(t);
  const s = saturationParameterNames(sat);
  return { adstock: adstockKind(t), saturation: sat, names: [a[0]!, a[1] ?? null, s[0]!, s[1] ?? null] };
}

/** The value of parameter `name` of a channel's transform. */
export function transformValue(t: ChannelTransform, name: string): number {
  return (t as unknown as Record<string, number>)[name]!;
}

/** Centre and log-sd of the LogNormal prior of a positive learned parameter (slot ≥ 1, or Weibull slot 0). */
export function logNormalPrior(t: ChannelTransform, name: string, priors: Priors): { logCentre: number; sd: number } {
  const x0 = transformValue(t, name);
  let sd: number;
  if (name === 'shape' || name === 'scale') sd = WEIBULL_PRIOR_SD[name];
  else if (name === 'K') sd = priors.sat_K_sd;
  else if (name === 'S') sd = priors.sat_S_sd;
  else {
    const kind = saturationKind(t);
    sd = (SATURATION_DEFAULTS[kind].priors as Record<string, { lognormal: readonly [number, number] }>)[name]!.lognormal[1];
  }
  return { logCentre: Math.log(x0), sd };
}

/** The AdstockSpec of a channel with slot values p0, p1 (α; or shape, scale). */
export function adstockSpecOf(t: ChannelTransform, p0?: number, p1?: number): AdstockSpec {
  const kind = adstockKind(t);
  switch (kind) {
    case 'geometric':
      return { kind: 'geometric', alpha: p0 ?? t.alpha, lMax: t.lMax };
    case 'delayed':
      return { kind: 'delayed', alpha: p0 ?? t.alpha, theta: t.theta, lMax: t.lMax };
    default:
      return { kind, shape: p0 ?? t.shape!, scale: p1 ?? t.scale!, lMax: t.lMax };
  }
}

/** The channel's fixed (or prior-centre) values in the four slots (NaN where absent). */
export function centreSlots(t: ChannelTransform, out: Float64Array, at: number): void {
  const { names } = channelSlots(t);
  for (let j = 0; j < 4; j++) out[at + j] = names[j] === null ? NaN : transformValue(t, names[j]!);
}

/**
 * Saturation h(a) of kind `kind` with slot parameters p2, p3, and — when `out` is given —
 * out[0] = ∂h/∂a, out[1] = ∂h/∂p2, out[2] = ∂h/∂p3. a must be finite and ≥ 0. Allocation-free.
 * Same formulas as @tributary/transforms' kernels (README "Saturation").
 */
export function saturationPoint(kind: SaturationKind, a: number, p2: number, p3: number, out: Float64Array | null): number {
  switch (kind) {
    case 'hill': {
      if (!(a > 0)) {
        if (out !== null) { out[0] = p3 === 1 ? 1 / p2 : 0; out[1] = 0; out[2] = 0; }
        return 0;
      }
      const lr = Math.log(a) - Math.log(p2);
      const q = Math.exp(p3 * lr);
      if (q === Infinity) {
        if (out !== null) { out[0] = 0; out[1] = 0; out[2] = 0; }
        return 1;
      }
      const h = q / (1 + q);
      if (out !== null) {
        const g = h / (1 + q);
        out[0] = (p3 * g) / a;
        out[1] = -(p3 / p2) * g;
        out[2] = g * lr;
      }
      return h;
    }
    case 'logistic': {
      // (1 − e^(−λa)) / (1 + e^(−λa)) = tanh(λa/2)
      const th = Math.tanh(0.5 * p2 * a);
      if (out !== null) {
        const d = 0.5 * (1 - th * th);
        out[0] = d * p2;
        out[1] = d * a;
        out[2] = 0;
      }
      return th;
    }
    case 'michaelis_menten': {
      const den = p2 + a;
      if (out !== null) {
        out[0] = p2 / (den * den);
        out[1] = -a / (den * den);
        out[2] = 0;
      }
      return a / den;
    }
    case 'tanh': {
      // b · tanh(a / (b c))
      const z = a / (p2 * p3);
      const th = Math.tanh(z);
      if (out !== null) {
        const sech2 = 1 - th * th;
        out[0] = sech2 / p3;
        out[1] = th - z * sech2;
        out[2] = -(p2 * z * sech2) / p3;
      }
      return p2 * th;
    }
  }
}

/**
 * The adstock and saturation specs of a channel (@tributary/transforms' spec types), at its
 * fixed values or — with `lookup` — at the values of a draw: `lookup(name)` receives the
 * Stan-style parameter name (`adstock_alpha[meta_spend]`, `sat_lam[tiktok_spend]`, …) and
 * returns its value, or undefined to keep the channel's own value. For consumers that draw or
 * evaluate a channel's curves (the report) without knowing the kinds' parameters.
 */
export function transformSpecs(
  t: ChannelTransform,
  channel: string,
  lookup?: (parameterName: string) => number | undefined,
): { adstock: AdstockSpec; saturation: SaturationSpec } {
  const { names } = channelSlots(t);
  const value = (slot: number, prefix: string): number | undefined => {
    const name = names[slot];
    if (name === null || name === undefined) return undefined;
    return lookup?.(`${prefix}_${name}[${channel}]`) ?? transformValue(t, name);
  };
  const adstock = adstockSpecOf(t, value(0, 'adstock'), value(1, 'adstock'));
  const kind = saturationKind(t);
  const params: Record<string, number> = {};
  for (const slot of [2, 3]) {
    const name = names[slot];
    if (name !== null && name !== undefined) params[name] = value(slot, 'sat')!;
  }
  return { adstock, saturation: buildSaturationSpec(kind, params as never) };
}
