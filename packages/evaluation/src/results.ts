/**
 * Reads a results folder written by `tributary fit` back into memory: `manifest.json`
 * (validated with zod — the boundary of conventions.md), `draws.csv` (constrained draws in the
 * layout of R's posterior::as_draws_df: `.chain,.iteration,<parameter names>`) and
 * `sample_stats.csv` (`.chain,.iteration,stepsize,treedepth,n_leapfrog,divergent,energy,
 * accept_stat,lp`). Every number is parsed and checked; errors name the file, the line and the
 * column. Non-finite cells (`NA`, `NaN`, `Inf`, `-Inf`, overflowing decimals) are rejected in both
 * files: a valid fit never writes them — the selected state of every NUTS transition has a finite
 * log density, so energy and lp are finite, accept_stat is an average of min(1, exp(·)) ∈ [0, 1],
 * stepsize is a positive adapted number, treedepth / n_leapfrog / divergent are counts — and a
 * non-finite draw would silently change R-hat / ESS or break PSIS-LOO later with a message that
 * no longer names the file. `summary.csv` is not read (everything is recomputed from the draws).
 *
 * Speed (the same accepted cells, values and messages): a cell that starts like a decimal is read
 * with Number() directly (`fastCell`) and only anything else goes through the pattern check;
 * `loadResultsInto` puts the draws into arrays the caller allocates (SharedArrayBuffers for the
 * evaluation's worker thread, parallel.ts) and, given a `RowParser` (the worker), has the second
 * half of draws.csv's lines parsed there while this thread parses the first half and checks the
 * chain / iteration numbering of every line; when either half meets anything but `width` finite
 * numbers per line, or the numbering is off, the whole file is parsed again on this thread
 * (`parseChainTable`), so every error and message is the single-threaded one.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import { EvaluationError } from './errors.js';

export const MANIFEST_FILE = 'manifest.json';
export const DRAWS_FILE = 'draws.csv';
export const SAMPLE_STATS_FILE = 'sample_stats.csv';

const MODEL_KINDS = ['pooled', 'unpooled', 'hierarchical'] as const;

/**
 * One channel's transforms (models' `ChannelTransform`). Manifests before the transform family
 * (issue 13 part 4) have geometric/delayed + Hill only and no `saturation` (= Hill); Weibull
 * adstock adds `shape`, `scale`, other saturations `saturation` and their parameters.
 */
const transformSchema = z.looseObject({
  // Validated as the four kinds; typed loosely like models' ChannelTransform.adstock (code written
  // for geometric/delayed still passes these records to @tributary/transforms' buildAdstockSpec).
  adstock: z.enum(['geometric', 'delayed', 'weibull_cdf', 'weibull_pdf']) as unknown as z.ZodAny,
  alpha: z.number(),
  theta: z.number(),
  K: z.number(),
  S: z.number(),
  lMax: z.number().int(),
  shape: z.number().positive().optional(),
  scale: z.number().positive().optional(),
  saturation: z.enum(['hill', 'logistic', 'michaelis_menten', 'tanh']).optional(),
  lam: z.number().positive().optional(),
  b: z.number().positive().optional(),
  c: z.number().positive().optional(),
});

/** The fields of manifest.json that evaluation relies on; other fields are kept as they are. */
export const manifestSchema = z.looseObject({
  tributary_results_version: z.literal(1, { error: 'must be 1 (this reader knows version 1 of the results folder)' }),
  model: z.enum(MODEL_KINDS),
  options: z.looseObject({
    chains: z.number().int().positive(),
    warmup: z.number().int().nonnegative(),
    draws: z.number().int().positive(),
    seed: z.number(),
    target_accept: z.number().optional(),
    max_treedepth: z.number().int().positive(),
    metric: z.string().optional(),
    likelihood: z.enum(['normal', 'student-t']),
    learn_transforms: z.boolean(),
    /** Time-varying media effects (absent or null: constant effects). */
    time_varying: z
      .strictObject({ channels: z.array(z.string().min(1)).min(1), knot_every: z.number().int().positive() })
      .nullable()
      .optional(),
  }),
  /** Lift tests the likelihood included (absent: none). */
  lift_tests: z
    .array(
      z.looseObject({
        market: z.string().min(1),
        channel: z.string().min(1),
        start: z.string(),
        end: z.string(),
        start_t: z.number().int().nonnegative(),
        end_t: z.number().int().nonnegative(),
        delta_spend: z.number(),
        lift: z.number(),
        lift_se: z.number().positive(),
      }),
    )
    .optional(),
  priors: z.record(z.string(), z.unknown()),
  transforms: z.record(z.string(), transformSchema),
  data: z.looseObject({
    path: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be a 64-character lowercase hex sha256' }),
    rows: z.number().int().positive(),
    target: z.string().min(1),
    channels: z.array(z.string().min(1)).min(1),
    controls: z.array(z.string().min(1)),
  }),
  markets: z.array(z.string().min(1)).min(1),
  channels: z.array(z.string().min(1)).min(1),
  target: z.string().min(1),
  seed: z.number(),
  parameter_names: z.array(z.string().min(1)).min(1),
});

export type ResultsManifest = z.infer<typeof manifestSchema>;

/** A results folder in memory. */
export interface ResultsFolder {
  /** Absolute path of the folder. */
  readonly dir: string;
  /** The folder's name (e.g. `hierarchical`), used as the model name in comparisons. */
  readonly name: string;
  readonly manifest: ResultsManifest;
  /** Parameter names of draws.csv (equal to manifest.parameter_names). */
  readonly names: readonly string[];
  readonly numChains: number;
  /** Draws per chain. */
  readonly numDraws: number;
  /** Constrained draws per chain: numDraws × names.length, row-major (as `Posterior.draws`). */
  readonly draws: readonly Float64Array[];
  /** Sample statistics by column name (`divergent`, `treedepth`, `energy`, …), one array per chain. */
  readonly sampleStats: Readonly<Record<string, readonly Float64Array[]>>;
}

/** Splits one CSV line, honouring RFC 4180 quotes (names like "beta[DE,meta_spend]"). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      out.push(field);
      field = '';
    } else {
      field += ch;
    }
  }
  out.push(field);
  return out;
}

const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A CSV cell as a number: decimals, `NA`/`NaN` → NaN, `Inf`/`Infinity` (signed) → ±Infinity (the
 * R spellings `tributary fit` uses), so that the caller can reject them with a precise message.
 */
function parseCell(cell: string): number | undefined {
  const s = cell.trim();
  if (NUMBER_PATTERN.test(s)) return Number(s);
  if (s === 'NA' || s === 'NaN') return NaN;
  if (s === 'Inf' || s === 'Infinity' || s === '+Inf' || s === '+Infinity') return Infinity;
  if (s === '-Inf' || s === '-Infinity') return -Infinity;
  return undefined;
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new EvaluationError(
      'RESULTS_NOT_FOUND',
      `cannot read ${file} (${code ?? String(e)}): ${what}. Is this a results folder of "tributary fit"? Run tributary fit first, or check the path.`,
      { file },
    );
  }
}

interface ParsedTable {
  names: string[];
  /** Per chain, rows × names.length row-major. */
  chains: Float64Array[];
  numDraws: number;
}

/**
 * Parses a `.chain,.iteration,…` CSV: chains numbered 1 … C in blocks, iterations 1 … D in
 * order, the same D for every chain, every cell a finite number. `what` names the values in the
 * message for a non-finite cell ("draws", "sampler statistics").
 */
function parseChainTable(text: string, file: string, what: string, alloc: (length: number) => Float64Array = (n) => new Float64Array(n)): ParsedTable {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const header = splitCsvLine((lines[0] ?? '').replace(/\r$/, '').replace(/^\uFEFF/, ''));
  if (header[0] !== '.chain' || header[1] !== '.iteration') {
    throw new EvaluationError('RESULTS_INVALID', `${file}: line 1 must start with ".chain,.iteration", found "${header.slice(0, 2).join(',')}".`, {
      file,
      line: 1,
    });
  }
  const names = header.slice(2);
  const width = names.length + 2;
  const dim = names.length;
  // every row's values, row after row; chain k is rows chainStart[k] … chainStart[k + 1] − 1
  const values = new Float64Array(Math.max(lines.length - 1, 0) * dim);
  const chainStart: number[] = [];
  let rows = 0;
  let expectedChain = 1;
  let expectedIter = 1;
  for (let i = 1; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i]!;
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    if (BLANK.test(line)) throw new EvaluationError('RESULTS_INVALID', `${file}: line ${lineNo} is empty; the file looks truncated or edited.`, { file, line: lineNo });
    const cells = line.split(',');
    if (cells.length !== width) {
      throw new EvaluationError('RESULTS_INVALID', `${file}: line ${lineNo} has ${cells.length} fields, expected ${width} (.chain, .iteration and ${names.length} columns).`, {
        file,
        line: lineNo,
      });
    }
    const chain = Number(cells[0]);
    const iter = Number(cells[1]);
    if (chain === expectedChain + 1 && iter === 1 && chainStart.length === expectedChain) {
      expectedChain++;
      expectedIter = 1;
    }
    if (chain !== expectedChain || iter !== expectedIter) {
      throw new EvaluationError(
        'RESULTS_INVALID',
        `${file}: line ${lineNo}: expected .chain ${expectedChain} and .iteration ${expectedIter}, found "${cells[0]}" and "${cells[1]}" (chains must be numbered 1, 2, … in blocks, iterations 1, 2, … in order).`,
        { file, line: lineNo },
      );
    }
    if (chainStart.length < chain) chainStart.push(rows);
    const at = rows * dim - 2;
    for (let j = 2; j < width; j++) {
      const cell = cells[j]!;
      let v = fastCell(cell);
      if (v === undefined) {
        v = parseCell(cell);
        if (v === undefined) {
          throw new EvaluationError('RESULTS_INVALID', `${file}: line ${lineNo}, column ${names[j - 2]}: "${cell}" is not a number.`, { file, line: lineNo });
        }
        if (!Number.isFinite(v)) {
          throw new EvaluationError(
            'RESULTS_INVALID',
            `${file}: line ${lineNo}, column ${names[j - 2]}: "${cell.trim()}" is not a finite number; a valid fit writes only finite ${what}, so the file is damaged. Re-run tributary fit to rewrite the folder.`,
            { file, line: lineNo },
          );
        }
      }
      values[at + j] = v;
    }
    rows++;
    expectedIter++;
  }
  if (chainStart.length === 0) throw new EvaluationError('RESULTS_INVALID', `${file}: no draws after the header line.`, { file, line: 1 });
  chainStart.push(rows);
  const numDraws = chainStart[1]! - chainStart[0]!;
  const chains: Float64Array[] = [];
  for (let k = 0; k + 1 < chainStart.length; k++) {
    const n = chainStart[k + 1]! - chainStart[k]!;
    if (n !== numDraws) {
      throw new EvaluationError('RESULTS_INVALID', `${file}: chain ${k + 1} has ${n} draws but chain 1 has ${numDraws}; all chains must be equally long.`, {
        file,
      });
    }
    const chain = alloc((chainStart[k + 1]! - chainStart[k]!) * dim);
    chain.set(values.subarray(chainStart[k]! * dim, chainStart[k + 1]! * dim));
    chains.push(chain);
  }
  return { names, chains, numDraws };
}

const BLANK = /^\s*$/;

/**
 * Another thread's parse of the data lines [from, to) of the same draws.csv into `values`
 * (`parseRowsInto`): whether every line was `width` finite numbers, and how many lines its copy
 * of the file has.
 */
export type RowParser = (values: Float64Array, from: number, to: number, width: number) => Promise<{ readonly ok: boolean; readonly lines: number }>;

/** The lines of a CSV text (a final empty line dropped), as `parseChainTable` splits them. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * The cells of the data lines [from, to) of `lines` (line i is row i − 1, its values at
 * (i − 1)·(width − 2)): false at the first line that is not `width` finite numbers (the sequential
 * parse then names the problem).
 */
export function parseRowsInto(lines: readonly string[], from: number, to: number, width: number, values: Float64Array): boolean {
  const dim = width - 2;
  for (let i = from; i < to; i++) {
    let line = lines[i]!;
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    const cells = line.split(',');
    if (cells.length !== width) return false;
    const at = (i - 1) * dim - 2;
    for (let j = 2; j < width; j++) {
      const cell = cells[j]!;
      const v = fastCell(cell) ?? parseCell(cell);
      if (v === undefined || !Number.isFinite(v)) return false;
      values[at + j] = v;
    }
  }
  return true;
}

/**
 * The first row of every chain and the row count (chainStart of `parseChainTable`) from the
 * .chain and .iteration cells of every data line, or null wherever `parseChainTable` would throw
 * (numbering, unequal chains, no rows).
 */
function chainStarts(lines: readonly string[]): number[] | null {
  const chainStart: number[] = [];
  let rows = 0;
  let expectedChain = 1;
  let expectedIter = 1;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const c1 = line.indexOf(',');
    const c2 = c1 < 0 ? -1 : line.indexOf(',', c1 + 1);
    if (c2 < 0) return null;
    const chain = Number(line.slice(0, c1));
    const iter = Number(line.slice(c1 + 1, c2));
    if (chain === expectedChain + 1 && iter === 1 && chainStart.length === expectedChain) {
      expectedChain++;
      expectedIter = 1;
    }
    if (chain !== expectedChain || iter !== expectedIter) return null;
    if (chainStart.length < chain) chainStart.push(rows);
    rows++;
    expectedIter++;
  }
  if (chainStart.length === 0) return null;
  chainStart.push(rows);
  const numDraws = chainStart[1]! - chainStart[0]!;
  for (let k = 0; k + 1 < chainStart.length; k++) if (chainStart[k + 1]! - chainStart[k]! !== numDraws) return null;
  return chainStart;
}

/**
 * `parseChainTable` with the second half of the data lines parsed by `other` (another thread, into
 * the same shared array) while this thread parses the first half; any problem anywhere: the
 * sequential parse, for its error. The chains are views of one array from `alloc`.
 */
async function parseChainTableShared(text: string, file: string, what: string, alloc: (length: number) => Float64Array, other: RowParser): Promise<ParsedTable> {
  const lines = splitLines(text);
  const header = splitCsvLine((lines[0] ?? '').replace(/\r$/, '').replace(/^\uFEFF/, ''));
  const width = header.length;
  if (header[0] !== '.chain' || header[1] !== '.iteration' || width < 3 || lines.length < 3) return parseChainTable(text, file, what, alloc);
  const dim = width - 2;
  const values = alloc((lines.length - 1) * dim);
  const mid = 1 + ((lines.length - 1) >> 1);
  const theirs = other(values, mid, lines.length, width);
  const mine = parseRowsInto(lines, 1, mid, width, values);
  const chainStart = chainStarts(lines);
  const done = await theirs;
  if (!mine || !done.ok || done.lines !== lines.length || chainStart === null) return parseChainTable(text, file, what, alloc);
  const chains: Float64Array[] = [];
  for (let k = 0; k + 1 < chainStart.length; k++) chains.push(values.subarray(chainStart[k]! * dim, chainStart[k + 1]! * dim));
  return { names: header.slice(2), chains, numDraws: chainStart[1]! - chainStart[0]! };
}

/**
 * A finite decimal cell the quick way, or undefined for `parseCell` to decide (and to name the
 * problem): Number() of a cell that starts like a decimal (digit, sign or point, not 0x / 0b / 0o)
 * and is finite is exactly what NUMBER_PATTERN accepts (Number() parses the same decimal grammar
 * and ignores the surrounding whitespace parseCell trims).
 */
function fastCell(cell: string): number | undefined {
  const c0 = cell.charCodeAt(0);
  if (!((c0 >= 48 && c0 <= 57) || c0 === 45 || c0 === 43 || c0 === 46)) return undefined;
  const c1 = cell.charCodeAt(1) | 32;
  if (c1 === 120 || c1 === 98 || c1 === 111) return undefined;
  const v = Number(cell);
  return Number.isFinite(v) ? v : undefined;
}

function formatZodIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((issue) => `  ${issue.path.length ? issue.path.join('.') : '(top level)'}: ${issue.message}`)
    .join('\n');
}

/** Validates a parsed manifest object (see `manifestSchema`); `file` is used in the message. */
export function parseManifest(json: unknown, file = MANIFEST_FILE): ResultsManifest {
  const res = manifestSchema.safeParse(json);
  if (!res.success) {
    throw new EvaluationError('RESULTS_INVALID', `${file} is not a valid tributary results manifest:\n${formatZodIssues(res.error)}\nRe-run tributary fit to rewrite the folder.`, {
      file,
    });
  }
  return res.data;
}

/** Reads and validates `dir/manifest.json` (`RESULTS_NOT_FOUND`, `RESULTS_INVALID`). */
export async function loadManifest(dir: string): Promise<ResultsManifest> {
  const manifestFile = join(resolve(dir), MANIFEST_FILE);
  const manifestText = await readText(manifestFile, 'the manifest');
  let json: unknown;
  try {
    json = JSON.parse(manifestText);
  } catch (e) {
    throw new EvaluationError('RESULTS_INVALID', `${manifestFile} is not valid JSON (${(e as Error).message}).`, { file: manifestFile });
  }
  return parseManifest(json, manifestFile);
}

/**
 * Loads a results folder (`manifest.json`, `draws.csv`, `sample_stats.csv`). Throws
 * `EvaluationError` (`RESULTS_NOT_FOUND`, `RESULTS_INVALID`) naming the file and line.
 */
export async function loadResults(dir: string): Promise<ResultsFolder> {
  return loadResultsInto(dir, (n) => new Float64Array(n));
}

/**
 * `loadResults` with each chain's draws in an array from `alloc` (on a SharedArrayBuffer, the
 * evaluation's worker thread reads them without a copy: parallel.ts).
 */
export async function loadResultsInto(dir: string, alloc: (length: number) => Float64Array, other?: RowParser): Promise<ResultsFolder> {
  const abs = resolve(dir);
  const manifest = await loadManifest(abs);
  const drawsFile = join(abs, DRAWS_FILE);
  const text = await readText(drawsFile, 'the posterior draws');
  const draws = other ? await parseChainTableShared(text, drawsFile, 'draws', alloc, other) : parseChainTable(text, drawsFile, 'draws', alloc);
  const expected = manifest.parameter_names;
  if (draws.names.length !== expected.length || draws.names.some((n, i) => n !== expected[i])) {
    const i = draws.names.findIndex((n, k) => n !== expected[k]);
    throw new EvaluationError(
      'RESULTS_INVALID',
      `${drawsFile}: line 1 does not list the parameters of ${MANIFEST_FILE} (${draws.names.length} columns vs ${expected.length} names; first difference at column ${i + 3}: "${draws.names[i] ?? ''}" vs "${expected[i] ?? ''}").`,
      { file: drawsFile, line: 1 },
    );
  }
  const statsFile = join(abs, SAMPLE_STATS_FILE);
  const stats = parseChainTable(await readText(statsFile, 'the sampler statistics'), statsFile, 'sampler statistics');
  if (stats.chains.length !== draws.chains.length || stats.numDraws !== draws.numDraws) {
    throw new EvaluationError(
      'RESULTS_INVALID',
      `${statsFile} has ${stats.chains.length} chains × ${stats.numDraws} draws but ${DRAWS_FILE} has ${draws.chains.length} × ${draws.numDraws}; the folder is inconsistent.`,
      { file: statsFile },
    );
  }
  for (const required of ['divergent', 'treedepth', 'energy']) {
    if (!stats.names.includes(required)) {
      throw new EvaluationError('RESULTS_INVALID', `${statsFile}: line 1 has no "${required}" column.`, { file: statsFile, line: 1 });
    }
  }
  const sampleStats: Record<string, Float64Array[]> = {};
  stats.names.forEach((name, j) => {
    sampleStats[name] = stats.chains.map((c) => Float64Array.from({ length: stats.numDraws }, (_, i) => c[i * stats.names.length + j]!));
  });
  return {
    dir: abs,
    name: folderName(abs),
    manifest,
    names: draws.names,
    numChains: draws.chains.length,
    numDraws: draws.numDraws,
    draws: draws.chains,
    sampleStats,
  };
}

/** The last path component of an absolute folder path (the model name in comparisons). */
export function folderName(abs: string): string {
  const parts = abs.split(/[\\/]/).filter((p) => p.length > 0);
  return parts[parts.length - 1] ?? abs;
}

/** The draws of one parameter, one Float64Array per chain. Throws naming the parameter when absent. */
export function parameterDraws(results: ResultsFolder, name: string): Float64Array[] {
  const j = results.names.indexOf(name);
  if (j < 0) {
    throw new EvaluationError('INVALID_ARGUMENT', `parameter "${name}" is not in ${join(results.dir, DRAWS_FILE)} (model ${results.manifest.model}).`);
  }
  const dim = results.names.length;
  return results.draws.map((c) => Float64Array.from({ length: results.numDraws }, (_, i) => c[i * dim + j]!));
}
