import { describe, expect, it } from 'vitest';
import { generateScenario, scenarioPreset, SCENARIOS } from '../src/index.js';

const SEED = 42;
const result = generateScenario(scenarioPreset('volta'), SEED);
const gt = result.groundTruth;
const MARKETS = ['DE', 'UK', 'FR', 'NL', 'ES', 'IT', 'PL', 'SE'];
const CHANNELS = ['spotify_ads_spend', 'meta_spend', 'tiktok_spend', 'youtube_spend', 'radio_spend', 'playlist_spend'];
const END = '2026-09-28';
const DAY = 86_400_000;
const ms = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

describe('VOLTA layout', () => {
  it('has the documented header and market order', () => {
    expect(result.csv.split('\n')[0]).toBe(`date,country,${CHANNELS.join(',')},streaming_revenue`);
    expect(gt.markets).toEqual(MARKETS);
    expect(gt.channels).toEqual(CHANNELS);
    expect(result.csv.endsWith('\n')).toBe(true);
    expect(result.csv.split('\n')).toHaveLength(result.rows.length + 2);
  });

  it('has 104/104/78/78/49/52/26/26 rows, every market ending on the same Monday', () => {
    const expected: Record<string, number> = { DE: 104, UK: 104, FR: 78, NL: 78, ES: 49, IT: 52, PL: 26, SE: 26 };
    for (const g of MARKETS) {
      const rows = result.rows.filter((r) => r.country === g);
      expect(rows, g).toHaveLength(expected[g]!);
      expect(rows.at(-1)!.date).toBe(END);
      expect(gt.market_info[g]!.num_rows).toBe(expected[g]);
      for (const r of rows) expect(new Date(ms(r.date)).getUTCDay(), r.date).toBe(1);
    }
    expect(gt.num_rows).toBe(517);
    expect(gt.first_date).toBe('2024-10-07');
    expect(gt.t_max).toBe(103);
  });

  it('leaves exactly three weeks out inside the ES range and no gaps elsewhere', () => {
    for (const g of MARKETS) {
      const dates = result.rows.filter((r) => r.country === g).map((r) => ms(r.date));
      const steps = dates.slice(1).map((d, i) => (d - dates[i]!) / (7 * DAY));
      const missing = steps.reduce((s, k) => s + (k - 1), 0);
      expect(missing, g).toBe(g === 'ES' ? 3 : 0);
      expect(Math.min(...steps)).toBe(1);
    }
    expect(gt.market_info['ES']!.num_weeks).toBe(52);
    expect(gt.market_info['ES']!.gap_dates).toHaveLength(3);
    const esDates = new Set(result.rows.filter((r) => r.country === 'ES').map((r) => r.date));
    for (const d of gt.market_info['ES']!.gap_dates) expect(esDates.has(d)).toBe(false);
  });

  it('writes money rounded to cents', () => {
    for (const line of result.csv.trimEnd().split('\n').slice(1)) {
      const cells = line.split(',');
      expect(cells).toHaveLength(9);
      for (const cell of cells.slice(2)) expect(cell).toMatch(/^\d+\.\d\d$/);
    }
  });
});

describe('VOLTA spend', () => {
  it('spends 5–10% of revenue in total and in every market', () => {
    expect(gt.spend_share).toBeGreaterThanOrEqual(0.05);
    expect(gt.spend_share).toBeLessThanOrEqual(0.1);
    for (const g of MARKETS) {
      expect(gt.market_info[g]!.spend_share, g).toBeGreaterThanOrEqual(0.05);
      expect(gt.market_info[g]!.spend_share, g).toBeLessThanOrEqual(0.1);
    }
  });

  it('scales spend with market size', () => {
    const perWeek = (g: string) => gt.market_info[g]!.total_spend / gt.market_info[g]!.num_rows;
    for (const g of MARKETS) {
      const ratio = perWeek(g) / perWeek('DE') / (gt.market_sizes[g]! / gt.market_sizes['DE']!);
      expect(ratio, g).toBeGreaterThan(0.75);
      expect(ratio, g).toBeLessThan(1.33);
    }
  });

  it('varies from week to week: bursts on every channel, quiet weeks on the flighted ones', () => {
    for (const g of MARKETS) {
      const rows = result.rows.filter((r) => r.country === g);
      for (const c of CHANNELS) {
        const s = rows.map((r) => r.spend[c]!);
        const mean = s.reduce((a, b) => a + b, 0) / s.length;
        const sd = Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / (s.length - 1));
        expect(sd / mean, `${g} ${c}`).toBeGreaterThan(0.15);
        expect(Math.max(...s) / mean, `${g} ${c}`).toBeGreaterThan(1.3);
      }
    }
    const radioZero = result.rows.filter((r) => r.spend['radio_spend'] === 0).length;
    expect(radioZero / result.rows.length).toBeGreaterThan(0.2);
    const metaZero = result.rows.filter((r) => r.spend['meta_spend'] === 0).length;
    expect(metaZero / result.rows.length).toBeLessThan(0.1);
  });
});

describe('VOLTA ground truth', () => {
  it('names every parameter Stan-style', () => {
    const names = Object.keys(gt.parameters);
    const expected = [
      'alpha_mu',
      'alpha_sigma',
      ...MARKETS.map((g) => `alpha[${g}]`),
      ...MARKETS.map((g) => `delta[${g}]`),
      'gamma[1]', 'gamma[2]', 'gamma[3]', 'gamma[4]',
      ...CHANNELS.map((c) => `beta_log_mu[${c}]`),
      ...CHANNELS.map((c) => `beta_mu[${c}]`),
      ...CHANNELS.map((c) => `beta_sigma[${c}]`),
      ...MARKETS.flatMap((g) => CHANNELS.map((c) => `beta_z[${g},${c}]`)),
      ...MARKETS.flatMap((g) => CHANNELS.map((c) => `beta[${g},${c}]`)),
      ...MARKETS.map((g) => `sigma[${g}]`),
    ];
    expect(names).toEqual(expected);
    for (const v of Object.values(gt.parameters)) expect(Number.isFinite(v)).toBe(true);
    expect(gt.beta_mu['meta_spend']).toBe(gt.parameters['beta_mu[meta_spend]']);
    expect(gt.beta['DE']!['meta_spend']).toBe(gt.parameters['beta[DE,meta_spend]']);
  });

  it('draws beta[g,c] = exp(beta_log_mu[c] + beta_sigma[c] * beta_z[g,c]) with hyper-parameters inside the prior', () => {
    const p = gt.parameters;
    for (const c of CHANNELS) {
      expect(p[`beta_mu[${c}]`]).toBeCloseTo(Math.exp(p[`beta_log_mu[${c}]`]!), 14);
      expect(p[`beta_sigma[${c}]`]).toBeGreaterThanOrEqual(0.2);
      expect(p[`beta_sigma[${c}]`]).toBeLessThanOrEqual(0.4);
      // beta_log_mu ~ Normal(log 0.15, 1): within 1.5 prior sd.
      expect(Math.abs(p[`beta_log_mu[${c}]`]! - Math.log(0.15))).toBeLessThan(1.5);
      for (const g of MARKETS) {
        const expected = Math.exp(p[`beta_log_mu[${c}]`]! + p[`beta_sigma[${c}]`]! * p[`beta_z[${g},${c}]`]!);
        expect(p[`beta[${g},${c}]`]! / expected).toBeCloseTo(1, 12);
      }
    }
    const zs = MARKETS.flatMap((g) => CHANNELS.map((c) => p[`beta_z[${g},${c}]`]!));
    expect(new Set(zs).size).toBe(zs.length);
    expect(Math.max(...zs.map(Math.abs))).toBeLessThan(4);
    for (const g of MARKETS) {
      expect(p[`sigma[${g}]`]).toBeGreaterThan(0.02);
      expect(p[`sigma[${g}]`]).toBeLessThan(0.08);
      expect(p[`alpha[${g}]`]).toBeGreaterThan(0.4);
      expect(p[`alpha[${g}]`]).toBeLessThan(0.95);
    }
  });

  it('has every true ROAS in [0.8, 10], and contributions = ROAS × spend', () => {
    for (const g of MARKETS) {
      for (const c of CHANNELS) {
        const roas = gt.roas[g]![c]!;
        expect(roas, `${g} ${c}`).toBeGreaterThanOrEqual(0.8);
        expect(roas, `${g} ${c}`).toBeLessThanOrEqual(10);
        expect(gt.derived[`roas[${g},${c}]`]).toBe(roas);
        expect(gt.contribution[g]![c]!).toBeCloseTo(roas * gt.spend[g]![c]!, 0);
        expect(gt.derived[`contrib[${g},${c}]`]).toBe(gt.contribution[g]![c]);
      }
    }
  });

  it('records spend totals that match the rows, and a scale ratio size / y_scale close to 1', () => {
    for (const g of MARKETS) {
      const rows = result.rows.filter((r) => r.country === g);
      for (const c of CHANNELS) {
        expect(gt.spend[g]![c]).toBeCloseTo(rows.reduce((s, r) => s + r.spend[c]!, 0), 4);
      }
      const yScale = rows.reduce((s, r) => s + r.target, 0) / rows.length;
      expect(gt.y_scale[g]).toBeCloseTo(yScale, 6);
      expect(gt.scale_ratio[g]).toBeCloseTo(gt.market_sizes[g]! / yScale, 12);
      expect(Math.abs(gt.scale_ratio[g]! - 1)).toBeLessThan(0.03);
    }
  });

  it('records the transforms of model-spec §3, the scenario, the seed and the configuration', () => {
    expect(gt.scenario).toBe('volta');
    expect(gt.seed).toBe(SEED);
    expect(gt.target).toBe('streaming_revenue');
    expect(gt.transforms['radio_spend']).toEqual({ adstock: 'delayed', alpha: 0.7, theta: 2, K: 0.6, S: 1.5, lMax: 8 });
    expect(gt.transforms['meta_spend']).toEqual({ adstock: 'geometric', alpha: 0.55, theta: 0, K: 0.5, S: 2.2, lMax: 8 });
    expect(gt.config).toEqual(SCENARIOS.volta);
    expect(JSON.parse(JSON.stringify(gt))).toEqual(gt);
  });
});
