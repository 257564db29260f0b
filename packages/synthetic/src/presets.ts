// Scenario presets. Hyper-parameters (beta_mu, beta_sigma, noise, trend and seasonality scales)
// are fixed here at values inside the model's priors (model-spec.md §5); the per-market
// parameters are drawn from them by generateScenario.
import type { ChannelConfig, MarketConfig, ScenarioConfig } from './config.js';
import { ScenarioConfigError } from './errors.js';
import { geoScenario } from './geo.js';

/** Names of the built-in scenarios. */
export type ScenarioName = 'volta' | 'divergent' | 'biased' | 'drift' | 'geo';

/**
 * VOLTA markets: weekly revenue levels (EUR) and history lengths; all end on the same week. The
 * levels make the whole company's marketing about €0.5M a quarter (7.5% of €6.7M revenue), the
 * scale of the €500k quarterly plan in the demo.
 */
const VOLTA_MARKETS: readonly MarketConfig[] = [
  { name: 'DE', size: 130_000, numWeeks: 104 },
  { name: 'UK', size: 118_000, numWeeks: 104 },
  { name: 'FR', size: 90_000, numWeeks: 78 },
  { name: 'NL', size: 28_000, numWeeks: 78 },
  { name: 'ES', size: 56_000, numWeeks: 52, gapWeeks: [9, 23, 37] },
  { name: 'IT', size: 50_000, numWeeks: 52 },
  { name: 'PL', size: 19_000, numWeeks: 26 },
  { name: 'SE', size: 23_000, numWeeks: 26 },
];

const VOLTA_CHANNELS: readonly ChannelConfig[] = [
  { name: 'spotify_ads_spend', spendShare: 0.018, burstiness: 0.35, betaMu: 0.14, betaSigma: 0.25 },
  { name: 'meta_spend', spendShare: 0.016, burstiness: 0.25, betaMu: 0.11, betaSigma: 0.3 },
  { name: 'tiktok_spend', spendShare: 0.012, burstiness: 0.6, betaMu: 0.075, betaSigma: 0.3 },
  { name: 'youtube_spend', spendShare: 0.011, burstiness: 0.5, betaMu: 0.08, betaSigma: 0.2 },
  { name: 'radio_spend', spendShare: 0.01, burstiness: 0.8, campaignWeeks: 5, betaMu: 0.14, betaSigma: 0.3 },
  { name: 'playlist_spend', spendShare: 0.008, burstiness: 0.7, campaignWeeks: 3, betaMu: 0.09, betaSigma: 0.3 },
];

const VOLTA: ScenarioConfig = {
  name: 'volta',
  description:
    'VOLTA, a music-streaming service in 8 European markets with 26 to 104 weeks of history (ES with 3 missing weeks), ' +
    '6 media channels, marketing spend about 7.5% of revenue and moderately different effects across markets ' +
    '(beta_sigma 0.2-0.3): the case hierarchical pooling is built for.',
  endDate: '2026-09-28',
  target: 'streaming_revenue',
  markets: VOLTA_MARKETS,
  channels: VOLTA_CHANNELS,
  spendMixJitter: 0.2,
  spendSeasonality: 0.25,
  noise: { sigma: 0.04, jitter: 0.2 },
  trend: { mu: 0.1, sd: 0.06 },
  seasonality: { sd: 0.04 },
};

/**
 * Effects of the divergent scenario, replacing VOLTA's on four channels: beta_sigma 1.5 (draws
 * truncated to |beta_z| <= 2, so that no market's media exceeds its revenue), and fixed
 * opposite extremes for TikTok and radio.
 */
const DIVERGENT_EFFECTS: Readonly<Record<string, Partial<ChannelConfig>>> = {
  meta_spend: { betaMu: 0.04, betaSigma: 1.5, betaZLimit: 2 },
  tiktok_spend: { betaMu: 0.03, betaSigma: 1.5, betaZLimit: 2, betaOverrides: { DE: 0.004, UK: 0.005, PL: 0.3, SE: 0.25 } },
  radio_spend: { betaMu: 0.05, betaSigma: 1.5, betaZLimit: 2, betaOverrides: { DE: 0.25, UK: 0.2, PL: 0.003, SE: 0.003 } },
  playlist_spend: { betaMu: 0.03, betaSigma: 1.5, betaZLimit: 2 },
};

const DIVERGENT: ScenarioConfig = {
  ...VOLTA,
  name: 'divergent',
  description:
    'VOLTA markets and spend, but media effects that differ wildly between markets (beta_sigma 1.5 on four channels; ' +
    'TikTok near zero in DE/UK and large in PL/SE, radio the reverse): partial pooling shrinks the small markets ' +
    'towards a population mean that describes none of them. For the "when hierarchical fails" comparison.',
  channels: VOLTA_CHANNELS.map((c) => ({ ...c, ...DIVERGENT_EFFECTS[c.name] })),
};

/**
 * The biased scenario: VOLTA, but TikTok spend follows a hidden demand driver z (AR(1), φ = 0.9,
 * per market) that also raises revenue directly, u += ρ·z. A model that cannot see z credits
 * TikTok with that revenue (κ = 0.6, ρ = 0.12 roughly double the fitted TikTok ROAS). Lift tests
 * on TikTok in DE, UK and FR (4 weeks, +75–100 % spend, 12 % standard error) give the calibration
 * the truth; their windows are weeks where, with seed 42, the incremental return per extra euro
 * is close to the channel's average ROAS (TikTok's steep Hill, S = 2.8, makes it vary a lot).
 */
const BIASED: ScenarioConfig = {
  ...VOLTA,
  name: 'biased',
  description:
    'VOLTA markets and effects, but TikTok spend follows an unobserved demand driver (AR(1), phi 0.9) that also raises revenue ' +
    'directly: a regression on spend overstates the TikTok ROAS. Three lift tests on TikTok (DE, UK, FR; lift_tests.csv) ' +
    'measure its true incremental revenue: the case for calibrating with experiments.',
  confounder: { channel: 'tiktok_spend', ar: 0.9, spendSensitivity: 0.6, revenueEffect: 0.12 },
  liftTests: [
    { market: 'DE', channel: 'tiktok_spend', startWeek: 54, numWeeks: 4, deltaSpendShare: 0.75, seShare: 0.12 },
    { market: 'UK', channel: 'tiktok_spend', startWeek: 60, numWeeks: 4, deltaSpendShare: 1, seShare: 0.12 },
    { market: 'FR', channel: 'tiktok_spend', startWeek: 49, numWeeks: 4, deltaSpendShare: 0.75, seShare: 0.12 },
  ],
};

/**
 * The drift scenario: VOLTA, but the effect of Meta drifts over the two years, common to all
 * markets: m(t) rises from about 0.4 to about 1.5 in two smooth waves (peaks near τ = 0.2 and 0.8,
 * a trough near τ = 0.5), normalized to mean 1 over the two years. A linear drift alone would be
 * absorbed by the per-market trends; the waves and the interaction with flighted spend are what
 * a time-varying model can pick up. Meta's effect is raised (beta_mu 0.35, beta_sigma 0.2) so
 * that it carries 5–25 % of revenue, its spend is more flighted (burstiness 0.5) and higher (3 %
 * of revenue) so that its ROAS stays in a plausible range.
 */
const DRIFT: ScenarioConfig = {
  ...VOLTA,
  name: 'drift',
  description:
    'VOLTA markets, but the effect of Meta drifts over time: a multiplier m(t), common to all markets and averaging 1, ' +
    'rises from about 0.4 to about 1.5 in two smooth waves (truth_multiplier.csv); Meta carries 5-25% of revenue. ' +
    'A constant-effect model averages over the drift, a model with a time-varying effect can follow it.',
  channels: VOLTA_CHANNELS.map((c) =>
    c.name === 'meta_spend' ? { ...c, spendShare: 0.03, burstiness: 0.5, betaMu: 0.35, betaSigma: 0.2 } : c,
  ),
  drift: {
    channel: 'meta_spend',
    start: 0.4,
    end: 1.6,
    bumps: [
      { height: 0.6, center: 0.2, width: 0.08 },
      { height: -0.6, center: 0.5, width: 0.08 },
      { height: 0.6, center: 0.8, width: 0.08 },
    ],
  },
};

/** The built-in scenario configurations (deeply frozen; use scenarioPreset for an editable copy). */
export const SCENARIOS: Readonly<Record<ScenarioName, ScenarioConfig>> = deepFreeze({
  volta: VOLTA,
  divergent: DIVERGENT,
  biased: BIASED,
  drift: DRIFT,
  // 40 markets × 156 weeks × 5 channels (Meridian's geo layout); other sizes: geoScenario().
  geo: geoScenario(),
});

/**
 * Names of the built-in scenarios, in a stable order. Typed `string[]` so that a user-supplied
 * name can be looked up with `includes`; narrow it with {@link isScenarioName}.
 */
export function listScenarios(): string[] {
  return Object.keys(SCENARIOS);
}

/** Type guard for a scenario name given as a string (e.g. a CLI option). */
export function isScenarioName(name: string): name is ScenarioName {
  return Object.prototype.hasOwnProperty.call(SCENARIOS, name);
}

/** A fresh, editable copy of a built-in scenario's configuration. */
export function scenarioPreset(name: ScenarioName): ScenarioConfig {
  if (!isScenarioName(name)) {
    throw new ScenarioConfigError(
      `Unknown scenario ${JSON.stringify(name)}; choose one of: ${listScenarios().join(', ')}.`,
      ['name'],
    );
  }
  return structuredClone(SCENARIOS[name]) as ScenarioConfig;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
