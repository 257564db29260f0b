// Test helpers: build small CSV files as header + rows of cell texts, edit them by file line;
// check validation errors (the error type and that each problem names line, column and value).
import { expect } from 'vitest';
import { addWeeks } from '../src/dates.js';
import { DataValidationError, TributaryError, type DataProblem } from '../src/index.js';

export interface CsvTable {
  header: string[];
  /** rows[i] is file line i + 2 (the header is line 1). */
  rows: string[][];
}

export interface TableOptions {
  markets?: string[];
  weeks?: number;
  start?: string;
  channels?: string[];
  extraColumns?: string[];
}

/** A valid file: every market has `weeks` consecutive weekly rows starting at `start`. */
export function validTable(options: TableOptions = {}): CsvTable {
  const markets = options.markets ?? ['DE', 'FR'];
  const weeks = options.weeks ?? 10;
  const start = options.start ?? '2024-01-07';
  const channels = options.channels ?? ['meta_spend', 'tiktok_spend'];
  const extra = options.extraColumns ?? [];
  const header = ['date', 'country', ...channels, 'streaming_revenue', ...extra];
  const rows: string[][] = [];
  const dates = Array.from({ length: weeks }, (_, w) => addWeeks(start, w));
  markets.forEach((m, g) => {
    for (let w = 0; w < weeks; w++) {
      const spend = channels.map((_, c) => String((((g + 1) * (c + 2) * (w + 3)) % 97) + 1));
      rows.push([dates[w]!, m, ...spend, String(1000 + 10 * w + g), ...extra.map((_, k) => String(w + k))]);
    }
  });
  return { header, rows };
}

export function toCsv(table: CsvTable, eol = '\n'): string {
  return [table.header, ...table.rows].map((r) => r.join(',')).join(eol) + eol;
}

/** Index into `rows` of file line `line`. */
export const rowOfLine = (line: number): number => line - 2;

/** Returns a copy with the cell at (file line, column) replaced. */
export function setCell(table: CsvTable, line: number, column: string, value: string): CsvTable {
  const j = table.header.indexOf(column);
  if (j < 0) throw new Error(`no column ${column}`);
  const rows = table.rows.map((r) => [...r]);
  const row = rows[rowOfLine(line)];
  if (row === undefined) throw new Error(`no line ${line}`);
  row[j] = value;
  return { header: [...table.header], rows };
}

/** Returns a copy without the given column. */
export function dropColumn(table: CsvTable, column: string): CsvTable {
  const j = table.header.indexOf(column);
  if (j < 0) throw new Error(`no column ${column}`);
  return { header: table.header.filter((_, i) => i !== j), rows: table.rows.map((r) => r.filter((_, i) => i !== j)) };
}

/** Returns a copy without the rows of the given file lines. */
export function dropLines(table: CsvTable, lines: number[]): CsvTable {
  const drop = new Set(lines.map(rowOfLine));
  return { header: [...table.header], rows: table.rows.filter((_, i) => !drop.has(i)) };
}

/** Runs `f`, expects it to throw, and returns the error. */
export function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

/** The DataValidationError (code DATA_INVALID) that `f` throws. */
export function validationError(f: () => unknown): DataValidationError {
  const err = thrown(f);
  expect(err).toBeInstanceOf(DataValidationError);
  expect(err).toBeInstanceOf(TributaryError);
  expect((err as DataValidationError).code).toBe('DATA_INVALID');
  return err as DataValidationError;
}

export interface ExpectedProblem {
  line: number | null;
  column: string | null;
  value: string | null;
  says: RegExp;
}

/**
 * Asserts that exactly one problem matches and that its message names line, column and value
 * and is part of the error's message; returns it.
 */
export function expectProblem(err: DataValidationError, e: ExpectedProblem): DataProblem {
  const found = err.problems.filter((p) => p.line === e.line && p.column === e.column && e.says.test(p.message));
  expect(found, err.message).toHaveLength(1);
  const p = found[0]!;
  expect(p.value).toBe(e.value);
  if (e.line !== null) expect(p.message).toContain(`line ${e.line}`);
  if (e.column !== null) expect(p.message).toContain(`column ${e.column}`);
  if (e.value !== null && e.value !== '') expect(p.message).toContain(`"${e.value}"`);
  expect(err.message).toContain(p.message);
  return p;
}
