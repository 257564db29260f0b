/**
 * Prior distributions of the marketing mix models: defaults and user overrides.
 *
 * Follows shared/design/model-spec.md §5 exactly (the defaults below are the spec's numbers;
 * `beta_log_mu` is centred on `Math.log(0.15)`, not a rounded constant). Every prior has one
 * documented key (see `PRIOR_KEYS` and packages/models/README.md); a prior file (JSON or
 * YAML) may set any subset of the keys, the rest keep their defaults. zod validates the file at
 * this boundary only; errors name the offending key and the expected form.
 *
 * How a key is used by each model kind (README "Priors"):
 * - `alpha_mu`: hierarchical `alpha_mu`; unpooled `alpha[g]`; pooled `alpha`.
 * - `beta_log_mu`: hierarchical `beta_log_mu[c]`; unpooled `log beta[g,c]`; pooled `log beta[c]`.
 * - `alpha_sigma`, `beta_sigma`: hierarchical only.
 * - `delta`, `gamma`, `gamma_control`, `sigma`: every kind.
 * - `student_t_nu`: Student-t likelihood only; `adstock_alpha_concentration`, `sat_K_sd`,
 *   `sat_S_sd`: learned transforms only.
 * - `roas`: ROAS-parameterized priors (as Meridian's `roas_m`), per channel, optionally per
 *   market: a LogNormal with the given mean and sd (moment-matched) on the channel's ROAS over
 *   the observed period, mapped onto the media coefficient by the model (model.ts, "ROAS
 *   priors"). Replaces the `beta_log_mu` prior of that coefficient.
 * - `tv_sigma`: time-varying media effects only (step size of the multiplier's random walk).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { PriorsError } from './errors.js';

/** Normal(mean, sd). */
export interface NormalPrior {
  readonly normal: readonly [mean: number, sd: number];
}

/** Half-normal(sd): Normal(0, sd) truncated to >= 0. */
export interface HalfNormalPrior {
  readonly half_normal: number;
}

/** Mean and sd of a channel's ROAS (revenue per unit of spend); a LogNormal with these moments. */
export interface RoasMoments {
  readonly mean: number;
  readonly sd: number;
}

/** A channel's ROAS prior, optionally overridden per market (unpooled model only). */
export interface RoasPrior extends RoasMoments {
  readonly markets?: Readonly<Record<string, RoasMoments>>;
}

export interface Priors {
  /** Intercept location: hierarchical `alpha_mu`, unpooled `alpha[g]`, pooled `alpha`. */
  readonly alpha_mu: NormalPrior;
  /** Hierarchical spread of the intercepts. */
  readonly alpha_sigma: HalfNormalPrior;
  /** Trend slope(s). */
  readonly delta: NormalPrior;
  /** Fourier seasonality coefficients. */
  readonly gamma: NormalPrior;
  /** Coefficients of user controls. */
  readonly gamma_control: NormalPrior;
  /** Log media effect: hierarchical `beta_log_mu[c]`, otherwise `log beta`. */
  readonly beta_log_mu: NormalPrior;
  /** Hierarchical spread of the log media effects. */
  readonly beta_sigma: HalfNormalPrior;
  /** Observation noise (scaled target). */
  readonly sigma: HalfNormalPrior;
  /** Degrees of freedom of the Student-t likelihood (fixed, not sampled). */
  readonly student_t_nu: number;
  /** Learned adstock: `alpha_c ~ Beta(k * alpha0, k * (1 - alpha0))` with this k. */
  readonly adstock_alpha_concentration: number;
  /** Learned saturation: `K_c ~ LogNormal(log K0, sat_K_sd)`. */
  readonly sat_K_sd: number;
  /** Learned saturation: `S_c ~ LogNormal(log S0, sat_S_sd)`. */
  readonly sat_S_sd: number;
  /** ROAS priors by channel column name (empty: every channel keeps `beta_log_mu`). */
  readonly roas: Readonly<Record<string, RoasPrior>>;
  /** Time-varying effects: step sd of the log-multiplier random walk ~ HalfNormal(this). */
  readonly tv_sigma: HalfNormalPrior;
}

/** The spec §5 defaults. */
export const DEFAULT_PRIORS: Priors = Object.freeze({
  alpha_mu: Object.freeze({ normal: Object.freeze([0.5, 0.5] as const) }),
  alpha_sigma: Object.freeze({ half_normal: 0.2 }),
  delta: Object.freeze({ normal: Object.freeze([0, 0.5] as const) }),
  gamma: Object.freeze({ normal: Object.freeze([0, 0.2] as const) }),
  gamma_control: Object.freeze({ normal: Object.freeze([0, 0.5] as const) }),
  beta_log_mu: Object.freeze({ normal: Object.freeze([Math.log(0.15), 1] as const) }),
  beta_sigma: Object.freeze({ half_normal: 0.5 }),
  sigma: Object.freeze({ half_normal: 0.3 }),
  student_t_nu: 5,
  adstock_alpha_concentration: 20,
  sat_K_sd: 0.3,
  sat_S_sd: 0.3,
  roas: Object.freeze({}),
  tv_sigma: Object.freeze({ half_normal: 0.1 }),
});

const NORMAL_FORM = '{ normal: [mean, sd] } with a finite mean and sd > 0';
const HALF_NORMAL_FORM = '{ half_normal: sd } with sd > 0';
const POSITIVE_FORM = 'a finite number > 0';
const ROAS_FORM = '{ <channel>: { mean, sd, markets?: { <market>: { mean, sd } } } } with mean > 0 and sd > 0';

/** Every prior key with its expected form and meaning (for help texts and error messages). */
export const PRIOR_KEYS: Readonly<Record<keyof Priors, { readonly form: string; readonly meaning: string }>> =
  Object.freeze({
    alpha_mu: { form: NORMAL_FORM, meaning: 'intercept: hierarchical alpha_mu, unpooled alpha[g], pooled alpha' },
    alpha_sigma: { form: HALF_NORMAL_FORM, meaning: 'hierarchical spread of the intercepts alpha[g]' },
    delta: { form: NORMAL_FORM, meaning: 'trend slope delta (per market, or one when pooled)' },
    gamma: { form: NORMAL_FORM, meaning: 'Fourier seasonality coefficients gamma[k]' },
    gamma_control: { form: NORMAL_FORM, meaning: 'user control coefficients gamma_control[name]' },
    beta_log_mu: {
      form: NORMAL_FORM,
      meaning: 'log media effect: hierarchical beta_log_mu[c], unpooled/pooled log beta',
    },
    beta_sigma: { form: HALF_NORMAL_FORM, meaning: 'hierarchical spread of log beta[g,c] around beta_log_mu[c]' },
    sigma: { form: HALF_NORMAL_FORM, meaning: 'observation noise sigma on the scaled target' },
    student_t_nu: { form: POSITIVE_FORM, meaning: 'degrees of freedom of the Student-t likelihood (fixed)' },
    adstock_alpha_concentration: {
      form: POSITIVE_FORM,
      meaning: 'learned adstock: alpha_c ~ Beta(k*alpha0, k*(1-alpha0)) with this k',
    },
    sat_K_sd: { form: POSITIVE_FORM, meaning: 'learned saturation: K_c ~ LogNormal(log K0, sat_K_sd)' },
    sat_S_sd: { form: POSITIVE_FORM, meaning: 'learned saturation: S_c ~ LogNormal(log S0, sat_S_sd)' },
    roas: {
      form: ROAS_FORM,
      meaning: 'ROAS prior per channel (LogNormal with this mean and sd), replacing beta_log_mu for that channel',
    },
    tv_sigma: { form: HALF_NORMAL_FORM, meaning: 'time-varying effects: step sd of the log-multiplier random walk' },
  });

const finite = z.number().finite();
const positive = z.number().finite().positive();
const normalSchema = z.strictObject({ normal: z.tuple([finite, positive]) });
const halfNormalSchema = z.strictObject({ half_normal: positive });
const roasMomentsSchema = z.strictObject({ mean: positive, sd: positive });
const roasSchema = z.record(
  z.string().min(1),
  z.strictObject({ mean: positive, sd: positive, markets: z.record(z.string().min(1), roasMomentsSchema).optional() }),
);

const priorsSchema = z.strictObject({
  alpha_mu: normalSchema.optional(),
  alpha_sigma: halfNormalSchema.optional(),
  delta: normalSchema.optional(),
  gamma: normalSchema.optional(),
  gamma_control: normalSchema.optional(),
  beta_log_mu: normalSchema.optional(),
  beta_sigma: halfNormalSchema.optional(),
  sigma: halfNormalSchema.optional(),
  student_t_nu: positive.optional(),
  adstock_alpha_concentration: positive.optional(),
  sat_K_sd: positive.optional(),
  sat_S_sd: positive.optional(),
  roas: roasSchema.optional(),
  tv_sigma: halfNormalSchema.optional(),
});

function isPriorKey(key: string): key is keyof Priors {
  return Object.prototype.hasOwnProperty.call(PRIOR_KEYS, key);
}

/**
 * Validates a (partial) priors object and fills the missing keys with `DEFAULT_PRIORS`.
 * `source` names where the object came from (a file path) in error messages.
 */
export function resolvePriors(partial: unknown = {}, source = 'priors'): Priors {
  if (partial === null || partial === undefined) return DEFAULT_PRIORS;
  if (typeof partial !== 'object' || Array.isArray(partial)) {
    throw new PriorsError(`${source}: expected a mapping from prior keys to priors, got ${describe(partial)}.`);
  }
  const result = priorsSchema.safeParse(partial);
  if (!result.success) {
    const problems: string[] = [];
    let firstKey: string | undefined;
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          firstKey ??= key;
          problems.push(
            `unknown prior key "${key}"${suggest(key)}; valid keys: ${Object.keys(PRIOR_KEYS).join(', ')}`,
          );
        }
        continue;
      }
      const key = String(issue.path[0] ?? '');
      firstKey ??= key;
      const form = isPriorKey(key) ? PRIOR_KEYS[key].form : 'a valid prior';
      const value = isPriorKey(key) ? (partial as Record<string, unknown>)[key] : undefined;
      const where = issue.path.length > 1 ? ` (at ${issue.path.map(String).join('.')})` : '';
      problems.push(`prior "${key}" must be ${form}; got ${describe(value)}${where}: ${issue.message}`);
    }
    const unique = [...new Set(problems)];
    throw new PriorsError(`${source}: ${unique.join('; ')}.`, firstKey);
  }
  const data = result.data;
  const merged: Record<string, unknown> = { ...DEFAULT_PRIORS };
  for (const [key, value] of Object.entries(data)) if (value !== undefined) merged[key] = value;
  return Object.freeze(merged) as unknown as Priors;
}

/** Parses a priors file's text (`json` or `yaml`) into full `Priors` (defaults filled in). */
export function parsePriors(text: string, format: 'json' | 'yaml', source = `priors (${format})`): Priors {
  let value: unknown;
  try {
    value = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PriorsError(`${source}: not valid ${format.toUpperCase()}: ${reason}`);
  }
  return resolvePriors(value ?? {}, source);
}

/** Reads and validates a priors file; `.json` is JSON, `.yaml`/`.yml` (or anything else) YAML. */
export function loadPriors(path: string): Priors {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PriorsError(`priors file "${path}" could not be read: ${reason}`);
  }
  const format = path.toLowerCase().endsWith('.json') ? 'json' : 'yaml';
  return parsePriors(text, format, `priors file "${path}"`);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function suggest(key: string): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of Object.keys(PRIOR_KEYS)) {
    const d = editDistance(key.toLowerCase(), candidate);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best !== undefined && bestDistance <= 3 ? ` (did you mean "${best}"?)` : '';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
