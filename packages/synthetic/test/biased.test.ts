// The biased scenario: TikTok spend and revenue share a hidden demand driver, and lift tests on
// TikTok carry the true incremental revenue. The true lift is recomputed here independently: the
// generator's noiseless revenue is simulated with and without the extra spend, on the design the
// model builds from the written CSV (buildPanel), with a hand-written adstock and Hill.
import { buildPanel, fourierFeatures, parseMarketingCsv } from '@tributary/data';
import { describe, expect, it } from 'vitest';
import { generateScenario, LIFT_TEST_COLUMNS, scenarioPreset, SCENARIOS, type GroundTruth, type TransformSettings } from '../src/index.js';

const SEED = 42;
const result = generateScenario(scenarioPreset('biased'), SEED);
const gt = result.groundTruth;
const volta = generateScenario(scenarioPreset('volta'), SEED);
const panel = buildPanel(parseMarketingCsv(result.csv));
const C = panel.channels.length;

interface LiftCsvRow {
  market: string;
  channel: string;
  start: string;
  end: string;
  delta_spend: number;
  lift: number;
  lift_se: number;
}

function parseLiftCsv(text: string): { header: string; rows: LiftCsvRow[] } {
  const lines = text.trimEnd().split('\n');
  const rows = lines.slice(1).map((line) => {
    const [market, channel, start, end, d, lift, se] = line.split(',');
    return { market: market!, channel: channel!, start: start!, end: end!, delta_spend: Number(d), lift: Number(lift), lift_se: Number(se) };
  });
  return { header: lines[0]!, rows };
}

const WEEK = 7 * 86_400_000;
const weekIndex = (iso: string) => Math.round((Date.parse(`${iso}T00:00:00Z`) - Date.parse(`${panel.firstDate}T00:00:00Z`)) / WEEK);

/** Normalized adstock weights written out by hand (model-spec §3). */
function weights(t: TransformSettings): number[] {
  const w = Array.from({ length: t.lMax }, (_, l) => (t.adstock === 'geometric' ? t.alpha ** l : t.alpha ** ((l - t.theta) ** 2)));
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / sum);
}

function mediaTerm(x: number[], t: TransformSettings): number[] {
  const w = weights(t);
  return x.map((_, i) => {
    let a = 0;
    for (let l = 0; l < w.length && l <= i; l++) a += w[l]! * x[i - l]!;
    return a > 0 ? a ** t.S / (t.K ** t.S + a ** t.S) : 0;
  });
}

/**
 * Noiseless revenue of market g on its grid (extended by `extra` weeks of zero spend), with
 * `delta` money per week added to channel `channel` in grid weeks s..e.
 */
function noiselessRevenue(truth: GroundTruth, g: number, extra: number, channel?: string, s = 0, e = -1, delta = 0): number[] {
  const name = panel.markets[g]!;
  const L = panel.marketLength[g]! + extra;
  const off = panel.gridOffset[g]!;
  const t0 = panel.marketStart[g]!;
  const p = truth.parameters;
  const z = truth.confounder!.z[name]!;
  const F = new Float64Array(4);
  const u = Array.from({ length: L }, (_, w) => {
    const t = t0 + w;
    fourierFeatures(t, F);
    let v = p[`alpha[${name}]`]! + p[`delta[${name}]`]! * (t / truth.t_max) + truth.confounder!.revenue_effect * (z[w] ?? 0);
    for (let k = 0; k < 4; k++) v += F[k]! * p[`gamma[${k + 1}]`]!;
    return v;
  });
  panel.channels.forEach((c, j) => {
    const scale = panel.spendScale[g * C + j]!;
    const x = Array.from({ length: L }, (_, w) => (w < panel.marketLength[g]! ? panel.gridX[(off + w) * C + j]! : 0));
    if (c === channel) for (let w = s; w <= e; w++) x[w] = x[w]! + delta / scale;
    const h = mediaTerm(x, truth.transforms[c]!);
    for (let w = 0; w < L; w++) u[w] = u[w]! + p[`beta[${name},${c}]`]! * h[w]!;
  });
  return u.map((v) => truth.market_sizes[name]! * v);
}

describe('biased scenario: a hidden demand driver behind TikTok', () => {
  it('is VOLTA except for TikTok spend and the revenue: same layout, other spend and effects', () => {
    expect(gt.markets).toEqual(volta.groundTruth.markets);
    expect(result.rows.map((r) => `${r.country} ${r.date}`)).toEqual(volta.rows.map((r) => `${r.country} ${r.date}`));
    for (const c of gt.channels.filter((c) => c !== 'tiktok_spend')) {
      expect(result.rows.map((r) => r.spend[c]), c).toEqual(volta.rows.map((r) => r.spend[c]));
    }
    expect(result.rows.map((r) => r.spend['tiktok_spend'])).not.toEqual(volta.rows.map((r) => r.spend['tiktok_spend']));
    expect(gt.beta).toEqual(volta.groundTruth.beta);
    expect(gt.spend_share).toBeGreaterThan(0.05);
    expect(gt.spend_share).toBeLessThan(0.1);
    expect(result.csv.split('\n')[0]).toBe(volta.csv.split('\n')[0]);
  });

  it('records the driver, its settings and its correlation with TikTok spend (positive in every market)', () => {
    const cf = gt.confounder!;
    expect(cf).toMatchObject({ channel: 'tiktok_spend', ar: 0.9, spend_sensitivity: 0.6, revenue_effect: 0.12 });
    for (const g of gt.markets) {
      expect(cf.z[g]).toHaveLength(gt.market_info[g]!.num_weeks);
      expect(cf.spend_correlation[g], g).toBeGreaterThan(0);
    }
    const mean = gt.markets.reduce((s, g) => s + cf.spend_correlation[g]!, 0) / gt.markets.length;
    expect(mean).toBeGreaterThan(0.35);
    // Smooth: lag-1 autocorrelation of z near φ in the long markets.
    for (const g of ['DE', 'UK']) {
      const z = cf.z[g]!;
      const m = z.reduce((a, b) => a + b, 0) / z.length;
      let num = 0;
      let den = 0;
      for (let i = 0; i < z.length; i++) {
        den += (z[i]! - m) ** 2;
        if (i > 0) num += (z[i]! - m) * (z[i - 1]! - m);
      }
      expect(num / den, g).toBeGreaterThan(0.7);
    }
  });

  it('puts rho*z into the revenue: without it the residuals are far larger than sigma, with it they match', () => {
    panel.markets.forEach((g, i) => {
      const rev = noiselessRevenue(gt, i, 0);
      const withoutZ = rev.map((v, w) => v - gt.market_sizes[g]! * 0.12 * gt.confounder!.z[g]![w]!);
      const resid = (model: number[]) => {
        const r: number[] = [];
        for (let w = 0; w < panel.marketLength[i]!; w++) {
          const n = panel.gridObserved[panel.gridOffset[i]! + w]!;
          if (n >= 0) r.push(panel.yScaled[n]! * panel.yScale[i]! / gt.market_sizes[g]! - model[w]! / gt.market_sizes[g]!);
        }
        return Math.sqrt(r.reduce((s, v) => s + v * v, 0) / r.length);
      };
      const sigma = gt.sigma[g]!;
      expect(resid(rev) / sigma, g).toBeLessThan(1.4);
      expect(resid(withoutZ) / sigma, g).toBeGreaterThan(1.5);
    });
  });
});

describe('biased scenario for other seeds', () => {
  it('generates positive revenue, positively confounded spend and positive true lifts for many seeds', () => {
    for (let seed = 0; seed < 25; seed++) {
      const { groundTruth } = generateScenario(scenarioPreset('biased'), seed);
      const corr = groundTruth.markets.map((g) => groundTruth.confounder!.spend_correlation[g]!);
      expect(corr.reduce((a, b) => a + b, 0) / corr.length, `seed ${seed}`).toBeGreaterThan(0.2);
      for (const l of groundTruth.lift_tests!) expect(l.true_lift, `seed ${seed} ${l.market}`).toBeGreaterThan(0);
    }
  });
});

describe('biased scenario: lift tests', () => {
  const { header, rows } = parseLiftCsv(result.liftTestsCsv!);

  it('writes lift_tests.csv with the documented columns, one row per configured test', () => {
    expect(header).toBe('market,channel,start,end,delta_spend,lift,lift_se');
    expect(LIFT_TEST_COLUMNS.join(',')).toBe(header);
    expect(rows.map((r) => `${r.market} ${r.channel}`)).toEqual(['DE tiktok_spend', 'UK tiktok_spend', 'FR tiktok_spend']);
    expect(gt.lift_tests).toHaveLength(3);
    for (const line of result.liftTestsCsv!.trimEnd().split('\n').slice(1)) {
      expect(line).toMatch(/^[A-Z]{2},tiktok_spend,\d{4}-\d\d-\d\d,\d{4}-\d\d-\d\d,\d+\.\d\d,-?\d+\.\d\d,\d+\.\d\d$/);
    }
    expect(SCENARIOS.volta.liftTests).toBeUndefined();
    expect(generateScenario(scenarioPreset('volta'), 1).liftTestsCsv).toBeUndefined();
  });

  it('places 4-week tests on the market grid, well inside the data, with 50-100% extra spend', () => {
    rows.forEach((r, j) => {
      const truth = gt.lift_tests![j]!;
      const g = panel.markets.indexOf(r.market);
      const s = weekIndex(r.start);
      const e = weekIndex(r.end);
      expect(e - s).toBe(3);
      expect([truth.start_t, truth.end_t]).toEqual([s, e]);
      expect(s - panel.marketStart[g]!).toBeGreaterThanOrEqual(8);
      expect(panel.marketStart[g]! + panel.marketLength[g]! - 1 - e).toBeGreaterThanOrEqual(truth.tail_weeks + 4);
      for (let t = s; t <= e; t++) expect(panel.gridObserved[panel.gridOffset[g]! + t - panel.marketStart[g]!]).toBeGreaterThanOrEqual(0);
      const mean = gt.spend[r.market]!['tiktok_spend']! / gt.market_info[r.market]!.num_rows;
      expect(r.delta_spend / mean, r.market).toBeGreaterThanOrEqual(0.5);
      expect(r.delta_spend / mean, r.market).toBeLessThanOrEqual(1.01);
      expect(truth.spend_scale).toBe(panel.spendScale[g * C + panel.channels.indexOf('tiktok_spend')]);
    });
  });

  it('has true lifts equal to the difference of noiseless simulations with and without the extra spend (1e-9)', () => {
    rows.forEach((r, j) => {
      const g = panel.markets.indexOf(r.market);
      const s = weekIndex(r.start) - panel.marketStart[g]!;
      const e = weekIndex(r.end) - panel.marketStart[g]!;
      const L = gt.transforms[r.channel]!.lMax;
      const base = noiselessRevenue(gt, g, L, r.channel);
      const test = noiselessRevenue(gt, g, L, r.channel, s, e, r.delta_spend);
      let lift = 0;
      for (let w = s; w <= e + L - 1; w++) lift += test[w]! - base[w]!;
      // Before the test nothing changes.
      for (let w = 0; w < s; w++) expect(test[w]).toBe(base[w]);
      const truth = gt.lift_tests![j]!.true_lift;
      expect(Math.abs(lift - truth) / truth, r.market).toBeLessThan(1e-9);
      expect(lift).toBeGreaterThan(0);
    });
  });

  it('measures each lift with noise of about its standard error (10-15% of the true lift)', () => {
    rows.forEach((r, j) => {
      const truth = gt.lift_tests![j]!;
      expect(r.lift_se / truth.true_lift).toBeGreaterThanOrEqual(0.1);
      expect(r.lift_se / truth.true_lift).toBeLessThanOrEqual(0.15);
      expect(r.lift).toBeCloseTo(truth.true_lift + truth.noise, 2);
      expect(Math.abs(r.lift - truth.true_lift) / r.lift_se).toBeLessThan(4);
      expect(r).toEqual({
        market: truth.market,
        channel: truth.channel,
        start: truth.start,
        end: truth.end,
        delta_spend: truth.delta_spend,
        lift: truth.lift,
        lift_se: truth.lift_se,
      });
    });
    // The noise is seeded: another seed gives other measurements of other true lifts.
    const other = generateScenario(scenarioPreset('biased'), 7).groundTruth.lift_tests!;
    expect(other.map((l) => l.noise)).not.toEqual(gt.lift_tests!.map((l) => l.noise));
  });

  it('runs (with seed 42) in weeks where the return per extra euro is close to the true ROAS', () => {
    // So that a reader can compare lift / (weeks * delta_spend) with the ROAS a fit reports.
    for (const l of gt.lift_tests!) {
      const perEuro = l.true_lift / (4 * l.delta_spend);
      expect(perEuro / gt.roas[l.market]!['tiktok_spend']!, l.market).toBeGreaterThan(0.8);
      expect(perEuro / gt.roas[l.market]!['tiktok_spend']!, l.market).toBeLessThan(1.25);
    }
  });
});
