// The statistics of `tributary sbc` (src/sbc/stats.ts) on ranks whose answer is known, and the
// replicate simulation (src/sbc/simulate.ts): every market's mean of the simulated scaled target
// is 1, replicates are reproducible, and the conditioned draw agrees with a brute-force one.
import { buildModel, priorDraw } from '@tributary/models';
import { describe, expect, it } from 'vitest';
import { formatSbcJson, formatSbcSummary, type SbcDocument } from '../src/sbc/assemble.js';
import { buildSbcDesign } from '../src/sbc/design.js';
import { ReplicateSimulator, uniformRng } from '../src/sbc/simulate.js';
import { binomialCdf, binomialInterval, histogramBand, isCovered, quantileSorted, rankOf, thinIndices, UniformityTest } from '../src/sbc/stats.js';

const N = 200;
const L = 99;

/** N ranks of a calibrated fit: the truth is one more draw from the posterior. */
function uniformRanks(seed: string): number[] {
  const rng = uniformRng(seed);
  return Array.from({ length: N }, () => Math.floor(rng() * (L + 1)));
}

/**
 * N ranks from a conjugate normal model — θ ~ N(0, 1), x ~ N(θ, 1), so the posterior is
 * N(x/2, ½) — whose "fit" draws from N(x/2, scale²·½): calibrated at scale 1, too narrow below.
 */
function normalModelRanks(seed: string, scale: number): number[] {
  const rng = uniformRng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return Array.from({ length: N }, () => {
    const truth = normal();
    const x = truth + normal();
    const draws = Array.from({ length: L }, () => x / 2 + scale * Math.SQRT1_2 * normal());
    return rankOf(truth, draws, rng());
  });
}

describe('ranks, thinning and coverage', () => {
  it('counts the draws below the truth, splitting ties', () => {
    expect(rankOf(0.5, [0.1, 0.9, 0.4, 0.7], 0)).toBe(2);
    expect(rankOf(0.4, [0.4, 0.4, 0.1], 0)).toBe(1);
    expect(rankOf(0.4, [0.4, 0.4, 0.1], 0.99)).toBe(3);
  });

  it('thins evenly over all draws', () => {
    expect(Array.from(thinIndices(2000, 99)).slice(0, 3)).toEqual([10, 30, 50]);
    expect(thinIndices(2000, 99)[98]).toBe(1989);
    expect(new Set(thinIndices(100, 99)).size).toBe(99);
  });

  it('central intervals from type-7 quantiles', () => {
    const sorted = Float64Array.from({ length: 101 }, (_, i) => i);
    expect(quantileSorted(sorted, 0.25)).toBe(25);
    expect(isCovered(sorted, 74, 0.5)).toBe(true);
    expect(isCovered(sorted, 76, 0.5)).toBe(false);
    expect(isCovered(sorted, 4, 0.9)).toBe(false);
  });

  it('binomial CDF and central interval', () => {
    const cdf = binomialCdf(10, 0.3);
    expect(cdf[0]).toBeCloseTo(0.7 ** 10, 12);
    expect(cdf[3]).toBeCloseTo(0.6496107184, 9);
    expect(cdf[10]).toBe(1);
    expect(binomialCdf(200, 0.99)[100]).toBeLessThan(1e-50); // no underflow trouble at the far tail
    // Binomial(200, 0.5): P(X ≤ 81) = 0.0040, P(X ≤ 82) = 0.0067 (R's pbinom), so the 99% interval starts at 82.
    expect(binomialInterval(200, 0.5, 0.99)).toEqual([82, 118]);
  });
});

describe('uniformity test (Säilynoja et al. 2022)', () => {
  const test = new UniformityTest(N, L);

  it('uniform ranks: p-values are not small and spread over (0, 1]', () => {
    const ps = Array.from({ length: 20 }, (_, i) => test.pValue(uniformRanks(`u${i}`)));
    expect(Math.min(...ps)).toBeGreaterThan(0.005);
    expect(ps.filter((p) => p > 0.5).length).toBeGreaterThan(4);
  });

  it('a posterior too narrow by half: p-values tiny, coverage low', () => {
    const ranks = normalModelRanks('narrow', 0.5);
    expect(test.pValue(ranks)).toBeLessThan(0.001);
    // ∪-shaped: ranks pile up at both ends.
    expect(ranks.filter((r) => r <= 4 || r >= L - 4).length).toBeGreaterThan(N / 4);
    // A calibrated fit of the same kind passes.
    expect(test.pValue(normalModelRanks('calibrated', 1))).toBeGreaterThan(0.01);
  });

  it('a biased posterior (all ranks shifted up) fails', () => {
    const ranks = uniformRanks('biased').map((r) => Math.min(L, Math.round(r * 0.6 + 40)));
    expect(test.pValue(ranks)).toBeLessThan(0.001);
  });

  it('the simultaneous band holds uniform ECDFs about 99% of the time, and it is what the p-value tests', () => {
    const band = test.band(0.99);
    expect(band.lower).toHaveLength(L);
    let outside = 0;
    for (let s = 0; s < 400; s++) {
      const ranks = uniformRanks(`band${s}`);
      const counts = new Array<number>(L + 1).fill(0);
      for (const r of ranks) counts[r]!++;
      let below = 0;
      const leaves = test.z.some((z, k) => {
        below += counts[k]!;
        const d = below / N - z;
        return d < band.lower[k]! - 1e-12 || d > band.upper[k]! + 1e-12;
      });
      if (leaves) outside++;
      expect(leaves, `rank set ${s}`).toBe(test.statistic(ranks) < band.gamma);
    }
    expect(outside).toBeLessThanOrEqual(12); // 1% of 400 is 4
  });

  it('the histogram band: 20 bins of 5 ranks, pointwise 99% binomial intervals', () => {
    const h = histogramBand(N, L, 20, 0.99);
    expect(h.edges).toHaveLength(21);
    expect(h.edges[1]).toBe(5);
    expect(h.lower[0]).toBeLessThan(10);
    expect(h.upper[0]).toBeGreaterThan(10);
    expect(binomialInterval(N, 0.05, 0.99)).toEqual([h.lower[0], h.upper[0]]);
  });
});

describe('sbc.json text', () => {
  it('writes arrays of numbers on one line and summarizes failures', () => {
    const doc = {
      model: 'pooled',
      replicates: 3,
      draws_per_fit: 9,
      level: 0.99,
      parameters: [
        { name: 'gamma[1]', ranks: [1, 2, 3], p_uniform: 0.5, coverage50: 0.5, coverage90: 1 },
        { name: 'sigma', ranks: [0, 0, 9], p_uniform: 0.001, coverage50: 0, coverage90: 0.3 },
      ],
      coverage_band: { coverage50: [0, 1], coverage90: [0.4, 1] },
      replicate_details: [
        { name: 'r1', divergences: 0, max_rhat: 1.002, min_ess_bulk: 812.4 },
        { name: 'r2', divergences: 7, max_rhat: 1.031, min_ess_bulk: 95.6 },
      ],
    } as unknown as SbcDocument;
    const text = formatSbcJson(doc);
    expect(text).toContain('"ranks": [1, 2, 3]');
    expect(text).toContain('"name": "gamma[1]"');
    expect(JSON.parse(text)).toEqual(doc);
    const summary = formatSbcSummary(doc);
    expect(summary).toMatch(/gamma\[1\] .* ok/);
    expect(summary).toMatch(/sigma .* FAIL: ranks not uniform, 90% coverage/);
    expect(summary).toContain('1 of 2 parameters pass');
    expect(summary).toContain('Fits: 7 divergent transitions in 1 of 2 fits, worst R-hat 1.031, smallest bulk ESS 96.');
  });
});

describe('replicate simulation', () => {
  const design = buildSbcDesign({ markets: 2, weeks: 20, channels: 2, seed: 5 });

  it('every market mean of the scaled target is 1, no target is negative, and the same seed gives the same replicate', () => {
    for (const kind of ['pooled', 'unpooled', 'hierarchical'] as const) {
      const model = buildModel(design.panel, { kind });
      const sim = new ReplicateSimulator(model);
      const a = sim.simulate(uniformRng(`same-${kind}`));
      const b = sim.simulate(uniformRng(`same-${kind}`));
      expect(a.yScaled).toEqual(b.yScaled);
      expect(a.truth).toEqual(b.truth);
      expect(a.ess).toBeGreaterThanOrEqual(1000);
      for (let g = 0; g < 2; g++) {
        const ys = Array.from(a.yScaled).filter((_, n) => model.obsMarket[n] === g);
        expect(ys.reduce((s, y) => s + y, 0) / ys.length).toBeCloseTo(1, 12);
        expect(Math.min(...ys)).toBeGreaterThanOrEqual(0);
      }
      // The data are the model's mean at the truth plus noise of about the truth's sigma.
      const mean = model.mean(a.truth, new Float64Array(model.numObs), { scale: 'scaled' });
      const resid = Array.from(a.yScaled, (y, n) => y - mean[n]!);
      const sigma = a.truth[model.constrainedNames.indexOf(kind === 'pooled' ? 'sigma' : 'sigma[DE]')]!;
      const sd = Math.sqrt(resid.filter((_, n) => model.obsMarket[n] === 0).reduce((s, r) => s + r * r, 0) / 20);
      expect(sd / sigma).toBeGreaterThan(0.4);
      expect(sd / sigma).toBeLessThan(2);
    }
  });

  it('agrees with a brute-force draw from the prior kept when every market mean is within ±0.01 of 1', () => {
    // Pooled, two markets: one intercept for both market means, so the conditioning moves the
    // noise scale and the media effect a lot (and the importance weights matter). Both condition
    // on non-negative data too.
    const two = buildSbcDesign({ markets: 2, weeks: 12, channels: 1, seed: 2 });
    const model = buildModel(two.panel, { kind: 'pooled' });
    const names = ['alpha', 'delta', 'beta[spotify_ads_spend]', 'sigma'];
    const at = names.map((n) => model.constrainedNames.indexOf(n));
    const sim = new ReplicateSimulator(model);
    const rng = uniformRng('brute');
    const count = 300;
    const conditioned: number[][] = names.map(() => []);
    let adaptive = 0;
    for (let i = 0; i < count; i++) {
      const r = sim.simulate(rng, { ess: 300, batch: 500, max: 50_000 });
      at.forEach((j, k) => conditioned[k]!.push(r.truth[j]!));
      if (r.proposals > 500) adaptive++;
    }
    // The prior draws alone rarely reach the ESS here: the population Monte Carlo stages are tested too.
    expect(adaptive).toBeGreaterThan(count / 2);
    // Brute force: θ from the prior, y given θ, kept when both market means are within 0.01 of 1.
    const brute: number[][] = names.map(() => []);
    const mean = new Float64Array(model.numObs);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    const sigmaAt = model.constrainedNames.indexOf('sigma');
    for (let k = 0; brute[0]!.length < count && k < 3_000_000; k++) {
      const theta = priorDraw(model, rng);
      model.mean(theta, mean, { scale: 'scaled' });
      const y = Array.from(mean, (m) => m + theta[sigmaAt]! * normal());
      const t = [0, 1].map((g) => y.filter((_, n) => model.obsMarket[n] === g).reduce((s, v) => s + v, 0) / 12);
      if (t.every((v) => Math.abs(v - 1) < 0.01) && y.every((v) => v >= 0)) at.forEach((j, c) => brute[c]!.push(theta[j]!));
    }
    expect(brute[0]!.length).toBe(count);
    const m = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = (xs: number[]) => Math.sqrt(m(xs.map((x) => (x - m(xs)) ** 2)));
    names.forEach((name, c) => {
      const a = conditioned[c]!.map((x) => (name === 'alpha' || name === 'delta' ? x : Math.log(x)));
      const b = brute[c]!.map((x) => (name === 'alpha' || name === 'delta' ? x : Math.log(x)));
      // Two means of 300 draws each (positive parameters on the log scale): 4 standard errors of their difference.
      expect(Math.abs(m(a) - m(b)), `${name}: ${m(a)} vs ${m(b)}`).toBeLessThan(4 * Math.sqrt((sd(a) ** 2 + sd(b) ** 2) / count));
    });
    // The conditioning matters here: the prior's mean log sigma is log 0.3 − 0.64 ≈ −1.84.
    expect(m(brute[3]!.map(Math.log))).toBeLessThan(-2.2);
  });
});
