/**
 * Rebuilds the model of a results folder from its manifest and its data file, so that derived
 * quantities (ROAS, contributions, log-likelihood, posterior predictive) can be computed per
 * draw with exactly the model that was fitted: `buildModel(buildPanel(parseMarketingCsv(text,
 * manifest data options)), { kind, priors, transforms, learnTransforms, likelihood, timeVarying,
 * liftTests })` (the lift tests are stored in the manifest itself, so no second file is needed).
 * `transforms` is the manifest's per-channel record as is: adstock and saturation kind and their
 * parameters (absent `saturation` = Hill, as in manifests written before the transform family).
 *
 * The data file must be the one the fit used: its sha256 is compared with the manifest's
 * (`data.sha256`). `dataFile` overrides the path recorded in the manifest (for a moved file);
 * the content is checked all the same, and the manifest's `markets` and `channels` must equal the
 * rebuilt panel's (an edited manifest is reported instead of mislabelling the draws).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildPanel, parseMarketingCsv, type Panel } from '@tributary/data';
import { buildModel, type Model, type Priors } from '@tributary/models';
import { EvaluationError } from './errors.js';
import { folderName, loadManifest, MANIFEST_FILE, type ResultsFolder, type ResultsManifest } from './results.js';

export interface FittedModel {
  readonly model: Model;
  readonly panel: Panel;
  /** Absolute path of the data file that was read. */
  readonly dataFile: string;
}

export interface RebuildOptions {
  /** Read this data file instead of manifest.data.path (still verified by sha256). */
  readonly dataFile?: string;
  /** The CSV text itself (skips reading a file; still verified by sha256). */
  readonly csvText?: string;
}

/** sha256 of a text (UTF-8), lowercase hex, as `tributary fit` records it. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const listText = (xs: readonly string[]) => `[${xs.join(', ')}]`;

/**
 * The manifest's `markets` and `channels` must be the rebuilt panel's, in the same order: the
 * draws' parameter names and the shrinkage tables are labelled by them. A difference means the
 * manifest was edited or the data file is not the fitted one (even with a matching sha256, the
 * manifest's lists may have been changed by hand).
 */
function checkManifestAgainstPanel(results: ResultsFolder, panel: Panel, dataFile: string): void {
  const m = results.manifest;
  const manifestFile = join(results.dir, MANIFEST_FILE);
  const problems: string[] = [];
  if (!sameList(m.markets, panel.markets)) problems.push(`the manifest lists markets ${listText(m.markets)}, the data file has ${listText(panel.markets)}`);
  if (!sameList(m.channels, panel.channels)) problems.push(`the manifest lists channels ${listText(m.channels)}, the data file has ${listText(panel.channels)}`);
  if (problems.length === 0) return;
  throw new EvaluationError(
    'DATA_MISMATCH',
    `${manifestFile} does not match the data file ${dataFile}: ${problems.join('; ')}. The manifest was edited or the data file is a different one: pass the data file that was fitted with --data FILE, or re-run tributary fit.`,
    { file: manifestFile },
  );
}

/** Rebuilds the fitted model of `results` (see the module comment). */
export async function rebuildModel(results: ResultsFolder, options: RebuildOptions = {}): Promise<FittedModel> {
  const m = results.manifest;
  const dataFile = resolve(options.dataFile ?? m.data.path);
  let text = options.csvText;
  if (text === undefined) {
    try {
      text = await readFile(dataFile, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new EvaluationError(
        'DATA_NOT_FOUND',
        `cannot read the data file ${dataFile} of ${results.dir} (${code ?? String(e)}); pass --data FILE with the CSV that was fitted.`,
        { file: dataFile },
      );
    }
  }
  const sha = sha256Hex(text);
  if (sha !== m.data.sha256) {
    throw new EvaluationError(
      'DATA_MISMATCH',
      `${dataFile} is not the file ${results.dir} was fitted to: its sha256 is ${sha.slice(0, 12)}…, the manifest records ${m.data.sha256.slice(0, 12)}… (${m.data.path}). Pass --data FILE with the original CSV, or re-run tributary fit on this one.`,
      { file: dataFile },
    );
  }
  const dataOptions = {
    target: m.data.target,
    channels: [...m.data.channels],
    ...(m.data.controls.length > 0 ? { controls: [...m.data.controls] } : {}),
  };
  const panel = buildPanel(parseMarketingCsv(text, dataOptions));
  checkManifestAgainstPanel(results, panel, dataFile);
  const model = buildModel(panel, {
    kind: m.model,
    likelihood: m.options.likelihood,
    learnTransforms: m.options.learn_transforms,
    priors: m.priors as Partial<Priors>,
    transforms: m.transforms,
    ...(m.options.time_varying ? { timeVarying: { channels: m.options.time_varying.channels, knotEvery: m.options.time_varying.knot_every } } : {}),
    ...(m.lift_tests && m.lift_tests.length > 0
      ? {
          liftTests: m.lift_tests.map((t) => ({
            market: t.market,
            channel: t.channel,
            startT: t.start_t,
            endT: t.end_t,
            deltaSpend: t.delta_spend,
            lift: t.lift,
            liftSe: t.lift_se,
          })),
        }
      : {}),
  });
  const names = model.constrainedNames;
  if (names.length !== results.names.length || names.some((n, i) => n !== results.names[i])) {
    const i = names.findIndex((n, k) => n !== results.names[k]);
    throw new EvaluationError(
      'DATA_MISMATCH',
      `the model rebuilt from ${results.dir}/manifest.json and ${dataFile} has parameters that differ from draws.csv (first difference: "${names[i] ?? ''}" vs "${results.names[i] ?? ''}"); the folder was written by an incompatible version — re-run tributary fit.`,
    );
  }
  return { model, panel, dataFile };
}

/**
 * `rebuildModel` from the folder's manifest alone (it reads only the manifest, the folder and the
 * parameter names of a results folder): the evaluation worker's model, and evaluateFolder's while
 * draws.csv is still being parsed. Also returns the manifest.
 */
export async function rebuildFromManifest(dir: string, options: RebuildOptions = {}): Promise<FittedModel & { manifest: ResultsManifest }> {
  const abs = resolve(dir);
  const manifest = await loadManifest(abs);
  const bare: ResultsFolder = { dir: abs, name: folderName(abs), manifest, names: manifest.parameter_names, numChains: 0, numDraws: 0, draws: [], sampleStats: {} };
  return { ...(await rebuildModel(bare, options)), manifest };
}

/**
 * Calls `fn(draw, chain, iteration, index)` for every posterior draw, chain after chain; `draw`
 * is a view into the results (constrainedNames order) and must not be kept.
 */
export function forEachDraw(results: ResultsFolder, fn: (draw: Float64Array, chain: number, iteration: number, index: number) => void): void {
  const dim = results.names.length;
  let index = 0;
  results.draws.forEach((chain, c) => {
    for (let i = 0; i < results.numDraws; i++) fn(chain.subarray(i * dim, (i + 1) * dim), c, i, index++);
  });
}
