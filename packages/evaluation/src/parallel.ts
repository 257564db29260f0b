/**
 * `evaluate` on two threads (this one and one worker_threads worker), with the numbers of the
 * single-threaded `evaluateResults`, bit for bit. The fit runs its chains on worker threads; the
 * evaluation shares its work the same way:
 *
 * - the worker rebuilds the model itself (from manifest.json and the data file) and parses the
 *   second half of draws.csv's lines (its own read of the file) into the SharedArrayBuffer of
 *   the draws while this thread parses the first half (results.ts `loadResultsInto`);
 * - the pass over the draws (draw-pass.ts) is split by blocks of PASS_BLOCK draws, claimed by
 *   both threads from shared flags (`Atomics.compareExchange`): whoever claims a block computes
 *   all of it — ROAS, marginal ROAS, contributions, log-likelihood, lift tests, y_rep and its
 *   test statistics, written at their draw's index into SharedArrayBuffers; the block's μ sum,
 *   written at the block's index (the total adds the blocks up in block order, `sumBlocks`);
 *   and the predictive coverage counts of its y_rep, into the thread's own CoverageCounts, which
 *   merge exactly in any order (integer counts, maxima, minima). y_rep is drawn from the block's
 *   own stream (draw-pass.ts `yRepBlockUniform`, seeded from the user's seed and the block), so
 *   μ is computed once per draw. (Before, y_rep was one sequential stream: the worker drew all of
 *   it and computed μ for every draw a second time, while this thread did everything else.)
 * - then both take chunks of the remaining independent work from one shared counter
 *   (`Atomics.add`): parameter ranges of the summary (R-hat, ESS, …: summary.ts), then
 *   observation ranges of r_eff + PSIS-LOO (loo.ts `looPointwiseRange`, written into shared
 *   arrays), which need both threads' blocks of the log-likelihood: each waits for the other's
 *   pass before its first LOO chunk (the passes end within a block of each other).
 * - this thread then merges the worker's coverage counts into its own and makes the predictive
 *   checks (ppc.ts `countedPredictiveChecks`) and the derived summaries.
 *
 * Every number depends only on its own draw, parameter or observation and is computed by the same
 * code in the same order whoever computes it; summary rows are put back in chunk order and the
 * LOO totals are summed over the shared arrays in observation order afterwards, so which thread
 * computed what changes nothing (test/parallel.test.ts compares with `evaluateResults`). An error
 * is the one the single-threaded run throws: the first chunk's, by chunk order.
 */
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { TributaryError } from '@tributary/data';
import { MODEL_MODULE_URL } from '@tributary/models';
import type { SummaryRow } from '@tributary/sampler';
import { spendTotals, summarizeDerived } from './derived.js';
import { makePass, numBlocks, PPC_STATS, sumBlocks, type DrawPass, type PassOutputs } from './draw-pass.js';
import { EvaluationError, type EvaluationErrorCode } from './errors.js';
import type { EvaluationParts } from './evaluate.js';
import { allocatePointwise, buildLogLikelihoodMatrix, looFromPointwise, LooKernel, looPointwiseRange, type LogLikelihoodMatrix, type LooPointwise } from './loo.js';
import { countedPredictiveChecks, passCoverage, type CoverageState } from './ppc.js';
import type { FittedModel } from './rebuild.js';
import type { ResultsFolder, RowParser } from './results.js';
import { summarizeParameters } from './summary.js';

/** Threads `evaluateFolder` uses by default: min(2, cores) (the fit's default is one per chain). */
export function defaultThreads(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

/** Parameters per summary chunk and observations per LOO chunk (tens of milliseconds each). */
const SUMMARY_CHUNK = 48;
const LOO_CHUNK = 192;

/** Slots of the shared control array. */
const NEXT_CHUNK = 0;
const MAIN_PASS_DONE = 1;
const WORKER_PASS_DONE = 2;
const CONTROL_SLOTS = 3;

/** `PassSplit.claim` on the shared block flags: whether this thread takes block b (first come). */
export function claimFrom(blocks: Int32Array): (block: number) => boolean {
  return (block) => Atomics.compareExchange(blocks, block, 0, 1) === 0;
}

/** What the worker is started with (structured-cloneable). */
export interface WorkerInit {
  readonly dir: string;
  readonly dataFile: string | undefined;
}

/** What the worker gets once the draws are loaded. */
export interface WorkerStart {
  readonly type: 'start';
  readonly numChains: number;
  readonly numDraws: number;
  readonly draws: readonly Float64Array[];
  readonly seed: number | string | undefined;
  readonly work: SharedWork;
}

/** The work both threads share. */
export interface SharedWork {
  /** [next chunk, main pass done, worker pass done] on a SharedArrayBuffer. */
  readonly control: Int32Array;
  /** The pass's per-draw outputs (and per-block μ sums), filled block by block by both threads. */
  readonly outputs: PassOutputs;
  /** One flag per block of the pass: 1 once a thread has claimed it. */
  readonly blocks: Int32Array;
  readonly numParams: number;
  readonly names: readonly string[];
  readonly numObs: number;
  /** The pointwise LOO arrays on SharedArrayBuffers, filled by both threads. */
  readonly pointwise: LooPointwise;
}

/** Parse the data lines [from, to) of draws.csv into `values` (results.ts `parseRowsInto`). */
export interface WorkerParse {
  readonly type: 'parse';
  readonly values: Float64Array;
  readonly from: number;
  readonly to: number;
  readonly width: number;
}

export type WorkerReply =
  | { readonly type: 'parsed'; readonly ok: boolean; readonly lines: number }
  | { readonly type: 'pass'; readonly coverage: CoverageState }
  | { readonly type: 'done'; readonly outcome: ChunkOutcome<SerializedError> }
  | { readonly type: 'error'; readonly error: SerializedError };

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly file?: string;
  readonly line?: number;
  readonly stack?: string;
}

/** The summary rows a thread computed, by chunk, and the first error it met (by chunk index). */
export interface ChunkOutcome<E = unknown> {
  readonly rows: [number, SummaryRow[]][];
  readonly error: { readonly chunk: number; readonly error: E } | undefined;
}


/**
 * Takes chunks from the shared counter until none is left (or one fails): summary chunks first,
 * then LOO chunks (`beforeLoo` is awaited before the first of those: both passes must be done).
 */
export async function runChunks(work: SharedWork, draws: readonly Float64Array[], numChains: number, beforeLoo: () => void | Promise<void>): Promise<ChunkOutcome> {
  const numSummary = Math.ceil(work.numParams / SUMMARY_CHUNK);
  const numLoo = Math.ceil(work.numObs / LOO_CHUNK);
  const rows: [number, SummaryRow[]][] = [];
  let ll: LogLikelihoodMatrix | undefined;
  let kernel: LooKernel | undefined;
  for (;;) {
    const k = Atomics.add(work.control, NEXT_CHUNK, 1);
    if (k >= numSummary + numLoo) return { rows, error: undefined };
    try {
      if (k < numSummary) {
        const from = k * SUMMARY_CHUNK;
        rows.push([k, summarizeParameters(draws, work.numParams, work.names, { from, to: Math.min(work.numParams, from + SUMMARY_CHUNK) })]);
      } else {
        if (!ll) {
          await beforeLoo();
          const logLik = work.outputs.logLik!;
          const numDraws = logLik.length / work.numObs;
          ll = buildLogLikelihoodMatrix(logLik, numDraws, work.numObs, numChains);
          kernel = new LooKernel(numDraws, numChains);
        }
        const from = (k - numSummary) * LOO_CHUNK;
        looPointwiseRange(ll, from, Math.min(work.numObs, from + LOO_CHUNK), work.pointwise, kernel);
      }
    } catch (error) {
      return { rows, error: { chunk: k, error } };
    }
  }
}

/** The worker's pass is done (its shared writes visible here once its 'pass' message arrived). */
function workerPassDone(control: Int32Array): void {
  if (Atomics.load(control, WORKER_PASS_DONE) !== 1) throw new EvaluationError('WORKER_FAILED', 'the evaluation worker reported its pass before finishing it');
}

/** Marks (in the worker) the end of its part of the pass; its 'pass' message follows. */
export function markWorkerPass(control: Int32Array): void {
  Atomics.store(control, WORKER_PASS_DONE, 1);
}

/** Blocks (in the worker) until the main thread has finished its part of the pass. */
export function waitForMainPass(control: Int32Array): void {
  while (Atomics.load(control, MAIN_PASS_DONE) === 0) Atomics.wait(control, MAIN_PASS_DONE, 0);
}

export function serializeError(error: unknown): SerializedError {
  const e = error instanceof Error ? error : new Error(String(error));
  const extra = e as { code?: unknown; file?: unknown; line?: unknown };
  return {
    name: e.name,
    message: e.message,
    ...(typeof extra.code === 'string' ? { code: extra.code } : {}),
    ...(typeof extra.file === 'string' ? { file: extra.file } : {}),
    ...(typeof extra.line === 'number' ? { line: extra.line } : {}),
    ...(e.stack === undefined ? {} : { stack: e.stack }),
  };
}

/** The worker's error as the class it was thrown as (EvaluationError, another TributaryError, Error). */
function deserializeError(s: SerializedError): Error {
  let e: Error;
  if (s.name === 'EvaluationError' && s.code !== undefined) {
    e = new EvaluationError(s.code as EvaluationErrorCode, s.message, { ...(s.file === undefined ? {} : { file: s.file }), ...(s.line === undefined ? {} : { line: s.line }) });
  } else if (s.code !== undefined) {
    e = new TributaryError(s.code, s.message);
    e.name = s.name;
  } else {
    e = new Error(s.message);
    e.name = s.name;
  }
  if (s.stack !== undefined) e.stack = `${e.name}: ${e.message}\n--- evaluation worker stack ---\n${s.stack}`;
  return e;
}

/** How to start the worker: dist/worker.js, or src/worker.ts through tsx (tests, dev runs). */
function workerLaunch(): { filename: string | URL; options: WorkerOptions } {
  const here = import.meta.url;
  const isTypeScript = /\.[cm]?tsx?$/.test(new URL(here).pathname);
  const entry = new URL(isTypeScript ? './worker.ts' : './worker.js', here);
  if (!isTypeScript) return { filename: entry, options: {} };
  // Node 20 does not apply `--import tsx` to a worker's entry: register tsx's hooks first (as
  // the sampler's workers do), and resolve the sibling packages as this thread did (their
  // sources when @tributary/models was loaded from src/).
  let api = 'tsx/esm/api';
  try {
    const resolved = createRequire(here).resolve('tsx/esm/api');
    const esm = resolved.replace(/index\.cjs$/, 'index.mjs');
    api = pathToFileURL(existsSync(esm) ? esm : resolved).href;
  } catch {
    // the bare specifier, resolved in the worker
  }
  const code =
    `import(${JSON.stringify(api)}).catch((e) => { throw new Error('Loading the TypeScript evaluation worker needs the tsx package: ' + e.message); })` +
    `.then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  const execArgv = MODEL_MODULE_URL.endsWith('.ts') ? ['--conditions=@tributary/source'] : [];
  return { filename: code, options: { eval: true, execArgv } };
}

/** A started evaluation worker (it rebuilds the model as soon as it starts). */
export class EvaluationWorker {
  private readonly worker: Worker;
  private readonly pass: Promise<Extract<WorkerReply, { type: 'pass' }>>;
  private readonly done: Promise<Extract<WorkerReply, { type: 'done' }>>;
  private onParsed: ((m: Extract<WorkerReply, { type: 'parsed' }>) => void) | undefined;
  private exited = false;

  constructor(init: WorkerInit) {
    const { filename, options } = workerLaunch();
    this.worker = new Worker(filename, { ...options, workerData: init });
    let onPass: (m: Extract<WorkerReply, { type: 'pass' }>) => void = () => undefined;
    let onDone: (m: Extract<WorkerReply, { type: 'done' }>) => void = () => undefined;
    let onError: (e: Error) => void = () => undefined;
    this.pass = new Promise((resolve, reject) => {
      onPass = resolve;
      onError = reject;
    });
    this.done = new Promise((resolve, reject) => {
      onDone = resolve;
      const previous = onError;
      onError = (e) => {
        previous(e);
        reject(e);
      };
    });
    this.worker.on('message', (m: WorkerReply) => {
      if (m.type === 'parsed') this.onParsed?.(m);
      else if (m.type === 'pass') onPass(m);
      else if (m.type === 'done') onDone(m);
      else onError(deserializeError(m.error));
    });
    this.worker.once('error', (e) =>
      onError(new EvaluationError('WORKER_FAILED', `the evaluation worker thread failed: ${e.message}. Evaluate on one thread (threads: 1) to go on.`, { cause: e })),
    );
    this.worker.once('exit', (code) => {
      this.exited = true;
      onError(new EvaluationError('WORKER_FAILED', `the evaluation worker thread exited (code ${code}) before it finished. Evaluate on one thread (threads: 1) to go on.`));
    });
    // surfaced where they are awaited
    this.pass.catch(() => undefined);
    this.done.catch(() => undefined);
  }

  /**
   * results.ts's `RowParser`: the worker parses lines of draws.csv (its own read of the file) into
   * the shared array. A failed worker counts as a failed parse (the caller parses sequentially,
   * and the failure surfaces at the start of the work).
   */
  readonly parseRows: RowParser = (values, from, to, width) => {
    const parsed = new Promise<{ ok: boolean; lines: number }>((resolve) => {
      this.onParsed = resolve;
      this.worker.once('exit', () => resolve({ ok: false, lines: -1 }));
    });
    this.worker.postMessage({ type: 'parse', values, from, to, width } satisfies WorkerParse);
    return parsed;
  };

  /** Hands over the draws and the shared work. */
  start(start: WorkerStart): { pass: Promise<Extract<WorkerReply, { type: 'pass' }>>; done: Promise<Extract<WorkerReply, { type: 'done' }>> } {
    this.worker.postMessage(start);
    return { pass: this.pass, done: this.done };
  }

  async terminate(): Promise<void> {
    if (!this.exited) await this.worker.terminate();
  }
}

/**
 * The heavy parts of the evaluation of `results` with a started worker (see the module comment);
 * those of `evaluateResults`, bit for bit.
 */
export async function evaluationPartsWithWorker(worker: EvaluationWorker, results: ResultsFolder, fitted: FittedModel, seed: number | string | undefined): Promise<EvaluationParts> {
  const { model } = fitted;
  const S = results.numChains * results.numDraws;
  const N = model.numObs;
  const G = model.markets.length;
  const C = model.channels.length;
  const J = model.liftTests.length;
  const shared64 = (length: number) => new Float64Array(new SharedArrayBuffer(8 * length));
  const work: SharedWork = {
    control: new Int32Array(new SharedArrayBuffer(4 * CONTROL_SLOTS)),
    outputs: {
      roas: shared64(G * C * S),
      marginalRoas: shared64(G * C * S),
      contributions: shared64(G * (4 + C) * S),
      logLik: shared64(N * S),
      liftPredictions: shared64(J * S),
      yRepStats: shared64(G * PPC_STATS * S),
      blockMuSums: shared64(numBlocks(S) * N),
    },
    blocks: new Int32Array(new SharedArrayBuffer(4 * numBlocks(S))),
    numParams: results.names.length,
    names: results.names,
    numObs: N,
    pointwise: allocatePointwise(N, (bytes) => new SharedArrayBuffer(bytes)),
  };
  const seedOption = seed === undefined ? {} : { seed };
  const replies = worker.start({ type: 'start', numChains: results.numChains, numDraws: results.numDraws, draws: results.draws, seed, work });
  const coverage = passCoverage(fitted.panel);
  const mainPass = makePass(
    results,
    model,
    { derived: true, ppc: true, logLik: true, liftTests: true, ...seedOption },
    { into: work.outputs, muSum: true, coverage, claim: claimFrom(work.blocks), spendTotal: spendTotals(fitted.panel) },
  );
  Atomics.store(work.control, MAIN_PASS_DONE, 1);
  Atomics.notify(work.control, MAIN_PASS_DONE);
  // once the worker's blocks are in: the μ sum, the derived summaries and the predictive checks
  // (before this thread's first LOO chunk, so that the worker takes more of those meanwhile)
  let prepared: Promise<Omit<EvaluationParts, 'summary' | 'loo'>> | undefined;
  const prepare = () =>
    (prepared ??= replies.pass.then((reply) => {
      workerPassDone(work.control);
      coverage.counts.merge(reply.coverage);
      const pass: DrawPass = { ...mainPass, muSum: sumBlocks(work.outputs.blockMuSums!, N) };
      return { pass, derived: summarizeDerived(results, fitted, { pass }), ppc: countedPredictiveChecks(fitted, pass, coverage) };
    }));
  // PSIS-LOO needs the worker's blocks of the log-likelihood too
  const mine = await runChunks(work, results.draws, results.numChains, async () => {
    await prepare().catch(() => undefined);
  });
  const prepareError = await prepare().then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
  const theirs = await replies.done;
  const errors = [mine.error, theirs.outcome.error && { chunk: theirs.outcome.error.chunk, error: deserializeError(theirs.outcome.error.error) }];
  const first = errors.filter((e) => e !== undefined).sort((a, b) => a.chunk - b.chunk)[0];
  // errors in the order of one thread: the summary's, then the pass's and the derived
  // summaries', then PSIS-LOO's
  if (first && first.chunk < Math.ceil(work.numParams / SUMMARY_CHUNK)) throw first.error;
  if (prepareError) throw prepareError.error;
  if (first) throw first.error;
  const summary = [...mine.rows, ...theirs.outcome.rows].sort((a, b) => a[0] - b[0]).flatMap(([, rows]) => rows);
  return { summary, ...(await prepare()), loo: looFromPointwise(work.pointwise, S) };
}
