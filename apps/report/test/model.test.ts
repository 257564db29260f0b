// computeModel (build/model.ts): one model.loadDraw per thinned draw, and the contributions over
// time are the posterior mean of DrawView.weeklyContributions over those draws (not a plug-in at
// the posterior-mean coefficients), with the baseline the posterior-mean fit minus that media part;
// with market groups (large panels) the rest markets as one group, checked against per-draw sums.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateResults, loadResults, rebuildModel, spendTotals, type FittedModel, type ResultsFolder } from '@tributary/evaluation';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fitCommand } from '../../cli/src/commands/fit.js';
import { generateCommand } from '../../cli/src/commands/generate.js';
import { marketGroups } from '../src/build/markets.js';
import { computeModel } from '../src/build/model.js';
import { pooledDraws, thinIndices } from '../src/build/results.js';
import { runCommand, SMALL_FIT } from './fixture.js';

let dir: string;
let results: ResultsFolder;
let fitted: FittedModel;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tributary-report-model-'));
  await runCommand(generateCommand, ['--scenario', 'volta', '--seed', '42', '--out', 'data'], dir);
  await runCommand(fitCommand, ['data/volta_marketing.csv', '--model', 'hierarchical', '--seed', '3', ...SMALL_FIT], dir);
  results = await loadResults(join(dir, 'results', 'hierarchical'));
  fitted = await rebuildModel(results);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('computeModel', () => {
  it('loads each thinned draw once and shows the posterior mean of the weekly contributions', () => {
    const { model, panel } = fitted;
    const report = evaluateResults(results, fitted);
    const load = vi.spyOn(model, 'loadDraw');
    const maxDraws = 50;
    let out: ReturnType<typeof computeModel>;
    try {
      out = computeModel(results, fitted, report, { maxDraws, seed: 1 });
      expect(load).toHaveBeenCalledTimes(maxDraws);
    } finally {
      vi.restoreAllMocks();
    }
    const draws = pooledDraws(results);
    const idx = thinIndices(draws.numDraws, maxDraws);
    const C = model.channels.length;
    const N = model.numObs;
    const sum = new Float64Array(N * C);
    const mu = new Float64Array(N);
    const buf = new Float64Array(N * C);
    const bufN = new Float64Array(N);
    for (const s of idx) {
      const view = model.loadDraw(draws.row(s));
      view.weeklyContributions(buf);
      for (let i = 0; i < N * C; i++) sum[i] = sum[i]! + buf[i]!;
      view.mean(bufN);
      for (let n = 0; n < N; n++) mu[n] = mu[n]! + bufN[n]!;
    }
    const series = out.input.contributionsOverTime!;
    expect(series.map((x) => x.market)).toEqual([...model.markets]);
    series.forEach((x, g) => {
      const start = panel.obsOffset[g]!;
      x.dates.forEach((_, i) => {
        const n = start + i;
        let media = 0;
        for (let c = 0; c < C; c++) {
          expect(x.channels[c]![i]).toBeCloseTo(sum[n * C + c]! / idx.length, 6);
          media += x.channels[c]![i]!;
        }
        expect(x.base[i]! + media).toBeCloseTo(mu[n]! / idx.length, 6);
      });
    });
  });

  it('with market groups (large panels): the rest as one group from per-draw sums, per-week series for the top markets only', () => {
    const { model, panel } = fitted;
    const report = evaluateResults(results, fitted);
    // VOLTA has 8 markets: force the compact split (top 3 by revenue, the other 5 as one group)
    const groups = marketGroups(panel, { compactAbove: 4, top: 3 })!;
    expect(groups.rest).toHaveLength(5);
    const maxDraws = 40;
    const full = computeModel(results, fitted, report, { maxDraws, seed: 1 });
    const compact = computeModel(results, fitted, report, { maxDraws, seed: 1, groups });
    const topNames = groups.top.map((g) => model.markets[g]!);
    // the top markets' series are those of the full computation (same draws, same y_rep stream)
    expect(compact.input.fit!.map((f) => f.market).sort()).toEqual([...topNames].sort());
    for (const f of compact.input.fit!) expect(f).toEqual(full.input.fit!.find((x) => x.market === f.market));
    expect(compact.input.contributionsOverTime!.map((x) => x.market).sort()).toEqual([...topNames].sort());
    // everything else per market is unchanged
    expect(compact.input.roas).toEqual(full.input.roas);
    expect(compact.input.roasTotal).toEqual(full.input.roasTotal);
    expect(full.input.rest).toBeUndefined();

    // the group's ROAS: per draw, Σ contribution / Σ spend over its markets (not an average of ROAS)
    const rest = compact.input.rest!;
    const draws = pooledDraws(results);
    const idx = thinIndices(draws.numDraws, maxDraws);
    const spend = spendTotals(panel);
    const C = model.channels.length;
    for (let c = 0; c < C; c++) {
      const perDraw = idx.map((s) => {
        const parts = model.loadDraw(draws.row(s)).contributions();
        let num = 0;
        let den = 0;
        for (const g of groups.rest) {
          if (spend[g * C + c]! > 0) {
            num += parts.channels[g]![c]!;
            den += spend[g * C + c]!;
          }
        }
        return num / den;
      });
      expect(rest.roas[c]!.mean).toBeCloseTo(perDraw.reduce((a, b) => a + b, 0) / perDraw.length, 9);
      expect(rest.roas[c]!.lower).toBeLessThanOrEqual(rest.roas[c]!.mean);
      expect(rest.roas[c]!.upper).toBeGreaterThanOrEqual(rest.roas[c]!.mean);
    }

    // the group's weekly series: sums over its markets observed that week
    const restNames = new Set(groups.rest.map((g) => model.markets[g]!));
    const byDate = <T extends { market: string; dates: string[] }>(pick: (f: T, i: number) => number, series: T[]) => {
      const m = new Map<string, number>();
      for (const f of series.filter((x) => restNames.has(x.market))) f.dates.forEach((d, i) => m.set(d, (m.get(d) ?? 0) + pick(f, i)));
      return m;
    };
    const observed = byDate((f, i) => f.observed[i]!, full.input.fit!);
    const mean = byDate((f, i) => f.mean[i]!, full.input.fit!);
    const media = byDate((f, i) => f.channels.reduce((a, ch) => a + ch[i]!, 0), full.input.contributionsOverTime!);
    expect(rest.fit!.dates).toEqual([...observed.keys()].sort());
    rest.fit!.dates.forEach((d, i) => {
      expect(rest.fit!.observed[i]).toBeCloseTo(observed.get(d)!, 6);
      expect(rest.fit!.mean[i]).toBeCloseTo(mean.get(d)!, 6);
      expect(rest.fit!.lower[i]).toBeLessThanOrEqual(rest.fit!.upper[i]!);
      const m = rest.contributions!.channels.reduce((a, ch) => a + ch[i]!, 0);
      expect(m).toBeCloseTo(media.get(d)!, 6);
      expect(rest.contributions!.base[i]! + m).toBeCloseTo(mean.get(d)!, 6);
    });
    expect(rest.fitCoverage).toBeGreaterThanOrEqual(0);
    expect(rest.fitCoverage).toBeLessThanOrEqual(1);
  });
});
