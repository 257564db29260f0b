/**
 * Lift tests (geo experiments) for calibrating the model: one CSV row per experiment, checked
 * against the panel it will calibrate.
 *
 * Pipeline: csv-parse (shared with the marketing CSV) → header (exactly the columns of
 * {@link LIFT_TEST_COLUMNS}, any order) → per-row cell schema (zod tuple: shapes and ranges) →
 * checks against the panel (market, channel, weekly grid, window inside the market's dates,
 * spend of a go-dark test) → across rows (duplicates are problems, overlapping windows of one
 * market-channel are warnings). Every problem is collected; if there is any, a single
 * `DataValidationError` lists them all, sorted by line.
 */
import * as z from 'zod';
import { headerOf, readRecords } from './csv.js';
import { formatIsoDay, ISO_DATE_PATTERN, parseIsoDay, weekdayName } from './dates.js';
import { DataValidationError, TributaryError, dataProblem, type DataProblem } from './errors.js';
import { readTextFile } from './files.js';
import type { Panel } from './panel.js';
import { NUMBER_PATTERN, SPEND_SUFFIX } from './schema.js';
import { listDates } from './warnings.js';

/** The columns of a lift-test CSV, exactly these (in any order). */
export const LIFT_TEST_COLUMNS = ['market', 'channel', 'start', 'end', 'delta_spend', 'lift', 'lift_se'] as const;

type LiftColumn = (typeof LIFT_TEST_COLUMNS)[number];

/** One validated experiment. */
export interface LiftTest {
  /** 1-based line of the CSV file (header = line 1). */
  line: number;
  /** Market id, as in `panel.markets`. */
  market: string;
  /** Channel (the spend column name, as in `panel.channels`, even when the file wrote it without `_spend`). */
  channel: string;
  /** Index into `panel.markets`. */
  marketIndex: number;
  /** Index into `panel.channels`. */
  channelIndex: number;
  /** First week of the test (ISO `YYYY-MM-DD`, on the data's weekly grid). */
  start: string;
  /** Last week of the test, inclusive. */
  end: string;
  /** Global week index `(start − firstDate) / 7`. */
  startT: number;
  /** Global week index `(end − firstDate) / 7` (≥ `startT`). */
  endT: number;
  /** Extra spend per week during the test (money); negative for a go-dark / holdout test. */
  deltaSpend: number;
  /** Measured incremental target over the test window and its carryover (money; any sign). */
  lift: number;
  /** Standard error of `lift` (> 0). */
  liftSe: number;
}

/** The validated experiments of a file, in file order, and warnings (overlapping windows). */
export interface LiftTestData {
  tests: LiftTest[];
  warnings: string[];
}

/** The parts of a {@link Panel} that lift tests are checked against. */
export type LiftTestPanel = Pick<Panel, 'markets' | 'channels' | 'firstDate' | 'marketStart' | 'marketLength' | 'gridOffset' | 'gridSpend'>;

/** Options of {@link parseLiftTests}. */
export interface LiftTestOptions {
  /** File name for the error message (set by {@link readLiftTests}). */
  file?: string;
}

const EXAMPLE_HEADER = LIFT_TEST_COLUMNS.join(',');

/**
 * Parses and validates a lift-test CSV against `panel`. Throws `DataValidationError` listing
 * every problem (line, column, value and what to do).
 */
export function parseLiftTests(csvText: string, panel: LiftTestPanel, options?: LiftTestOptions): LiftTestData {
  return parseText(csvText, panel, options?.file);
}

/**
 * Reads a lift-test CSV (UTF-8) and validates it like {@link parseLiftTests}. A missing file is a
 * `TributaryError` with code `FILE_NOT_FOUND` naming the path; another read failure has code
 * `FILE_UNREADABLE`. A `DataValidationError` names the file in its message and `file` field.
 */
export async function readLiftTests(path: string, panel: LiftTestPanel): Promise<LiftTestData> {
  const text = await readTextFile(path, 'Lift-test file', 'a lift-test CSV file');
  return parseText(text, panel, path);
}

// ---------------------------------------------------------------------------------------------
// cell schemas (zod): shape and range of each cell; the panel-dependent rules come after

const quote = (input: unknown): string => JSON.stringify(String(input));

const NOT_FINITE_WORD = /^[+-]?(?:nan|inf|infinity)$/i;

const MEANING: Record<LiftColumn, string> = {
  market: 'the market id',
  channel: 'the channel',
  start: 'the first week of the test (YYYY-MM-DD)',
  end: 'the last week of the test (YYYY-MM-DD, inclusive)',
  delta_spend: 'the extra spend per week during the test',
  lift: 'the measured incremental revenue',
  lift_se: 'the standard error of lift',
};

const emptyCell = (column: LiftColumn): string =>
  `cell is empty; every experiment needs ${column} (${MEANING[column]}) — fill it in or remove the row.`;

function textCell(column: LiftColumn): z.ZodType<string> {
  return z.string().min(1, { error: emptyCell(column) });
}

function dateCell(column: 'start' | 'end'): z.ZodType<string> {
  return z
    .string()
    .regex(ISO_DATE_PATTERN, {
      abort: true,
      error: (iss) =>
        iss.input === ''
          ? emptyCell(column)
          : `value ${quote(iss.input)} is not a date in YYYY-MM-DD form (e.g. 2024-01-07) — reformat the cell.`,
    })
    .refine((s) => parseIsoDay(s) !== null, {
      error: (iss) => `value ${quote(iss.input)} is not a real calendar date — fix the cell.`,
    });
}

type NumberRule = 'nonzero' | 'any' | 'positive';

function numberCell(column: LiftColumn, rule: NumberRule): z.ZodType<string> {
  const ruleText =
    rule === 'nonzero'
      ? 'a finite number other than 0 (negative for a go-dark test)'
      : rule === 'positive'
        ? 'a finite number > 0'
        : 'a finite number (it may be 0 or negative)';
  const unparsable = (input: unknown): string => {
    const text = String(input);
    if (text === '') return emptyCell(column);
    if (NOT_FINITE_WORD.test(text)) return `value ${quote(text)} is not a finite number; ${column} must be ${ruleText} — fix the cell.`;
    if (/\d,\d/.test(text)) {
      return `value ${quote(text)} is not a plain number (thousands separator or decimal comma?); write e.g. 1000 or 1000.5 — fix the cell.`;
    }
    return `value ${quote(text)} is not a number; write plain decimals like 1200, -500 or 1.2e3 (no currency signs, units or thousands separators) — fix the cell.`;
  };
  const isValid = (s: string): boolean => {
    const v = Number(s);
    if (!Number.isFinite(v)) return false;
    return rule === 'nonzero' ? v !== 0 : rule === 'positive' ? v > 0 : true;
  };
  const invalid = (input: unknown): string => {
    const v = Number(input);
    if (!Number.isFinite(v)) return `value ${quote(input)} is too large to be a finite number — fix the cell.`;
    if (rule === 'nonzero') {
      return `value ${quote(input)} is 0; ${column} is ${MEANING[column]} and must not be 0 (positive for extra spend, negative for a go-dark / holdout test) — fix the cell or remove the row.`;
    }
    return `value ${quote(input)} is ${v === 0 ? '0' : 'negative'}; ${column} is ${MEANING[column]} and must be > 0 — fix the cell.`;
  };
  return z
    .string()
    .regex(NUMBER_PATTERN, { abort: true, error: (iss) => unparsable(iss.input) })
    .refine(isValid, { error: (iss) => invalid(iss.input) });
}

const CELL_SCHEMAS: Record<LiftColumn, z.ZodType<string>> = {
  market: textCell('market'),
  channel: textCell('channel'),
  start: dateCell('start'),
  end: dateCell('end'),
  delta_spend: numberCell('delta_spend', 'nonzero'),
  lift: numberCell('lift', 'any'),
  lift_se: numberCell('lift_se', 'positive'),
};

const isLiftColumn = (name: string): name is LiftColumn => (LIFT_TEST_COLUMNS as readonly string[]).includes(name);

// ---------------------------------------------------------------------------------------------
// header

interface Layout {
  header: string[];
  /** Position of each column in the header, or −1 when missing. */
  index: Record<LiftColumn, number>;
  schema: z.ZodType<string[]>;
}

/** Other names people use for a column (a rename hint). */
const ALIASES = new Map<string, LiftColumn>([
  ['country', 'market'],
  ['geo', 'market'],
  ['start_date', 'start'],
  ['end_date', 'end'],
]);

function resolveHeader(header: string[], problems: DataProblem[]): Layout {
  const index = Object.fromEntries(LIFT_TEST_COLUMNS.map((c) => [c, -1])) as Record<LiftColumn, number>;
  const seen = new Map<string, number>();
  const extra: { name: string; position: number }[] = [];
  header.forEach((name, i) => {
    const first = seen.get(name);
    if (first !== undefined && name !== '') {
      problems.push(
        dataProblem(1, name, null, `the header names column "${name}" twice (positions ${first + 1} and ${i + 1}); column names must be unique — remove one.`),
      );
      return;
    }
    seen.set(name, i);
    if (isLiftColumn(name)) index[name] = i;
    else extra.push({ name, position: i + 1 });
  });
  const missing = LIFT_TEST_COLUMNS.filter((c) => index[c] < 0);
  const expected = `a lift-test file has exactly the columns ${LIFT_TEST_COLUMNS.join(', ')} (in any order)`;
  const renamed = new Set<string>();
  for (const e of extra) {
    const target = missing.find((m) => m.toLowerCase() === e.name.toLowerCase()) ?? ALIASES.get(e.name.toLowerCase());
    if (target !== undefined && missing.includes(target) && !renamed.has(target)) {
      renamed.add(target);
      const why = target.toLowerCase() === e.name.toLowerCase() ? ' (column names are case-sensitive)' : '';
      problems.push(dataProblem(1, e.name, null, `column "${e.name}" should be named "${target}"${why}; ${expected} — rename it.`));
    } else if (e.name === '') {
      problems.push(dataProblem(1, null, null, `column ${e.position} has no name (a saved row index?); ${expected} — remove it.`));
    } else {
      problems.push(dataProblem(1, e.name, null, `column "${e.name}" is not part of the lift-test format; ${expected} — remove it.`));
    }
  }
  for (const m of missing) {
    if (renamed.has(m)) continue;
    problems.push(dataProblem(1, m, null, `column "${m}" (${MEANING[m]}) is missing from the header; ${expected} — add it.`));
  }
  const items = header.map((name, i) => (isLiftColumn(name) && index[name] === i ? CELL_SCHEMAS[name] : z.string()));
  const schema = z.tuple(items as [z.ZodType<string>, ...z.ZodType<string>[]]) as unknown as z.ZodType<string[]>;
  return { header, index, schema };
}

// ---------------------------------------------------------------------------------------------
// panel-dependent rules

const LISTED = 20;

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, LISTED).join(', ');
  return names.length > LISTED ? `${shown} and ${names.length - LISTED} more` : shown;
}

function caseHint(value: string, names: readonly string[]): string {
  const similar = names.find((n) => n.toLowerCase() === value.toLowerCase());
  return similar === undefined ? '' : ` (did you mean "${similar}"? names are case-sensitive)`;
}

/**
 * Channel index of a channel cell: the exact channel name first; otherwise `value + "_spend"`.
 * An exact name always wins, so `tv` means the channel `tv` when there is one, and `tv_spend`
 * only when there is not: the short form is never ambiguous.
 */
export function resolveChannel(value: string, channels: readonly string[]): number {
  const exact = channels.indexOf(value);
  if (exact >= 0) return exact;
  if (value.endsWith(SPEND_SUFFIX)) return -1;
  return channels.indexOf(value + SPEND_SUFFIX);
}

interface Context {
  panel: LiftTestPanel;
  firstDay: number;
  marketIndex: Map<string, number>;
  C: number;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function parseText(text: string, panel: LiftTestPanel, file: string | undefined): LiftTestData {
  const firstDay = parseIsoDay(panel.firstDate);
  if (firstDay === null) {
    throw new TributaryError('INVALID_ARGUMENT', `parseLiftTests: panel.firstDate "${panel.firstDate}" is not a valid ISO date; pass a panel from buildPanel.`);
  }
  const ctx: Context = { panel, firstDay, marketIndex: new Map(panel.markets.map((m, g) => [m, g])), C: panel.channels.length };
  const { records, lines } = readRecords(text, file);
  const problems: DataProblem[] = [];
  const warnings: string[] = [];

  const headerRecord = headerOf(
    records,
    file,
    `the file is empty: it has no experiments; expected a header line "${EXAMPLE_HEADER}" followed by one row per lift test.`,
  );
  const layout = resolveHeader(headerRecord, problems);
  if (records.length === 1) {
    problems.push(dataProblem(1, null, null, `the file has a header but no experiments; add one row per lift test (${EXAMPLE_HEADER}).`));
  }

  const tests: LiftTest[] = [];
  for (let r = 1; r < records.length; r++) {
    const test = checkRow(records[r] as string[], lines[r] as number, layout, ctx, problems);
    if (test !== null) tests.push(test);
  }
  checkAcrossRows(tests, ctx.C, firstDay, problems, warnings);

  if (problems.length > 0) {
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw new DataValidationError(problems, warnings, file);
  }
  return { tests, warnings };
}

/** Validates one row; returns the experiment when every rule of the row holds, else null. */
function checkRow(rec: string[], line: number, layout: Layout, ctx: Context, problems: DataProblem[]): LiftTest | null {
  const { header, index } = layout;
  const { panel, firstDay, C } = ctx;
  if (rec.length !== header.length) {
    problems.push(
      dataProblem(line, null, null, `the row has ${plural(rec.length, 'field')} but the header has ${header.length} — look for a missing value, a stray comma, or an unquoted comma inside a value.`),
    );
    return null;
  }
  const numBefore = problems.length;
  const bad = new Set<number>();
  const res = layout.schema.safeParse(rec);
  if (!res.success) {
    for (const iss of res.error.issues) {
      const i = typeof iss.path[0] === 'number' ? iss.path[0] : -1;
      if (i < 0 || bad.has(i)) continue;
      bad.add(i);
      problems.push(dataProblem(line, header[i] ?? null, rec[i] ?? null, iss.message));
    }
  }
  /** The cell text of a column when the column exists and its cell passed the schema. */
  const cell = (c: LiftColumn): string | null => {
    const i = index[c];
    return i < 0 || bad.has(i) ? null : (rec[i] as string);
  };
  const at = (c: LiftColumn, value: string, text: string): void => {
    problems.push(dataProblem(line, c, value, text));
  };

  // market
  const market = cell('market');
  let g = -1;
  if (market !== null) {
    g = ctx.marketIndex.get(market) ?? -1;
    if (g < 0) {
      at('market', market, `value ${quote(market)} is not a market of the data${caseHint(market, panel.markets)}; the markets are ${listNames(panel.markets)} — use one of them or remove the row.`);
    }
  }

  // channel
  const channelText = cell('channel');
  let c = -1;
  if (channelText !== null) {
    c = resolveChannel(channelText, panel.channels);
    if (c < 0) {
      at('channel', channelText, `value ${quote(channelText)} is not a channel of the data${caseHint(channelText, panel.channels)}; the channels are ${listNames(panel.channels)} (the ${SPEND_SUFFIX} suffix may be left out) — use one of them or remove the row.`);
    }
  }

  // start, end: on the weekly grid of the data, start ≤ end, inside the market's dates
  interface Week {
    text: string;
    day: number;
    /** Global week index, or null when the date is off the weekly grid. */
    t: number | null;
  }
  const week = (col: 'start' | 'end'): Week | null => {
    const text = cell(col);
    if (text === null) return null;
    const day = parseIsoDay(text) as number;
    const off = (((day - firstDay) % 7) + 7) % 7;
    if (off === 0) return { text, day, t: (day - firstDay) / 7 };
    const before = formatIsoDay(day - off);
    const after = formatIsoDay(day - off + 7);
    at(col, text, `value ${quote(text)} is a ${weekdayName(day)}, not on the weekly grid of the data: its weeks are dated on ${weekdayName(firstDay)}s (t = 0 is ${panel.firstDate}) and this date is ${plural(off, 'day')} after ${before} — use ${before} or ${after}, whichever is the data's date for that week.`);
    return { text, day, t: null };
  };
  const start = week('start');
  const end = week('end');
  let isWindowValid = start?.t != null && end?.t != null;
  if (start !== null && end !== null && start.day > end.day) {
    at('end', end.text, `value ${quote(end.text)} is before start ${start.text}; a test window runs from start to end (both inclusive) — swap the dates or fix one.`);
    isWindowValid = false;
  }
  if (g >= 0) {
    const first = panel.marketStart[g] as number;
    const last = first + (panel.marketLength[g] as number) - 1;
    const [firstDayOfMarket, lastDayOfMarket] = [firstDay + 7 * first, firstDay + 7 * last];
    const range = `${formatIsoDay(firstDayOfMarket)} … ${formatIsoDay(lastDayOfMarket)}`;
    const name = panel.markets[g] as string;
    for (const [col, w] of [['start', start], ['end', end]] as const) {
      if (w === null) continue;
      if (w.day < firstDayOfMarket || w.day > lastDayOfMarket) {
        const side = w.day < firstDayOfMarket ? 'before the first' : 'after the last';
        at(col, w.text, `value ${quote(w.text)} is ${side} week of market "${name}" in the data; a test window must lie within the market's dates (${range}) — fix the date or drop the row.`);
        isWindowValid = false;
      }
    }
  }

  // delta_spend: a go-dark test cannot take away more than was spent in any week of its window
  const deltaText = cell('delta_spend');
  const delta = deltaText === null ? NaN : Number(deltaText);
  if (deltaText !== null && delta < 0 && g >= 0 && c >= 0 && isWindowValid && start?.t != null && end?.t != null) {
    const first = panel.marketStart[g] as number;
    const short: { date: string; spend: number }[] = [];
    for (let t = start.t; t <= end.t; t++) {
      const spend = panel.gridSpend[((panel.gridOffset[g] as number) + t - first) * C + c] as number;
      if (!(spend >= -delta)) short.push({ date: formatIsoDay(firstDay + 7 * t), spend });
    }
    const firstShort = short[0];
    if (firstShort !== undefined) {
      const channel = panel.channels[c] as string;
      const also = short.length > 1 ? ` (also in ${listDates(short.slice(1).map((s) => s.date))})` : '';
      const gap = firstShort.spend === 0 ? ', or it has no row that week' : '';
      const smallest = formatNumber(Math.min(...short.map((s) => s.spend)));
      at('delta_spend', deltaText, `value ${quote(deltaText)} would make spend negative: market "${panel.markets[g]}" spent ${formatNumber(firstShort.spend)} on ${channel} in the week of ${firstShort.date}${gap}${also}, less than ${formatNumber(-delta)}; a go-dark test can remove at most the spend of each week of its window (here at most ${smallest}) — check delta_spend, the window and the channel.`);
    }
  }

  const lift = cell('lift');
  const liftSe = cell('lift_se');
  if (problems.length > numBefore) {
    // the row's problems in column order of the file
    const position = (q: DataProblem): number => (q.column === null ? -1 : header.indexOf(q.column));
    const rowProblems = problems.splice(numBefore).sort((a, b) => position(a) - position(b));
    problems.push(...rowProblems);
  }
  if (problems.length > numBefore || market === null || channelText === null || start?.t == null || end?.t == null) return null;
  if (deltaText === null || lift === null || liftSe === null) return null;
  return {
    line,
    market,
    channel: panel.channels[c] as string,
    marketIndex: g,
    channelIndex: c,
    start: start.text,
    end: end.text,
    startT: start.t,
    endT: end.t,
    deltaSpend: delta,
    lift: Number(lift),
    liftSe: Number(liftSe),
  };
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/** Duplicates (same market, channel, start, end) are problems; overlapping windows are warnings. */
function checkAcrossRows(tests: LiftTest[], C: number, firstDay: number, problems: DataProblem[], warnings: string[]): void {
  const groups = new Map<number, LiftTest[]>();
  for (const t of tests) {
    const key = t.marketIndex * C + t.channelIndex;
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [t]);
    else list.push(t);
  }
  for (const list of groups.values()) {
    const firstOf = new Map<string, LiftTest>();
    const unique: LiftTest[] = [];
    for (const t of list) {
      const key = `${t.startT}:${t.endT}`;
      const first = firstOf.get(key);
      if (first === undefined) {
        firstOf.set(key, t);
        unique.push(t);
        continue;
      }
      problems.push(
        dataProblem(t.line, null, null, `this experiment (market "${t.market}", channel ${t.channel}, ${t.start} to ${t.end}) repeats line ${first.line}; each (market, channel, start, end) may appear only once — remove one row, or combine the two results into one.`),
      );
    }
    const byStart = [...unique].sort((a, b) => a.startT - b.startT || a.line - b.line);
    for (let i = 0; i < byStart.length; i++) {
      const a = byStart[i] as LiftTest;
      for (let j = i + 1; j < byStart.length; j++) {
        const b = byStart[j] as LiftTest;
        if (b.startT > a.endT) break;
        const [x, y] = a.line < b.line ? [a, b] : [b, a];
        const from = formatIsoDay(firstDay + 7 * Math.max(a.startT, b.startT));
        const to = formatIsoDay(firstDay + 7 * Math.min(a.endT, b.endT));
        warnings.push(
          `lift tests on lines ${x.line} and ${y.line} (market "${x.market}", channel ${x.channel}) overlap from ${from} to ${to}; during the overlap each test's extra spend also affects the other's lift, so they are not independent measurements — check that both are meant to be used.`,
        );
      }
    }
  }
}
