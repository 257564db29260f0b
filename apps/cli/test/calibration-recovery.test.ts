// Issue 8's recovery checks on synthetic data with known truth, end to end through the CLI at a
// CI-sized run length (the full-length figures come from bench/calibration/run.sh):
// - lift tests: on the `biased` scenario (tiktok spend follows a hidden demand driver, so the
//   regression overstates its ROAS) adding the scenario's lift tests moves the tested markets'
//   tiktok ROAS toward the truth and narrows their 94% intervals;
// - ROAS prior: a prior on tiktok's pooled ROAS at the true value pulls the pooled model's
//   estimate toward the truth;
// - time-varying effects: on the `drift` scenario (meta's effect multiplier waves over time),
//   the random-walk model recovers the shape of the drift and PSIS-LOO prefers it to the
//   constant-effect model.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run, tempDir } from './helpers.js';

interface RoasRow {
  market: string;
  channel: string;
  mean: number;
  hdi_low: number;
  hdi_high: number;
  spend: number;
}

let dir: string;
const chains = ['--chains', '4', '--warmup', '300', '--draws', '300', '--seed', '8', '--quiet'];

async function evaluateRoas(folder: string): Promise<RoasRow[]> {
  const res = await run(['evaluate', folder, '--json'], dir);
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout).roas as RoasRow[];
}

beforeAll(async () => {
  dir = await tempDir();
  expect((await run(['generate', '--scenario', 'biased', '--out', 'biased'], dir)).code).toBe(0);
  expect((await run(['generate', '--scenario', 'drift', '--out', 'drift'], dir)).code).toBe(0);
});

describe('lift tests and ROAS priors on the biased scenario', () => {
  it('lift tests move the tested markets\' tiktok ROAS toward the truth and narrow the intervals', async () => {
    const truth = JSON.parse(await readFile(join(dir, 'biased', 'ground_truth.json'), 'utf8'));
    for (const [name, extra] of [
      ['base', []],
      ['lift', ['--lift-tests', 'biased/lift_tests.csv']],
    ] as const) {
      const res = await run(['fit', 'biased/biased_marketing.csv', '--out', 'b', '--name', name, ...chains, ...extra], dir);
      expect(res.code, res.stderr).toBe(0);
    }
    const base = await evaluateRoas('b/base');
    const lift = await evaluateRoas('b/lift');
    const tested: string[] = truth.lift_tests.map((t: { market: string }) => t.market);
    expect(tested.length).toBeGreaterThanOrEqual(2);
    for (const market of tested) {
      const t = truth.roas[market].tiktok_spend as number;
      const b = base.find((r) => r.market === market && r.channel === 'tiktok_spend')!;
      const l = lift.find((r) => r.market === market && r.channel === 'tiktok_spend')!;
      expect(b.mean / t, `${market}: the scenario must bias the uncalibrated fit upward`).toBeGreaterThan(1.25);
      expect(Math.abs(l.mean - t), `${market}: closer to the truth`).toBeLessThan(0.5 * Math.abs(b.mean - t));
      expect(l.hdi_high - l.hdi_low, `${market}: narrower`).toBeLessThan(b.hdi_high - b.hdi_low);
    }
  });

  it('a ROAS prior at the true pooled ROAS pulls the pooled model toward the truth', async () => {
    const truth = JSON.parse(await readFile(join(dir, 'biased', 'ground_truth.json'), 'utf8'));
    const res0 = await run(['fit', 'biased/biased_marketing.csv', '--model', 'pooled', '--out', 'p', '--name', 'base', ...chains], dir);
    expect(res0.code, res0.stderr).toBe(0);
    const base = await evaluateRoas('p/base');
    const rows = base.filter((r) => r.channel === 'tiktok_spend');
    const spend = rows.reduce((s, r) => s + r.spend, 0);
    const pooledTruth = rows.reduce((s, r) => s + truth.roas[r.market].tiktok_spend * r.spend, 0) / spend;
    const pooledBase = rows.reduce((s, r) => s + r.mean * r.spend, 0) / spend;
    await writeFile(join(dir, 'roas-prior.yaml'), `roas:\n  tiktok_spend: { mean: ${pooledTruth.toFixed(3)}, sd: 0.2 }\n`);
    const res1 = await run(['fit', 'biased/biased_marketing.csv', '--model', 'pooled', '--priors', 'roas-prior.yaml', '--out', 'p', '--name', 'prior', ...chains], dir);
    expect(res1.code, res1.stderr).toBe(0);
    const prior = (await evaluateRoas('p/prior')).filter((r) => r.channel === 'tiktok_spend');
    const pooledPrior = prior.reduce((s, r) => s + r.mean * r.spend, 0) / spend;
    expect(pooledBase / pooledTruth).toBeGreaterThan(1.2);
    expect(Math.abs(pooledPrior - pooledTruth)).toBeLessThan(0.5 * Math.abs(pooledBase - pooledTruth));
  });
});

describe('time-varying effects on the drift scenario', () => {
  it('recovers the drift of meta and LOO prefers the time-varying model', async () => {
    // DE and UK only (two years each) keep the CI fits short.
    const csv = (await readFile(join(dir, 'drift', 'drift_marketing.csv'), 'utf8')).split('\n');
    const kept = [csv[0]!, ...csv.slice(1).filter((l) => l.split(',')[1] === 'DE' || l.split(',')[1] === 'UK')];
    await writeFile(join(dir, 'drift2.csv'), kept.join('\n') + '\n');
    for (const [name, extra] of [
      ['constant', []],
      ['time-varying', ['--time-varying', 'meta_spend', '--knot-every', '8']],
    ] as const) {
      const res = await run(['fit', 'drift2.csv', '--out', 'd', '--name', name, ...chains, ...extra], dir);
      expect(res.code, res.stderr).toBe(0);
    }
    const cmp = await run(['compare', 'd', '--json'], dir);
    expect(cmp.code, cmp.stderr).toBe(0);
    const models = JSON.parse(cmp.stdout).models as { name: string; elpd_diff: number; se_diff: number }[];
    expect(models[0]!.name).toBe('time-varying');
    expect(-models[1]!.elpd_diff).toBeGreaterThan(2 * models[1]!.se_diff);

    // Shape: posterior-mean log multiplier at the knots vs the true log multiplier there.
    const truth = (await readFile(join(dir, 'drift', 'truth_multiplier.csv'), 'utf8')).trim().split('\n').slice(1).map((l) => l.split(','));
    const trueAt = new Map(truth.map((r) => [Number(r[1]), Math.log(Number(r[3]))]));
    const summary = (await readFile(join(dir, 'd', 'time-varying', 'summary.csv'), 'utf8')).trim().split('\n');
    const fitted: [number, number][] = [];
    for (const line of summary) {
      const m = /^"?tv_multiplier\[meta_spend,(\d+)\]"?,([^,]+)/.exec(line);
      if (!m) continue;
      const t = (Number(m[1]) - 1) * 8;
      if (trueAt.has(t)) fitted.push([Math.log(Number(m[2])), trueAt.get(t)!]);
    }
    expect(fitted.length).toBeGreaterThanOrEqual(12);
    expect(correlation(fitted)).toBeGreaterThan(0.8);
  });
});

function correlation(pairs: [number, number][]): number {
  const n = pairs.length;
  const mx = pairs.reduce((s, p) => s + p[0], 0) / n;
  const my = pairs.reduce((s, p) => s + p[1], 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of pairs) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
