// computeModel (build/model.ts): one model.loadDraw per thinned draw, and the contributions over
// time are the posterior mean of DrawView.weeklyContributions over those draws (not a plug-in at
// the posterior-mean coefficients), with the baseline the posterior-mean fit minus that media part.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateResults, loadResults, rebuildModel, type FittedModel, type ResultsFolder } from '@tributary/evaluation';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fitCommand } from '../../cli/src/commands/fit.js';
import { generateCommand } from '../../cli/src/commands/generate.js';
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
});
