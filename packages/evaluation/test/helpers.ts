// Small fits for the tests: a deterministic 3-market × 2-channel CSV, sampled in-thread with a
// short run, written as a results folder in the exact format of `tributary fit`.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPanel, parseMarketingCsv } from '@tributary/data';
import { buildModel, type Model, type ModelKind } from '@tributary/models';
import { buildRng, sample, type Posterior } from '@tributary/sampler';
import { rebuildModel, sha256Hex, type FittedModel } from '../src/rebuild.js';
import { loadResults, type ResultsFolder } from '../src/results.js';

export const TEMP_PREFIX = 'tributary-evaluation-';
const created: string[] = [];

/**
 * A new folder `tributary-evaluation-XXXXXX` in the system temp folder. Every test file that
 * calls this registers `afterAll(removeTempDirs)`, so the suite leaves nothing behind.
 */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), TEMP_PREFIX));
  created.push(dir);
  return dir;
}

/** Removes every folder `tempDir` created in this test file (for afterAll). */
export async function removeTempDirs(): Promise<void> {
  const dirs = created.splice(0);
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
}

/** Markets A (40 weeks), B (30), C (20, one gap); channels tv_spend and search_spend. */
export function makeCsv(seed = 3): string {
  const rng = buildRng(`csv:${seed}`);
  const lines = ['date,country,tv_spend,search_spend,streaming_revenue'];
  const markets: [string, number, number, number][] = [
    ['A', 40, 1000, 0.12],
    ['B', 30, 500, 0.2],
    ['C', 20, 200, 0.3],
  ];
  let prevTv = 0;
  for (const [m, weeks, size, eff] of markets) {
    for (let w = 0; w < weeks; w++) {
      if (m === 'C' && w === 7) continue; // a gap week
      const date = new Date(Date.UTC(2024, 0, 7 + 7 * (40 - weeks + w))).toISOString().slice(0, 10);
      const tv = Math.round(size * 0.05 * (0.5 + rng.uniform()) * (w % 5 === 0 ? 0 : 1));
      const search = Math.round(size * 0.03 * (0.5 + rng.uniform()));
      const u = 1 + eff * (tv / (size * 0.05) + 0.5 * prevTv / (size * 0.05)) * 0.8 + 0.1 * (search / (size * 0.03)) + 0.04 * rng.normal();
      prevTv = tv;
      lines.push(`${date},${m},${tv},${search},${(size * u).toFixed(2)}`);
    }
  }
  return lines.join('\n') + '\n';
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const STATS = ['stepsize', 'treedepth', 'n_leapfrog', 'divergent', 'energy', 'accept_stat', 'lp'] as const;

export interface SmallFit {
  readonly dir: string;
  readonly model: Model;
  readonly posterior: Posterior;
}

/** Samples `kind` on the CSV at `csvPath` and writes `<outRoot>/<kind>/` like `tributary fit`. */
export async function fitSmall(
  outRoot: string,
  csvPath: string,
  csvText: string,
  kind: ModelKind,
  options: { chains?: number; warmup?: number; draws?: number; seed?: number; maxTreeDepth?: number } = {},
): Promise<SmallFit> {
  const chains = options.chains ?? 2;
  const warmup = options.warmup ?? 150;
  const draws = options.draws ?? 100;
  const seed = options.seed ?? 7;
  const maxTreeDepth = options.maxTreeDepth ?? 10;
  const panel = buildPanel(parseMarketingCsv(csvText));
  const model = buildModel(panel, { kind });
  const posterior = await sample(model, { chains, warmup, draws, seed, maxTreeDepth });
  const dir = join(outRoot, kind);
  await mkdir(dir, { recursive: true });
  const cdim = model.constrainedDim;
  const drawLines = [['.chain', '.iteration', ...model.constrainedNames].map(csvField).join(',')];
  const statLines = [['.chain', '.iteration', ...STATS].join(',')];
  const c = new Float64Array(cdim);
  posterior.draws.forEach((chain, k) => {
    for (let i = 0; i < posterior.numDraws; i++) {
      model.constrain(chain.subarray(i * posterior.dim, (i + 1) * posterior.dim), c);
      drawLines.push([k + 1, i + 1, ...Array.from(c, (x) => String(x))].join(','));
      statLines.push([k + 1, i + 1, ...STATS.map((s) => posterior.sampleStats[s][k]![i]!)].join(','));
    }
  });
  const manifest = {
    tributary_results_version: 1,
    model: kind,
    created_by: 'evaluation test',
    options: { chains, warmup, draws, seed, target_accept: 0.8, max_treedepth: maxTreeDepth, metric: 'diag', likelihood: 'normal', learn_transforms: false, parallel: false },
    priors: model.priors,
    priors_file: null,
    transforms: Object.fromEntries(model.channels.map((ch, i) => [ch, model.transforms[i]])),
    data: { path: csvPath, sha256: sha256Hex(csvText), rows: panel.numObs, target: panel.target, channels: panel.channels, controls: panel.controls },
    markets: panel.markets,
    channels: panel.channels,
    target: panel.target,
    seed,
    parameter_names: model.constrainedNames,
    unconstrained_names: model.parameterNames,
  };
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  await writeFile(join(dir, 'draws.csv'), drawLines.join('\n') + '\n');
  await writeFile(join(dir, 'sample_stats.csv'), statLines.join('\n') + '\n');
  return { dir, model, posterior };
}

/**
 * A fitted hierarchical model on `makeCsv()` in a new temp folder (`fitSmall` with `options`),
 * loaded and rebuilt as `tributary evaluate` would.
 */
export async function fitAndLoad(options: Parameters<typeof fitSmall>[4] = {}): Promise<{ dir: string; results: ResultsFolder; fitted: FittedModel }> {
  const root = await tempDir();
  const csv = makeCsv();
  const csvPath = join(root, 'data.csv');
  await writeFile(csvPath, csv);
  const { dir } = await fitSmall(join(root, 'results'), csvPath, csv, 'hierarchical', options);
  const results = await loadResults(dir);
  return { dir, results, fitted: await rebuildModel(results) };
}
