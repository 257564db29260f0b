// Test helpers: build small CSV files as header + rows of cell texts, edit them by file line.
import { addWeeks } from '../src/dates.js';

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
