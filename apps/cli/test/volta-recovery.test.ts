// Issue 4's acceptance checks on VOLTA, run end to end through the CLI at a CI-sized run length:
// the hierarchical fit's 94% HDIs of beta_mu cover the truth for at least 5 of 6 channels, and the
// sparse markets (PL, SE) get narrower ROAS intervals than in the unpooled fit.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildPanel, parseMarketingCsv } from '@tributary/data';
import { buildModel, type ModelKind } from '@tributary/models';
import { hdi } from '@tributary/sampler';
import { loadResults } from '@tributary/evaluation';
import { beforeAll, describe, expect, it } from 'vitest';
import { run, tempDir } from './helpers.js';

let dir: string;
let truth: { beta_mu: Record<string, number>; roas: Record<string, Record<string, number>> };
const fitArgs = ['--chains', '4', '--warmup', '500', '--draws', '500', '--seed', '11', '--quiet'];

beforeAll(async () => {
  dir = await tempDir();
  expect((await run(['generate', '--seed', '42', '--out', 'data'], dir)).code).toBe(0);
  truth = JSON.parse(await readFile(join(dir, 'data', 'ground_truth.json'), 'utf8'));
  for (const model of ['hierarchical', 'unpooled']) {
    const res = await run(['fit', 'data/volta_marketing.csv', '--model', model, ...fitArgs], dir);
    expect(res.code, res.stderr).toBe(0);
  }
});

/** Per-draw ROAS (G×C per draw) of a results folder, as per-chain arrays per market-channel. */
async function roasDraws(kind: ModelKind) {
  const csv = await readFile(join(dir, 'data', 'volta_marketing.csv'), 'utf8');
  const panel = buildPanel(parseMarketingCsv(csv));
  const model = buildModel(panel, { kind });
  const results = await loadResults(join(dir, 'results', kind));
  expect(results.names).toEqual(model.constrainedNames);
  const G = panel.markets.length;
  const C = panel.channels.length;
  const dim = results.names.length;
  const out = new Float64Array(G * C);
  const perCell = Array.from({ length: G * C }, () => results.draws.map((ch) => new Float64Array(ch.length / dim)));
  results.draws.forEach((chain, c) => {
    for (let i = 0; i < chain.length / dim; i++) {
      model.roas(chain.subarray(i * dim, (i + 1) * dim), out);
      for (let k = 0; k < G * C; k++) perCell[k]![c]![i] = out[k]!;
    }
  });
  return { panel, results, perCell };
}

describe('VOLTA recovery', () => {
  it('covers beta_mu with the hierarchical 94% HDI for at least 5 of 6 channels', async () => {
    const { panel, results } = await roasDraws('hierarchical');
    const dim = results.names.length;
    let covered = 0;
    for (const c of panel.channels) {
      const j = results.names.indexOf(`beta_mu[${c}]`);
      const x = results.draws.map((ch) => Float64Array.from({ length: ch.length / dim }, (_, i) => ch[i * dim + j]!));
      const { lower, upper } = hdi(x, 0.94);
      if (lower <= truth.beta_mu[c]! && truth.beta_mu[c]! <= upper) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(5);
  });

  it('gives the sparse markets PL and SE narrower ROAS intervals than the unpooled fit', async () => {
    const hier = await roasDraws('hierarchical');
    const unpooled = await roasDraws('unpooled');
    const C = hier.panel.channels.length;
    for (const market of ['PL', 'SE']) {
      const g = hier.panel.markets.indexOf(market);
      for (let c = 0; c < C; c++) {
        const width = (cells: Float64Array[][]) => {
          const { lower, upper } = hdi(cells[g * C + c]!, 0.94);
          return upper - lower;
        };
        expect(width(hier.perCell), `${market} ${hier.panel.channels[c]}`).toBeLessThan(width(unpooled.perCell));
      }
    }
  });
});
