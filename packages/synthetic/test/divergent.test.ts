import { describe, expect, it } from 'vitest';
import { generateScenario, scenarioPreset } from '../src/index.js';

const volta = generateScenario(scenarioPreset('volta'), 42);
const result = generateScenario(scenarioPreset('divergent'), 42);
const gt = result.groundTruth;

function logSd(values: number[]): number {
  const logs = values.map(Math.log);
  const mean = logs.reduce((s, v) => s + v, 0) / logs.length;
  return Math.sqrt(logs.reduce((s, v) => s + (v - mean) ** 2, 0) / (logs.length - 1));
}

describe('divergent scenario', () => {
  it('shares the VOLTA layout and spend, only the effects differ', () => {
    expect(gt.markets).toEqual(volta.groundTruth.markets);
    expect(result.rows.map((r) => r.spend)).toEqual(volta.rows.map((r) => r.spend));
    expect(gt.spend_share).toBeGreaterThan(0.05);
    expect(gt.spend_share).toBeLessThan(0.1);
  });

  it('has effects that differ wildly across markets on four channels', () => {
    for (const c of ['meta_spend', 'tiktok_spend', 'radio_spend', 'playlist_spend']) {
      expect(gt.beta_sigma[c]).toBe(1.5);
      const betas = gt.markets.map((g) => gt.beta[g]![c]!);
      expect(logSd(betas), c).toBeGreaterThan(1);
      expect(Math.max(...betas) / Math.min(...betas), c).toBeGreaterThan(20);
      const voltaBetas = gt.markets.map((g) => volta.groundTruth.beta[g]![c]!);
      expect(logSd(betas)).toBeGreaterThan(2 * logSd(voltaBetas));
    }
  });

  it('has TikTok near zero in DE/UK and large in PL/SE, radio the other way round', () => {
    for (const g of ['DE', 'UK']) {
      expect(gt.roas[g]!['tiktok_spend']).toBeLessThan(0.3);
      expect(gt.roas[g]!['radio_spend']).toBeGreaterThan(1.5);
    }
    for (const g of ['PL', 'SE']) {
      expect(gt.roas[g]!['tiktok_spend']).toBeGreaterThan(5);
      expect(gt.roas[g]!['radio_spend']).toBeLessThan(0.1);
    }
  });

  it('keeps every market-week revenue positive for many seeds', () => {
    for (let seed = 0; seed < 25; seed++) {
      const { groundTruth } = generateScenario(scenarioPreset('divergent'), seed);
      for (const g of groundTruth.markets) expect(groundTruth.alpha[g]).toBeGreaterThan(0);
    }
  });
});
