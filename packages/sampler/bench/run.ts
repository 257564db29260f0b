// Sampler benchmark (by hand, not CI): `pnpm bench [-- --filter std --chains 4 --warmup 1000
// --draws 1000 --seed 1 --parallel 4]`.
//
// For each target prints gradient evaluations per second, min bulk-ESS per second and min
// bulk-ESS per 1000 gradient evaluations, and writes bench/results.json keyed by target id so a
// Stan column (same target, same draws/warmup) can be joined on `id`:
//   results[i] = { id, dim, metric, tributary: {...}, stan: null }
//
// Definitions (all over the post-warmup phase, summed over chains, like CmdStan's per-chain
// "Sampling" times and n_leapfrog__):
//   gradPerSecond     = sum n_leapfrog / sum samplingSeconds   (per core)
//   essPerSecond      = min_j essBulk_j / sum samplingSeconds   (per core-second)
//   essPer1000Grad    = 1000 * min_j essBulk_j / sum n_leapfrog
// Also recorded: wall seconds, warmup seconds, total gradient evaluations (warmup included),
// divergences, mean tree depth, step sizes, and ESS per wall second (warmup + sampling).

import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { sample, type MetricKind, type Posterior, type TargetSpec } from '../src/index.js';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const FIXTURE_TARGETS = here('../test/fixtures/targets.ts');
const POSTERIORDB_TARGETS = here('../test/posteriordb/targets.ts');
const POSTERIORDB_FIXTURES = here('../test/posteriordb/fixtures.ts');
const DIAGNOSTICS = here('../src/diagnostics/index.ts');

interface BenchTarget {
  readonly id: string;
  readonly spec: TargetSpec;
  readonly metric: MetricKind;
}

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        out[a.slice(2)] = next;
        i++;
      } else out[a.slice(2)] = 'true';
    }
  }
  return out;
}

async function loadTargets(): Promise<BenchTarget[]> {
  const targets: BenchTarget[] = [
    { id: 'std_normal_100', spec: { module: FIXTURE_TARGETS, export: 'buildStdNormal', args: [100] }, metric: 'diag' },
    { id: 'corr_gauss_50_diag', spec: { module: FIXTURE_TARGETS, export: 'buildCorrelatedGaussian', args: [50, 0.9] }, metric: 'diag' },
    { id: 'corr_gauss_50_dense', spec: { module: FIXTURE_TARGETS, export: 'buildCorrelatedGaussian', args: [50, 0.9] }, metric: 'dense' },
  ];
  if (existsSync(POSTERIORDB_TARGETS) && existsSync(POSTERIORDB_FIXTURES)) {
    const pdb = (await import(POSTERIORDB_TARGETS)) as { POSTERIORDB_BUILDERS: Record<string, { name: string }> };
    const fx = (await import(POSTERIORDB_FIXTURES)) as { loadPosteriordb: (name: string) => { data: unknown } };
    for (const [name, builder] of Object.entries(pdb.POSTERIORDB_BUILDERS)) {
      const { data } = fx.loadPosteriordb(name);
      targets.push({ id: `posteriordb:${name}`, spec: { module: POSTERIORDB_TARGETS, export: builder.name, args: [data] }, metric: 'diag' });
    }
  }
  return targets;
}

type EssBulk = (draws: readonly Float64Array[]) => number;

async function loadEssBulk(): Promise<{ essBulk: EssBulk; source: string }> {
  if (existsSync(DIAGNOSTICS)) {
    const d = (await import(DIAGNOSTICS)) as { essBulk?: EssBulk };
    if (typeof d.essBulk === 'function') return { essBulk: d.essBulk, source: 'src/diagnostics essBulk (rank-normalised)' };
  }
  const h = (await import(here('../test/helpers/ess.ts'))) as { effectiveSampleSize: EssBulk };
  return { essBulk: h.effectiveSampleSize, source: 'test/helpers/ess.ts (plain Geyer ESS; diagnostics module absent)' };
}

function column(post: Posterior, j: number): Float64Array[] {
  return post.draws.map((d) => {
    const out = new Float64Array(post.numDraws);
    for (let k = 0; k < post.numDraws; k++) out[k] = d[k * post.dim + j]!;
    return out;
  });
}

const sumAll = (xs: readonly Float64Array[]): number => xs.reduce((s, x) => s + x.reduce((a, b) => a + b, 0), 0);
const sumNums = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const chains = Number(args['chains'] ?? 4);
  const warmup = Number(args['warmup'] ?? 1000);
  const draws = Number(args['draws'] ?? 1000);
  const seed = args['seed'] ?? '20240601';
  const parallel = args['parallel'] === undefined ? true : args['parallel'] === 'false' ? false : Number(args['parallel']);
  const filter = args['filter'];
  const { essBulk, source } = await loadEssBulk();
  const targets = (await loadTargets()).filter((t) => filter === undefined || t.id.includes(filter));

  console.log(`chains ${chains}, warmup ${warmup}, draws ${draws}, seed ${seed}, parallel ${String(parallel)}; ESS: ${source}`);
  console.log(`${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()}, node ${process.version}\n`);
  const header = ['target', 'metric', 'dim', 'grad/s', 'minESS', 'ESS/s', 'ESS/1k grad', 'div', 'depth', 'wall s'];
  console.log(header.map((h, i) => (i === 0 ? h.padEnd(52) : h.padStart(12))).join(''));

  const results: unknown[] = [];
  for (const t of targets) {
    const post = await sample(t.spec, { chains, warmup, draws, seed, metric: t.metric, parallel });
    const nLeapfrog = sumAll(post.sampleStats.n_leapfrog);
    const samplingSeconds = sumNums(post.samplingSeconds);
    let minEss = Infinity;
    let minEssParameter = '';
    for (let j = 0; j < post.dim; j++) {
      const e = essBulk(column(post, j));
      if (e < minEss) {
        minEss = e;
        minEssParameter = post.parameterNames[j]!;
      }
    }
    const tributary = {
      gradPerSecond: nLeapfrog / samplingSeconds,
      minEssBulk: minEss,
      minEssBulkParameter: minEssParameter,
      essPerSecond: minEss / samplingSeconds,
      essPer1000Grad: (1000 * minEss) / nLeapfrog,
      essPerWallSecond: minEss / post.wallSeconds,
      samplingGradientEvaluations: nLeapfrog,
      totalGradientEvaluations: sumNums(post.numGradientEvaluations),
      samplingSeconds: post.samplingSeconds,
      warmupSeconds: post.warmupSeconds,
      wallSeconds: post.wallSeconds,
      divergences: sumAll(post.sampleStats.divergent),
      meanTreeDepth: sumAll(post.sampleStats.treedepth) / (chains * draws),
      stepSize: post.stepSize,
    };
    results.push({ id: t.id, dim: post.dim, metric: t.metric, tributary, stan: null });
    const row = [
      t.id,
      t.metric,
      String(post.dim),
      tributary.gradPerSecond.toExponential(2),
      minEss.toFixed(0),
      tributary.essPerSecond.toFixed(1),
      tributary.essPer1000Grad.toFixed(2),
      String(tributary.divergences),
      tributary.meanTreeDepth.toFixed(2),
      post.wallSeconds.toFixed(2),
    ];
    console.log(row.map((c, i) => (i === 0 ? c.padEnd(52) : c.padStart(12))).join(''));
  }

  const out = {
    generatedAt: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), node: process.version },
    config: { chains, warmup, draws, seed, parallel, essSource: source },
    definitions: {
      gradPerSecond: 'sum of post-warmup n_leapfrog / sum of per-chain sampling seconds',
      essPerSecond: 'min over parameters of bulk-ESS / sum of per-chain sampling seconds',
      essPer1000Grad: '1000 * min bulk-ESS / sum of post-warmup n_leapfrog',
    },
    results,
  };
  const file = here('./results.json');
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nwrote ${file}`);
}

await main();
