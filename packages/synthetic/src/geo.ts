// The `geo` scenario: a national advertiser's panel of many regional markets (US DMAs, Meridian's
// geo layout), of any size: `geoScenario({ markets, weeks, channels })` builds the configuration,
// `generateScenario` draws the data and the ground truth exactly as for the other scenarios.
//
// Follows Meridian's sample geo data (40 geos × 156 weeks × 5 channels, geos of very different
// populations, one national calendar) in its layout; the sizes and spend patterns are this
// package's own (no Meridian code or data is used):
// - Market sizes follow the household counts of the 210 US DMAs in shape: weight(q) =
//   q^−0.6 · exp(−(q/120)²) at DMA rank q (the largest market ≈ 6 %, the 100th ≈ 0.2 % and the
//   200th ≈ 0.02 % of all households, within a factor 1.5 of Nielsen's 2024 universe estimates).
//   With M markets the ranks q are spread evenly over 1..200, so any M spans the same range of
//   sizes (about 400:1). The company's revenue is 16,000 per market-week on average, so 200
//   markets make 3.2 M a week and spend (7.5 %) about 3.1 M a quarter.
// - Smaller markets are noisier: sigma[g] = 0.04 · (median size / size[g])^¼ (0.02–0.09).
// - Channels `channel_01_spend`…: a fixed cycle of ten profiles (spend share, flighting, campaign
//   length, ROAS level, spread across markets), so channel k has the same settings whatever the
//   number of channels. Their transforms are the model's fallback defaults (model-spec §3), which
//   is what a fit with fixed transforms assumes. Flighted channels (burstiness 0.8–0.9) have
//   runs of weeks with no spend at all.
import type { ChannelConfig, MarketConfig, ScenarioConfig } from './config.js';
import { ScenarioConfigError } from './errors.js';

/** Size of a `geo` panel. */
export interface GeoOptions {
  /** Number of markets, 2..1000 (default 40). */
  readonly markets?: number;
  /** Weeks of history of every market, 8..520 (default 156). */
  readonly weeks?: number;
  /** Number of media channels, 1..99 (default 5). */
  readonly channels?: number;
}

/** Allowed ranges of the {@link GeoOptions}. */
export const GEO_LIMITS = {
  markets: { min: 2, max: 1000, default: 40 },
  weeks: { min: 8, max: 520, default: 156 },
  channels: { min: 1, max: 99, default: 5 },
} as const;

/** Revenue per market-week on average (the company's weekly revenue is this × markets). */
const REVENUE_PER_MARKET = 16_000;
/** Total media spend as a share of revenue. */
const SPEND_SHARE = 0.075;

/**
 * Ten channel profiles, cycled: relative spend, burstiness (0 always on … 1 fully flighted),
 * campaign length in weeks, ROAS level (beta_mu = level × spendShare) and beta_sigma.
 */
const PROFILES: readonly { weight: number; burstiness: number; campaignWeeks: number; level: number; betaSigma: number }[] = [
  { weight: 1.0, burstiness: 0.2, campaignWeeks: 4, level: 7, betaSigma: 0.25 },
  { weight: 0.85, burstiness: 0.5, campaignWeeks: 3, level: 7, betaSigma: 0.3 },
  { weight: 0.75, burstiness: 0.85, campaignWeeks: 6, level: 9, betaSigma: 0.2 },
  { weight: 0.65, burstiness: 0.35, campaignWeeks: 4, level: 6, betaSigma: 0.35 },
  { weight: 0.6, burstiness: 0.65, campaignWeeks: 2, level: 8, betaSigma: 0.3 },
  { weight: 0.5, burstiness: 0.1, campaignWeeks: 8, level: 8, betaSigma: 0.25 },
  { weight: 0.45, burstiness: 0.9, campaignWeeks: 5, level: 6, betaSigma: 0.4 },
  { weight: 0.4, burstiness: 0.45, campaignWeeks: 3, level: 6.5, betaSigma: 0.2 },
  { weight: 0.35, burstiness: 0.7, campaignWeeks: 4, level: 5.5, betaSigma: 0.3 },
  { weight: 0.3, burstiness: 0.3, campaignWeeks: 6, level: 7.5, betaSigma: 0.25 },
];

/** DMA-like household weight at rank q ∈ [1, 200]. */
function dmaWeight(q: number): number {
  return Math.pow(q, -0.6) * Math.exp(-((q / 120) ** 2));
}

function checkCount(value: unknown, name: keyof typeof GEO_LIMITS): number {
  const { min, max, default: fallback } = GEO_LIMITS[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ScenarioConfigError(`geo scenario: ${name} = ${String(value)} must be an integer from ${min} to ${max}.`, [name]);
  }
  return value;
}

/** Market names `geo_001`…, zero-padded to the width of the largest number (at least 3 digits). */
export function geoMarketName(index: number, count: number): string {
  return `geo_${String(index + 1).padStart(Math.max(3, String(count).length), '0')}`;
}

/** Spend columns `channel_01_spend`… (two digits; the `_spend` suffix is how the data package finds media columns). */
export function geoChannelName(index: number): string {
  return `channel_${String(index + 1).padStart(2, '0')}_spend`;
}

/**
 * The configuration of a `geo` panel: `markets` markets of DMA-like sizes (largest first), each
 * with `weeks` weeks ending on the same Monday, and `channels` channels. Throws a
 * ScenarioConfigError naming the option and its range when a size is out of range.
 */
export function geoScenario(options: GeoOptions = {}): ScenarioConfig {
  const problems: string[] = [];
  const counts = { markets: 0, weeks: 0, channels: 0 };
  for (const name of ['markets', 'weeks', 'channels'] as const) {
    try {
      counts[name] = checkCount(options[name], name);
    } catch (e) {
      problems.push((e as ScenarioConfigError).message);
    }
  }
  if (problems.length > 0) throw new ScenarioConfigError(problems.join('\n'), problems);
  const { markets: M, weeks: W, channels: C } = counts;

  const weights = Array.from({ length: M }, (_, r) => dmaWeight(M === 1 ? 1 : 1 + (r * 199) / (M - 1)));
  const sumWeights = weights.reduce((s, w) => s + w, 0);
  const sizes = weights.map((w) => Math.round((REVENUE_PER_MARKET * M * w) / sumWeights));
  const sorted = [...sizes].sort((a, b) => a - b);
  const median = M % 2 === 1 ? sorted[(M - 1) / 2]! : 0.5 * (sorted[M / 2 - 1]! + sorted[M / 2]!);
  const markets: MarketConfig[] = sizes.map((size, r) => ({
    name: geoMarketName(r, M),
    size,
    numWeeks: W,
    sigma: Math.round(0.04 * Math.pow(median / size, 0.25) * 1e4) / 1e4,
  }));

  const profiles = Array.from({ length: C }, (_, c) => PROFILES[c % PROFILES.length]!);
  const sumProfileWeights = profiles.reduce((s, p) => s + p.weight, 0);
  const channels: ChannelConfig[] = profiles.map((p, c) => {
    const spendShare = (SPEND_SHARE * p.weight) / sumProfileWeights;
    return {
      name: geoChannelName(c),
      spendShare,
      burstiness: p.burstiness,
      campaignWeeks: p.campaignWeeks,
      betaMu: p.level * spendShare,
      betaSigma: p.betaSigma,
      betaZLimit: 2.5,
    };
  });

  return {
    name: 'geo',
    description:
      `A national advertiser's geo panel: ${M} regional markets of DMA-like sizes (about 400:1 from the largest to the smallest; ` +
      `smaller markets noisier), ${W} weeks each, ${C} media channels (channel_01_spend…) with always-on and flighted spend ` +
      '(runs of weeks without spend), spend about 7.5% of revenue and moderately different effects across markets ' +
      '(beta_sigma 0.2-0.4): the scale test of the hierarchical model (Meridian\'s geo layout).',
    endDate: '2026-09-28',
    markets,
    channels,
    spendMixJitter: 0.2,
    spendSeasonality: 0.25,
    noise: { sigma: 0.04, jitter: 0 },
    trend: { mu: 0.08, sd: 0.05 },
    seasonality: { sd: 0.04 },
  };
}
