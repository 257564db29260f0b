// The geo scenario: a panel of many markets of DMA-like sizes, any size, with the ground truth of
// every parameter and ROAS, read back by @tributary/data like the other scenarios.
import { buildPanel, parseMarketingCsv } from '@tributary/data';
import { describe, expect, it } from 'vitest';
import { GEO_LIMITS, generateScenario, geoScenario, listScenarios, scenarioPreset, ScenarioConfigError } from '../src/index.js';
import { designFromPanel, perMarketStats, trueMean } from './helpers.js';

const config = geoScenario({ markets: 60, weeks: 78, channels: 10 });
const result = generateScenario(config, 42);
const gt = result.groundTruth;

describe('geoScenario', () => {
  it('is a built-in scenario of 40 markets × 156 weeks × 5 channels by default', () => {
    expect(listScenarios()).toContain('geo');
    const preset = scenarioPreset('geo');
    expect(preset).toEqual(geoScenario());
    expect(preset.markets).toHaveLength(40);
    expect(preset.channels).toHaveLength(5);
    expect(new Set(preset.markets.map((m) => m.numWeeks))).toEqual(new Set([156]));
    expect(GEO_LIMITS.markets.default).toBe(40);
  });

  it('names markets geo_001… and channels channel_01_spend…, largest market first', () => {
    expect(config.markets.map((m) => m.name).slice(0, 3)).toEqual(['geo_001', 'geo_002', 'geo_003']);
    expect(config.markets.at(-1)!.name).toBe('geo_060');
    expect(geoScenario({ markets: 1000 }).markets.at(-1)!.name).toBe('geo_1000');
    expect(config.channels.map((c) => c.name)).toEqual(Array.from({ length: 10 }, (_, c) => `channel_${String(c + 1).padStart(2, '0')}_spend`));
    const sizes = config.markets.map((m) => m.size);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]!).toBeLessThanOrEqual(sizes[i - 1]!);
  });

  it('spans DMA-like sizes (about 400:1) whatever the number of markets, 16,000 per market-week in all', () => {
    for (const M of [2, 40, 200, 1000]) {
      const sizes = geoScenario({ markets: M }).markets.map((m) => m.size);
      const total = sizes.reduce((s, v) => s + v, 0);
      expect(Math.abs(total / (16_000 * M) - 1), `M = ${M}`).toBeLessThan(1e-3);
      expect(sizes[0]! / sizes.at(-1)!, `M = ${M}`).toBeGreaterThan(250);
      expect(sizes[0]! / sizes.at(-1)!, `M = ${M}`).toBeLessThan(600);
    }
  });

  it('gives smaller markets more noise', () => {
    const sigmas = config.markets.map((m) => m.sigma!);
    expect(sigmas[0]!).toBeLessThan(sigmas.at(-1)!);
    for (let i = 1; i < sigmas.length; i++) expect(sigmas[i]!).toBeGreaterThanOrEqual(sigmas[i - 1]!);
    expect(Math.min(...sigmas)).toBeGreaterThan(0.01);
    expect(Math.max(...sigmas)).toBeLessThan(0.1);
  });

  it('keeps channel k the same whatever the number of channels (profiles cycle every 10)', () => {
    const five = geoScenario({ channels: 5 }).channels;
    const twelve = geoScenario({ channels: 12 }).channels;
    for (let c = 0; c < 5; c++) {
      expect(twelve[c]!.burstiness).toBe(five[c]!.burstiness);
      expect(twelve[c]!.campaignWeeks).toBe(five[c]!.campaignWeeks);
      expect(twelve[c]!.betaSigma).toBe(five[c]!.betaSigma);
    }
    expect(twelve[10]!.burstiness).toBe(twelve[0]!.burstiness);
    const share = (cs: readonly { spendShare: number }[]) => cs.reduce((s, c) => s + c.spendShare, 0);
    expect(share(five)).toBeCloseTo(0.075, 12);
    expect(share(twelve)).toBeCloseTo(0.075, 12);
  });

  it('rejects sizes out of range, naming every option and its range', () => {
    const bad = () => geoScenario({ markets: 1, weeks: 7, channels: 100 });
    expect(bad).toThrow(ScenarioConfigError);
    try {
      bad();
    } catch (e) {
      const err = e as ScenarioConfigError;
      expect(err.problems).toHaveLength(3);
      expect(err.message).toContain('markets = 1 must be an integer from 2 to 1000');
      expect(err.message).toContain('weeks = 7 must be an integer from 8 to 520');
      expect(err.message).toContain('channels = 100 must be an integer from 1 to 99');
    }
    expect(() => geoScenario({ markets: 2.5 })).toThrow(/markets = 2.5 must be an integer/);
    expect(() => geoScenario({ weeks: Number.NaN })).toThrow(/weeks = NaN/);
  });
});

describe('a generated geo panel (60 × 78 × 10, seed 42)', () => {
  it('has one row per market-week, every market ending on the same Monday', () => {
    expect(gt.scenario).toBe('geo');
    expect(gt.num_rows).toBe(60 * 78);
    expect(result.csv.split('\n')[0]).toBe(`date,country,${config.channels.map((c) => c.name).join(',')},streaming_revenue`);
    for (const g of gt.markets) expect(gt.market_info[g]!.num_rows).toBe(78);
    expect(gt.end_date).toBe('2026-09-28');
  });

  it('has flighted channels with runs of zero-spend weeks and always-on ones with almost none', () => {
    const zeroShare = (c: string) => result.rows.filter((r) => r.spend[c] === 0).length / result.rows.length;
    expect(zeroShare('channel_03_spend')).toBeGreaterThan(0.3); // burstiness 0.85
    expect(zeroShare('channel_07_spend')).toBeGreaterThan(0.3); // burstiness 0.9
    expect(zeroShare('channel_06_spend')).toBeLessThan(0.05); // burstiness 0.1
    // Zero weeks come in runs (flights), not scattered: most zero weeks have a zero neighbour.
    const g0 = result.rows.filter((r) => r.country === 'geo_001').map((r) => r.spend['channel_03_spend']!);
    let zeros = 0;
    let paired = 0;
    g0.forEach((v, w) => {
      if (v !== 0) return;
      zeros++;
      if (g0[w - 1] === 0 || g0[w + 1] === 0) paired++;
    });
    expect(zeros).toBeGreaterThan(5);
    expect(paired / zeros).toBeGreaterThan(0.7);
  });

  it('spends about 7.5% of revenue with plausible true ROAS', () => {
    expect(gt.spend_share).toBeGreaterThan(0.06);
    expect(gt.spend_share).toBeLessThan(0.095);
    const roas = gt.markets.flatMap((g) => gt.channels.map((c) => gt.roas[g]![c]!)).sort((a, b) => a - b);
    const median = roas[Math.floor(roas.length / 2)]!;
    expect(median).toBeGreaterThan(1);
    expect(median).toBeLessThan(3);
    expect(roas[0]!).toBeGreaterThan(0.05);
    expect(roas.at(-1)!).toBeLessThan(15);
  });

  it('records every parameter of the hierarchical model and every ROAS and contribution', () => {
    const M = gt.markets.length;
    const C = gt.channels.length;
    const names = Object.keys(gt.parameters);
    expect(names.filter((n) => n.startsWith('alpha['))).toHaveLength(M);
    expect(names.filter((n) => n.startsWith('delta['))).toHaveLength(M);
    expect(names.filter((n) => n.startsWith('sigma['))).toHaveLength(M);
    expect(names.filter((n) => n.startsWith('beta['))).toHaveLength(M * C);
    expect(names.filter((n) => n.startsWith('beta_z['))).toHaveLength(M * C);
    expect(names.filter((n) => n.startsWith('beta_mu['))).toHaveLength(C);
    expect(names.filter((n) => n.startsWith('gamma['))).toHaveLength(4);
    expect(Object.keys(gt.derived).filter((n) => n.startsWith('roas['))).toHaveLength(M * C);
    expect(Object.keys(gt.derived).filter((n) => n.startsWith('contrib['))).toHaveLength(M * C);
    for (const v of Object.values(gt.parameters)) expect(Number.isFinite(v)).toBe(true);
    for (const g of gt.markets) expect(gt.sigma[g]).toBe(config.markets.find((m) => m.name === g)!.sigma);
  });

  it('reads back through parseMarketingCsv + buildPanel with the truth on the fitted scale', () => {
    const data = parseMarketingCsv(result.csv);
    const panel = buildPanel(data);
    expect(panel.markets).toEqual(gt.markets);
    expect(panel.channels).toEqual(gt.channels);
    const mu = trueMean(panel, gt, designFromPanel(panel));
    for (const s of perMarketStats(panel, mu)) expect(s.mean).toBeCloseTo(1, 12);
    const resid = panel.yScaled.map((v, n) => v - mu[n]!);
    let ss = 0;
    let expected = 0;
    perMarketStats(panel, resid).forEach((s, i) => {
      const sigma = gt.sigma[panel.markets[i]!]!;
      ss += s.sd ** 2 * (s.n - 1);
      expected += sigma ** 2 * (s.n - 1);
    });
    expect(Math.sqrt(ss / expected)).toBeGreaterThan(0.9);
    expect(Math.sqrt(ss / expected)).toBeLessThan(1.1);
  });

  it('is deterministic: the same size and seed give the same CSV, another seed another', () => {
    const again = generateScenario(geoScenario({ markets: 60, weeks: 78, channels: 10 }), 42);
    expect(again.csv).toBe(result.csv);
    expect(generateScenario(config, 43).csv).not.toBe(result.csv);
  });
});
