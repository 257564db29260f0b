// `tributary sbc`: simulation-based calibration of a model and the sampler (issue 17, part 3).
// Each replicate draws parameters from the prior, simulates a data set, fits it with an ordinary
// `tributary fit` job (through the batch machinery: here with --parallel N, or on BullMQ workers
// with --queue), and records each parameter's rank among the fit's thinned posterior draws and
// whether the central 50% and 90% intervals cover it. If the computation is right, every
// parameter's ranks are uniform and the intervals cover at their nominal rates.
//
// Design, and what it follows from
// - Talts, Betancourt, Simpson, Vehtari & Gelman (2018), "Validating Bayesian inference
//   algorithms with simulation-based calibration": θ̃ ~ π(θ), ỹ ~ π(y | θ̃), draws θ_1 … θ_L
//   from the posterior given ỹ, rank r = #{θ_l < θ̃} ∈ {0 … L}, uniform for every parameter if
//   the posterior is computed correctly. Followed: ranks of every constrained parameter (the
//   transformed ones too: alpha[g], beta[g,c] are functions of the others and have uniform
//   ranks as well), L = --draws-per-fit thinned draws (default 99, ranks 0 … 99), thinning to
//   reduce autocorrelation as they recommend: L draws evenly spread over all chains' post-warmup
//   draws (with 4 × 500 draws, every 20th; the fit's min bulk-ESS is recorded per replicate so a
//   reader can see when thinning was not enough — Talts et al. thin to the ESS, we thin to a
//   fixed L); rank histograms with the uniform band, 20 bins (stats.ts, histogramBand).
// - Säilynoja, Bürkner & Vehtari (2022), "Graphical test for discrete uniformity and its
//   applications in goodness-of-fit evaluation and multiple sample comparison": the ECDF of the
//   ranks at z_k = (k+1)/(L+1) against simultaneous bands. Followed: their two-sided binomial
//   tail probability per evaluation point and the band adjusted by simulation (γ chosen so that
//   the whole ECDF stays inside with probability 99%); p_uniform is the test's p-value from the
//   same simulated null distribution (stats.ts, UniformityTest), so "p_uniform < 0.01" and "the
//   ECDF difference leaves the band" agree. Deviations: every rank value is an evaluation point
//   (K = L, the paper allows fewer); the band's level is 99%, not 95% (about 50 parameters are
//   checked at once); γ and the p-value come from 4999 simulated rank sets with a fixed seed (the
//   paper also offers an optimization for γ), so they are exact only to Monte Carlo error.
// - Coverage: the share of replicates whose true value lies inside the central 50% and 90%
//   intervals (type-7 quantiles of all post-warmup draws); nominal when within the 99% binomial
//   interval of N replicates.
//
// Simulation (sbc/simulate.ts, sbc/design.ts)
// - One design for all replicates: M markets × W weeks × C channels of VOLTA-like weekly spend
//   from @tributary/synthetic, seeded by --seed (SBC conditions on the covariates), written into
//   every replicate's CSV with the same text, so the fit's spend, dates and media design are
//   exactly the simulation's. Replicate i is seeded from (--seed, i) only: its θ̃, ỹ and the fit's
//   seed; so the same seed gives the same sbc.json, whatever --parallel or --queue.
// - θ̃ from `priorDraw`'s coordinate priors (@tributary/models, prior-draw.ts: the log density's
//   own priors), ỹ from the model's own mean (`model.mean`, scaled target) plus Normal noise.
// - Deviation (the fit's scaling): the fit divides each market's target by its mean, so what a
//   fit sees always has mean 1 per market. Drawing ỹ from π(y | θ̃) and writing it as money would
//   make the fit see ỹ / mean(ỹ), not ỹ, and the ranks would be wrong for reasons that have
//   nothing to do with the computation. So (θ̃, ỹ) is drawn from the joint conditioned on "every
//   market's mean of ỹ is 1", and written as money (ỹ × the market's size), which the fit's
//   scaling maps back to ỹ exactly. Conditioning on a function of the data leaves π(θ | ỹ), and
//   hence the uniformity of the ranks, unchanged — the argument that makes rejection on the data
//   valid in SBC (Modrák et al. 2023, "Simulation-based calibration checking for Bayesian
//   computation: the choice of test quantities shapes sensitivity"). Data sets with a negative
//   target (the CSV rules refuse them) are likewise rejected on the data alone. The conditioned
//   draw is exact given the media effects and scales; those are drawn by sampling–importance–
//   resampling (from prior draws, then population Monte Carlo stages when the prior draws'
//   weights are too uneven) with an effective sample size of at least 1000 per replicate
//   (recorded), whose error (of order 1/ESS) is far below what 200 replicates can detect. Hence the simulated
//   data sets are those of the prior conditioned on the scaling, not of the prior itself: e.g. for
//   the pooled model, whose one intercept must fit every market's mean of 1, the conditioned
//   noise scale is smaller than under the prior.
// - Fixed transforms (channel defaults), Normal likelihood, no controls, lift tests or
//   time-varying effects: the model kinds' default configuration.
//
// Running (the batch machinery, batch/*)
// - Every output location is checked before anything runs (atomic.ts: --out must be a new
//   folder or an earlier sbc output); with --queue, Redis must answer first.
// - The replicates are written into the output's temporary folder (`.OUT.tmp-PID-…`, atomic.ts
//   writeDirAtomic): replicates/data/rNNNN.csv, replicates/truth/rNNNN.json and a job file
//   replicates/jobs.yaml with one `fit` job per replicate (--out replicates/fits/rNNNN), checked
//   by the batch's own checks (checkJobs) and run by runLocal or runQueued, exactly as `tributary
//   batch` runs a job file: progress on stderr, retries, Ctrl-C. Then sbc.json is assembled from
//   the fits (sbc/assemble.ts), the replicates folder is removed (kept with --keep-replicates),
//   and the temporary folder is renamed to --out.
// - A replicate whose fit failed is named, sbc.json holds the others (and lists the failed ones
//   under failed_replicates), and the exit code is 1. Ctrl-C writes nothing (exit 130).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { TributaryError } from '@tributary/data';
import { buildModel, type ModelKind } from '@tributary/models';
import { stringify } from 'yaml';
import { assembleSbc, formatSbcJson, formatSbcSummary, isFinished, type ReplicateRecord } from '../sbc/assemble.js';
import { buildSbcDesign, sbcCsv, SBC_TARGET } from '../sbc/design.js';
import { ReplicateSimulator, uniformRng } from '../sbc/simulate.js';
import { checkJobs, type JobFile } from '../batch/jobs.js';
import { runLocal } from '../batch/local.js';
import { MAX_ATTEMPTS, openRedis, parseQueueUrl, runQueued } from '../batch/queue.js';
import { CliUsageError, choiceOption, intOption, probabilityOption, type CommandSpec } from '../command.js';
import type { CliIo } from '../io.js';
// main.ts imports this module too; COMMANDS is read only when the replicates run, after both loaded.
import { COMMANDS } from '../main.js';
import { checkOutputLocation, SBC_FILE, writeDirAtomic } from '../util/atomic.js';
import { cliVersion } from '../util/versions.js';

const KINDS: readonly ModelKind[] = ['pooled', 'unpooled', 'hierarchical'];

export const sbcCommand: CommandSpec = {
  name: 'sbc',
  summary: 'Simulation-based calibration: draw from the prior, simulate, fit (as batch jobs), and check that ranks are uniform and intervals cover.',
  positionals: [],
  options: {
    model: { type: 'string', valueName: 'KIND', description: 'pooled, unpooled or hierarchical.', default: 'hierarchical' },
    markets: { type: 'string', valueName: 'M', description: 'Markets of the simulated panel (1 to 100).', default: '4' },
    weeks: { type: 'string', valueName: 'W', description: 'Weeks per market (8 to 520).', default: '52' },
    channels: { type: 'string', valueName: 'C', description: 'Media channels (1 to 20).', default: '3' },
    replicates: { type: 'string', valueName: 'N', description: 'Simulated data sets, each fitted once (1 to 10000).', default: '200' },
    'draws-per-fit': { type: 'string', valueName: 'L', description: 'Thinned posterior draws each rank is counted among (ranks 0 … L).', default: '99' },
    chains: { type: 'string', valueName: 'N', description: 'Chains per fit.', default: '4' },
    warmup: { type: 'string', valueName: 'N', description: 'Warmup iterations per chain.', default: '500' },
    draws: { type: 'string', valueName: 'N', description: 'Post-warmup draws per chain.', default: '500' },
    'target-accept': { type: 'string', valueName: 'P', description: 'Target acceptance of the fits\' step-size adaptation, in (0, 1).', default: '0.8' },
    seed: { type: 'string', valueName: 'N', description: 'Seed of the design, of every replicate and of every fit; the same seed gives the same sbc.json.', default: '42' },
    parallel: { type: 'string', valueName: 'N', description: 'Fits at the same time on this machine (default: 1; a fit already uses every core).' },
    queue: { type: 'string', valueName: 'URL', description: 'redis://HOST:PORT[/QUEUE]: run the fits on `tributary worker`s (the output folder must be on a file system they share).' },
    attempts: { type: 'string', valueName: 'N', description: `Runs of a replicate's fit at most, retries included, 1 to ${MAX_ATTEMPTS}.`, default: '3' },
    out: { type: 'string', valueName: 'DIR', description: 'Output folder: DIR/sbc.json (replaced only when it is an earlier sbc output).', default: 'sbc' },
    'keep-replicates': { type: 'boolean', description: 'Keep DIR/replicates/ (data, true parameters, job file and fits) for inspection.' },
  },
  examples: [
    'tributary sbc --model hierarchical --markets 4 --weeks 52 --channels 3 --replicates 200 --parallel 2',
    'tributary sbc --model pooled --replicates 50 --out sbc-pooled && tributary report --sbc sbc-pooled/sbc.json --out sbc.html',
    'tributary sbc --model unpooled --queue redis://10.0.0.5:6379/sbc   # then: tributary worker --queue redis://10.0.0.5:6379/sbc',
  ],
  async run(args, io) {
    const v = args.values;
    const kind = choiceOption(v.model, 'model', KINDS);
    const markets = intOption(v.markets, 'markets', 1, 100);
    const weeks = intOption(v.weeks, 'weeks', 8, 520);
    const channels = intOption(v.channels, 'channels', 1, 20);
    const replicates = intOption(v.replicates, 'replicates', 1, 10_000);
    const drawsPerFit = intOption(v['draws-per-fit'], 'draws-per-fit', 1, 100_000);
    const chains = intOption(v.chains, 'chains', 1, 64);
    const warmup = intOption(v.warmup, 'warmup', 0, 1_000_000);
    const draws = intOption(v.draws, 'draws', 1, 1_000_000);
    if (chains * draws < drawsPerFit) {
      throw new CliUsageError(`--draws-per-fit ${drawsPerFit} needs at least as many post-warmup draws per fit, but --chains × --draws is ${chains * draws}; raise --draws or lower --draws-per-fit`);
    }
    const targetAccept = probabilityOption(v['target-accept'], 'target-accept');
    const seed = intOption(v.seed, 'seed', 0, 2 ** 32 - 1);
    const attempts = intOption(v.attempts, 'attempts', 1, MAX_ATTEMPTS);
    const target = v.queue === undefined ? undefined : parseQueueUrl(String(v.queue));
    if (target !== undefined && v.parallel !== undefined) {
      throw new CliUsageError('--parallel is for fits on this machine; with --queue, start more workers (or tributary worker --concurrency N)');
    }
    const parallel = v.parallel === undefined ? 1 : intOption(v.parallel, 'parallel', 1, 256);
    const outDir = resolve(io.cwd, String(v.out));
    await checkOutputLocation(outDir, 'sbc', '--out');
    if (target !== undefined) (await openRedis(target, '--queue', 'Nothing was simulated.')).disconnect();

    const design = buildSbcDesign({ markets, weeks, channels, seed });
    const model = buildModel(design.panel, { kind: kind as ModelKind });
    const settings = { markets, weeks, channels, chains, warmup, draws, target_accept: targetAccept, seed, likelihood: 'normal', transforms: 'fixed (channel defaults)' };
    const fitArgs = ['--target', SBC_TARGET, '--channels', design.channels.join(','), '--model', kind, '--chains', String(chains), '--warmup', String(warmup), '--draws', String(draws), '--target-accept', String(v['target-accept']), '--quiet'];
    let code = 0;
    await writeDirAtomic(outDir, 'sbc', async (tmp) => {
      const dir = join(tmp, 'replicates');
      const records = await simulateReplicates({ model, design, replicates, seed, dir, fitArgs, io });
      const jobFile: JobFile = {
        file: join(dir, 'jobs.yaml'),
        dir,
        jobs: records.map((r) => ({ name: r.name, command: 'fit', args: [`data/${r.name}.csv`, ...r.args] })),
      };
      await writeFile(jobFile.file, stringify({ jobs: jobFile.jobs }));
      await checkJobs(jobFile, COMMANDS);
      // The batch's own output (its table, the fits' verdicts) goes to stderr: stdout is the SBC summary.
      const batchIo: CliIo = { ...io, out: io.err };
      const batchCode = target === undefined ? await runLocal(jobFile, { parallel, attempts, io: batchIo }) : await runQueued(jobFile, { target, attempts, io: batchIo });
      if (batchCode === 130) throw new TributaryError('ABORTED', 'interrupted');
      const finished = records.filter(isFinished);
      const failed = records.filter((r) => !isFinished(r)).map((r) => r.name);
      if (finished.length === 0) throw new TributaryError('SBC_FAILED', `every replicate's fit failed (why: above, after "FAILED"); nothing was written.`);
      const doc = await assembleSbc({
        model: kind,
        names: model.constrainedNames,
        drawsPerFit,
        records: finished,
        failed,
        settings,
        markets: design.markets,
        channels: design.channels,
        createdBy: `tributary ${cliVersion()}`,
        tieSeed: `${seed}:sbc:ties`,
      });
      await writeFile(join(tmp, SBC_FILE), formatSbcJson(doc));
      if (v['keep-replicates'] !== true) await rm(dir, { recursive: true, force: true });
      io.out(formatSbcSummary(doc));
      if (failed.length > 0) {
        io.err(
          `tributary sbc: ${failed.length} of ${replicates} replicates failed: ${failed.join(', ')} (why: above, after "FAILED"). ` +
            `sbc.json holds the other ${finished.length} and lists these under failed_replicates; a replicate that fails may be telling something about the model, so look before rerunning.\n`,
        );
        code = 1;
      }
    });
    io.out(`Wrote ${join(outDir, SBC_FILE)}${v['keep-replicates'] === true ? ` and ${join(outDir, 'replicates')}` : ''}\n`);
    return code;
  },
};

/**
 * Simulates the replicates one after another (replicate i from seeds (seed, i) only) into
 * dir/data and dir/truth; Ctrl-C stops after the current one (nothing is written).
 */
async function simulateReplicates(o: {
  model: ReturnType<typeof buildModel>;
  design: ReturnType<typeof buildSbcDesign>;
  replicates: number;
  seed: number;
  dir: string;
  fitArgs: string[];
  io: CliIo;
}): Promise<(ReplicateRecord & { args: string[] })[]> {
  const { model, design, dir, io } = o;
  await mkdir(join(dir, 'data'), { recursive: true });
  await mkdir(join(dir, 'truth'), { recursive: true });
  const simulator = new ReplicateSimulator(model);
  const width = Math.max(4, String(o.replicates).length);
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
    io.err('\nInterrupted: stopping the simulation; nothing is written.\n');
  };
  process.once('SIGINT', onSigint);
  const records: (ReplicateRecord & { args: string[] })[] = [];
  let last = Date.now();
  try {
    for (let i = 0; i < o.replicates; i++) {
      if (interrupted) throw new TributaryError('ABORTED', 'interrupted');
      const name = `r${String(i + 1).padStart(width, '0')}`;
      const sim = simulator.simulate(uniformRng(`${o.seed}:sbc:replicate:${i}`));
      const fitSeed = Math.floor(uniformRng(`${o.seed}:sbc:fit:${i}`)() * 2 ** 32);
      const money = Float64Array.from(sim.yScaled, (y, n) => y * design.sizes[design.rowMarket[n]!]!);
      await writeFile(join(dir, 'data', `${name}.csv`), sbcCsv(design, money));
      const truth = Object.fromEntries(model.constrainedNames.map((p, j) => [p, sim.truth[j]!]));
      await writeFile(join(dir, 'truth', `${name}.json`), JSON.stringify({ parameters: truth, simulation: { ess: sim.ess, proposals: sim.proposals, discarded: sim.discarded } }, null, 2) + '\n');
      const out = join('fits', name);
      records.push({ name, seed: fitSeed, truth: sim.truth, ess: sim.ess, proposals: sim.proposals, discarded: sim.discarded, dir: join(dir, out, model.kind), args: [...o.fitArgs, '--seed', String(fitSeed), '--out', out] });
      if (!interrupted && (Date.now() - last > 5000 || i + 1 === o.replicates)) {
        io.err(`sbc: simulated ${i + 1}/${o.replicates} replicates\n`);
        last = Date.now();
      }
    }
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  return records;
}
