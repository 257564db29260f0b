// `tributary fit`: validate the data, build the model(s), sample with NUTS (chains on worker
// threads), and write one results folder per model atomically.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { extname, join, resolve } from 'node:path';
import { buildPanel, parseMarketingCsv, readLiftTests, TributaryError, type LiftTest, type Panel } from '@tributary/data';
import { buildModel, loadPriors, modelWorkerTarget, type BuildModelOptions, type Model, type ModelKind } from '@tributary/models';
import { diagnoseResults, parseManifest, summarizeParameters, type DiagnosticsReport } from '@tributary/evaluation';
import { channelDefaults } from '@tributary/transforms';
import { formatSummaryCsv, sample, type Posterior } from '@tributary/sampler';
import { CliUsageError, choiceOption, intOption, probabilityOption, type CommandSpec, type OptionSpec } from '../command.js';
import { checkOutputLocation, writeDirAtomic } from '../util/atomic.js';
import { drawsCsvChunks } from '../util/csv.js';
import { ProgressDisplay } from '../util/progress.js';
import { cliVersion, packageVersion } from '../util/versions.js';
import { dataOptions } from './validate.js';

const KINDS: readonly ModelKind[] = ['pooled', 'unpooled', 'hierarchical'];
const DEFAULT_KNOT_EVERY = '4';

/** Data and model options that `fit` and `backtest` share (same names, meanings and defaults). */
export const MODEL_OPTIONS = {
  target: { type: 'string', valueName: 'NAME', description: 'Target column.', default: 'streaming_revenue' },
  channels: { type: 'string', valueName: 'A,B', description: 'Media spend columns (default: every *_spend column).' },
  controls: { type: 'string', valueName: 'C,D', description: 'Control columns entering linearly.' },
  likelihood: { type: 'string', valueName: 'KIND', description: 'normal or student-t (ν = 5).', default: 'normal' },
  'learn-transforms': { type: 'boolean', description: "Learn every channel's transform parameters (adstock α or Weibull shape, scale; the saturation's parameters)." },
  transforms: {
    type: 'string',
    valueName: 'FILE',
    description: 'JSON or YAML file choosing per channel an adstock (geometric, delayed, weibull_cdf, weibull_pdf) and a saturation (hill, logistic, michaelis_menten, tanh) and their parameters.',
  },
  priors: { type: 'string', valueName: 'FILE', description: 'JSON or YAML file overriding the default priors (incl. ROAS priors: roas: { channel: { mean, sd } }).' },
  'lift-tests': {
    type: 'string',
    valueName: 'FILE',
    description: 'CSV of experiments (market,channel,start,end,delta_spend,lift,lift_se); each adds a likelihood term through adstock and saturation.',
  },
  'time-varying': { type: 'string', valueName: 'A,B', description: 'Channels whose effect may drift over time (random-walk multiplier, pooled across markets).' },
  'knot-every': { type: 'string', valueName: 'WEEKS', description: 'Weeks between knots of the time-varying random walk (default: 4; needs --time-varying).' },
} as const satisfies Record<string, OptionSpec>;

export const fitCommand: CommandSpec = {
  name: 'fit',
  summary: 'Fit pooled, unpooled and/or hierarchical models with NUTS and write results/<model>/.',
  positionals: [{ name: 'FILE', description: 'Long CSV, one row per market-week (validated first).', required: true }],
  options: {
    model: { type: 'string', valueName: 'KIND', description: 'pooled, unpooled, hierarchical or all.', default: 'hierarchical' },
    ...MODEL_OPTIONS,
    chains: { type: 'string', valueName: 'N', description: 'Number of chains.', default: '4' },
    warmup: { type: 'string', valueName: 'N', description: 'Warmup iterations per chain.', default: '1000' },
    draws: { type: 'string', valueName: 'N', description: 'Post-warmup draws per chain.', default: '1000' },
    seed: { type: 'string', valueName: 'N', description: 'Random seed; the same seed gives identical draws.', default: '42' },
    'target-accept': { type: 'string', valueName: 'P', description: 'Target acceptance of step-size adaptation, in (0, 1).', default: '0.8' },
    'max-treedepth': { type: 'string', valueName: 'N', description: 'Maximum NUTS tree depth.', default: '10' },
    metric: { type: 'string', valueName: 'KIND', description: 'Adapted metric: diag or dense.', default: 'diag' },
    'warmup-start': {
      type: 'string',
      valueName: 'KIND',
      description:
        "How warmup starts: optimized (L-BFGS from each chain's random initial point, metrics from the log density's curvature; docs/model-spec.md §9) or stan (Stan's warmup: the random point and the identity metric).",
      default: 'optimized',
    },
    coordinates: {
      type: 'string',
      valueName: 'KIND',
      description: "Coordinates NUTS moves in: sampling (same posterior, better geometry; docs/model-spec.md) or model (the model's own parameters, as the Stan programs in bench/stan).",
      default: 'sampling',
    },
    parallel: { type: 'string', valueName: 'N', description: 'Worker threads (0 = run chains in this thread; default: one per core).' },
    out: { type: 'string', valueName: 'DIR', description: 'Results folder; each model goes to DIR/<model>/.', default: 'results' },
    name: { type: 'string', valueName: 'NAME', description: 'Sub-folder name instead of the model kind (one model only), e.g. hierarchical-tv to compare variants.' },
    quiet: { type: 'boolean', description: 'No progress output.' },
    'fail-on': {
      type: 'string',
      valueName: 'LEVEL',
      description: 'Exit with code 3 when a verdict is at least this bad: warning or bad (default: never; results are written either way).',
    },
  },
  examples: [
    'tributary fit data/volta_marketing.csv --model all',
    'tributary fit data/volta_marketing.csv --model hierarchical --chains 4 --warmup 1000 --draws 1000 --seed 1',
    'tributary fit sales.csv --target revenue --learn-transforms --priors priors.yaml --out results/',
    'tributary fit data/volta_marketing.csv --transforms transforms.yaml --learn-transforms',
    'tributary fit data/volta_marketing.csv --lift-tests data/lift_tests.csv',
    'tributary fit data/volta_marketing.csv --time-varying meta_spend --knot-every 4',
  ],
  async run(args, io) {
    const v = args.values;
    const kinds = parseKinds(String(v.model));
    const folderName = v.name === undefined ? undefined : String(v.name);
    if (folderName !== undefined) {
      if (kinds.length !== 1) throw new CliUsageError('--name needs a single --model (it names that model\'s folder)');
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(folderName)) throw new CliUsageError(`--name must be a folder name of letters, digits, '.', '_' or '-', got "${folderName}"`);
    }
    const chains = intOption(v.chains, 'chains', 1, 64);
    const warmup = intOption(v.warmup, 'warmup', 0, 1_000_000);
    const draws = intOption(v.draws, 'draws', 1, 1_000_000);
    const seed = intOption(v.seed, 'seed', 0, 2 ** 32 - 1);
    const targetAccept = probabilityOption(v['target-accept'], 'target-accept');
    const maxTreeDepth = intOption(v['max-treedepth'], 'max-treedepth', 1, 20);
    const metric = choiceOption(v.metric, 'metric', ['diag', 'dense'] as const);
    const warmupStart = choiceOption(v['warmup-start'], 'warmup-start', ['optimized', 'stan'] as const);
    const coordinates = choiceOption(v.coordinates, 'coordinates', ['sampling', 'model'] as const);
    const likelihood = choiceOption(v.likelihood, 'likelihood', ['normal', 'student-t'] as const);
    const parallel = v.parallel === undefined ? true : intOption(v.parallel, 'parallel', 0, 256) || false;
    const learnTransforms = v['learn-transforms'] === true;
    const failOn = failOnOption(v['fail-on']);

    // 1. Validate before anything else (no sampling on bad data).
    const file = resolve(io.cwd, args.positionals[0]!);
    const text = await readText(file);
    const opts = dataOptions(v);
    const panel = buildPanel(parseMarketingCsv(text, opts));
    const priorsPath = v.priors === undefined ? undefined : resolve(io.cwd, String(v.priors));
    const priors = priorsPath === undefined ? undefined : loadPriors(priorsPath);
    const liftPath = v['lift-tests'] === undefined ? undefined : resolve(io.cwd, String(v['lift-tests']));
    const lifts = liftPath === undefined ? [] : (await readLiftTests(liftPath, panel)).tests;
    const timeVarying = parseTimeVarying(v['time-varying'], v['knot-every'], panel);
    const transformsPath = v.transforms === undefined ? undefined : resolve(io.cwd, String(v.transforms));
    const transforms = transformsPath === undefined ? undefined : await loadTransformsFile(transformsPath, panel);
    const sha256 = createHash('sha256').update(text).digest('hex');
    const outRoot = resolve(io.cwd, String(v.out));
    // 2. Every output location is checked before the first chain starts.
    const dirs = kinds.map((kind) => join(outRoot, folderName ?? kind));
    for (const dir of dirs) await checkOutputLocation(dir, 'results', folderName === undefined ? '--out' : '--out/--name');

    // Ctrl-C: abort sampling; the atomic writer leaves no half-written folder behind, and the
    // models finished before the interrupt stay written.
    const controller = new AbortController();
    const written: string[] = [];
    let current = '';
    const onSigint = () => {
      const kept = written.length === 0 ? 'nothing is written' : `kept (finished before the interrupt): ${written.join(', ')}`;
      io.err(`\nInterrupted: stopping the chains; ${current} is not written; ${kept}.\n`);
      controller.abort();
    };
    process.once('SIGINT', onSigint);
    let worst: DiagnosticsReport['status'] = 'good';
    try {
      for (const [k, kind] of kinds.entries()) {
        current = dirs[k]!;
        const options: Omit<BuildModelOptions, 'kind'> = {
          learnTransforms,
          likelihood,
          ...(priors ? { priors } : {}),
          ...(lifts.length > 0 ? { liftTests: lifts.map(liftInput) } : {}),
          ...(timeVarying ? { timeVarying } : {}),
          ...(transforms ? { transforms } : {}),
        };
        const model = buildTransformsModel(panel, { kind, ...options }, transformsPath);
        const display = v.quiet ? undefined : new ProgressDisplay(io.err, io.isTty, chains, kind);
        const started = Date.now();
        const posterior = await sample(modelWorkerTarget({ panel, kind, options, coordinates }), {
          chains,
          warmup,
          draws,
          seed,
          targetAccept,
          maxTreeDepth,
          metric,
          metricInit: warmupStart === 'stan' ? 'unit' : 'curvature',
          initOptimize: warmupStart !== 'stan',
          parallel,
          signal: controller.signal,
          ...(display ? { onProgress: (e) => display.update(e) } : {}),
        });
        display?.finish();
        const constrained = constrainDraws(model, posterior, coordinates);
        // The sampler's `summarize` by evaluation's one-sort, direct-lag path (the same numbers to
        // ~1e-13 in the ESS columns; 200 markets × 10 channels: ≈ 3 s instead of ≈ 18 s CPU).
        const summary = summarizeParameters(constrained, model.constrainedDim, model.constrainedNames as string[]);
        const dir = dirs[k]!;
        const manifest: Record<string, unknown> = {
          tributary_results_version: 1,
          model: kind,
          created_by: `tributary ${cliVersion()}`,
          options: {
            chains,
            warmup,
            draws,
            seed,
            target_accept: targetAccept,
            max_treedepth: maxTreeDepth,
            metric,
            warmup_start: warmupStart,
            coordinates,
            likelihood,
            learn_transforms: learnTransforms,
            time_varying: timeVarying ? { channels: [...timeVarying.channels], knot_every: timeVarying.knotEvery } : null,
            parallel,
          },
          priors: model.priors,
          priors_file: priorsPath ?? null,
          lift_tests_file: liftPath ?? null,
          transforms_file: transformsPath ?? null,
          lift_tests: lifts.map((t) => ({
            market: t.market,
            channel: t.channel,
            start: t.start,
            end: t.end,
            start_t: t.startT,
            end_t: t.endT,
            delta_spend: t.deltaSpend,
            lift: t.lift,
            lift_se: t.liftSe,
          })),
          transforms: Object.fromEntries(model.channels.map((c, i) => [c, model.transforms[i]])),
          data: { path: file, sha256, rows: panel.numObs, target: panel.target, channels: panel.channels, controls: panel.controls, ...opts },
          markets: panel.markets,
          channels: panel.channels,
          target: panel.target,
          seed,
          parameter_names: model.constrainedNames,
          unconstrained_names: coordinates === 'model' ? model.parameterNames : model.sampling.parameterNames,
          // Per coefficient set: 0 = the level coordinate is centred, 1 = non-centred (chosen from the data).
          level_non_centring: coordinates === 'model' ? null : Array.from(model.sampling.levelNonCentring),
          package_versions: Object.fromEntries(
            ['tributary', '@tributary/data', '@tributary/transforms', '@tributary/models', '@tributary/sampler'].map((n) => [n, packageVersion(n)]),
          ),
          node_version: process.version,
          adaptation: { step_size: posterior.stepSize, gradient_evaluations: posterior.numGradientEvaluations },
        };
        // The same checks, thresholds and remedies as `tributary evaluate`, on the folder as it
        // will be read back (parseManifest also proves the manifest is loadable).
        const report = diagnoseResults(
          {
            dir,
            name: folderName ?? kind,
            manifest: parseManifest(manifest),
            names: model.constrainedNames,
            numChains: posterior.numChains,
            numDraws: posterior.numDraws,
            draws: constrained,
            sampleStats: posterior.sampleStats as unknown as Record<string, Float64Array[]>,
          },
          { summary },
        );
        manifest.diagnostics = {
          status: report.status,
          divergences: report.divergences,
          divergent_percent: report.divergentPercent,
          max_rhat: report.maxRhat,
          min_ess_bulk: report.minEssBulk,
          min_ess_tail: report.minEssTail,
          max_treedepth_hits: report.treedepthHits,
          ebfmi: report.ebfmi,
        };
        // Wall-clock seconds go to timing.json, not the manifest: every other file of the folder is
        // byte-identical for the same data, options and seed (what `tributary batch` relies on).
        const timing = {
          warmup_seconds: posterior.warmupSeconds,
          sampling_seconds: posterior.samplingSeconds,
          wall_seconds: posterior.wallSeconds,
          total_seconds: (Date.now() - started) / 1000,
        };
        await writeDirAtomic(dir, 'results', async (tmp) => {
          await writeFile(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
          await writeFile(join(tmp, 'timing.json'), JSON.stringify(timing, null, 2) + '\n');
          await writeFile(join(tmp, 'draws.csv'), drawsCsvChunks(constrained, model.constrainedNames));
          await writeFile(join(tmp, 'sample_stats.csv'), formatSampleStatsCsv(posterior));
          await writeFile(join(tmp, 'summary.csv'), formatSummaryCsv(summary));
        });
        written.push(dir);
        if (STATUS_RANK[report.status] > STATUS_RANK[worst]) worst = report.status;
        io.out(`${folderName ?? kind}: wrote ${dir}\n${formatVerdict(report)}\n`);
      }
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
    if (failOn !== undefined && STATUS_RANK[worst] >= STATUS_RANK[failOn]) {
      io.err(`tributary fit: a verdict is ${worst} (--fail-on ${failOn}); the results are written, exit code 3.\n`);
      return 3;
    }
    return 0;
  },
};

const STATUS_RANK: Record<DiagnosticsReport['status'], number> = { good: 0, warning: 1, bad: 2 };

function failOnOption(value: unknown): 'warning' | 'bad' | undefined {
  if (value === undefined) return undefined;
  const s = String(value);
  if (s === 'warning' || s === 'bad') return s;
  throw new CliUsageError(`--fail-on must be warning or bad, got "${s}"`);
}

/** A validated lift test as the model takes it (the channel by its column name). */
export function liftInput(t: LiftTest) {
  return { market: t.market, channel: t.channel, startT: t.startT, endT: t.endT, deltaSpend: t.deltaSpend, lift: t.lift, liftSe: t.liftSe };
}

/** `--time-varying a,b` (column names, or names without the `_spend` suffix) and `--knot-every`. */
export function parseTimeVarying(value: unknown, every: unknown, panel: Panel): { channels: string[]; knotEvery: number } | undefined {
  if (value === undefined) {
    if (every !== undefined) throw new CliUsageError('--knot-every needs --time-varying (it spaces the knots of the time-varying channels), e.g. --time-varying meta_spend --knot-every 4');
    return undefined;
  }
  const names = String(value).split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new CliUsageError('--time-varying needs at least one channel, e.g. --time-varying meta_spend');
  const channels = names.map((name) => {
    const found = panel.channels.find((c) => c === name || c === `${name}_spend`);
    if (found === undefined) throw new CliUsageError(`--time-varying: "${name}" is not a channel of the data (${panel.channels.join(', ')})`);
    return found;
  });
  const knotEvery = intOption(every ?? DEFAULT_KNOT_EVERY, 'knot-every', 1, 520);
  if (Math.ceil(panel.tMax / knotEvery) + 1 < 3) {
    throw new CliUsageError(
      `--knot-every ${knotEvery} leaves fewer than 3 knots over the data's ${panel.tMax + 1} weeks; use --knot-every ${Math.max(1, Math.floor(panel.tMax / 2))} or less`,
    );
  }
  return { channels, knotEvery };
}

type TransformOverrides = NonNullable<BuildModelOptions['transforms']>;

const ADSTOCK_PARAMETERS: Readonly<Record<string, readonly string[]>> = {
  geometric: ['alpha'],
  delayed: ['alpha', 'theta'],
  weibull_cdf: ['shape', 'scale'],
  weibull_pdf: ['shape', 'scale'],
};
const SATURATION_PARAMETERS: Readonly<Record<string, readonly string[]>> = {
  hill: ['K', 'S'],
  logistic: ['lam'],
  michaelis_menten: ['lam'],
  tanh: ['b', 'c'],
};

function transformsError(message: string): never {
  throw new TributaryError('TRANSFORMS_INVALID', message);
}

/**
 * `--transforms FILE`: per channel (column name, or the name without `_spend`) an adstock and a
 * saturation kind and some of their parameters (the others take the documented defaults):
 *   { "meta_spend": { "adstock": "weibull_pdf", "saturation": "logistic" },
 *     "radio_spend": { "adstock": "delayed", "theta": 2, "saturation": "hill", "K": 0.6, "S": 1.5 } }
 * JSON for a .json file, YAML otherwise. Unknown channels, kinds and parameters are errors that
 * name the file, the key and what is allowed. A channel that names no adstock keeps its
 * default kind (model-spec §3 table), and no saturation means Hill.
 */
export async function loadTransformsFile(file: string, panel: Panel): Promise<TransformOverrides> {
  const text = await readText(file);
  let doc: unknown;
  try {
    doc = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    transformsError(`${file}: not valid ${extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML'} (${(e as Error).message.split('\n')[0]})`);
  }
  const isMap = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
  if (!isMap(doc)) transformsError(`${file}: expected a mapping from channel to { adstock, saturation, parameters }, e.g. { "meta_spend": { "adstock": "weibull_pdf", "saturation": "logistic" } }`);
  const out: Record<string, Record<string, unknown>> = {};
  for (const [key, value] of Object.entries(doc)) {
    const channel = panel.channels.find((c) => c === key || c === `${key}_spend`);
    if (channel === undefined) transformsError(`${file}: "${key}" is not a channel of the data (${panel.channels.join(', ')})`);
    if (out[channel] !== undefined) transformsError(`${file}: channel ${channel} is given twice`);
    if (!isMap(value)) transformsError(`${file}: ${key} must be a mapping such as { "adstock": "geometric", "alpha": 0.5, "saturation": "hill" }`);
    const defaults = channelDefaults(channel);
    const adstock = value['adstock'] ?? defaults.adstock;
    const saturation = value['saturation'] ?? 'hill';
    if (typeof adstock !== 'string' || !Object.hasOwn(ADSTOCK_PARAMETERS, adstock)) {
      transformsError(`${file}: ${key}.adstock = ${JSON.stringify(adstock)} is not an adstock kind; expected one of ${Object.keys(ADSTOCK_PARAMETERS).join(', ')}`);
    }
    if (typeof saturation !== 'string' || !Object.hasOwn(SATURATION_PARAMETERS, saturation)) {
      transformsError(`${file}: ${key}.saturation = ${JSON.stringify(saturation)} is not a saturation kind; expected one of ${Object.keys(SATURATION_PARAMETERS).join(', ')}`);
    }
    const allowed = [...ADSTOCK_PARAMETERS[adstock]!, 'lMax', ...SATURATION_PARAMETERS[saturation]!];
    const entry: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(value)) {
      if (name === 'adstock' || name === 'saturation') {
        entry[name] = v;
        continue;
      }
      if (!allowed.includes(name)) {
        transformsError(`${file}: ${key}.${name} is not a parameter of ${adstock} adstock with ${saturation} saturation; allowed: adstock, saturation, ${allowed.join(', ')}`);
      }
      if (typeof v !== 'number' || !Number.isFinite(v)) transformsError(`${file}: ${key}.${name} = ${JSON.stringify(v)}; expected a number`);
      entry[name] = v;
    }
    out[channel] = entry;
  }
  return out as TransformOverrides;
}

/** buildModel, with a transforms problem reported against the file it came from. */
export function buildTransformsModel(panel: Panel, options: BuildModelOptions, transformsPath: string | undefined): Model {
  try {
    return buildModel(panel, options);
  } catch (e) {
    if (transformsPath !== undefined && e instanceof Error && /^transforms\./.test(e.message)) {
      transformsError(`${transformsPath}: ${e.message.replace(/^transforms\./, '')}`);
    }
    throw e;
  }
}

export function parseKinds(value: string): ModelKind[] {
  if (value === 'all') return [...KINDS];
  if ((KINDS as readonly string[]).includes(value)) return [value as ModelKind];
  throw new CliUsageError(`--model must be pooled, unpooled, hierarchical or all, got "${value}"`);
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new TributaryError('FILE_NOT_FOUND', `cannot read ${file} (${code ?? String(e)}); check the path.`);
  }
}

/**
 * Constrained draws per chain (numDraws × constrainedDim, row-major) in constrainedNames order,
 * from draws in `model.sampling`'s coordinates (or the model's own, `coordinates: 'model'`).
 */
export function constrainDraws(model: Model, posterior: Posterior, coordinates: 'sampling' | 'model' = 'sampling'): Float64Array[] {
  const map = coordinates === 'model' ? model : model.sampling;
  const dim = posterior.dim;
  const cdim = model.constrainedDim;
  return posterior.draws.map((chain) => {
    const out = new Float64Array(posterior.numDraws * cdim);
    for (let i = 0; i < posterior.numDraws; i++) {
      map.constrain(chain.subarray(i * dim, (i + 1) * dim), out.subarray(i * cdim, (i + 1) * cdim));
    }
    return out;
  });
}

const STAT_NAMES = ['stepsize', 'treedepth', 'n_leapfrog', 'divergent', 'energy', 'accept_stat', 'lp'] as const;

function formatSampleStatsCsv(posterior: Posterior): string {
  const lines = [['.chain', '.iteration', ...STAT_NAMES].join(',')];
  for (let c = 0; c < posterior.numChains; c++) {
    for (let i = 0; i < posterior.numDraws; i++) {
      lines.push([c + 1, i + 1, ...STAT_NAMES.map((s) => posterior.sampleStats[s][c]![i]!)].join(','));
    }
  }
  return lines.join('\n') + '\n';
}

/** A short verdict for the terminal; `tributary evaluate` gives the full report. */
function formatVerdict(r: DiagnosticsReport): string {
  const lines = [
    `  status:      ${r.status}`,
    `  divergences: ${r.divergences} of ${r.numChains * r.numDraws} draws (${r.divergentPercent.toFixed(2)}%)`,
    `  max R-hat:   ${r.maxRhat.toFixed(3)} (${r.maxRhatParameter})`,
    `  min ESS:     bulk ${r.minEssBulk.toFixed(0)} (${r.minEssBulkParameter}), tail ${r.minEssTail.toFixed(0)} (${r.minEssTailParameter})`,
  ];
  for (const f of r.failures) lines.push(`  ${f.severity}: ${f.message}\n    try: ${f.remedy}`);
  return lines.join('\n');
}
