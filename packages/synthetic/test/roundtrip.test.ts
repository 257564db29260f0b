// The generated CSV read back by @tributary/data: it validates, and the true parameters on the
// Panel's own design reproduce the data up to the noise, i.e. the truth is on the fitted scale.
import { buildPanel, parseMarketingCsv } from '@tributary/data';
import { describe, expect, it } from 'vitest';
import { generateScenario, scenarioPreset, type ScenarioConfig } from '../src/index.js';
import { designFromPanel, perMarketStats, trueMean } from './helpers.js';

const result = generateScenario(scenarioPreset('volta'), 42);
const gt = result.groundTruth;
const data = parseMarketingCsv(result.csv);
const panel = buildPanel(data);
const H = designFromPanel(panel);
const mu = trueMean(panel, gt, H);

describe('VOLTA through parseMarketingCsv + buildPanel', () => {
  it('validates, with a gap warning for ES only', () => {
    expect(data.warnings).toHaveLength(1);
    expect(data.warnings[0]).toContain('"ES"');
    expect(data.warnings[0]).toContain('3 missing weeks');
    expect(panel.warnings).toEqual(data.warnings);
    for (const d of gt.market_info['ES']!.gap_dates) expect(data.warnings[0]).toContain(d);
  });

  it('has the markets, channels, rows and scales of the ground truth', () => {
    expect(panel.markets).toEqual(gt.markets);
    expect(panel.channels).toEqual(gt.channels);
    expect(panel.target).toBe('streaming_revenue');
    expect(panel.numObs).toBe(517);
    expect(panel.tMax).toBe(gt.t_max);
    expect(panel.firstDate).toBe(gt.first_date);
    const numObs = Object.fromEntries(panel.markets.map((g, i) => [g, panel.marketNumObs[i]]));
    expect(numObs).toEqual({ DE: 104, UK: 104, FR: 78, NL: 78, ES: 49, IT: 52, PL: 26, SE: 26 });
    expect(panel.marketLength[panel.markets.indexOf('ES')]).toBe(52);
    panel.markets.forEach((g, i) => expect(panel.yScale[i]! / gt.y_scale[g]!).toBeCloseTo(1, 12));
  });

  it('makes u average exactly 1 over each market before noise', () => {
    for (const s of perMarketStats(panel, mu)) expect(s.mean).toBeCloseTo(1, 12);
  });

  it('leaves residuals y_s − mu with sd close to the true sigma of each market', () => {
    const resid = panel.yScaled.map((v, n) => v - mu[n]!);
    const stats = perMarketStats(panel, resid);
    let ss = 0;
    let expected = 0;
    panel.markets.forEach((g, i) => {
      const sigma = gt.sigma[g]!;
      const s = stats[i]!;
      expect(s.sd / sigma, g).toBeGreaterThan(0.65);
      expect(s.sd / sigma, g).toBeLessThan(1.35);
      // y_s averages 1 by construction (y_scale is its mean) and so does mu (the alpha rule):
      // the realized noise mean went into y_scale, i.e. into scale_ratio.
      expect(Math.abs(s.mean), g).toBeLessThan(1e-9);
      ss += s.sd ** 2 * (s.n - 1);
      expected += sigma ** 2 * (s.n - 1);
    });
    expect(Math.sqrt(ss / expected)).toBeGreaterThan(0.85);
    expect(Math.sqrt(ss / expected)).toBeLessThan(1.15);
  });

  it('reproduces the true ROAS with the model-spec §6 formula at the fitted-scale beta', () => {
    const C = panel.channels.length;
    panel.markets.forEach((g, i) => {
      panel.channels.forEach((c, j) => {
        let sumH = 0;
        let sumSpend = 0;
        for (let n = 0; n < panel.numObs; n++) {
          if (panel.obsMarket[n] !== i) continue;
          sumH += H[n * C + j]!;
          sumSpend += panel.spend[n * C + j]!;
        }
        const betaFitted = gt.beta[g]![c]! * gt.scale_ratio[g]!;
        const roas = (betaFitted * panel.yScale[i]! * sumH) / sumSpend;
        expect(roas / gt.roas[g]![c]!, `${g} ${c}`).toBeCloseTo(1, 9);
      });
    });
  });
});

describe('exactness with almost no noise', () => {
  // With sigma = 1e-5 any mismatch between the generator's H and the model's (scaling, grid,
  // gaps, adstock, Hill) would leave residuals orders of magnitude larger than sigma.
  const base = scenarioPreset('volta');
  const config: ScenarioConfig = { ...base, noise: { sigma: 1e-5, jitter: 0 } };
  const quiet = generateScenario(config, 5);
  const p = buildPanel(parseMarketingCsv(quiet.csv));
  const m = trueMean(p, quiet.groundTruth, designFromPanel(p));

  it('fits every row to within a few sigma on the fitted scale', () => {
    const resid = p.yScaled.map((v, n) => v - m[n]! * quiet.groundTruth.scale_ratio[p.markets[p.obsMarket[n]!]!]!);
    let maxAbs = 0;
    for (const r of resid) maxAbs = Math.max(maxAbs, Math.abs(r));
    expect(maxAbs).toBeLessThan(5e-5);
    for (const s of perMarketStats(p, resid)) {
      expect(s.sd).toBeGreaterThan(0.6e-5);
      expect(s.sd).toBeLessThan(1.4e-5);
    }
  });
});

describe('divergent through parseMarketingCsv + buildPanel', () => {
  it('validates with the same layout as VOLTA', () => {
    const d = generateScenario(scenarioPreset('divergent'), 42);
    const pd = buildPanel(parseMarketingCsv(d.csv));
    expect(pd.numObs).toBe(517);
    expect(pd.warnings).toHaveLength(1);
    const md = trueMean(pd, d.groundTruth, designFromPanel(pd));
    const resid = pd.yScaled.map((v, n) => v - md[n]!);
    perMarketStats(pd, resid).forEach((s, i) => {
      const sigma = d.groundTruth.sigma[pd.markets[i]!]!;
      expect(s.sd / sigma).toBeGreaterThan(0.65);
      expect(s.sd / sigma).toBeLessThan(1.35);
    });
  });
});
