/**
 * Errors thrown by `@tributary/evaluation`.
 *
 * Follows shared/design/conventions.md ("Errors and boundaries"): throw only for bad input or
 * configuration; each error has a stable `code` and a message that says what happened, where
 * (file, line, column, parameter) and what to try. `EvaluationError` extends `TributaryError`
 * from `@tributary/data`, so the CLI maps it like every other typed error (exit code 1).
 */
import { TributaryError } from '@tributary/data';

export type EvaluationErrorCode =
  /** The folder or one of its files does not exist or cannot be read. */
  | 'RESULTS_NOT_FOUND'
  /** manifest.json, draws.csv or sample_stats.csv is malformed. */
  | 'RESULTS_INVALID'
  /** The data file of a fit cannot be read. */
  | 'DATA_NOT_FOUND'
  /** The data file is not the one the fit used (sha256), or the rebuilt model does not match the draws. */
  | 'DATA_MISMATCH'
  /** ground_truth.json is missing or malformed. */
  | 'TRUTH_INVALID'
  /** Fits that cannot be compared (different data, too few models). */
  | 'NOT_COMPARABLE'
  /** A bad argument to a function of this package (wrong shapes, probabilities, …). */
  | 'INVALID_ARGUMENT'
  /** The evaluation's worker thread could not start or stopped without an answer (evaluate with `threads: 1`). */
  | 'WORKER_FAILED';

export class EvaluationError extends TributaryError {
  declare readonly code: EvaluationErrorCode;
  /** The file the problem is in, when there is one. */
  readonly file: string | undefined;
  /** 1-based line of `file`, when the problem is on one line. */
  readonly line: number | undefined;

  constructor(code: EvaluationErrorCode, message: string, options: { file?: string; line?: number; cause?: unknown } = {}) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EvaluationError';
    this.file = options.file;
    this.line = options.line;
  }
}

/** Throws `INVALID_ARGUMENT`. */
export function invalidArgument(message: string): never {
  throw new EvaluationError('INVALID_ARGUMENT', message);
}
