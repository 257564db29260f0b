// `tributary evaluate` end to end on a small VOLTA fit (2 chains × 150/100 in this thread).
import { copyFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateCommand } from '../src/commands/evaluate.js';
import { runCommand } from './command-runner.js';
import { run, tempDir } from './helpers.js';

let dir: string;
const small = ['--chains', '2', '--warmup', '150', '--draws', '100', '--parallel', '0', '--quiet'];

beforeAll(async () => {
  dir = await tempDir();
  expect((await run(['generate', '--seed', '3', '--out', 'data'], dir)).code).toBe(0);
  const fit = await run(['fit', 'data/volta_marketing.csv', '--model', 'hierarchical', '--seed', '5', ...small], dir);
  expect(fit.code, fit.stderr).toBe(0);
});

const evaluate = (argv: string[]) => runCommand(evaluateCommand, argv, dir);

describe('tributary evaluate', () => {
  it('prints a text report with every section', async () => {
    const res = await evaluate(['results/hierarchical', '--truth', 'data/ground_truth.json']);
    expect(res.code, res.stderr).toBe(0);
    for (const s of ['Diagnostics:', 'ROAS per market', 'Contributions', 'Shrinkage', 'Stability', 'Posterior predictive checks', 'PSIS-LOO', 'Ground truth:']) {
      expect(res.stdout).toContain(s);
    }
    // short run: the report must say so and suggest a remedy
    expect(res.stdout).toMatch(/try: run more/);
  });

  it('prints one JSON document with the documented fields', async () => {
    const res = await evaluate(['results/hierarchical', '--json', '--truth', 'data/ground_truth.json']);
    expect(res.code, res.stderr).toBe(0);
    const doc = JSON.parse(res.stdout);
    expect(['good', 'warning', 'bad']).toContain(doc.diagnostics.status);
    expect(doc.diagnostics).toEqual(expect.objectContaining({ divergences: expect.any(Number), max_rhat: expect.any(Number), min_ess_bulk: expect.any(Number) }));
    expect(doc.roas).toHaveLength(48);
    expect(doc.roas[0]).toEqual(expect.objectContaining({ market: 'DE', channel: 'spotify_ads_spend', mean: expect.any(Number), hdi_low: expect.any(Number), hdi_high: expect.any(Number) }));
    expect(doc.shrinkage).toHaveLength(48);
    expect(doc.shrinkage[0]).toEqual({ market: 'DE', channel: 'spotify_ads_spend', value: expect.any(Number) });
    expect(doc.loo).toEqual(expect.objectContaining({ elpd_loo: expect.any(Number), se: expect.any(Number), p_loo: expect.any(Number), max_pareto_k: expect.any(Number) }));
    expect(doc.recovery.parameters_checked).toBeGreaterThan(100);
    expect(doc.recovery.mae_beta_mu).toBeGreaterThan(0);
    expect(doc.ppc).toHaveLength(8);
    // deterministic for the same seed
    expect((await evaluate(['results/hierarchical', '--json', '--truth', 'data/ground_truth.json'])).stdout).toBe(res.stdout);
  });

  it('checks the data file and accepts --data for a moved file', async () => {
    await copyFile(join(dir, 'data', 'volta_marketing.csv'), join(dir, 'copy.csv'));
    await rename(join(dir, 'data', 'volta_marketing.csv'), join(dir, 'data', 'moved.csv'));
    try {
      const missing = await evaluate(['results/hierarchical']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/cannot read the data file .*volta_marketing\.csv.*--data FILE/);
      const ok = await evaluate(['results/hierarchical', '--data', 'copy.csv', '--json']);
      expect(ok.code, ok.stderr).toBe(0);
      const wrong = await evaluate(['results/hierarchical', '--data', 'data/ground_truth.json']);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/is not the file .* was fitted to/);
    } finally {
      await rename(join(dir, 'data', 'moved.csv'), join(dir, 'data', 'volta_marketing.csv'));
    }
  });

  it('names a folder that is not a results folder', async () => {
    const res = await evaluate(['data']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/manifest\.json.*Run tributary fit first/s);
    expect((await evaluate(['results/hierarchical', '--seed', 'x'])).code).toBe(2);
  });
});
