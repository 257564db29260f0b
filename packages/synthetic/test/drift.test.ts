// The drift scenario: Meta's effect is beta[g,c]·m(t)·H[n,c] with a smooth multiplier m(t) common
// to all markets and averaging 1 over the two years.
import { buildPanel, parseMarketingCsv } from '@tributary/data';
import { describe, expect, it } from 'vitest';
import { generateScenario, scenarioPreset, SCENARIOS } from '../src/index.js';
import { designFromPanel, perMarketStats, trueMean } from './helpers.js';

const SEED = 42;
const result = generateScenario(scenarioPreset('drift'), SEED);
const gt = result.groundTruth;
const volta = generateScenario(scenarioPreset('volta'), SEED);
const m = gt.drift!.multiplier;
const panel = buildPanel(parseMarketingCsv(result.csv));
const C = panel.channels.length;
const META = panel.channels.indexOf('meta_spend');
const H = designFromPanel(panel);
const weekOf = (n: number) => Math.round(panel.trend[n]! * panel.tMax);

describe('drift scenario', () => {
  it('is VOLTA except for Meta: same layout, the other channels spend the same', () => {
    expect(gt.markets).toEqual(volta.groundTruth.markets);
    expect(result.rows.map((r) => `${r.country} ${r.date}`)).toEqual(volta.rows.map((r) => `${r.country} ${r.date}`));
    for (const c of gt.channels.filter((c) => c !== 'meta_spend')) {
      expect(result.rows.map((r) => r.spend[c]), c).toEqual(volta.rows.map((r) => r.spend[c]));
      for (const g of gt.markets) expect(gt.beta[g]![c]).toBe(volta.groundTruth.beta[g]![c]);
    }
    expect(gt.beta_mu['meta_spend']).toBe(0.35);
    expect(gt.spend_share).toBeGreaterThan(0.05);
    expect(gt.spend_share).toBeLessThan(0.1);
    expect(result.liftTestsCsv).toBeUndefined();
    expect(SCENARIOS.volta.drift).toBeUndefined();
    expect(volta.multiplierCsv).toBeUndefined();
    expect(volta.groundTruth.drift).toBeUndefined();
  });

  it('has a smooth multiplier per global week, averaging 1, that varies strongly (about 0.4 to 1.5, in two waves)', () => {
    expect(m).toHaveLength(gt.t_max + 1);
    expect(m.reduce((s, v) => s + v, 0) / m.length).toBeCloseTo(1, 12);
    expect(gt.drift!.market_mean['DE']).toBeCloseTo(1, 12);
    expect(gt.drift!.market_mean['UK']).toBeCloseTo(1, 12);
    expect(m[0]).toBeGreaterThan(0.3);
    expect(m[0]).toBeLessThan(0.45);
    expect(m.at(-1)).toBeGreaterThan(1.4);
    expect(Math.min(...m)).toBeGreaterThan(0.3);
    expect(Math.max(...m)).toBeGreaterThan(1.6);
    for (let t = 1; t < m.length; t++) expect(Math.abs(m[t]! - m[t - 1]!)).toBeLessThan(0.12);
    // Two waves: a peak in the first year, a trough in the middle, a higher peak in the second.
    const at = (tau: number) => m[Math.round(tau * gt.t_max)]!;
    expect(at(0.2)).toBeGreaterThan(1);
    expect(at(0.5)).toBeLessThan(0.5);
    expect(at(0.8)).toBeGreaterThan(1.6);
  });

  it('writes truth_multiplier.csv: date,t,channel,multiplier for every week', () => {
    const lines = result.multiplierCsv!.trimEnd().split('\n');
    expect(lines[0]).toBe('date,t,channel,multiplier');
    expect(lines).toHaveLength(gt.t_max + 2);
    expect(lines[1]).toBe(`${gt.first_date},0,meta_spend,${m[0]!.toFixed(6)}`);
    expect(lines.at(-1)).toBe(`${gt.end_date},${gt.t_max},meta_spend,${m.at(-1)!.toFixed(6)}`);
  });

  it('generates revenue with beta·m(t)·H for Meta: the residuals match sigma only with the multiplier', () => {
    const withDrift = trueMean(panel, gt, H);
    const constant = Float64Array.from(withDrift);
    for (let n = 0; n < panel.numObs; n++) {
      const g = panel.markets[panel.obsMarket[n]!]!;
      withDrift[n] = withDrift[n]! + gt.beta[g]!['meta_spend']! * (m[weekOf(n)]! - 1) * H[n * C + META]!;
    }
    const resid = (mu: Float64Array) => perMarketStats(panel, panel.yScaled.map((v, n) => v - mu[n]!));
    const a = resid(withDrift);
    const b = resid(constant);
    panel.markets.forEach((g, i) => {
      expect(a[i]!.mean, g).toBeCloseTo(0, 9);
      expect(a[i]!.sd / gt.sigma[g]!, g).toBeGreaterThan(0.65);
      expect(a[i]!.sd / gt.sigma[g]!, g).toBeLessThan(1.35);
    });
    for (const g of ['DE', 'UK']) {
      const i = panel.markets.indexOf(g);
      expect(b[i]!.sd / a[i]!.sd, g).toBeGreaterThan(1.3);
    }
  });

  it('includes m(t) in the true contributions and ROAS, and Meta carries a sizeable share of revenue', () => {
    panel.markets.forEach((g, i) => {
      let sum = 0;
      let spend = 0;
      for (let n = 0; n < panel.numObs; n++) {
        if (panel.obsMarket[n] !== i) continue;
        sum += m[weekOf(n)]! * H[n * C + META]!;
        spend += panel.spend[n * C + META]!;
      }
      const contrib = gt.beta[g]!['meta_spend']! * gt.market_sizes[g]! * sum;
      expect(gt.roas[g]!['meta_spend']! / (contrib / spend), g).toBeCloseTo(1, 9);
      const share = gt.contribution[g]!['meta_spend']! / gt.market_info[g]!.total_revenue;
      expect(share, g).toBeGreaterThan(0.04);
      expect(share, g).toBeLessThan(0.3);
    });
    for (const g of ['DE', 'UK']) expect(gt.contribution[g]!['meta_spend']! / gt.market_info[g]!.total_revenue).toBeGreaterThan(0.08);
  });

  it('keeps every market-week revenue positive for many seeds', () => {
    for (let seed = 0; seed < 25; seed++) {
      const { groundTruth } = generateScenario(scenarioPreset('drift'), seed);
      for (const g of groundTruth.markets) expect(groundTruth.alpha[g]).toBeGreaterThan(0);
    }
  });
});
