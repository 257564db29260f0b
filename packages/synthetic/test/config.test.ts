import { TributaryError } from '@tributary/data';
import { describe, expect, it } from 'vitest';
import {
  generateScenario,
  isScenarioName,
  listScenarios,
  SCENARIO_CONFIG_ERROR_CODE,
  ScenarioConfigError,
  scenarioPreset,
  SCENARIOS,
  validateScenarioConfig,
  type ScenarioConfig,
} from '../src/index.js';

function problemsOf(config: ScenarioConfig): readonly string[] {
  try {
    validateScenarioConfig(config);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioConfigError);
    expect(e).toBeInstanceOf(TributaryError);
    expect((e as ScenarioConfigError).code).toBe(SCENARIO_CONFIG_ERROR_CODE);
    return (e as ScenarioConfigError).problems;
  }
  return [];
}

describe('presets', () => {
  it('lists volta, divergent, biased, drift and geo, all valid', () => {
    expect(listScenarios()).toEqual(['volta', 'divergent', 'biased', 'drift', 'geo']);
    for (const name of listScenarios()) {
      expect(isScenarioName(name)).toBe(true);
      if (isScenarioName(name)) expect(problemsOf(scenarioPreset(name))).toEqual([]);
    }
    expect(isScenarioName('volta')).toBe(true);
    expect(isScenarioName('nope')).toBe(false);
    expect(isScenarioName('toString')).toBe(false);
  });

  it('hands out editable copies; SCENARIOS itself is frozen', () => {
    const a = scenarioPreset('volta') as unknown as { markets: { size: number }[] };
    a.markets[0]!.size = 1;
    expect(SCENARIOS.volta.markets[0]!.size).toBe(130_000);
    expect(Object.isFrozen(SCENARIOS.volta.markets[0])).toBe(true);
    expect(() => scenarioPreset('nope' as 'volta')).toThrow(/Unknown scenario "nope"; choose one of: volta, divergent, biased, drift/);
  });
});

describe('validateScenarioConfig', () => {
  const base = scenarioPreset('volta');

  it('lists every problem, each naming the field', () => {
    const bad: ScenarioConfig = {
      ...base,
      name: 'bad name',
      endDate: '2026-02-30',
      markets: [
        { name: 'DE', size: -1, numWeeks: 104 },
        { name: 'DE', size: 1e6, numWeeks: 7 },
        { name: 'ES', size: 1e6, numWeeks: 10, gapWeeks: [0, 5, 5] },
      ],
      channels: [
        { ...base.channels[0]!, burstiness: 1.5 },
        { ...base.channels[0]!, betaMu: 0 },
        { name: 'x_spend', spendShare: 0, burstiness: 0, betaMu: 0.1, betaSigma: -1, betaOverrides: { FR: 0.1 } },
      ],
      noise: { sigma: 0, jitter: 0 },
      seasonality: { sd: 0.1, gamma: [1, 2] },
    };
    const problems = problemsOf(bad);
    const expected = [
      /^name = "bad name"/,
      /^endDate = "2026-02-30"/,
      /markets\[0\] \("DE"\): size = -1/,
      /markets\[1\] \("DE"\): duplicate market name/,
      /markets\[1\] \("DE"\): numWeeks = 7/,
      /markets\[2\] \("ES"\): gap week 0 must be an integer in 1\.\.8/,
      /markets\[2\] \("ES"\): gap week 5 listed twice/,
      /channels\[0\] \("spotify_ads_spend"\): burstiness = 1\.5/,
      /channels\[1\] \("spotify_ads_spend"\): duplicate column name/,
      /channels\[1\] \("spotify_ads_spend"\): betaMu = 0/,
      /channels\[2\] \("x_spend"\): spendShare = 0/,
      /channels\[2\] \("x_spend"\): betaSigma = -1/,
      /channels\[2\] \("x_spend"\): betaOverrides names unknown market "FR"/,
      /^noise\.sigma = 0/,
      /^seasonality\.gamma must be 4 finite numbers/,
    ];
    for (const re of expected) expect(problems.some((p) => re.test(p)), String(re)).toBe(true);
    expect(problems).toHaveLength(expected.length);
    expect(() => generateScenario(bad, 1)).toThrow(/Invalid scenario configuration "bad name":\n {2}- name/);
  });

  it('checks the confounder, the drift and the lift tests, naming each field', () => {
    const bad: ScenarioConfig = {
      ...base,
      confounder: { channel: 'tv_spend', ar: 1, spendSensitivity: -1, revenueEffect: Number.NaN },
      drift: { channel: 'meta_spend', start: 0.4, end: 0, bumps: [{ height: 0.5, center: 0.5, width: 0 }] },
      liftTests: [
        { market: 'XX', channel: 'tiktok_spend', startWeek: 0, numWeeks: 4, deltaSpendShare: 1, seShare: 0.1 },
        { market: 'PL', channel: 'meta_spend', startWeek: 24, numWeeks: 4, deltaSpendShare: 0, seShare: 0 },
      ],
    };
    const problems = problemsOf(bad);
    const expected = [
      /^confounder\.channel = "tv_spend" is not one of the channels/,
      /^confounder\.ar = 1 must be in \[0, 1\)/,
      /^confounder\.spendSensitivity = -1/,
      /^confounder\.revenueEffect = NaN/,
      /^drift\.end = 0 must be > 0/,
      /^drift\.bumps\[0\]\.width = 0 must be > 0/,
      /^liftTests\[0\] \("XX", "tiktok_spend"\): market is not one of the markets/,
      /^liftTests\[1\] \("PL", "meta_spend"\): a lift test on the drifting channel is not supported/,
      /^liftTests\[1\] \("PL", "meta_spend"\): weeks 24\.\.27 must lie inside the market's 26 weeks/,
      /^liftTests\[1\] \("PL", "meta_spend"\): deltaSpendShare = 0/,
      /^liftTests\[1\] \("PL", "meta_spend"\): seShare = 0/,
    ];
    for (const re of expected) expect(problems.some((p) => re.test(p)), String(re)).toBe(true);
    expect(problems).toHaveLength(expected.length);
  });

  it('rejects a drift whose bumps make the multiplier negative', () => {
    const config: ScenarioConfig = { ...base, drift: { channel: 'meta_spend', start: 1, end: 1, bumps: [{ height: -1.5, center: 0.5, width: 0.1 }] } };
    expect(problemsOf(config)).toEqual([expect.stringMatching(/^drift: the multiplier must stay positive, but .* reach -0\.500/)]);
  });

  it('rejects a market left with fewer than 8 observed weeks', () => {
    const config = { ...base, markets: [{ name: 'PL', size: 1e6, numWeeks: 9, gapWeeks: [3, 5] }] };
    expect(problemsOf(config)).toEqual([expect.stringMatching(/only 7 observed weeks; the data package requires at least 8/)]);
  });

  it('rejects a non-finite seed', () => {
    expect(() => generateScenario(base, Number.NaN)).toThrow(ScenarioConfigError);
  });

  it('reports negative revenue as a configuration problem', () => {
    const config: ScenarioConfig = { ...base, noise: { sigma: 2, jitter: 0 } };
    expect(() => generateScenario(config, 1)).toThrow(/generated revenue .* is negative .* Lower the noise sigma/);
  });
});

describe('a custom configuration', () => {
  it('generates any markets, channels, target name, gaps, fixed seasonality and transforms', () => {
    const config: ScenarioConfig = {
      name: 'tiny',
      description: 'two markets, two channels',
      endDate: '2025-01-06',
      target: 'revenue',
      markets: [
        { name: 'A', size: 10_000, numWeeks: 12, gapWeeks: [4], sigma: 0.05 },
        { name: 'B', size: 5_000, numWeeks: 8 },
      ],
      channels: [
        { name: 'tv', spendShare: 0.05, burstiness: 1, betaMu: 0.2, betaSigma: 0 },
        {
          name: 'search_spend', spendShare: 0.03, burstiness: 0, betaMu: 0.1, betaSigma: 0.5, betaOverrides: { B: 0.3 },
          transform: { adstock: 'delayed', alpha: 0.5, theta: 1, K: 0.3, S: 1, lMax: 4 },
        },
      ],
      spendMixJitter: 0,
      spendSeasonality: 0,
      noise: { sigma: 0.03, jitter: 0 },
      trend: { mu: 0, sd: 0 },
      seasonality: { sd: 0, gamma: [0.01, 0, 0, 0] },
    };
    const { csv, rows, groundTruth: gt } = generateScenario(config, 3);
    expect(csv.split('\n')[0]).toBe('date,country,tv,search_spend,revenue');
    expect(rows).toHaveLength(11 + 8);
    expect(gt.first_date).toBe('2024-10-21');
    expect(gt.market_info['A']!.gap_dates).toEqual(['2024-11-18']);
    expect(gt.market_info['B']!.first_date).toBe('2024-11-18');
    expect(gt.parameters['sigma[A]']).toBe(0.05);
    expect(gt.parameters['sigma[B]']).toBe(0.03);
    expect(gt.parameters['gamma[1]']).toBe(0.01);
    expect(gt.parameters['delta[A]']).toBe(0);
    expect(gt.parameters['beta[A,tv]']).toBeCloseTo(0.2, 15);
    expect(gt.parameters['beta[B,search_spend]']).toBe(0.3);
    expect(gt.parameters['beta_z[B,search_spend]']).toBeCloseTo(Math.log(3) / 0.5, 12);
    expect(gt.transforms['search_spend']).toEqual(config.channels[1]!.transform);
    expect(gt.transforms['tv']).toEqual({ adstock: 'geometric', alpha: 0.5, theta: 0, K: 0.5, S: 2, lMax: 8 });
  });
});
