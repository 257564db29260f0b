// buildReportInput: reads the results folders (and optionally the data, the ground truth, a
// budget plan and a second "divergent" results folder) and computes everything the report shows.
// Large panels (issue 17): the top markets and the rest (build/markets.ts) are chosen here from
// the data and passed to computeModel, which summarises the rest as one group. The evaluation
// (evaluateResultsParallel, most of the CPU time at 200 markets) is used as it is: its numbers
// are read, not recomputed.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { buildPanel, parseMarketingCsv, TributaryError, type MarketingData, type Panel } from '@tributary/data';
import { evaluateResultsParallel, loadGroundTruth, rebuildModel, type FittedModel, type GroundTruth, type ResultsFolder } from '@tributary/evaluation';
import { buildCalibrationInput, loadUncalibrated, pickCalibratedFolder, type UncalibratedFit } from './build/calibration.js';
import { buildDataInput, tierOf } from './build/data.js';
import { buildFailureInput } from './build/failure.js';
import { computeComparison, displacementGrid, type ComparisonResult } from './build/compare.js';
import { channelCurves, computeModel, SAT_X, transformFieldsOf, type ModelComputation } from './build/model.js';
import { buildPlanInput, checkPlanSource, readPlan, type PlanFile } from './build/plan.js';
import { readBacktestInput } from './build/backtest.js';
import { readSbcInput } from './build/sbc.js';
import { findModelDirs, loadModelFolders } from './build/results.js';
import { marketGroups } from './build/markets.js';
import { buildTruthInput, parseGroundTruth, type GroundTruthFile } from './build/truth.js';
import type { FailureInput, MarketGroups, ModelInput, ReportInput, SbcInput, TransformInput } from './types.js';
import { channelDefaults } from '@tributary/transforms';
import type { ChannelTransform } from '@tributary/models';

export interface BuildReportOptions {
  /**
   * A results root with `<model>/` folders written by `tributary fit`, or one model folder.
   * Optional only with `sbcFile`: the report then has the SBC section alone.
   */
  resultsDir?: string;
  /** sbc.json of `tributary sbc`, for the simulation-based calibration section. */
  sbcFile?: string;
  /** The data CSV; default: the path recorded in the manifest, when it exists. */
  dataFile?: string;
  /** ground_truth.json; default: ground_truth.json next to the data file, when it exists. */
  truthFile?: string;
  /**
   * plan.json written by `tributary optimize`. It must have been made from one of the model
   * folders of `resultsDir` (and from its current manifest.json when the plan records its
   * sha256), else PLAN_MISMATCH is thrown before anything is computed.
   */
  planFile?: string;
  /** A second results root (e.g. the divergent scenario), shown beside the main one in section 9. */
  divergentDir?: string;
  /** Data of the divergent results (default: from its manifest). */
  divergentDataFile?: string;
  /** Ground truth of the divergent results (default: next to its data). */
  divergentTruthFile?: string;
  /** Output folder (or backtest.json) of `tributary backtest`, for the backtest section. */
  backtestDir?: string;
  /**
   * Results of the same model fitted without the lift tests (a results root or one model
   * folder): the calibration section then shows the ROAS of the tested channels without vs with
   * the tests, and the lifts the uncalibrated model implies.
   */
  uncalibratedDir?: string;
  /** Page title (default from the scenario or the data file name). */
  title?: string;
  /** Posterior draws used for derived quantities (default 1000; evenly thinned). */
  maxDraws?: number;
  /** Seed of the posterior predictive draws (default 1). */
  seed?: number;
  /** Base directory for relative paths (default process.cwd()). */
  cwd?: string;
}

interface LoadedSet {
  folders: ResultsFolder[];
  data: MarketingData;
  panel: Panel;
  dataPath: string;
  /** The data file's text (the models were rebuilt from it). */
  text: string;
  /** The rebuilt model of each folder (folders order). */
  fitted: FittedModel[];
  truth?: GroundTruthFile;
  truthPath?: string;
  computations: ModelComputation[];
  models: ModelInput[];
  /** Top markets and the rest (large panels only; build/markets.ts). */
  groups?: MarketGroups;
  compared: ComparisonResult;
  notes: string[];
}

export async function buildReportInput(options: BuildReportOptions): Promise<ReportInput> {
  const cwd = options.cwd ?? process.cwd();
  const abs = (p: string) => resolve(cwd, p);
  const maxDraws = options.maxDraws ?? 1000;
  const seed = options.seed ?? 1;
  const sbc = options.sbcFile ? await readSbcInput(abs(options.sbcFile)) : undefined;
  if (options.resultsDir === undefined) {
    if (sbc === undefined) throw new TributaryError('RESULTS_NOT_FOUND', 'nothing to report: give a results folder of tributary fit, or --sbc FILE.');
    return sbcOnlyInput(sbc, abs(options.sbcFile!), options.title);
  }
  const resultsDir = options.resultsDir;
  // The plan is read and checked against the results first: a plan of other results fails fast.
  let planDoc: PlanFile | undefined;
  const planNotes: string[] = [];
  // (Without model folders loadSet says so first: RESULTS_NOT_FOUND.)
  const modelDirs = findModelDirs(abs(resultsDir));
  if (options.planFile && modelDirs.length) {
    planDoc = await readPlan(abs(options.planFile));
    planNotes.push(...(await checkPlanSource(planDoc, { planFile: abs(options.planFile), resultsDir: abs(resultsDir), modelDirs })));
  }
  const main = await loadSet(abs(resultsDir), options.dataFile ? abs(options.dataFile) : undefined, options.truthFile ? abs(options.truthFile) : undefined, maxDraws, seed);
  const first = main.folders[0]!;
  const markets = main.panel ? [...main.panel.markets] : [...first.manifest.markets];
  const channels = main.panel ? [...main.panel.channels] : [...first.manifest.channels];
  const marketWeeks = main.panel ? Array.from(main.panel.marketNumObs) : markets.map(() => 0);
  const marketTiers = marketWeeks.map(tierOf);
  const comparison = main.compared.comparison;
  const truth = main.truth ? buildTruthInput(main.truth, markets, channels, main.computations) : undefined;
  const scenario = main.truth?.scenario;
  const failure = buildFailureInput({
    label: scenario ? scenarioLabel(scenario) : 'These results',
    markets,
    channels,
    tiers: marketTiers,
    ...modelsByKind(main.computations),
    ...(comparison ? { comparison } : {}),
    ...(truth ? { truthRoas: truth.roas } : {}),
  });

  let divergent: FailureInput | undefined;
  const sources: ReportInput['sources'] = [{ label: 'results', path: abs(resultsDir) }];
  if (options.sbcFile) sources.push({ label: 'simulation-based calibration (--sbc)', path: abs(options.sbcFile) });
  if (main.dataPath) sources.push({ label: 'data', path: main.dataPath });
  if (main.truthPath) sources.push({ label: 'ground truth', path: main.truthPath });
  const notes = [...main.notes];
  if (options.divergentDir) {
    const d = await loadSet(
      abs(options.divergentDir),
      options.divergentDataFile ? abs(options.divergentDataFile) : undefined,
      options.divergentTruthFile ? abs(options.divergentTruthFile) : undefined,
      maxDraws,
      seed,
    );
    const dMarkets = d.panel ? [...d.panel.markets] : [...d.folders[0]!.manifest.markets];
    const dChannels = d.panel ? [...d.panel.channels] : [...d.folders[0]!.manifest.channels];
    const dTiers = d.panel ? Array.from(d.panel.marketNumObs).map(tierOf) : dMarkets.map(() => 'medium' as const);
    const dTruth = d.truth ? buildTruthInput(d.truth, dMarkets, dChannels, d.computations) : undefined;
    const dComparison = d.compared.comparison;
    divergent = buildFailureInput({
      label: d.truth?.scenario ? scenarioLabel(d.truth.scenario) : 'Second results',
      markets: dMarkets,
      channels: dChannels,
      tiers: dTiers,
      ...modelsByKind(d.computations),
      ...(dComparison ? { comparison: dComparison } : {}),
      ...(dTruth ? { truthRoas: dTruth.roas } : {}),
    });
    sources.push({ label: 'second results (--divergent)', path: abs(options.divergentDir) });
    notes.push(...d.notes.map((n) => `second results: ${n}`));
    if (!divergent) notes.push('second results: no hierarchical model found, so no failure indicators.');
  }

  let plan: ReportInput['plan'];
  if (options.planFile && planDoc) {
    plan = buildPlanInput(planDoc, main.panel);
    sources.push({ label: 'budget plan', path: abs(options.planFile) });
    notes.push(...planNotes);
  }

  let backtest: ReportInput['backtest'];
  if (options.backtestDir) {
    backtest = await readBacktestInput(abs(options.backtestDir));
    sources.push({ label: 'backtest', path: abs(options.backtestDir) });
    const unknown = backtest.overall.map((r) => r.market).filter((m) => !markets.includes(m));
    if (unknown.length) notes.push(`the backtest has markets that the results do not (${unknown.join(', ')}); was it run on another data file?`);
  }

  let uncalibrated: UncalibratedFit | undefined;
  if (options.uncalibratedDir) {
    const ci = pickCalibratedFolder(main.folders);
    if (ci < 0) {
      notes.push(`--uncalibrated ${options.uncalibratedDir} was given, but no model in the results was fitted with lift tests (tributary fit --lift-tests FILE), so there is nothing to compare it with.`);
    } else {
      uncalibrated = await loadUncalibrated(abs(options.uncalibratedDir), main.folders[ci]!, main.text);
      sources.push({ label: 'fit without the lift tests (--uncalibrated)', path: uncalibrated.folder.dir });
      notes.push(...uncalibrated.notes);
    }
  }
  const calibration = buildCalibrationInput({
    folders: main.folders,
    fitted: main.fitted,
    liftChecks: main.computations.map((c) => c.report.liftTests),
    roas: main.models.map((m) => m.roas),
    markets,
    channels,
    ...(main.truth ? { truth: main.truth } : {}),
    ...(truth ? { truthRoas: truth.roas } : {}),
    ...(uncalibrated ? { uncalibrated } : {}),
  });

  const transforms = main.computations.find((c) => c.kind === 'hierarchical')?.transforms ?? main.computations[0]?.transforms ?? defaultTransforms(first);
  const title = options.title ?? (scenario ? `${scenarioLabel(scenario)} — marketing mix report` : 'Marketing mix report');
  const subtitle = main.data
    ? `${markets.length} markets · ${channels.length} channels · ${main.data.rows.length} market-weeks from ${main.data.firstDate} · models: ${main.models.map((m) => m.kind).join(', ')}`
    : `models: ${main.models.map((m) => m.kind).join(', ')}`;

  return {
    title,
    subtitle,
    ...(scenario ? { scenario } : {}),
    target: first.manifest.target,
    markets,
    channels,
    marketWeeks,
    marketTiers,
    ...(main.groups ? { marketGroups: main.groups } : {}),
    sources,
    notes,
    ...(main.data && main.panel ? { data: buildDataInput(main.data, main.panel) } : {}),
    transforms,
    models: main.models,
    ...(comparison ? { comparison } : {}),
    ...(truth ? { truth } : {}),
    ...(failure ? { failure } : {}),
    ...(divergent ? { divergent } : {}),
    ...(plan ? { plan } : {}),
    ...(backtest ? { backtest } : {}),
    ...(calibration ? { calibration } : {}),
    ...(sbc ? { sbc } : {}),
  };
}

/** The input of a report of an sbc.json alone: no data or models, the SBC section only. */
function sbcOnlyInput(sbc: SbcInput, path: string, title: string | undefined): ReportInput {
  return {
    title: title ?? `Simulation-based calibration — ${sbc.model} model`,
    subtitle: `${sbc.replicates} simulated data sets · ${sbc.parameters.length} parameters`,
    target: '',
    markets: [],
    channels: [],
    marketWeeks: [],
    marketTiers: [],
    sources: [{ label: 'simulation-based calibration (--sbc)', path }],
    notes: [],
    transforms: [],
    models: [],
    sbc,
  };
}

function scenarioLabel(s: string): string {
  return s === 'volta' ? 'VOLTA' : s === 'divergent' ? 'Divergent scenario' : s;
}

function modelsByKind(models: readonly ModelComputation[]): { hierarchical?: ModelComputation; unpooled?: ModelComputation } {
  const h = models.find((m) => m.kind === 'hierarchical');
  const u = models.find((m) => m.kind === 'unpooled');
  return { ...(h ? { hierarchical: h } : {}), ...(u ? { unpooled: u } : {}) };
}

async function loadSet(resultsDir: string, dataFile: string | undefined, truthFile: string | undefined, maxDraws: number, seed: number): Promise<LoadedSet> {
  const folders = await loadModelFolders(resultsDir);
  if (folders.length === 0) {
    throw new TributaryError('RESULTS_NOT_FOUND', `${resultsDir} holds no results folder (no manifest.json in it or in its subfolders); run tributary fit DATA --model all --out ${resultsDir} first.`);
  }
  const notes: string[] = [];
  const manifest = folders[0]!.manifest;
  const dataPath = dataFile ?? manifest.data.path;
  if (!existsSync(dataPath)) {
    throw new TributaryError(
      'FILE_NOT_FOUND',
      dataFile ? `the data file ${dataPath} does not exist; check --data.` : `the data file ${dataPath} recorded in ${resultsDir}'s manifest does not exist; pass it with --data FILE.`,
    );
  }
  const text = await readFile(dataPath, 'utf8');
  // The models are rebuilt from this exact text; evaluation checks it against the manifest's sha256.
  const data: MarketingData = parseMarketingCsv(text, { target: manifest.data.target, channels: [...manifest.data.channels], controls: [...manifest.data.controls] });
  const panel: Panel = buildPanel(data);
  const truthPath = truthFile ?? (existsSync(join(dirname(dataPath), 'ground_truth.json')) ? join(dirname(dataPath), 'ground_truth.json') : undefined);
  let truthRaw: GroundTruth | undefined;
  let truth: GroundTruthFile | undefined;
  if (truthPath) {
    truthRaw = await loadGroundTruth(truthPath);
    truth = parseGroundTruth(truthRaw, truthPath);
  }
  const groups = marketGroups(panel);
  const computations: ModelComputation[] = [];
  const fittedModels: FittedModel[] = [];
  for (const f of folders) {
    const fitted = await rebuildModel(f, { csvText: text });
    // On two threads (a worker makes the predictive pass): the same report as evaluateResults, bit for bit.
    const report = await evaluateResultsParallel(f, fitted, { ...(truthRaw ? { truth: truthRaw } : {}), seed });
    computations.push(computeModel(f, fitted, report, { maxDraws, seed, ...(groups ? { groups } : {}) }));
    fittedModels.push(fitted);
  }
  const compared = computeComparison(computations.map((c) => c.report));
  if (compared.note) notes.push(compared.note);
  const h = computations.find((c) => c.kind === 'hierarchical');
  const disp = displacementGrid(compared.raw, panel.markets, panel.channels);
  if (h && disp) h.input.displacement = disp;
  return { folders, data, panel, dataPath, text, fitted: fittedModels, ...(truth ? { truth } : {}), ...(truthPath ? { truthPath } : {}), computations, models: computations.map((c) => c.input), compared, notes, ...(groups ? { groups } : {}) };
}

function defaultTransforms(f: ResultsFolder): TransformInput[] {
  return f.manifest.channels.map((ch) => {
    const t = (f.manifest.transforms[ch] ?? channelDefaults(ch)) as ChannelTransform;
    const curves = channelCurves(t, ch);
    return {
      channel: ch,
      ...transformFieldsOf(t, curves.spec),
      isLearned: false,
      weights: curves.weights,
      saturation: { x: SAT_X, y: curves.y },
    };
  });
}
