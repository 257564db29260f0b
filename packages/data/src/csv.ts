/**
 * Reading and validating the long marketing CSV of model-spec.md §1 (one row per market-week).
 *
 * Pipeline: options (zod) → csv-parse (`csv-parse/sync`) → header roles → per-row cell schema
 * (zod tuple, including the magnitude limit |x| ≤ 1e15 of schema.ts) → cross-row rules (markets,
 * duplicates, weekly grid, common weekday, minimum rows, zero-spend channels, constant target) →
 * `MarketingData`. Every problem is collected; if there is any, a single `DataValidationError`
 * lists them all, sorted by line.
 */
import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import { DataValidationError, dataProblem, type DataProblem } from './errors.js';
import { readTextFile } from './files.js';
import { formatIsoDay, parseIsoDay, weekdayName, weekdayOfDay } from './dates.js';
import {
  COUNTRY_COLUMN,
  DATE_COLUMN,
  SPEND_SUFFIX,
  buildRowSchema,
  dataOptionsSchema,
  type CellKind,
  type ResolvedDataOptions,
} from './schema.js';
import { gapWarning, ignoredColumnWarning, unnamedColumnWarning, zeroSpendWarning } from './warnings.js';

/** Options of {@link parseMarketingCsv} and {@link readMarketingCsv}. */
export interface DataOptions {
  /** Target column; default `streaming_revenue`. */
  target?: string;
  /** Spend columns, in the order given; default every column ending in `_spend`, in column order. */
  channels?: string[];
  /** Control columns (any finite number); default none. */
  controls?: string[];
}

/** One validated market-week. */
export interface MarketingRow {
  /** 1-based line of the CSV file (header = line 1). */
  line: number;
  /** ISO date `YYYY-MM-DD`. */
  date: string;
  /** Market id. */
  country: string;
  /** Global week index `(date − firstDate) / 7`, an integer ≥ 0. */
  t: number;
  /** Spend per channel, in `MarketingData.channels` order (≥ 0). */
  spend: number[];
  /** Target value (≥ 0). */
  target: number;
  /** Control values, in `MarketingData.controls` order. */
  controls: number[];
}

/** A validated long table. Rows are ordered by market (order of first appearance), then date. */
export interface MarketingData {
  rows: MarketingRow[];
  /** Markets in order of first appearance in the file. */
  markets: string[];
  /** Channels (spend column names) in column order, or in the order of `options.channels`. */
  channels: string[];
  controls: string[];
  /** Target column name. */
  target: string;
  /** Earliest date of the file (ISO); `t = 0` there. */
  firstDate: string;
  warnings: string[];
}

/** A market needs at least this many rows (model-spec.md §1). */
export const MIN_ROWS_PER_MARKET = 8;

/** Parses and validates CSV text. Throws `DataValidationError` listing every problem. */
export function parseMarketingCsv(text: string, options?: DataOptions): MarketingData {
  return parseText(text, options, undefined);
}

/**
 * Reads a CSV file (UTF-8) and validates it like {@link parseMarketingCsv}. A missing file is a
 * `TributaryError` with code `FILE_NOT_FOUND`; another read failure has code `FILE_UNREADABLE`.
 * A `DataValidationError` thrown for the file names it in its message and `file` field.
 */
export async function readMarketingCsv(path: string, options?: DataOptions): Promise<MarketingData> {
  const text = await readTextFile(path);
  return parseText(text, options, path);
}

function resolveOptions(options: DataOptions | undefined, file: string | undefined): ResolvedDataOptions {
  const res = dataOptionsSchema.safeParse(options ?? {});
  if (res.success) return res.data;
  const problems = res.error.issues.map((iss) => {
    const key = iss.path.length > 0 ? `option ${iss.path.map(String).join('.')}` : 'options';
    return dataProblem(null, null, null, `${key}: ${iss.message}.`);
  });
  throw new DataValidationError(problems, [], file);
}

export interface RawRecords {
  records: string[][];
  /** 1-based first line of each record. */
  lines: number[];
}

const CSV_OPTIONS = { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true } as const;

/**
 * First line of each record when no record spans lines: the non-blank lines, in order. Returns
 * null when some line has an odd number of quote characters (a quoted value may continue on the
 * next line) — then csv-parse has to report the lines.
 */
function singleLineRecordStarts(text: string): number[] | null {
  const starts: number[] = [];
  let line = 1;
  let isBlank = true;
  let quotes = 0;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    const ch = i < n ? text.charCodeAt(i) : 10;
    if (ch === 10) {
      if ((quotes & 1) === 1) return null;
      if (!isBlank) starts.push(line);
      line++;
      isBlank = true;
      quotes = 0;
    } else if (ch === 34) {
      quotes++;
      isBlank = false;
    } else if (isBlank && ch > 32 && ch !== 0xfeff && ch !== 0xa0) {
      isBlank = false;
    }
  }
  return starts;
}

/** Runs csv-parse; line numbers come from a cheap scan, or from csv-parse when records span lines. */
export function readRecords(text: string, file: string | undefined): RawRecords {
  try {
    const starts = singleLineRecordStarts(text);
    if (starts !== null) {
      const records = parseCsv(text, CSV_OPTIONS);
      if (records.length === starts.length) return { records, lines: starts };
    }
    // Slow path (quoted line breaks, bare-CR line ends): ask csv-parse for each record's lines.
    const lines: number[] = [];
    let prevEnd = 0;
    let prevSkipped = 0;
    const records = parseCsv(text, {
      ...CSV_OPTIONS,
      on_record: (record: string[], ctx) => {
        const skipped = ctx.empty_lines + ctx.comment_lines;
        lines.push(prevEnd + 1 + (skipped - prevSkipped));
        prevEnd = ctx.lines;
        prevSkipped = skipped;
        return record;
      },
    });
    return { records, lines };
  } catch (err) {
    if (err instanceof CsvError) {
      const line = typeof err['lines'] === 'number' ? err['lines'] : null;
      const problem = dataProblem(
        line,
        null,
        null,
        `the file is not valid CSV (${err.code}: ${err.message}) — check the quotes on this line: a quoted value must end with a quote followed by a comma or the line end.`,
      );
      throw new DataValidationError([problem], [], file);
    }
    throw err;
  }
}

interface ColumnLayout {
  header: string[];
  kinds: CellKind[];
  dateIndex: number;
  countryIndex: number;
  targetIndex: number;
  /** Channels that exist in the header, and their positions. */
  channels: string[];
  channelIndex: number[];
  controls: string[];
  controlIndex: number[];
}

function missingColumnHint(name: string, header: readonly string[]): string {
  const similar = header.find((h) => h !== name && h.toLowerCase() === name.toLowerCase());
  return similar === undefined ? '' : ` (found "${similar}"; column names are case-sensitive)`;
}

/**
 * The header record of a CSV read by `readRecords`, or a DataValidationError (line 1) when the
 * file is empty (`emptyMessage`) or its header is one column holding another delimiter (`;`,
 * tab, `|`: the file is not comma-separated). Shared by the marketing and lift-test readers.
 */
export function headerOf(records: readonly string[][], file: string | undefined, emptyMessage: string): string[] {
  const headerRecord = records[0];
  if (headerRecord === undefined) throw new DataValidationError([dataProblem(1, null, null, emptyMessage)], [], file);
  const onlyColumn = headerRecord.length === 1 ? (headerRecord[0] ?? '') : '';
  const otherDelimiter = [';', '\t', '|'].find((d) => onlyColumn.includes(d));
  if (otherDelimiter !== undefined) {
    const shown = otherDelimiter === '\t' ? 'tab' : `"${otherDelimiter}"`;
    const problem = dataProblem(
      1,
      null,
      null,
      `the header is a single column "${onlyColumn}": the file looks ${shown}-separated, but Tributary reads comma-separated files — save it as CSV with commas between values (and dots as decimal points).`,
    );
    throw new DataValidationError([problem], [], file);
  }
  return headerRecord;
}

function resolveColumns(
  header: string[],
  opts: ResolvedDataOptions,
  problems: DataProblem[],
  warnings: string[],
): ColumnLayout {
  const position = new Map<string, number>();
  const kinds: CellKind[] = header.map(() => 'ignored');
  const isDuplicate: boolean[] = header.map(() => false);
  header.forEach((name, i) => {
    if (name === '') return;
    const first = position.get(name);
    if (first === undefined) {
      position.set(name, i);
    } else {
      isDuplicate[i] = true;
      problems.push(
        dataProblem(1, name, null, `the header names column "${name}" twice (positions ${first + 1} and ${i + 1}); column names must be unique — rename or remove one.`),
      );
    }
  });
  const listed = header.filter((h) => h !== '').join(', ');
  const require = (name: string, kind: CellKind, what: string, fix: string): number => {
    const i = position.get(name);
    if (i === undefined) {
      problems.push(
        dataProblem(1, name, null, `${what} column "${name}" is missing from the header${missingColumnHint(name, header)}; the header has: ${listed} — ${fix}.`),
      );
      return -1;
    }
    kinds[i] = kind;
    return i;
  };

  const dateIndex = require(DATE_COLUMN, 'date', 'the required', 'add it (ISO dates YYYY-MM-DD)');
  const countryIndex = require(COUNTRY_COLUMN, 'country', 'the required', 'add it (one market id per row)');
  const targetIndex = require(opts.target, 'target', 'the target', 'add it, or choose the target column with --target NAME');

  const controls: string[] = [];
  const controlIndex: number[] = [];
  for (const name of opts.controls) {
    const i = require(name, 'control', 'the control', 'add it, or leave it out of --controls');
    if (i >= 0) {
      controls.push(name);
      controlIndex.push(i);
    }
  }

  const channels: string[] = [];
  const channelIndex: number[] = [];
  if (opts.channels !== undefined) {
    for (const name of opts.channels) {
      const i = require(name, 'spend', 'the channel', 'add it, or leave it out of --channels');
      if (i >= 0) {
        channels.push(name);
        channelIndex.push(i);
      }
    }
  } else {
    header.forEach((name, i) => {
      if (isDuplicate[i] || !name.endsWith(SPEND_SUFFIX) || kinds[i] !== 'ignored') return;
      kinds[i] = 'spend';
      channels.push(name);
      channelIndex.push(i);
    });
    if (channels.length === 0) {
      problems.push(
        dataProblem(1, null, null, `no spend columns found in the header (${listed}); name each media column <channel>${SPEND_SUFFIX} (e.g. meta_spend) or list them with --channels a,b.`),
      );
    }
  }

  header.forEach((name, i) => {
    if (kinds[i] !== 'ignored' || isDuplicate[i]) return;
    warnings.push(name === '' ? unnamedColumnWarning(i + 1) : ignoredColumnWarning(name));
  });

  return { header, kinds, dateIndex, countryIndex, targetIndex, channels, channelIndex, controls, controlIndex };
}

/** Most frequent weekday among `days`; ties go to the weekday of the earliest day. */
function dominantWeekday(days: readonly number[]): number {
  const counts = new Array<number>(7).fill(0);
  const earliest = new Array<number>(7).fill(Infinity);
  for (const d of days) {
    const w = weekdayOfDay(d);
    counts[w] = (counts[w] ?? 0) + 1;
    if (d < (earliest[w] ?? Infinity)) earliest[w] = d;
  }
  let best = -1;
  for (let w = 0; w < 7; w++) {
    const c = counts[w] ?? 0;
    if (c === 0) continue;
    if (best < 0 || c > (counts[best] ?? 0) || (c === counts[best] && (earliest[w] ?? 0) < (earliest[best] ?? 0))) best = w;
  }
  return best;
}

interface MarketRecords {
  name: string;
  /** Record indices with a valid country cell, in file order. */
  recs: number[];
}

function parseText(text: string, options: DataOptions | undefined, file: string | undefined): MarketingData {
  const opts = resolveOptions(options, file);
  const { records, lines } = readRecords(text, file);
  const problems: DataProblem[] = [];
  const warnings: string[] = [];

  const headerRecord = headerOf(
    records,
    file,
    'the file is empty; expected a header line such as "date,country,meta_spend,streaming_revenue" followed by one row per market-week.',
  );
  const layout = resolveColumns(headerRecord, opts, problems, warnings);
  const { header, dateIndex, countryIndex, targetIndex, channelIndex, controlIndex } = layout;
  const numRecords = records.length;
  if (numRecords === 1) {
    problems.push(dataProblem(1, null, null, 'the file has a header but no data rows; add one row per market-week.'));
  }

  // ---- per-row cell validation (zod) ----
  const schema = buildRowSchema(layout.kinds);
  const numCols = header.length;
  const C = channelIndex.length;
  let numWellFormed = 0;
  const recCountry: (string | undefined)[] = new Array<string | undefined>(numRecords);
  const recDay = new Float64Array(numRecords).fill(NaN);
  const isColumnBad = new Uint8Array(numCols);
  const isCellBad = new Uint8Array(numCols);
  // Parsed numbers, record-major: slots 0..C-1 spend, C target, C+1..C+K controls (NaN if bad).
  const K = controlIndex.length;
  const numIndex = [...channelIndex, targetIndex, ...controlIndex];
  const S = numIndex.length;
  const values = new Float64Array(numRecords * S).fill(NaN);
  for (let r = 1; r < numRecords; r++) {
    const rec = records[r] as string[];
    const line = lines[r] as number;
    if (rec.length !== numCols) {
      problems.push(
        dataProblem(line, null, null, `the row has ${rec.length} field${rec.length === 1 ? '' : 's'} but the header has ${numCols} — look for a missing value, a stray comma, or an unquoted comma inside a value.`),
      );
      continue;
    }
    numWellFormed++;
    isCellBad.fill(0);
    const res = schema.safeParse(rec);
    if (!res.success) {
      for (const iss of res.error.issues) {
        const i = typeof iss.path[0] === 'number' ? iss.path[0] : -1;
        const column = i >= 0 ? header[i] || `#${i + 1}` : null;
        problems.push(dataProblem(line, column, i >= 0 ? (rec[i] ?? null) : null, iss.message));
        if (i >= 0) {
          isCellBad[i] = 1;
          isColumnBad[i] = 1;
        }
      }
    }
    if (countryIndex >= 0 && isCellBad[countryIndex] === 0) recCountry[r] = rec[countryIndex];
    if (dateIndex >= 0 && isCellBad[dateIndex] === 0) recDay[r] = parseIsoDay(rec[dateIndex] as string) ?? NaN;
    for (let s = 0; s < S; s++) {
      const i = numIndex[s] as number;
      if (i >= 0 && isCellBad[i] === 0) values[r * S + s] = Number(rec[i]) + 0;
    }
  }

  // ---- channels with zero spend everywhere ----
  if (numWellFormed > 0) {
    for (let c = 0; c < C; c++) {
      const i = channelIndex[c] as number;
      let max = 0;
      for (let r = 1; r < numRecords; r++) {
        const v = values[r * S + c] as number;
        if (v > max) max = v; // NaN (malformed row) never counts
      }
      if (isColumnBad[i] === 0 && max === 0) {
        problems.push(
          dataProblem(1, header[i] as string, null, 'spend is 0 in every row; a channel that never spends cannot be estimated — drop the column, or leave it out of --channels.'),
        );
      }
    }
  }

  // ---- markets, duplicates, weekly grid, common weekday, minimum rows ----
  const marketIndex = new Map<string, number>();
  const markets: MarketRecords[] = [];
  for (let r = 1; r < numRecords; r++) {
    const country = recCountry[r];
    if (country === undefined) continue;
    let g = marketIndex.get(country);
    if (g === undefined) {
      g = markets.length;
      marketIndex.set(country, g);
      markets.push({ name: country, recs: [] });
    }
    markets[g]?.recs.push(r);
  }
  const dateText = (r: number): string => records[r]?.[dateIndex] ?? '';
  const lineOf = (r: number): number => lines[r] as number;
  interface MarketGrid {
    g: number;
    weekday: number;
    numOnGrid: number;
    /** Record with the earliest on-grid date. */
    firstRec: number;
  }
  const grids: MarketGrid[] = [];
  markets.forEach((m, g) => {
    if (m.recs.length < MIN_ROWS_PER_MARKET) {
      const r0 = m.recs[0] as number;
      problems.push(
        dataProblem(lineOf(r0), COUNTRY_COLUMN, m.name, `market "${m.name}" has only ${m.recs.length} row${m.recs.length === 1 ? '' : 's'}; each market needs at least ${MIN_ROWS_PER_MARKET} weekly rows — add more weeks or remove the market's rows.`),
      );
    }
    const dated = m.recs.filter((r) => !Number.isNaN(recDay[r]));
    if (dated.length === 0) return;
    const firstLineOfDay = new Map<number, number>();
    for (const r of dated) {
      const day = recDay[r] as number;
      const first = firstLineOfDay.get(day);
      if (first === undefined) {
        firstLineOfDay.set(day, lineOf(r));
      } else {
        problems.push(
          dataProblem(lineOf(r), DATE_COLUMN, dateText(r), `value "${dateText(r)}": country "${m.name}" already has a row for this date (line ${first}); each (country, date) pair may appear only once — remove or fix one of the rows.`),
        );
      }
    }
    const weekday = dominantWeekday(dated.map((r) => recDay[r] as number));
    let firstRec = -1;
    let numOnGrid = 0;
    for (const r of dated) {
      const day = recDay[r] as number;
      if (weekdayOfDay(day) === weekday) {
        numOnGrid++;
        if (firstRec < 0 || day < (recDay[firstRec] as number)) firstRec = r;
      }
    }
    const gridStart = dateText(firstRec);
    const wname = weekdayName(recDay[firstRec] as number);
    for (const r of dated) {
      const day = recDay[r] as number;
      if (weekdayOfDay(day) === weekday) continue;
      const off = (((day - (recDay[firstRec] as number)) % 7) + 7) % 7;
      problems.push(
        dataProblem(lineOf(r), DATE_COLUMN, dateText(r), `value "${dateText(r)}" is not on the weekly grid of market "${m.name}": it is ${off} day${off === 1 ? '' : 's'} off the market's ${wname}s (first ${gridStart}, line ${lineOf(firstRec)}), and dates within a market must differ by multiples of 7 days — move the row to a ${wname} or remove it.`),
      );
    }
    grids.push({ g, weekday, numOnGrid, firstRec });
  });
  if (grids.length > 1) {
    const rowsPerWeekday = new Array<number>(7).fill(0);
    const earliestPerWeekday = new Array<number>(7).fill(Infinity);
    for (const gr of grids) {
      rowsPerWeekday[gr.weekday] = (rowsPerWeekday[gr.weekday] ?? 0) + gr.numOnGrid;
      const d = recDay[gr.firstRec] as number;
      if (d < (earliestPerWeekday[gr.weekday] ?? Infinity)) earliestPerWeekday[gr.weekday] = d;
    }
    let common = -1;
    for (let w = 0; w < 7; w++) {
      const n = rowsPerWeekday[w] ?? 0;
      if (n === 0) continue;
      if (common < 0 || n > (rowsPerWeekday[common] ?? 0) || (n === rowsPerWeekday[common] && (earliestPerWeekday[w] ?? 0) < (earliestPerWeekday[common] ?? 0))) common = w;
    }
    const reference = grids.find((gr) => gr.weekday === common) as MarketGrid;
    const refName = markets[reference.g]?.name ?? '';
    const commonName = weekdayName(recDay[reference.firstRec] as number);
    for (const gr of grids) {
      if (gr.weekday === common) continue;
      const name = markets[gr.g]?.name ?? '';
      const r = gr.firstRec;
      const shift = (((common - gr.weekday) % 7) + 7) % 7;
      const shiftText = shift <= 3 ? `${shift} day${shift === 1 ? '' : 's'} later` : `${7 - shift} day${7 - shift === 1 ? '' : 's'} earlier`;
      problems.push(
        dataProblem(lineOf(r), DATE_COLUMN, dateText(r), `value "${dateText(r)}" is a ${weekdayName(recDay[r] as number)}: market "${name}" has its weeks on ${weekdayName(recDay[r] as number)}s but market "${refName}" (line ${lineOf(reference.firstRec)}) and the others use ${commonName}s; all markets must share one weekday so that the week index t = (date − first date) / 7 is the same calendar week everywhere — move every date of market "${name}" ${shiftText}.`),
      );
    }
  }

  // ---- target constant in a market or in the whole file ----
  // All 0: the market's scale, its mean target, would be 0. Any other constant: nothing varies
  // for spend, trend and seasonality to explain, and the fit does not converge (issue 12: 58%
  // divergent transitions, R-hat 3). Numbers are compared as read ("1e3" equals "1000").
  if (targetIndex >= 0 && isColumnBad[targetIndex] === 0) {
    const targetOf = (r: number): number => values[r * S + C] as number;
    const isConstant = (recs: readonly number[]): boolean => recs.every((r) => targetOf(r) === targetOf(recs[0] as number));
    const allRecs = markets.flatMap((m) => m.recs);
    if (markets.length > 1 && isConstant(allRecs)) {
      // One problem for the column instead of one per market.
      const value = targetOf(allRecs[0] as number);
      problems.push(
        dataProblem(1, opts.target, null, `${opts.target} is ${value} in every row of the file (all ${allRecs.length} rows, ${markets.length} markets); a target that never changes cannot be modelled — check that ${opts.target} is the right target column (choose another with --target NAME) and that its values were exported correctly.`),
      );
    } else {
      for (const m of markets) {
        if (m.recs.length === 0) continue;
        const r0 = m.recs[0] as number;
        if (targetOf(r0) === 0 && isConstant(m.recs)) {
          problems.push(
            dataProblem(lineOf(r0), opts.target, null, `market "${m.name}" has ${opts.target} = 0 in every row; the target is scaled by each market's mean, which must be > 0 — check the column or remove the market.`),
          );
        } else if (m.recs.length > 1 && isConstant(m.recs)) {
          // (a 1-row market is constant trivially; the minimum-rows rule reports it)
          const text = records[r0]?.[targetIndex] ?? '';
          problems.push(
            dataProblem(lineOf(r0), opts.target, text, `value "${text}" in all ${m.recs.length} rows of market "${m.name}": the target never changes within the market, so there is nothing for spend, trend and seasonality to explain and the fit does not converge — check the column, or drop the market's rows.`),
          );
        }
      }
    }
  }

  if (problems.length > 0) {
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw new DataValidationError(problems, warnings, file);
  }

  // ---- build the table: every record is valid now ----
  let firstDay = Infinity;
  for (let r = 1; r < numRecords; r++) firstDay = Math.min(firstDay, recDay[r] as number);
  const rows: MarketingRow[] = [];
  for (const m of markets) {
    const sorted = [...m.recs].sort((a, b) => (recDay[a] as number) - (recDay[b] as number));
    const start = rows.length;
    for (const r of sorted) {
      const rec = records[r] as string[];
      const spend = new Array<number>(C);
      for (let c = 0; c < C; c++) spend[c] = values[r * S + c] as number;
      const controls = new Array<number>(K);
      for (let k = 0; k < K; k++) controls[k] = values[r * S + C + 1 + k] as number;
      rows.push({
        line: lineOf(r),
        date: rec[dateIndex] as string,
        country: m.name,
        t: ((recDay[r] as number) - firstDay) / 7,
        spend,
        target: values[r * S + C] as number,
        controls,
      });
    }
    warnings.push(...marketWarnings(m.name, rows.slice(start), layout.channels, firstDay));
  }

  return {
    rows,
    markets: markets.map((m) => m.name),
    channels: layout.channels,
    controls: layout.controls,
    target: opts.target,
    firstDate: formatIsoDay(firstDay),
    warnings,
  };
}

/** Missing weeks of one market's rows (sorted by t), as ISO dates. */
export function missingWeekDates(marketRows: readonly { t: number }[], firstDay: number): string[] {
  const missing: string[] = [];
  for (let i = 1; i < marketRows.length; i++) {
    const prev = (marketRows[i - 1] as { t: number }).t;
    const cur = (marketRows[i] as { t: number }).t;
    for (let t = prev + 1; t < cur; t++) missing.push(formatIsoDay(firstDay + 7 * t));
  }
  return missing;
}

/** Gap and zero-spend warnings of one market (rows sorted by t). */
export function marketWarnings(
  market: string,
  marketRows: readonly MarketingRow[],
  channels: readonly string[],
  firstDay: number,
): string[] {
  const out: string[] = [];
  const missing = missingWeekDates(marketRows, firstDay);
  if (missing.length > 0) out.push(gapWarning(market, missing));
  channels.forEach((channel, c) => {
    if (marketRows.every((row) => row.spend[c] === 0)) out.push(zeroSpendWarning(market, channel));
  });
  return out;
}
