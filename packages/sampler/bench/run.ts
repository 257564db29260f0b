// Sampler benchmark (by hand, not CI), Tributary against Stan side by side in one run:
//
//   pnpm bench [-- --filter std --chains 4 --warmup 1000 --draws 1000 --seed 20240601
//               --adapt-delta 0.8 --max-treedepth 10 --parallel 2 --repeat 3 --no-stan
//               --rscript Rscript]
//
// For each target (100-d standard normal, the 50-d correlated Gaussian with a diagonal and with
// a dense metric, and the posteriordb targets of test/posteriordb/targets.ts) it samples with
// Tributary and then, when `Rscript` with rstan is available and --no-stan is not given, with
// Stan through bench/stan_bench.R (rstan, the same chains / warmup / draws / adapt_delta /
// max_treedepth / metric, chains in parallel with cores = chains). With --repeat k each target
// runs k times, Tributary and Stan alternately, and every rate is the median over the k runs
// (the draws are identical in every repeat; only the timings vary on a shared machine). It
// prints one side-by-side row per target (and the table again as Markdown) and writes
// bench/results.json keyed by target id:
//   results[i] = { id, dim, metric, stanFile, variables, tributary: {...}, stan: {...} | null,
//                  ratio: Tributary / Stan, load1: 1-min load average before / after the target }
// The Stan programs are in bench/stan/ (Stan 2.21 syntax) or are the posteriordb fixtures
// themselves; data files for the synthetic targets are written to bench/out/ from the very
// numbers Tributary's targets use (compiled models are cached in bench/out/stan-cache/).
//
// Definitions, the same on both sides (all over the post-warmup phase, summed over chains):
//   gradPerSecond     = sum n_leapfrog / sum of per-chain sampling seconds   (per core-second)
//   essPerSecond      = min_j essBulk_j / sum of per-chain sampling seconds  (per core-second)
//   essPer1000Grad    = 1000 * min_j essBulk_j / sum n_leapfrog
//   essPerWallSecond  = min_j essBulk_j / (wall seconds of the whole sampling call, warmup +
//                       sampling, minus the start-up wall seconds measured by a 0-warmup 1-draw
//                       call with the same chains and parallelism: worker threads + tsx on
//                       Tributary's side, rstan's forked chains on Stan's)
//   essPerCpuSecond   = min_j essBulk_j / (CPU seconds of that call minus those of the start-up
//                       call; Tributary: process.cpuUsage, all threads; Stan: R + forked chains)
// min_j runs over the same variables on both sides: on the CONSTRAINED scale, i.e. Stan's
// output names; for the posteriordb targets, the `constrainedNames` written by the target's
// `constrain` (posteriordb's reference parameters, transformed parameters such as eight_schools'
// theta and gp_pois_regr's f included, auxiliary ones such as theta_trans / f_tilde not); for
// the synthetic targets, theta[1..N] (identity transform). essBulk is the rank-normalised
// split bulk-ESS (src/diagnostics, anchored to posterior 1.4.0; Stan's side calls
// posterior::ess_bulk).
// Per-chain seconds: Tributary's are wall-clock (performance.now) inside its worker; rstan 2.21's
// get_elapsed_time is clock(), CPU time of the chain's process. On an otherwise idle machine
// they coincide; under load from other processes the asymmetry favours Stan (hence load1 in
// results.json and the load-insensitive essPerCpuSecond).

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { essBulk, sample, type LogDensity, type MetricKind, type Posterior, type TargetSpec } from '../src/index.js';
import { buildGaussian, correlatedCovariance } from '../test/fixtures/targets.js';
import { FIXTURES_DIR } from '../test/posteriordb/fixtures.js';
import { POSTERIORDB_BUILDERS } from '../test/posteriordb/targets.js';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const FIXTURE_TARGETS = here('../test/fixtures/targets.ts');
const POSTERIORDB_TARGETS = here('../test/posteriordb/targets.ts');
const STAN_DIR = here('./stan/');
const OUT_DIR = here('./out/');
const STAN_SCRIPT = here('./stan_bench.R');

interface StanSide {
  /** The Stan program (Stan 2.21 syntax). */
  readonly file: string;
  /** JSON data file read by jsonlite. */
  readonly data: string;
}

interface BenchTarget {
  readonly id: string;
  readonly spec: TargetSpec;
  readonly metric: MetricKind;
  readonly stan: StanSide;
}

/** Per-sampler figures, the same fields on both sides (stan_bench.R writes these names). */
interface SideResult {
  gradPerSecond: number;
  minEssBulk: number;
  minEssBulkParameter: string;
  essPerSecond: number;
  essPer1000Grad: number;
  essPerWallSecond: number;
  samplingGradientEvaluations: number;
  totalGradientEvaluations: number;
  samplingSeconds: number[];
  warmupSeconds: number[];
  wallSeconds: number;
  startupWallSeconds: number;
  /** CPU seconds of the sampling call (all threads / the forked chains), and of the start-up call. */
  cpuSeconds: number;
  startupCpuSeconds: number;
  /** minEssBulk / (cpuSeconds - startupCpuSeconds): insensitive to load from other processes. */
  essPerCpuSecond: number;
  divergences: number;
  meanTreeDepth: number;
  stepSize: number[];
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

const matrixRows = (m: ArrayLike<number>, n: number): number[][] =>
  Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => m[i * n + j]!));

/** The targets, and the Stan data files for the synthetic ones (written from the same numbers). */
function buildTargets(): BenchTarget[] {
  mkdirSync(OUT_DIR, { recursive: true });
  const stdNormalData = `${OUT_DIR}std_normal_100.data.json`;
  writeFileSync(stdNormalData, JSON.stringify({ N: 100 }));
  // buildCorrelatedGaussian(50, 0.9) = buildGaussian(correlatedCovariance(50, 0.9), 50): the
  // worker rebuilds it deterministically from the same code; Stan gets this very precision matrix
  // (JSON.stringify writes the shortest round-tripping decimal of each double).
  const n = 50;
  const cov = correlatedCovariance(n, 0.9);
  const gaussData = `${OUT_DIR}corr_gauss_50.data.json`;
  writeFileSync(gaussData, JSON.stringify({ N: n, P: matrixRows(buildGaussian(cov, n).precision, n), Sigma: matrixRows(cov, n) }));

  const gaussSpec: TargetSpec = { module: FIXTURE_TARGETS, export: 'buildCorrelatedGaussian', args: [n, 0.9] };
  const gaussStan = { file: `${STAN_DIR}gaussian_precision.stan`, data: gaussData };
  const targets: BenchTarget[] = [
    {
      id: 'std_normal_100',
      spec: { module: FIXTURE_TARGETS, export: 'buildStdNormal', args: [100] },
      metric: 'diag',
      stan: { file: `${STAN_DIR}std_normal.stan`, data: stdNormalData },
    },
    { id: 'corr_gauss_50_diag', spec: gaussSpec, metric: 'diag', stan: gaussStan },
    { id: 'corr_gauss_50_dense', spec: gaussSpec, metric: 'dense', stan: gaussStan },
  ];
  // posteriordb: the fixture's model.stan when rstan 2.21 parses it, else a Stan 2.21 copy with
  // the same math in bench/stan/ (`array[N] real x` written as `real x[N]`).
  const stan221Copy: Record<string, string> = {
    'eight_schools-eight_schools_noncentered': 'eight_schools_noncentered.stan',
    'arK-arK': 'arK.stan',
    'low_dim_gauss_mix-low_dim_gauss_mix': 'low_dim_gauss_mix.stan',
    'gp_pois_regr-gp_pois_regr': 'gp_pois_regr.stan',
  };
  for (const [name, builder] of Object.entries(POSTERIORDB_BUILDERS)) {
    const dataFile = `${FIXTURES_DIR}${name}/data.json`;
    const data = JSON.parse(readFileSync(dataFile, 'utf8')) as unknown;
    const copy = stan221Copy[name];
    targets.push({
      id: `posteriordb:${name}`,
      spec: { module: POSTERIORDB_TARGETS, export: builder.name, args: [data] },
      metric: 'diag',
      stan: { file: copy === undefined ? `${FIXTURES_DIR}${name}/model.stan` : `${STAN_DIR}${copy}`, data: dataFile },
    });
  }
  return targets;
}

/** A target built in this thread, to map draws to the constrained scale. */
type Constrainable = LogDensity & { constrainedNames?: string[]; constrain?: (theta: Float64Array, out: Float64Array) => void };

async function loadInThread(spec: TargetSpec): Promise<Constrainable> {
  const mod = (await import(spec.module)) as Record<string, (...args: unknown[]) => Constrainable | Promise<Constrainable>>;
  return mod[spec.export]!(...(spec.args ?? []));
}

/** Constrained draws per variable (per chain), and their names (Stan's output names). */
function constrainedColumns(post: Posterior, target: Constrainable): { names: string[]; columns: Float64Array[][] } {
  const { constrain, constrainedNames } = target;
  if (constrain === undefined || constrainedNames === undefined) {
    const columns = post.parameterNames.map((_, j) =>
      post.draws.map((d) => {
        const out = new Float64Array(post.numDraws);
        for (let k = 0; k < post.numDraws; k++) out[k] = d[k * post.dim + j]!;
        return out;
      }),
    );
    return { names: post.parameterNames, columns };
  }
  const m = constrainedNames.length;
  const columns = constrainedNames.map(() => post.draws.map(() => new Float64Array(post.numDraws)));
  const theta = new Float64Array(post.dim);
  const out = new Float64Array(m);
  post.draws.forEach((d, c) => {
    for (let k = 0; k < post.numDraws; k++) {
      theta.set(d.subarray(k * post.dim, (k + 1) * post.dim));
      constrain(theta, out);
      for (let j = 0; j < m; j++) columns[j]![c]![k] = out[j]!;
    }
  });
  return { names: constrainedNames, columns };
}

const sumAll = (xs: readonly Float64Array[]): number => xs.reduce((s, x) => s + x.reduce((a, b) => a + b, 0), 0);
const sumNums = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

interface RunConfig {
  chains: number;
  warmup: number;
  draws: number;
  seed: string;
  adaptDelta: number;
  maxTreeDepth: number;
  parallel: boolean | number;
}

async function runTributary(t: BenchTarget, cfg: RunConfig): Promise<{ result: SideResult; dim: number; variables: string[] }> {
  const options = { chains: cfg.chains, seed: cfg.seed, metric: t.metric, parallel: cfg.parallel, targetAccept: cfg.adaptDelta, maxTreeDepth: cfg.maxTreeDepth };
  const cpu0 = process.cpuUsage(); // the whole process: this thread and the worker threads
  const post = await sample(t.spec, { ...options, warmup: cfg.warmup, draws: cfg.draws });
  const cpu1 = process.cpuUsage(cpu0);
  const startup = await sample(t.spec, { ...options, warmup: 0, draws: 1 });
  const cpu2 = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu1.user + cpu1.system) / 1e6;
  const startupCpuSeconds = (cpu2.user + cpu2.system) / 1e6 - cpuSeconds;
  const { names, columns } = constrainedColumns(post, await loadInThread(t.spec));
  let minEss = Infinity;
  let minEssParameter = '';
  columns.forEach((col, j) => {
    const e = essBulk(col);
    if (e < minEss) {
      minEss = e;
      minEssParameter = names[j]!;
    }
  });
  const nLeapfrog = sumAll(post.sampleStats.n_leapfrog);
  const samplingSeconds = sumNums(post.samplingSeconds);
  const result: SideResult = {
    gradPerSecond: nLeapfrog / samplingSeconds,
    minEssBulk: minEss,
    minEssBulkParameter: minEssParameter,
    essPerSecond: minEss / samplingSeconds,
    essPer1000Grad: (1000 * minEss) / nLeapfrog,
    essPerWallSecond: minEss / (post.wallSeconds - startup.wallSeconds),
    samplingGradientEvaluations: nLeapfrog,
    totalGradientEvaluations: sumNums(post.numGradientEvaluations),
    samplingSeconds: post.samplingSeconds,
    warmupSeconds: post.warmupSeconds,
    wallSeconds: post.wallSeconds,
    startupWallSeconds: startup.wallSeconds,
    cpuSeconds,
    startupCpuSeconds,
    essPerCpuSecond: minEss / (cpuSeconds - startupCpuSeconds),
    divergences: sumAll(post.sampleStats.divergent),
    meanTreeDepth: sumAll(post.sampleStats.treedepth) / (cfg.chains * cfg.draws),
    stepSize: post.stepSize,
  };
  return { result, dim: post.dim, variables: names };
}

const stanMetric = (m: MetricKind): string => (m === 'dense' ? 'dense_e' : 'diag_e');

/** rstan's version, or why Stan is not run. */
function probeStan(rscript: string): { version: string } | { reason: string } {
  const r = spawnSync(rscript, ['-e', 'suppressPackageStartupMessages(library(rstan)); library(posterior); library(jsonlite); cat(as.character(packageVersion("rstan")))'], {
    encoding: 'utf8',
  });
  if (r.error !== undefined) return { reason: `${rscript} not found (${r.error.message})` };
  if (r.status !== 0) return { reason: `rstan, posterior or jsonlite missing: ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}` };
  return { version: r.stdout.trim() };
}

function rscriptRun(rscript: string, args: string[]): string {
  const r = spawnSync(rscript, [STAN_SCRIPT, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`stan_bench.R ${args.join(' ')} failed (status ${String(r.status)}):\n${r.stderr}`);
  return r.stdout;
}

function runStan(rscript: string, t: BenchTarget, cfg: RunConfig, variables: string[]): SideResult {
  const safeId = t.id.replace(/[^A-Za-z0-9_.-]/g, '_');
  const out = `${OUT_DIR}${safeId}.stan.json`;
  const common = [
    '--id', t.id, '--stan', t.stan.file, '--data', t.stan.data, '--chains', String(cfg.chains), '--seed', cfg.seed,
    '--adapt-delta', String(cfg.adaptDelta), '--max-treedepth', String(cfg.maxTreeDepth), '--metric', stanMetric(t.metric),
    '--cache-dir', `${OUT_DIR}stan-cache`, '--variables', variables.join(','),
  ];
  rscriptRun(rscript, [...common, '--warmup', String(cfg.warmup), '--draws', String(cfg.draws), '--out', out, '--startup-run', 'true']);
  return JSON.parse(readFileSync(out, 'utf8')) as SideResult;
}

const RATES = ['gradPerSecond', 'essPerSecond', 'essPer1000Grad', 'essPerWallSecond', 'essPerCpuSecond'] as const;

const median = (xs: readonly number[]): number => {
  const v = [...xs].sort((a, b) => a - b);
  const h = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? v[h]! : 0.5 * (v[h - 1]! + v[h]!);
};

/** The first run with each rate replaced by its median over the runs (all runs kept in `repeats`). */
function medianRates(runs: readonly SideResult[]): SideResult & { repeats?: Pick<SideResult, (typeof RATES)[number]>[] } {
  if (runs.length === 1) return runs[0]!;
  const out: SideResult & { repeats?: Pick<SideResult, (typeof RATES)[number]>[] } = { ...runs[0]! };
  for (const k of RATES) out[k] = median(runs.map((r) => r[k]));
  out.repeats = runs.map((r) => ({ gradPerSecond: r.gradPerSecond, essPerSecond: r.essPerSecond, essPer1000Grad: r.essPer1000Grad, essPerWallSecond: r.essPerWallSecond, essPerCpuSecond: r.essPerCpuSecond }));
  return out;
}

function fmt(x: number | undefined, digits: number): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  if (Math.abs(x) >= 1e5) return x.toExponential(2);
  return x.toFixed(digits);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const cfg: RunConfig = {
    chains: Number(args['chains'] ?? 4),
    warmup: Number(args['warmup'] ?? 1000),
    draws: Number(args['draws'] ?? 1000),
    seed: args['seed'] ?? '20240601',
    adaptDelta: Number(args['adapt-delta'] ?? 0.8),
    maxTreeDepth: Number(args['max-treedepth'] ?? 10),
    parallel: args['parallel'] === undefined ? true : args['parallel'] === 'false' ? false : Number(args['parallel']),
  };
  const filter = args['filter'];
  const repeat = Number(args['repeat'] ?? 1);
  const rscript = args['rscript'] ?? 'Rscript';
  const targets = buildTargets().filter((t) => filter === undefined || t.id.includes(filter));
  const probe = args['no-stan'] === 'true' ? { reason: '--no-stan' } : probeStan(rscript);
  const stanVersion = 'version' in probe ? probe.version : undefined;

  const workers = cfg.parallel === true ? Math.min(cfg.chains, availableParallelism()) : cfg.parallel === false ? 1 : cfg.parallel;
  console.log(
    `chains ${cfg.chains}, warmup ${cfg.warmup}, draws ${cfg.draws}, seed ${cfg.seed}, adapt_delta ${cfg.adaptDelta}, max_treedepth ${cfg.maxTreeDepth}, repeat ${repeat} (rates: median over repeats)`,
  );
  console.log(`${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()}, node ${process.version}, Tributary worker threads ${workers}`);
  console.log(stanVersion === undefined ? `Stan: not run (${'reason' in probe ? probe.reason : ''})` : `Stan: rstan ${stanVersion}, cores = chains = ${cfg.chains}`);
  console.log(
    [
      'T = Tributary, S = Stan; ratio = T / S (> 1: Tributary better). minESS = min bulk-ESS over the constrained parameters (same names both sides).',
      'grad/s and ESS/s: per core-second of sampling (sum n_leapfrog or minESS / sum of per-chain sampling seconds);',
      'ESS/wall: minESS per wall second of warmup + sampling (the sampling call minus its start-up, measured by a 0-warmup 1-draw call);',
      'ESS/cpu: minESS per CPU second of warmup + sampling (all threads / forked chains, start-up call subtracted): insensitive to load.',
      'Per-chain seconds: Tributary wall-clock in its worker, Stan clock() (CPU); under load from other processes this favours Stan.',
    ].join('\n'),
  );

  if (stanVersion !== undefined) {
    // Compile every program first (cached), so that no compiler runs while anything is timed.
    for (const file of new Set(targets.map((t) => t.stan.file))) {
      rscriptRun(rscript, ['--stan', file, '--cache-dir', `${OUT_DIR}stan-cache`, '--compile-only']);
    }
  }

  const cols: [string, number][] = [
    ['target', 44], ['metric', 6], ['dim', 4],
    ['T grad/s', 9], ['S grad/s', 9], ['ratio', 6],
    ['T ESS/s', 9], ['S ESS/s', 9], ['ratio', 6],
    ['T ESS/1kg', 9], ['S ESS/1kg', 9],
    ['T ESS/wall', 10], ['S ESS/wall', 10], ['ratio', 6],
    ['T ESS/cpu', 9], ['S ESS/cpu', 9], ['ratio', 6],
    ['T div', 5], ['S div', 5], ['T minESS', 8], ['S minESS', 8],
  ];
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(cols[i]![1]) : c.padStart(cols[i]![1]))).join(' ');
  console.log(`\n${line(cols.map((c) => c[0]))}`);
  const rows: string[][] = [];

  const results: unknown[] = [];
  for (const t of targets) {
    const loadBefore = loadavg()[0]!;
    // Tributary then Stan, `repeat` times alternately; the draws (so the ESS) are the same in
    // every repeat (same seeds), only the timings differ: each rate is the median over repeats.
    const tribRuns: SideResult[] = [];
    const stanRuns: SideResult[] = [];
    let trib: Awaited<ReturnType<typeof runTributary>> | undefined;
    for (let r = 0; r < repeat; r++) {
      trib = await runTributary(t, cfg);
      tribRuns.push(trib.result);
      if (stanVersion !== undefined) stanRuns.push(runStan(rscript, t, cfg, trib.variables));
    }
    const tr = medianRates(tribRuns);
    const stan = stanRuns.length === 0 ? null : medianRates(stanRuns);
    if (trib === undefined) throw new Error('--repeat must be at least 1');
    const ratio =
      stan === null
        ? null
        : {
            gradPerSecond: tr.gradPerSecond / stan.gradPerSecond,
            essPerSecond: tr.essPerSecond / stan.essPerSecond,
            essPer1000Grad: tr.essPer1000Grad / stan.essPer1000Grad,
            essPerWallSecond: tr.essPerWallSecond / stan.essPerWallSecond,
            essPerCpuSecond: tr.essPerCpuSecond / stan.essPerCpuSecond,
          };
    const loadAfter = loadavg()[0]!;
    results.push({
      id: t.id,
      dim: trib.dim,
      metric: t.metric,
      stanFile: t.stan.file,
      variables: trib.variables.length,
      tributary: tr,
      stan,
      ratio,
      load1: { before: loadBefore, after: loadAfter },
    });
    const row = [
      t.id, t.metric, String(trib.dim),
      fmt(tr.gradPerSecond, 0), fmt(stan?.gradPerSecond, 0), fmt(ratio?.gradPerSecond, 2),
      fmt(tr.essPerSecond, 1), fmt(stan?.essPerSecond, 1), fmt(ratio?.essPerSecond, 2),
      fmt(tr.essPer1000Grad, 2), fmt(stan?.essPer1000Grad, 2),
      fmt(tr.essPerWallSecond, 1), fmt(stan?.essPerWallSecond, 1), fmt(ratio?.essPerWallSecond, 2),
      fmt(tr.essPerCpuSecond, 1), fmt(stan?.essPerCpuSecond, 1), fmt(ratio?.essPerCpuSecond, 2),
      String(tr.divergences), stan === null ? '—' : String(stan.divergences), fmt(tr.minEssBulk, 0), fmt(stan?.minEssBulk, 0),
    ];
    rows.push(row);
    console.log(line(row));
  }
  // The same table as Markdown, for bench/RESULTS.md.
  console.log(`\n| ${cols.map((c) => c[0]).join(' | ')} |\n|${cols.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);

  const out = {
    generatedAt: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), node: process.version, rstan: stanVersion ?? null },
    config: { ...cfg, repeat, tributaryWorkers: workers, stanCores: cfg.chains, essSource: 'src/diagnostics essBulk (rank-normalised) / posterior::ess_bulk' },
    definitions: {
      variables: 'min bulk-ESS over the constrained parameters: Stan output names; posteriordb targets: constrainedNames (constrain()); synthetic: theta[i]',
      gradPerSecond: 'sum of post-warmup n_leapfrog / sum of per-chain sampling seconds',
      essPerSecond: 'min over parameters of bulk-ESS / sum of per-chain sampling seconds',
      essPer1000Grad: '1000 * min bulk-ESS / sum of post-warmup n_leapfrog',
      essPerWallSecond: 'min bulk-ESS / (wall seconds of the sampling call - wall seconds of a 0-warmup 1-draw call with the same chains)',
      essPerCpuSecond:
        'min bulk-ESS / (CPU seconds of the sampling call - those of the 0-warmup 1-draw call); Tributary: process.cpuUsage (all threads), Stan: R process + forked chains',
      samplingSeconds: 'Tributary: wall-clock per chain in its worker; Stan 2.21: clock() CPU seconds per chain process',
      ratio: 'Tributary / Stan',
    },
    results,
  };
  const file = here('./results.json');
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nwrote ${file}`);
}

await main();
