// `tributary compare` end to end on small fits of all three models of VOLTA.
import { beforeAll, describe, expect, it } from 'vitest';
import { compareCommand } from '../src/commands/compare.js';
import { runCommand } from './command-runner.js';
import { run, tempDir } from './helpers.js';

let dir: string;
const small = ['--chains', '2', '--warmup', '150', '--draws', '100', '--parallel', '0', '--quiet'];

beforeAll(async () => {
  dir = await tempDir();
  expect((await run(['generate', '--seed', '3', '--out', 'data'], dir)).code).toBe(0);
  const fit = await run(['fit', 'data/volta_marketing.csv', '--model', 'all', '--seed', '5', ...small], dir);
  expect(fit.code, fit.stderr).toBe(0);
});

const compare = (argv: string[]) => runCommand(compareCommand, argv, dir);

describe('tributary compare', () => {
  it('prints the LOO table, the best model, stability, ROAS side by side and shrinkage', async () => {
    const res = await compare(['results']);
    expect(res.code, res.stderr).toBe(0);
    for (const s of ['PSIS-LOO, best first', 'Best: ', 'Stability across markets', 'ROAS side by side', 'Shrinkage (hierarchical)']) {
      expect(res.stdout).toContain(s);
    }
    for (const m of ['pooled', 'unpooled', 'hierarchical']) expect(res.stdout).toContain(m);
  });

  it('prints one JSON document with models, elpd differences and weights', async () => {
    const res = await compare(['results', '--json']);
    expect(res.code, res.stderr).toBe(0);
    const doc = JSON.parse(res.stdout);
    expect(doc.models).toHaveLength(3);
    expect(doc.models.map((m: { name: string }) => m.name).sort()).toEqual(['hierarchical', 'pooled', 'unpooled']);
    for (const m of doc.models) {
      expect(m).toEqual(expect.objectContaining({ name: expect.any(String), elpd_loo: expect.any(Number), elpd_diff: expect.any(Number), se_diff: expect.any(Number), weight: expect.any(Number) }));
    }
    expect(doc.models[0].elpd_diff).toBe(0);
    expect(doc.models.reduce((a: number, m: { weight: number }) => a + m.weight, 0)).toBeCloseTo(1, 9);
    expect(doc.best.model).toBe(doc.models[0].name);
    expect(doc.stability_mean).toHaveLength(3);
    expect(doc.shrinkage).toHaveLength(48);
    expect(doc.shrinkage[0]).toEqual(expect.objectContaining({ market: 'DE', channel: 'spotify_ads_spend', value: expect.any(Number) }));
    expect(doc.roas).toHaveLength(3 * 48);
  });

  it('needs a folder with at least two fitted models', async () => {
    const res = await compare(['results/hierarchical']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/needs at least two/);
  });
});
