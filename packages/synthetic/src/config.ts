// Scenario configuration: the types a caller fills in, and their validation.
import { ScenarioConfigError } from './errors.js';
import { isoToMs } from './dates.js';

/** Media transform settings of one channel (the shape of `channelDefaults` in @tributary/transforms). */
export interface TransformSettings {
  readonly adstock: 'geometric' | 'delayed';
  /** Retention rate α ∈ [0, 1). */
  readonly alpha: number;
  /** Peak delay θ of the delayed adstock (0 for the geometric one). */
  readonly theta: number;
  /** Hill half-saturation K > 0 (on the per-market max-scaled spend). */
  readonly K: number;
  /** Hill shape S > 0. */
  readonly S: number;
  /** Number of lags L of the adstock kernel. */
  readonly lMax: number;
}

export interface MarketConfig {
  /** Market id written to the `country` column. */
  readonly name: string;
  /** Weekly revenue level: `y = size · u` with `u` averaging 1 before noise. */
  readonly size: number;
  /** Weeks from the market's first to its last date (inclusive), ending at the scenario's `endDate`. */
  readonly numWeeks: number;
  /** Weeks missing from the CSV, as 0-based offsets from the market's first week (strictly inside). */
  readonly gapWeeks?: readonly number[];
  /** Overrides the drawn noise sd `sigma[g]` of this market. */
  readonly sigma?: number;
}

export interface ChannelConfig {
  /** Spend column name, e.g. `meta_spend`. Its transforms default to `channelDefaults(name)`. */
  readonly name: string;
  /** Average weekly spend as a share of the market's weekly revenue (0.015 = 1.5 %). */
  readonly spendShare: number;
  /**
   * 0 = always-on spend with moderate week-to-week variation; 1 = fully flighted: campaign bursts
   * separated by weeks with no spend at all. Between the two, quiet weeks keep a reduced baseline.
   */
  readonly burstiness: number;
  /** Mean length in weeks of a campaign (and of a quiet period). Default 4. */
  readonly campaignWeeks?: number;
  /** Population median effect `beta_mu[c] = exp(beta_log_mu[c])` on the scaled target. */
  readonly betaMu: number;
  /** Between-market sd of `log beta[g,c]`. */
  readonly betaSigma: number;
  /**
   * Truncates the draws `beta_z[g,c]` to `|z| <= betaZLimit` (by redrawing), which keeps a
   * large `betaSigma` from producing effects larger than the revenue itself. Default: no limit.
   */
  readonly betaZLimit?: number;
  /** Fixed `beta[g,c]` for some markets (by market name) instead of a draw. */
  readonly betaOverrides?: Readonly<Record<string, number>>;
  /** Transform settings; default `channelDefaults(name)` from @tributary/transforms (what the model uses). */
  readonly transform?: TransformSettings;
}

/**
 * An unobserved demand driver (the `biased` scenario): a smooth, seeded series `z[g,w]` per market
 * (AR(1), stationary with sd 1) that moves one channel's spend and, directly, the revenue. It is
 * not written to the CSV, so a regression on spend attributes its revenue to the channel.
 */
export interface ConfounderConfig {
  /** Spend column whose spend follows the driver. */
  readonly channel: string;
  /** AR(1) coefficient φ in [0, 1): `z[w] = φ·z[w−1] + sqrt(1 − φ²)·ε[w]`, `z[0] = ε[0]`. */
  readonly ar: number;
  /** κ ≥ 0: the channel's spend pattern is multiplied by `exp(κ·z[w])`, then renormalized to mean 1. */
  readonly spendSensitivity: number;
  /** ρ: `u[n] += ρ·z[n]` (revenue the model cannot see). */
  readonly revenueEffect: number;
}

/**
 * A lift test (geo experiment) on one market-channel: `delta_spend` extra spend per week during
 * `numWeeks` weeks; the measured lift is the true incremental revenue over the test window and
 * its carryover tail, plus Normal(0, lift_se) noise.
 */
export interface LiftTestConfig {
  readonly market: string;
  /** Spend column, e.g. `tiktok_spend`. */
  readonly channel: string;
  /** First test week as a 0-based offset from the market's first week. */
  readonly startWeek: number;
  /** Length of the test in weeks (the window is inclusive). */
  readonly numWeeks: number;
  /** Extra weekly spend as a multiple of the market-channel's mean weekly spend (rounded to whole money units). */
  readonly deltaSpendShare: number;
  /** `lift_se` as a share of the true lift. */
  readonly seShare: number;
}

/**
 * A time-varying effect of one channel (the `drift` scenario): the contribution is
 * `beta[g,c]·m(t)·H[n,c]` with `m` common to all markets. Before normalization
 * `m(τ) = start + (end − start)·τ + Σ_b height_b·exp(−½((τ − center_b)/width_b)²)`, `τ = t / t_max`
 * (smooth bumps, or dips with a negative height); it is then
 * divided by its mean over `t = 0..t_max` (the weeks of the longest markets), so that `beta`
 * keeps the meaning of the average effect.
 */
export interface DriftConfig {
  readonly channel: string;
  /** Multiplier before normalization at the first week (τ = 0). */
  readonly start: number;
  /** Multiplier before normalization at the last week (τ = 1). */
  readonly end: number;
  /** Gaussian bumps (height > 0) or dips (height < 0) on top of the linear drift, on the τ scale. */
  readonly bumps?: readonly { readonly height: number; readonly center: number; readonly width: number }[];
}

export interface ScenarioConfig {
  /** Scenario name; the CSV is written as `<name>_marketing.csv`. */
  readonly name: string;
  readonly description: string;
  /** Last week of every market (ISO `YYYY-MM-DD`). */
  readonly endDate: string;
  /** Target column name. Default `streaming_revenue`. */
  readonly target?: string;
  readonly markets: readonly MarketConfig[];
  readonly channels: readonly ChannelConfig[];
  /** Lognormal sd of each market's channel mix around `spendShare` (0 = identical mix everywhere). */
  readonly spendMixJitter: number;
  /** Amplitude of the calendar seasonality of spend (peak early December), in [0, 0.9]. */
  readonly spendSeasonality: number;
  /** `sigma[g] = sigma · exp(jitter · z[g])`, unless the market sets its own `sigma`. */
  readonly noise: { readonly sigma: number; readonly jitter: number };
  /** Trend slopes `delta[g] ~ Normal(mu, sd)`. */
  readonly trend: { readonly mu: number; readonly sd: number };
  /** Seasonality `gamma[k] ~ Normal(0, sd)`, k = 1..4, or fixed values `gamma`. */
  readonly seasonality: { readonly sd: number; readonly gamma?: readonly number[] };
  /** An unobserved demand driver of one channel's spend and of revenue (confounding). */
  readonly confounder?: ConfounderConfig;
  /** Lift tests to simulate and write to `lift_tests.csv`. */
  readonly liftTests?: readonly LiftTestConfig[];
  /** A time-varying effect multiplier of one channel. */
  readonly drift?: DriftConfig;
}

const NAME = /^[^,"\r\n]+$/;

/** Throws a ScenarioConfigError listing every problem of `config`. */
export function validateScenarioConfig(config: ScenarioConfig): void {
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

  check(typeof config.name === 'string' && /^[A-Za-z0-9_-]+$/.test(config.name),
    `name = ${JSON.stringify(config.name)}: use letters, digits, "_" or "-" (it becomes the file name <name>_marketing.csv)`);
  check(Number.isFinite(isoToMs(config.endDate)), `endDate = ${JSON.stringify(config.endDate)} is not a valid ISO date YYYY-MM-DD`);
  const target = config.target ?? 'streaming_revenue';
  check(NAME.test(target), `target = ${JSON.stringify(target)}: a CSV column name without commas, quotes or newlines`);

  check(Array.isArray(config.markets) && config.markets.length > 0, 'markets: give at least one market');
  const marketNames = new Set<string>();
  for (const [i, m] of (config.markets ?? []).entries()) {
    const at = `markets[${i}] (${JSON.stringify(m.name)})`;
    check(typeof m.name === 'string' && NAME.test(m.name), `${at}: name must be a non-empty string without commas, quotes or newlines`);
    check(!marketNames.has(m.name), `${at}: duplicate market name`);
    marketNames.add(m.name);
    check(finite(m.size) && m.size > 0, `${at}: size = ${m.size} must be a finite number > 0 (weekly revenue)`);
    check(Number.isInteger(m.numWeeks) && m.numWeeks >= 8, `${at}: numWeeks = ${m.numWeeks} must be an integer >= 8`);
    const gaps = m.gapWeeks ?? [];
    const seen = new Set<number>();
    for (const w of gaps) {
      check(Number.isInteger(w) && w >= 1 && w <= m.numWeeks - 2,
        `${at}: gap week ${w} must be an integer in 1..${m.numWeeks - 2} (strictly inside the market's range)`);
      check(!seen.has(w), `${at}: gap week ${w} listed twice`);
      seen.add(w);
    }
    if (Number.isInteger(m.numWeeks) && m.numWeeks >= 8) check(m.numWeeks - seen.size >= 8, `${at}: only ${m.numWeeks - seen.size} observed weeks; the data package requires at least 8`);
    if (m.sigma !== undefined) check(finite(m.sigma) && m.sigma > 0, `${at}: sigma = ${m.sigma} must be > 0`);
  }

  check(Array.isArray(config.channels) && config.channels.length > 0, 'channels: give at least one channel');
  const channelNames = new Set<string>([target]);
  for (const [i, c] of (config.channels ?? []).entries()) {
    const at = `channels[${i}] (${JSON.stringify(c.name)})`;
    check(typeof c.name === 'string' && NAME.test(c.name) && c.name !== 'date' && c.name !== 'country',
      `${at}: name must be a column name other than date/country, without commas, quotes or newlines`);
    check(!channelNames.has(c.name), `${at}: duplicate column name`);
    channelNames.add(c.name);
    check(finite(c.spendShare) && c.spendShare > 0, `${at}: spendShare = ${c.spendShare} must be > 0 (a channel with no spend is rejected by the data package)`);
    check(finite(c.burstiness) && c.burstiness >= 0 && c.burstiness <= 1, `${at}: burstiness = ${c.burstiness} must be in [0, 1]`);
    if (c.campaignWeeks !== undefined) check(finite(c.campaignWeeks) && c.campaignWeeks >= 1, `${at}: campaignWeeks = ${c.campaignWeeks} must be >= 1`);
    check(finite(c.betaMu) && c.betaMu > 0, `${at}: betaMu = ${c.betaMu} must be > 0`);
    check(finite(c.betaSigma) && c.betaSigma >= 0, `${at}: betaSigma = ${c.betaSigma} must be >= 0`);
    if (c.betaZLimit !== undefined) check(finite(c.betaZLimit) && c.betaZLimit >= 0.5, `${at}: betaZLimit = ${c.betaZLimit} must be a number >= 0.5`);
    for (const [market, b] of Object.entries(c.betaOverrides ?? {})) {
      check(marketNames.has(market), `${at}: betaOverrides names unknown market ${JSON.stringify(market)}`);
      check(finite(b) && b > 0, `${at}: betaOverrides[${market}] = ${b} must be > 0 (effects are positive in the model)`);
    }
    if (c.transform !== undefined) {
      const t = c.transform;
      check(t.adstock === 'geometric' || t.adstock === 'delayed', `${at}: transform.adstock must be "geometric" or "delayed"`);
      check(finite(t.alpha) && t.alpha >= 0 && t.alpha < 1, `${at}: transform.alpha = ${t.alpha} must be in [0, 1)`);
      if (t.adstock === 'delayed') check(finite(t.theta) && t.theta >= 0, `${at}: transform.theta = ${t.theta} must be >= 0 for a delayed adstock`);
      check(finite(t.K) && t.K > 0, `${at}: transform.K = ${t.K} must be > 0`);
      check(finite(t.S) && t.S > 0, `${at}: transform.S = ${t.S} must be > 0`);
      check(Number.isInteger(t.lMax) && t.lMax >= 1, `${at}: transform.lMax = ${t.lMax} must be an integer >= 1`);
    }
  }

  check(finite(config.spendMixJitter) && config.spendMixJitter >= 0, `spendMixJitter = ${config.spendMixJitter} must be >= 0`);
  check(finite(config.spendSeasonality) && config.spendSeasonality >= 0 && config.spendSeasonality <= 0.9,
    `spendSeasonality = ${config.spendSeasonality} must be in [0, 0.9]`);
  check(finite(config.noise?.sigma) && config.noise.sigma > 0, `noise.sigma = ${config.noise?.sigma} must be > 0`);
  check(finite(config.noise?.jitter) && config.noise.jitter >= 0, `noise.jitter = ${config.noise?.jitter} must be >= 0`);
  check(finite(config.trend?.mu), `trend.mu = ${config.trend?.mu} must be a finite number`);
  check(finite(config.trend?.sd) && config.trend.sd >= 0, `trend.sd = ${config.trend?.sd} must be >= 0`);
  check(finite(config.seasonality?.sd) && config.seasonality.sd >= 0, `seasonality.sd = ${config.seasonality?.sd} must be >= 0`);
  const gamma = config.seasonality?.gamma;
  if (gamma !== undefined) {
    check(gamma.length === 4 && gamma.every(finite), `seasonality.gamma must be 4 finite numbers (sin/cos of order 1 and 2), got ${JSON.stringify(gamma)}`);
  }

  const channelList = (config.channels ?? []).map((c) => c.name);
  const knownChannel = (name: unknown) => typeof name === 'string' && channelList.includes(name);

  const cf = config.confounder;
  if (cf !== undefined) {
    check(knownChannel(cf.channel), `confounder.channel = ${JSON.stringify(cf.channel)} is not one of the channels`);
    check(finite(cf.ar) && cf.ar >= 0 && cf.ar < 1, `confounder.ar = ${cf.ar} must be in [0, 1)`);
    check(finite(cf.spendSensitivity) && cf.spendSensitivity >= 0 && cf.spendSensitivity <= 3,
      `confounder.spendSensitivity = ${cf.spendSensitivity} must be in [0, 3]`);
    check(finite(cf.revenueEffect), `confounder.revenueEffect = ${cf.revenueEffect} must be a finite number`);
  }

  const dr = config.drift;
  if (dr !== undefined) {
    check(knownChannel(dr.channel), `drift.channel = ${JSON.stringify(dr.channel)} is not one of the channels`);
    check(finite(dr.start) && dr.start > 0, `drift.start = ${dr.start} must be > 0`);
    check(finite(dr.end) && dr.end > 0, `drift.end = ${dr.end} must be > 0`);
    for (const [b, bump] of (dr.bumps ?? []).entries()) {
      check(finite(bump.height), `drift.bumps[${b}].height = ${bump.height} must be a finite number`);
      check(finite(bump.center), `drift.bumps[${b}].center = ${bump.center} must be finite (on the τ = t / t_max scale)`);
      check(finite(bump.width) && bump.width > 0, `drift.bumps[${b}].width = ${bump.width} must be > 0`);
    }
    if (finite(dr.start) && finite(dr.end) && (dr.bumps ?? []).every((b) => finite(b.height) && finite(b.center) && b.width > 0)) {
      const min = minRawDrift(dr);
      check(min > 0, `drift: the multiplier must stay positive, but start/end/bumps make it reach ${min.toFixed(3)}`);
    }
  }

  for (const [i, lt] of (config.liftTests ?? []).entries()) {
    const at = `liftTests[${i}] (${JSON.stringify(lt.market)}, ${JSON.stringify(lt.channel)})`;
    const market = (config.markets ?? []).find((m) => m.name === lt.market);
    check(market !== undefined, `${at}: market is not one of the markets`);
    check(knownChannel(lt.channel), `${at}: channel is not one of the channels`);
    check(dr === undefined || lt.channel !== dr.channel,
      `${at}: a lift test on the drifting channel is not supported (the lift definition has no time-varying multiplier)`);
    check(Number.isInteger(lt.numWeeks) && lt.numWeeks >= 1, `${at}: numWeeks = ${lt.numWeeks} must be an integer >= 1`);
    check(Number.isInteger(lt.startWeek) && lt.startWeek >= 0, `${at}: startWeek = ${lt.startWeek} must be an integer >= 0`);
    if (market !== undefined && Number.isInteger(lt.startWeek) && Number.isInteger(lt.numWeeks)) {
      check(lt.startWeek + lt.numWeeks <= market.numWeeks,
        `${at}: weeks ${lt.startWeek}..${lt.startWeek + lt.numWeeks - 1} must lie inside the market's ${market.numWeeks} weeks`);
    }
    check(finite(lt.deltaSpendShare) && lt.deltaSpendShare > 0, `${at}: deltaSpendShare = ${lt.deltaSpendShare} must be > 0`);
    check(finite(lt.seShare) && lt.seShare > 0, `${at}: seShare = ${lt.seShare} must be > 0`);
  }

  if (problems.length > 0) {
    throw new ScenarioConfigError(
      `Invalid scenario configuration ${JSON.stringify(config.name)}:\n  - ${problems.join('\n  - ')}\n` +
        'Start from scenarioPreset("volta") and change only what you need.',
      problems,
    );
  }
}

/** Smallest raw drift multiplier on a fine τ grid over [0, 1]. */
function minRawDrift(dr: DriftConfig): number {
  let min = Infinity;
  for (let i = 0; i <= 1000; i++) {
    const tau = i / 1000;
    let m = dr.start + (dr.end - dr.start) * tau;
    for (const b of dr.bumps ?? []) m += b.height * Math.exp(-0.5 * ((tau - b.center) / b.width) ** 2);
    if (m < min) min = m;
  }
  return min;
}
