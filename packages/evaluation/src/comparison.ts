/**
 * Comparison of several fits of the same data (e.g. pooled, unpooled, hierarchical): the LOO
 * table (loo_compare order, elpd_diff, se_diff, stacking weights), stability across markets per
 * model, ROAS side by side, shrinkage (with the displacement form when an unpooled fit is
 * present), and which model is best and by how much in standard errors.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { looCompare, stackingWeights } from './compare.js';
import { EvaluationError } from './errors.js';
import { evaluateFolder, type EvaluateFolderOptions, type EvaluationReport } from './evaluate.js';
import { MANIFEST_FILE } from './results.js';
import { shrinkageDisplacement, type DisplacementRow } from './shrinkage.js';

export interface ComparedModel {
  readonly name: string;
  readonly kind: EvaluationReport['kind'];
  /** 1 = best elpd_loo. */
  readonly rank: number;
  readonly elpdLoo: number;
  readonly seElpdLoo: number;
  readonly pLoo: number;
  /** elpd_loo(model) − elpd_loo(best) (≤ 0). */
  readonly elpdDiff: number;
  readonly seDiff: number;
  /** Stacking weight (Yao et al. 2018). */
  readonly weight: number;
  readonly maxParetoK: number;
  readonly numHighK: number;
  readonly diagnosticsStatus: EvaluationReport['diagnostics']['status'];
}

export interface ModelComparison {
  /** Best first. */
  readonly models: readonly ComparedModel[];
  readonly best: string;
  /** The runner-up, its elpd difference and that difference in se_diff units (|diff| / se). */
  readonly runnerUp: { readonly name: string; readonly elpdDiff: number; readonly seDiff: number; readonly seUnits: number } | undefined;
  readonly evaluations: readonly EvaluationReport[];
  /** Hierarchical vs unpooled displacement (empty when either is missing). */
  readonly displacement: readonly DisplacementRow[];
}

/** Compares evaluation reports of fits of the same data (≥ 2). */
export function compareEvaluations(reports: readonly EvaluationReport[]): ModelComparison {
  if (reports.length < 2) {
    throw new EvaluationError('NOT_COMPARABLE', `a comparison needs at least two fitted models, got ${reports.length}; fit more with tributary fit --model all.`);
  }
  const first = reports[0]!;
  for (const r of reports) {
    if (r.dataSha256 !== first.dataSha256 || r.numObs !== first.numObs) {
      throw new EvaluationError(
        'NOT_COMPARABLE',
        `${r.dir} and ${first.dir} were fitted to different data (sha256 ${r.dataSha256.slice(0, 12)}… vs ${first.dataSha256.slice(0, 12)}…); LOO comparisons need the same observations.`,
      );
    }
  }
  const names = reports.map((r) => r.name);
  if (new Set(names).size !== names.length) throw new EvaluationError('NOT_COMPARABLE', `two results folders share a name (${names.join(', ')}); give each model its own folder name.`);
  const rows = looCompare(reports.map((r) => ({ name: r.name, loo: r.loo })));
  const weights = stackingWeights(reports.map((r) => r.loo.pointwise.elpdLoo));
  const models: ComparedModel[] = rows.map((row, i) => {
    const idx = names.indexOf(row.name);
    const r = reports[idx]!;
    return {
      name: row.name,
      kind: r.kind,
      rank: i + 1,
      elpdLoo: row.elpdLoo,
      seElpdLoo: row.seElpdLoo,
      pLoo: row.pLoo,
      elpdDiff: row.elpdDiff,
      seDiff: row.seDiff,
      weight: weights[idx]!,
      maxParetoK: r.loo.maxParetoK,
      numHighK: r.loo.numHighK,
      diagnosticsStatus: r.diagnostics.status,
    };
  });
  const second = models[1]!;
  const hier = reports.find((r) => r.kind === 'hierarchical');
  const unpooled = reports.find((r) => r.kind === 'unpooled');
  return {
    models,
    best: models[0]!.name,
    runnerUp: { name: second.name, elpdDiff: second.elpdDiff, seDiff: second.seDiff, seUnits: second.seDiff > 0 ? Math.abs(second.elpdDiff) / second.seDiff : Infinity },
    evaluations: reports,
    displacement: hier && unpooled ? shrinkageDisplacement(hier.results, unpooled.results) : [],
  };
}

/**
 * Folder names a results root may hold that are not results: hidden folders, among them the
 * temporary folders an interrupted write leaves behind (`.hierarchical.tmp-XXXXXX` and
 * `.hierarchical.tmp-XXXXXX.old`, i.e. /^\..*\.tmp-/), which may hold a half-written folder.
 */
function isHiddenOrTemporary(name: string): boolean {
  return name.startsWith('.');
}

/**
 * The sub-folders of `dir` that hold a manifest.json, sorted by name. Hidden folders (names
 * starting with `.`, including the `.<model>.tmp-XXXXXX` folders of an interrupted write) are
 * skipped.
 */
export async function findResultsFolders(dir: string): Promise<string[]> {
  const abs = resolve(dir);
  let entries: string[];
  try {
    entries = await readdir(abs);
  } catch (e) {
    throw new EvaluationError('RESULTS_NOT_FOUND', `cannot read the folder ${abs} (${(e as NodeJS.ErrnoException).code ?? String(e)}); pass the folder that holds one sub-folder per fitted model (tributary fit --out).`, {
      file: abs,
    });
  }
  const out: string[] = [];
  for (const e of entries.sort()) {
    if (isHiddenOrTemporary(e)) continue;
    const sub = join(abs, e);
    try {
      if ((await stat(sub)).isDirectory() && (await stat(join(sub, MANIFEST_FILE))).isFile()) out.push(sub);
    } catch {
      // not a results folder
    }
  }
  return out;
}

/** Evaluates every results folder under `dir` and compares them. */
export async function compareFolder(dir: string, options: Omit<EvaluateFolderOptions, 'truthFile'> & { truthFile?: string } = {}): Promise<ModelComparison> {
  const folders = await findResultsFolders(dir);
  if (folders.length < 2) {
    throw new EvaluationError(
      'NOT_COMPARABLE',
      `${resolve(dir)} holds ${folders.length} results folder(s) (sub-folders with ${MANIFEST_FILE}); a comparison needs at least two: run tributary fit --model all --out ${dir}.`,
    );
  }
  const reports: EvaluationReport[] = [];
  for (const f of folders) reports.push(await evaluateFolder(f, options));
  return compareEvaluations(reports);
}
