/**
 * Typed errors of Tributary. Every error carries a stable `code` (for programs: the CLI maps
 * codes to exit statuses) and a message that says what happened, where, and what to try.
 */

/** Base class of every error Tributary throws on purpose. */
export class TributaryError extends Error {
  /** Stable machine-readable code, e.g. `'DATA_INVALID'`, `'FILE_NOT_FOUND'`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TributaryError';
    this.code = code;
  }
}

/** One problem found in the input data. */
export interface DataProblem {
  /** 1-based line of the CSV file (the header is line 1), or null when no line applies. */
  line: number | null;
  /** Column name the problem is about, or null. */
  column: string | null;
  /** The offending cell text (as written in the file), or null. */
  value: string | null;
  /**
   * The complete, self-contained sentence, location included, e.g.
   * `line 14, column meta_spend: value "-20" is negative; spend must be ≥ 0 — fix the row or remove it.`
   */
  message: string;
}

/** At most this many problems are spelled out in `DataValidationError.message`. */
export const MAX_PROBLEMS_IN_MESSAGE = 50;

/** Builds a {@link DataProblem}, prefixing the message with its location. */
export function dataProblem(
  line: number | null,
  column: string | null,
  value: string | null,
  text: string,
): DataProblem {
  const where: string[] = [];
  if (line !== null) where.push(`line ${line}`);
  if (column !== null) where.push(`column ${column}`);
  const message = where.length > 0 ? `${where.join(', ')}: ${text}` : text;
  return { line, column, value, message };
}

/** Input data failed validation. `problems` lists every problem found, not just the first. */
export class DataValidationError extends TributaryError {
  readonly problems: DataProblem[];
  /** Warnings collected before the data was rejected (same texts as `MarketingData.warnings`). */
  readonly warnings: string[];
  /** The file the data came from, when read by `readMarketingCsv`. */
  readonly file: string | undefined;

  constructor(problems: DataProblem[], warnings: string[] = [], file?: string) {
    super('DATA_INVALID', formatProblems(problems, file));
    this.name = 'DataValidationError';
    this.problems = problems;
    this.warnings = warnings;
    this.file = file;
  }
}

function formatProblems(problems: DataProblem[], file: string | undefined): string {
  const n = problems.length;
  const where = file === undefined ? '' : ` in ${file}`;
  const head = `Invalid data${where}: ${n} problem${n === 1 ? '' : 's'} found.`;
  const shown = problems.slice(0, MAX_PROBLEMS_IN_MESSAGE).map((p) => `  ${p.message}`);
  if (n > MAX_PROBLEMS_IN_MESSAGE) {
    shown.push(`  ... and ${n - MAX_PROBLEMS_IN_MESSAGE} more (all are listed in error.problems).`);
  }
  return [head, ...shown].join('\n');
}
