/**
 * `evaluate` on two threads (this one and one worker_threads worker), with the numbers of the
 * single-threaded `evaluateResults`, bit for bit. The fit runs its chains on worker threads; the
 * evaluation splits its work the same way:
 *
 * - the worker rebuilds the model itself (from manifest.json and the data file, while this
 *   thread parses draws.csv), receives a copy of the draws, and makes the posterior predictive
 *   pass (y_rep from the seeded stream, consumed draw after draw by y_rep only — so a pass with
 *   only the `ppc` part draws exactly the numbers of the full pass) and the predictive checks;
 * - this thread makes the pass with the derived quantities, the log-likelihood (written into a
 *   SharedArrayBuffer) and the lift tests, and the derived summaries;
 * - then both take chunks of the remaining independent work from one shared counter
 *   (`Atomics.add`): parameter ranges of the summary (R-hat, ESS, …: summary.ts) and observation
 *   ranges of r_eff + PSIS-LOO (loo.ts `looPointwiseRange`, written into shared arrays); the
 *   worker waits for the log-likelihood before its first LOO chunk.
 *
 * Every chunk's numbers depend only on its rows (each parameter and each observation is
 * computed alone, in the same order, by the same code), the summary rows are put back in chunk
 * order and the LOO totals are summed over the shared arrays in observation order afterwards,
 * so which thread computed what changes nothing (test/parallel.test.ts compares with
 * `evaluateResults`). An error is the one the single-threaded run throws: the first chunk's, by
 * chunk order.
 */
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { TributaryError } from '@tributary/data';
import { MODEL_MODULE_URL } from '@tributary/models';
import type { SummaryRow } from '@tributary/sampler';
import { summarizeDerived } from './derived.js';
import { makePass } from './draw-pass.js';
import { EvaluationError, type EvaluationErrorCode } from './errors.js';
import type { EvaluationParts } from './evaluate.js';
import { allocatePointwise, buildLogLikelihoodMatrix, looFromPointwise, LooKernel, looPointwiseRange, type LogLikelihoodMatrix, type LooPointwise } from './loo.js';
import type { PpcMarket } from './ppc.js';
import type { FittedModel } from './rebuild.js';
import type { ResultsFolder } from './results.js';
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
const LOGLIK_READY = 1;

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
  readonly shared: SharedWork;
}

/** The chunked work both threads draw from. */
export interface SharedWork {
  /** [next chunk, log-likelihood ready] on a SharedArrayBuffer. */
  readonly control: Int32Array;
  readonly numParams: number;
  readonly names: readonly string[];
  readonly numObs: number;
  /** The N × S log-likelihood (observation-major) on a SharedArrayBuffer, filled by the main thread. */
  readonly logLik: Float64Array;
  /** The pointwise LOO arrays on SharedArrayBuffers, filled by both threads. */
  readonly pointwise: LooPointwise;
}

export type WorkerReply =
  | { readonly type: 'done'; readonly ppc: PpcMarket[]; readonly outcome: ChunkOutcome<SerializedError> }
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
 * then LOO chunks (`waitForLogLik` is called before the first of those).
 */
export function runChunks(work: SharedWork, draws: readonly Float64Array[], numChains: number, waitForLogLik: () => void): ChunkOutcome {
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
          waitForLogLik();
          const numDraws = work.logLik.length / work.numObs;
          ll = buildLogLikelihoodMatrix(work.logLik, numDraws, work.numObs, numChains);
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

/** Blocks (in a worker) until the main thread has marked the log-likelihood ready. */
export function waitForLogLik(control: Int32Array): void {
  while (Atomics.load(control, LOGLIK_READY) === 0) Atomics.wait(control, LOGLIK_READY, 0);
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
  private readonly reply: Promise<WorkerReply>;
  private exited = false;

  constructor(init: WorkerInit) {
    const { filename, options } = workerLaunch();
    this.worker = new Worker(filename, { ...options, workerData: init });
    this.reply = new Promise<WorkerReply>((resolve, reject) => {
      this.worker.once('message', (m: WorkerReply) => resolve(m));
      this.worker.once('error', (e) => reject(new EvaluationError('INVALID_ARGUMENT', `the evaluation worker thread failed: ${e.message}`, { cause: e })));
      this.worker.once('exit', (code) => {
        this.exited = true;
        reject(new EvaluationError('INVALID_ARGUMENT', `the evaluation worker thread exited (code ${code}) before it finished`));
      });
    });
    this.reply.catch(() => undefined); // surfaced by `run`
  }

  /** Hands over the draws and the shared work; resolves with the worker's reply. */
  run(start: WorkerStart): Promise<WorkerReply> {
    this.worker.postMessage(start);
    return this.reply;
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
  const logLik = new Float64Array(new SharedArrayBuffer(8 * N * S));
  const shared: SharedWork = {
    control: new Int32Array(new SharedArrayBuffer(8)),
    numParams: results.names.length,
    names: results.names,
    numObs: N,
    logLik,
    pointwise: allocatePointwise(N, (bytes) => new SharedArrayBuffer(bytes)),
  };
  const reply = worker.run({ type: 'start', numChains: results.numChains, numDraws: results.numDraws, draws: results.draws, seed, shared });
  const pass = makePass(results, model, { derived: true, logLik: true, liftTests: true }, () => logLik);
  Atomics.store(shared.control, LOGLIK_READY, 1);
  Atomics.notify(shared.control, LOGLIK_READY);
  const derived = summarizeDerived(results, fitted, { pass });
  const mine = runChunks(shared, results.draws, results.numChains, () => undefined);
  const theirs = await reply;
  if (theirs.type === 'error') throw deserializeError(theirs.error);
  const errors = [mine.error, theirs.outcome.error && { chunk: theirs.outcome.error.chunk, error: deserializeError(theirs.outcome.error.error) }];
  const first = errors.filter((e) => e !== undefined).sort((a, b) => a.chunk - b.chunk)[0];
  if (first) throw first.error;
  const summary = [...mine.rows, ...theirs.outcome.rows].sort((a, b) => a[0] - b[0]).flatMap(([, rows]) => rows);
  return { summary, pass, derived, ppc: theirs.ppc, loo: looFromPointwise(shared.pointwise, S) };
}
