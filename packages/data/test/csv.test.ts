import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DataValidationError, TributaryError, buildPanel, formatSummary, parseMarketingCsv, readMarketingCsv, summarizeDataset } from '../src/index.js';
import type { DataOptions } from '../src/index.js';
import { dropColumn, dropLines, expectProblem, setCell, toCsv, validTable, validationError, type CsvTable } from './helpers.js';

function rejection(text: string, options?: DataOptions): DataValidationError {
  return validationError(() => parseMarketingCsv(text, options));
}

/** The single problem of a file with one mistake at (line, column): `cell` as written, `value` as read. */
function expectSingleCellProblem(table: CsvTable, line: number, column: string, cell: string, says: RegExp, value = cell): void {
  const err = rejection(toCsv(setCell(table, line, column, cell)));
  expect(err.problems, err.message).toHaveLength(1);
  expectProblem(err, { line, column, value, says });
}

const base = validTable();

describe('parseMarketingCsv: a valid file', () => {
  test('reads markets, channels, target, rows and t', () => {
    const data = parseMarketingCsv(toCsv(base));
    expect(data.markets).toEqual(['DE', 'FR']);
    expect(data.channels).toEqual(['meta_spend', 'tiktok_spend']);
    expect(data.controls).toEqual([]);
    expect(data.target).toBe('streaming_revenue');
    expect(data.firstDate).toBe('2024-01-07');
    expect(data.warnings).toEqual([]);
    expect(data.rows).toHaveLength(20);
    expect(data.rows[0]).toEqual({ line: 2, date: '2024-01-07', country: 'DE', t: 0, spend: [7, 10], target: 1000, controls: [] });
    expect(data.rows[19]).toMatchObject({ line: 21, date: '2024-03-10', country: 'FR', t: 9 });
  });

  test('orders markets by first appearance and rows by market then date', () => {
    const t = validTable({ markets: ['US', 'BR'] });
    const shuffled: CsvTable = { header: t.header, rows: [t.rows[13]!, ...t.rows.filter((_, i) => i !== 13).reverse()] };
    const data = parseMarketingCsv(toCsv(shuffled));
    expect(data.markets).toEqual(['BR', 'US']);
    expect(data.rows.map((r) => `${r.country}:${r.t}`)).toEqual([
      ...Array.from({ length: 10 }, (_, w) => `BR:${w}`),
      ...Array.from({ length: 10 }, (_, w) => `US:${w}`),
    ]);
    // line numbers still point into the shuffled file
    expect(data.rows.find((r) => r.country === 'BR' && r.t === 3)?.line).toBe(2);
  });

  test('t counts weeks from the global first date; markets may start later', () => {
    const de = validTable({ markets: ['DE'], start: '2024-01-07' });
    const fr = validTable({ markets: ['FR'], start: '2024-02-04' });
    const data = parseMarketingCsv(toCsv({ header: de.header, rows: [...fr.rows, ...de.rows] }));
    expect(data.firstDate).toBe('2024-01-07');
    expect(data.rows.find((r) => r.country === 'FR')?.t).toBe(4);
  });

  test('accepts CRLF, a BOM, quotes, surrounding spaces, signs and scientific notation', () => {
    const text =
      '\uFEFFdate , country,"meta_spend",streaming_revenue\r\n' +
      Array.from({ length: 8 }, (_, w) => `2024-01-${String(7 + 7 * (w % 4)).padStart(2, '0')}`)
        .slice(0, 4)
        .concat(['2024-02-04', '2024-02-11', '2024-02-18', '2024-02-25'])
        .map((d, w) => ` ${d} ,"DE", ${w === 0 ? '1.5e3' : w === 1 ? '+.5' : w === 2 ? '0.' : String(w)} ,${w === 3 ? '2E+2' : '100'}`)
        .join('\r\n');
    const data = parseMarketingCsv(text);
    expect(data.rows.map((r) => r.spend[0])).toEqual([1500, 0.5, 0, 3, 4, 5, 6, 7]);
    expect(data.rows[3]!.target).toBe(200);
  });

  test('"-0" is read as 0, not as a negative number', () => {
    const data = parseMarketingCsv(toCsv(setCell(base, 2, 'meta_spend', '-0')));
    expect(Object.is(data.rows[0]!.spend[0], 0)).toBe(true);
  });

  test('line numbers count blank lines', () => {
    // blank and whitespace-only lines before line 5: 2024-01-28 moves from line 5 to line 7
    const text = toCsv(setCell(base, 5, 'meta_spend', '-13')).replace('\n2024-01-28', '\n\n   \n2024-01-28');
    expectProblem(rejection(text), { line: 7, column: 'meta_spend', value: '-13', says: /negative/ });
  });

  test('line numbers with a quoted cell that spans two lines', () => {
    const t = setCell(setCell(validTable({ extraColumns: ['note'] }), 3, 'note', '"two\nlines"'), 5, 'meta_spend', '-13');
    const text = toCsv(t).replace('\n2024-01-21', '\n\n2024-01-21');
    // header 1, row 2, row spanning 3–4, blank 5, 2024-01-21 on 6, 2024-01-28 on 7
    const err = rejection(text);
    expectProblem(err, { line: 7, column: 'meta_spend', value: '-13', says: /negative/ });
    const ok = parseMarketingCsv(toCsv(setCell(validTable({ extraColumns: ['note'] }), 3, 'note', '"two\nlines"')));
    expect(ok.rows.slice(0, 3).map((r) => r.line)).toEqual([2, 3, 5]);
  });

  test('line numbers with old Mac line ends (CR only)', () => {
    const err = rejection(toCsv(setCell(base, 6, 'meta_spend', '-1'), '\r'));
    expectProblem(err, { line: 6, column: 'meta_spend', value: '-1', says: /negative/ });
  });

  test('quoted cells without line breaks keep the fast line count', () => {
    const quoted = toCsv(setCell(base, 6, 'meta_spend', '-1')).replace(/,(DE|FR),/g, ',"$1",');
    expectProblem(rejection(quoted), { line: 6, column: 'meta_spend', value: '-1', says: /negative/ });
  });

  test('explicit channels choose and order the spend columns; controls may be negative', () => {
    const t = validTable({ channels: ['meta_spend', 'tiktok_spend', 'radio'], extraColumns: ['price'] });
    const withNegative = setCell(t, 2, 'price', '-1.25');
    const data = parseMarketingCsv(toCsv(withNegative), { channels: ['radio', 'meta_spend'], controls: ['price'] });
    expect(data.channels).toEqual(['radio', 'meta_spend']);
    expect(data.controls).toEqual(['price']);
    expect(data.rows[0]!.spend).toEqual([Number(t.rows[0]![4]), Number(t.rows[0]![2])]);
    expect(data.rows[0]!.controls).toEqual([-1.25]);
    expect(data.warnings).toEqual(['ignored column "tiktok_spend": it is not date, country, a channel, the target or a control (pass --controls tiktok_spend to use it as a control).']);
  });

  test('a different target column; a *_spend target is not taken as a channel', () => {
    const t = validTable();
    const renamed: CsvTable = { header: t.header.map((h) => (h === 'streaming_revenue' ? 'total_spend' : h)), rows: t.rows };
    const data = parseMarketingCsv(toCsv(renamed), { target: 'total_spend' });
    expect(data.target).toBe('total_spend');
    expect(data.channels).toEqual(['meta_spend', 'tiktok_spend']);
  });
});

describe('parseMarketingCsv: rejections name line, column and value', () => {
  test('missing date column', () => {
    const err = rejection(toCsv(dropColumn(base, 'date')));
    expectProblem(err, { line: 1, column: 'date', value: null, says: /required column "date" is missing/ });
  });

  test('missing date column, with a hint when only the case differs', () => {
    const t = validTable();
    const err = rejection(toCsv({ header: t.header.map((h) => (h === 'date' ? 'Date' : h)), rows: t.rows }));
    expectProblem(err, { line: 1, column: 'date', value: null, says: /found "Date"; column names are case-sensitive/ });
  });

  test('missing country column', () => {
    const err = rejection(toCsv(dropColumn(base, 'country')));
    expectProblem(err, { line: 1, column: 'country', value: null, says: /required column "country" is missing/ });
  });

  test('missing target column (default and chosen)', () => {
    let err = rejection(toCsv(dropColumn(base, 'streaming_revenue')));
    expectProblem(err, { line: 1, column: 'streaming_revenue', value: null, says: /target column .* --target NAME/ });
    err = rejection(toCsv(base), { target: 'revenue' });
    expectProblem(err, { line: 1, column: 'revenue', value: null, says: /target column "revenue" is missing/ });
  });

  test('missing requested channel column', () => {
    const err = rejection(toCsv(base), { channels: ['meta_spend', 'radio_spend'] });
    expect(err.problems).toHaveLength(1);
    expectProblem(err, { line: 1, column: 'radio_spend', value: null, says: /channel column "radio_spend" is missing/ });
  });

  test('missing requested control column', () => {
    const err = rejection(toCsv(base), { controls: ['price'] });
    expect(err.problems).toHaveLength(1);
    expectProblem(err, { line: 1, column: 'price', value: null, says: /control column "price" is missing/ });
  });

  test('no spend columns at all', () => {
    const err = rejection(toCsv(dropColumn(dropColumn(base, 'meta_spend'), 'tiktok_spend')));
    expect(err.problems).toHaveLength(1);
    expectProblem(err, { line: 1, column: null, value: null, says: /no spend columns found .*--channels/ });
  });

  test('a semicolon- or tab-separated file', () => {
    for (const sep of [';', '\t']) {
      const err = rejection(toCsv(base).replaceAll(',', sep));
      expect(err.problems).toHaveLength(1);
      expectProblem(err, { line: 1, column: null, value: null, says: /the header is a single column .* Tributary reads comma-separated files/ });
    }
  });

  test('a column named twice in the header', () => {
    const t = validTable();
    const err = rejection(toCsv({ header: [...t.header, 'meta_spend'], rows: t.rows.map((r) => [...r, '1']) }));
    expectProblem(err, { line: 1, column: 'meta_spend', value: null, says: /names column "meta_spend" twice \(positions 3 and 6\)/ });
  });

  test('unparsable date', () => {
    expectSingleCellProblem(base, 5, 'date', '28/01/2024', /not a date in YYYY-MM-DD form/);
    expectSingleCellProblem(base, 5, 'date', '2024-1-28', /not a date in YYYY-MM-DD form/);
  });

  test('a date that is not a real calendar date', () => {
    const t = validTable({ start: '2023-02-05' });
    // line 5 would be 2023-02-26; 2023 is not a leap year
    expectSingleCellProblem(t, 5, 'date', '2023-02-29', /not a real calendar date/);
    expectSingleCellProblem(t, 5, 'date', '2023-13-05', /not a real calendar date/);
  });

  test('unparsable numbers', () => {
    expectSingleCellProblem(base, 4, 'meta_spend', '"1,000"', /not a plain number \(thousands separator/, '1,000');
    expectSingleCellProblem(base, 4, 'meta_spend', 'abc', /"abc" is not a number; write plain decimals/);
    expectSingleCellProblem(base, 4, 'streaming_revenue', '12€', /"12€" is not a number/);
    expectSingleCellProblem(base, 4, 'tiktok_spend', '0x10', /"0x10" is not a number/);
  });

  test('negative spend', () => {
    const err = rejection(toCsv(setCell(base, 14, 'meta_spend', '-20')));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]!.message).toBe('line 14, column meta_spend: value "-20" is negative; spend must be ≥ 0 — fix the row or remove it.');
  });

  test('negative target', () => {
    expectSingleCellProblem(base, 9, 'streaming_revenue', '-5.5', /is negative; the target must be ≥ 0/);
  });

  test('NaN and Infinity', () => {
    expectSingleCellProblem(base, 3, 'meta_spend', 'NaN', /"NaN" is not a finite number/);
    expectSingleCellProblem(base, 3, 'streaming_revenue', 'Infinity', /"Infinity" is not a finite number/);
    expectSingleCellProblem(base, 3, 'tiktok_spend', '-inf', /"-inf" is not a finite number/);
    expectSingleCellProblem(base, 3, 'tiktok_spend', '1e999', /"1e999" is too large to be a finite number/);
  });

  test('empty cells', () => {
    expectSingleCellProblem(base, 6, 'meta_spend', '', /cell is empty; .* write 0 for no spend/);
    expectSingleCellProblem(base, 6, 'streaming_revenue', '', /cell is empty/);
    expectSingleCellProblem(base, 6, 'date', '', /cell is empty; every row needs a date/);
    // an empty country also leaves DE with 9 rows, still enough
    expectSingleCellProblem(base, 6, 'country', '', /cell is empty; every row needs a market id/);
  });

  test('empty control cell', () => {
    const t = validTable({ extraColumns: ['price'] });
    const err = rejection(toCsv(setCell(t, 6, 'price', '')), { controls: ['price'] });
    expect(err.problems).toHaveLength(1);
    expectProblem(err, { line: 6, column: 'price', value: '', says: /cell is empty/ });
  });

  test('duplicate (country, date)', () => {
    const t = validTable({ weeks: 12 });
    const err = rejection(toCsv(setCell(t, 11, 'date', '2024-01-14')));
    expect(err.problems).toHaveLength(1);
    expectProblem(err, { line: 11, column: 'date', value: '2024-01-14', says: /country "DE" already has a row for this date \(line 3\)/ });
  });

  test('a date off the weekly grid of its market', () => {
    const err = rejection(toCsv(setCell(base, 7, 'date', '2024-02-13')));
    expect(err.problems).toHaveLength(1);
    expectProblem(err, { line: 7, column: 'date', value: '2024-02-13', says: /not on the weekly grid of market "DE": it is 2 days off the market's Sundays/ });
  });

  test('off-grid when the first date itself is the odd one: the majority weekday wins', () => {
    const err = rejection(toCsv(setCell(base, 2, 'date', '2023-12-30')));
    expect(err.problems).toHaveLength(1);
    expectProblem(err, { line: 2, column: 'date', value: '2023-12-30', says: /market's Sundays \(first 2024-01-14, line 3\)/ });
  });

  test('a market with fewer than 8 rows', () => {
    const t = validTable();
    const nl = validTable({ markets: ['NL'], weeks: 5 });
    const err = rejection(toCsv({ header: t.header, rows: [...t.rows, ...nl.rows] }));
    expect(err.problems).toHaveLength(1);
    expectProblem(err, { line: 22, column: 'country', value: 'NL', says: /market "NL" has only 5 rows; each market needs at least 8/ });
  });

  test('a channel with zero spend everywhere', () => {
    const t = validTable();
    const zero: CsvTable = { header: t.header, rows: t.rows.map((r) => [r[0]!, r[1]!, r[2]!, '0', r[4]!]) };
    const err = rejection(toCsv(zero));
    expect(err.problems).toHaveLength(1);
    expectProblem(err, { line: 1, column: 'tiktok_spend', value: null, says: /spend is 0 in every row/ });
  });

  test('an empty file', () => {
    for (const text of ['', '\n\n', '\uFEFF']) {
      const err = rejection(text);
      expect(err.problems).toHaveLength(1);
      expectProblem(err, { line: 1, column: null, value: null, says: /the file is empty; expected a header line/ });
    }
  });

  test('a header without data rows', () => {
    const err = rejection('date,country,meta_spend,streaming_revenue\n');
    expect(err.problems).toHaveLength(1);
    expectProblem(err, { line: 1, column: null, value: null, says: /header but no data rows/ });
  });

  test('markets whose weeks fall on different weekdays', () => {
    const de = validTable({ markets: ['DE'], start: '2024-01-07' });
    const fr = validTable({ markets: ['FR'], start: '2024-01-08' });
    const it = validTable({ markets: ['IT'], start: '2024-01-14' });
    const err = rejection(toCsv({ header: de.header, rows: [...de.rows, ...fr.rows, ...it.rows] }));
    expect(err.problems).toHaveLength(1);
    expectProblem(err, {
      line: 12,
      column: 'date',
      value: '2024-01-08',
      says: /is a Monday: market "FR" has its weeks on Mondays but market "DE" \(line 2\) and the others use Sundays; .* move every date of market "FR" 1 day earlier/,
    });
  });

  test('a market whose target is 0 in every row', () => {
    const t = validTable();
    const zero: CsvTable = { header: t.header, rows: t.rows.map((r) => (r[1] === 'FR' ? [...r.slice(0, 4), '0'] : r)) };
    const err = rejection(toCsv(zero));
    expect(err.problems).toHaveLength(1);
    expectProblem(err, { line: 12, column: 'streaming_revenue', value: null, says: /market "FR" has streaming_revenue = 0 in every row/ });
  });

  test('a row with too many or too few fields', () => {
    const text = toCsv(base).replace('2024-01-21,DE,11,16,1020', '2024-01-21,DE,11,16,1,020');
    const err = rejection(text);
    expect(err.problems).toHaveLength(1);
    expectProblem(err, { line: 4, column: null, value: null, says: /the row has 6 fields but the header has 5/ });
  });

  test('broken quoting', () => {
    const text = toCsv(base).replace('2024-01-21,DE', '2024-01-21,"DE"x');
    const err = rejection(text);
    expectProblem(err, { line: 4, column: null, value: null, says: /not valid CSV \(CSV_INVALID_CLOSING_QUOTE/ });
  });

  test('invalid options', () => {
    const err = rejection(toCsv(base), { channels: [], target: '', colour: 'red' } as DataOptions);
    expect(err.problems.map((p) => p.message)).toEqual([
      'option target: column names must not be empty.',
      'option channels: is an empty list; leave it out to use every *_spend column.',
      'options: unknown option "colour"; the options are target, channels and controls.',
    ]);
    const overlap = rejection(toCsv(base), { channels: ['meta_spend', 'meta_spend'], controls: ['meta_spend', 'date'] });
    expect(overlap.problems.map((p) => p.message)).toEqual([
      'option channels: lists "meta_spend" more than once.',
      'option controls: "date" is the date column and cannot be used as controls.',
      'option controls: "meta_spend" is listed as a channel and as a control; choose one.',
    ]);
  });
});

describe('parseMarketingCsv: values too large for the sums, and constant targets (issue 12)', () => {
  const withPrice = validTable({ extraColumns: ['price'] });
  const priceRejection = (t: CsvTable): DataValidationError => rejection(toCsv(t), { controls: ['price'] });

  test('1e308 in a spend column', () => {
    const err = rejection(toCsv(setCell(base, 5, 'meta_spend', '1e308')));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]!.message).toBe(
      'line 5, column meta_spend: value "1e308" is too large: spend must be at most 1e15 (sums and squares of larger values overflow) — rescale the column (e.g. to thousands of euros) before fitting, or fix the cell.',
    );
    expectProblem(err, { line: 5, column: 'meta_spend', value: '1e308', says: /too large: spend must be at most 1e15/ });
  });

  test('1e308 in the target column', () => {
    expectSingleCellProblem(base, 14, 'streaming_revenue', '1e308', /"1e308" is too large: the target must be at most 1e15 .* rescale the column/);
  });

  test('1e308 and -1e308 in a control column', () => {
    for (const cell of ['1e308', '-1e308']) {
      const err = priceRejection(setCell(withPrice, 7, 'price', cell));
      expect(err.problems, err.message).toHaveLength(1);
      expectProblem(err, { line: 7, column: 'price', value: cell, says: /too large: a control must be between -1e15 and 1e15 .* rescale the column/ });
    }
  });

  test('just above the limit is rejected, the limit itself is accepted', () => {
    expectSingleCellProblem(base, 4, 'tiktok_spend', '1000000000000001', /too large: spend must be at most 1e15/);
    expectSingleCellProblem(base, 4, 'streaming_revenue', '1.0000001e15', /too large: the target must be at most 1e15/);
    let t = setCell(setCell(withPrice, 2, 'meta_spend', '1e15'), 3, 'streaming_revenue', '1000000000000000');
    t = setCell(setCell(t, 4, 'price', '-1e15'), 5, 'price', '1e15');
    const data = parseMarketingCsv(toCsv(t), { controls: ['price'] });
    expect(data.rows[0]!.spend[0]).toBe(1e15);
    expect(data.rows[1]!.target).toBe(1e15);
    expect(data.rows.slice(2, 4).map((r) => r.controls[0])).toEqual([-1e15, 1e15]);
  });

  test('a whole file at the limit keeps the summary and the panel finite', () => {
    // Every used value alternates between ±1e15 and 0: the largest deviations the limit allows.
    const big = (w: number, signed: boolean): string => (w % 2 === 0 ? (signed ? '-1e15' : '1e15') : '0');
    const rows = withPrice.rows.map((r, i) => [r[0]!, r[1]!, big(i, false), big(i + 1, false), big(i, false), big(i, true)]);
    const data = parseMarketingCsv(toCsv({ header: withPrice.header, rows }), { controls: ['price'] });
    const s = summarizeDataset(data);
    for (const v of [s.targetStats.mean, s.targetStats.sd, ...s.totalSpend.map((c) => c.total), ...s.markets.map((m) => m.targetMean)]) {
      expect(Number.isFinite(v), String(v)).toBe(true);
    }
    expect(formatSummary(s)).not.toMatch(/Infinity|NaN/);
    const p = buildPanel(data);
    for (const arr of [p.yScale, p.yScaled, p.spendScale, p.gridX, p.controlMean, p.controlSd, p.controlStandardized]) {
      expect([...arr].every(Number.isFinite)).toBe(true);
    }
  });

  test('1e308 used to pass and overflow the summary; every such cell is now a problem', () => {
    let t = setCell(withPrice, 3, 'meta_spend', '1e308');
    t = setCell(t, 8, 'streaming_revenue', '1.5e308');
    t = setCell(t, 15, 'price', '-1e308');
    const err = priceRejection(t);
    expect(err.problems.map((p) => [p.line, p.column, p.value])).toEqual([
      [3, 'meta_spend', '1e308'],
      [8, 'streaming_revenue', '1.5e308'],
      [15, 'price', '-1e308'],
    ]);
  });

  test('1e999 is still "too large to be a finite number"', () => {
    expectSingleCellProblem(base, 3, 'meta_spend', '1e999', /"1e999" is too large to be a finite number — fix the cell\.$/);
    const err = priceRejection(setCell(withPrice, 3, 'price', '-1e999'));
    expectProblem(err, { line: 3, column: 'price', value: '-1e999', says: /too large to be a finite number/ });
  });

  test('a market whose target is the same (non-zero) value in every row', () => {
    const t = validTable();
    // FR (lines 12–21): 1000 in every row, written two ways
    const flat: CsvTable = { header: t.header, rows: t.rows.map((r, i) => (r[1] === 'FR' ? [...r.slice(0, 4), i % 2 === 0 ? '1000' : '1e3'] : r)) };
    const err = rejection(toCsv(flat));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]!.message).toBe(
      'line 12, column streaming_revenue: value "1000" in all 10 rows of market "FR": the target never changes within the market, so there is nothing for spend, trend and seasonality to explain and the fit does not converge — check the column, or drop the market\'s rows.',
    );
    expectProblem(err, { line: 12, column: 'streaming_revenue', value: '1000', says: /in all 10 rows of market "FR"/ });
  });

  test('a single-market file with a constant target names the market', () => {
    const t = validTable({ markets: ['DE'] });
    const flat: CsvTable = { header: t.header, rows: t.rows.map((r) => [...r.slice(0, 4), '250.5']) };
    const err = rejection(toCsv(flat));
    expect(err.problems).toHaveLength(1);
    expectProblem(err, { line: 2, column: 'streaming_revenue', value: '250.5', says: /in all 10 rows of market "DE": the target never changes/ });
  });

  test('a target that is constant over the whole file is one problem for the column', () => {
    const t = validTable({ markets: ['DE', 'FR', 'IT'] });
    for (const [cell, shown] of [['1000', '1000'], ['0', '0']]) {
      const flat: CsvTable = { header: t.header, rows: t.rows.map((r) => [...r.slice(0, 4), cell!]) };
      const err = rejection(toCsv(flat));
      expect(err.problems, err.message).toHaveLength(1);
      expectProblem(err, {
        line: 1,
        column: 'streaming_revenue',
        value: null,
        says: new RegExp(`streaming_revenue is ${shown} in every row of the file \\(all 30 rows, 3 markets\\); .* --target NAME`),
      });
    }
  });

  test('constant markets are all reported together with other problems', () => {
    const t = validTable({ markets: ['DE', 'FR', 'IT'] });
    const rows = t.rows.map((r) => (r[1] === 'DE' ? [...r.slice(0, 4), '7'] : r[1] === 'IT' ? [...r.slice(0, 4), '0'] : r));
    const err = rejection(toCsv(setCell({ header: t.header, rows }, 15, 'meta_spend', '1e308')));
    expect(err.problems.map((p) => [p.line, p.column, p.value])).toEqual([
      [2, 'streaming_revenue', '7'],
      [15, 'meta_spend', '1e308'],
      [22, 'streaming_revenue', null],
    ]);
    expect(err.problems[2]!.message).toMatch(/market "IT" has streaming_revenue = 0 in every row/);
  });

  test('a target that varies in one row only is accepted', () => {
    const t = validTable();
    const rows = t.rows.map((r, i) => (r[1] === 'FR' ? [...r.slice(0, 4), i === 15 ? '1001' : '1000'] : r));
    expect(parseMarketingCsv(toCsv({ header: t.header, rows })).rows).toHaveLength(20);
  });
});

describe('parseMarketingCsv: collecting problems', () => {
  test('a file with 3 distinct problems yields 3 problems, sorted by line', () => {
    let t = setCell(base, 15, 'meta_spend', '-20');
    t = setCell(t, 4, 'date', '2024-02-30');
    t = setCell(t, 9, 'streaming_revenue', 'n/a');
    const err = rejection(toCsv(t));
    expect(err.problems.map((p) => [p.line, p.column, p.value])).toEqual([
      [4, 'date', '2024-02-30'],
      [9, 'streaming_revenue', 'n/a'],
      [15, 'meta_spend', '-20'],
    ]);
    expect(err.message.split('\n')).toEqual(['Invalid data: 3 problems found.', ...err.problems.map((p) => `  ${p.message}`)]);
  });

  test('header and row problems are reported together', () => {
    const t = setCell(dropColumn(base, 'streaming_revenue'), 3, 'meta_spend', 'x');
    const err = rejection(toCsv(t), { controls: ['price'] });
    expect(err.problems.map((p) => [p.line, p.column])).toEqual([
      [1, 'streaming_revenue'],
      [1, 'price'],
      [3, 'meta_spend'],
    ]);
  });

  test('the message stops after 50 problems; .problems has them all', () => {
    const t = validTable({ weeks: 30 });
    const bad: CsvTable = { header: t.header, rows: t.rows.map((r) => [r[0]!, r[1]!, '-1', r[3]!, r[4]!]) };
    const err = rejection(toCsv(bad));
    expect(err.problems).toHaveLength(60);
    const lines = err.message.split('\n');
    expect(lines).toHaveLength(52);
    expect(lines[51]).toBe('  ... and 10 more (all are listed in error.problems).');
  });

  test('warnings found before the rejection travel with the error', () => {
    const t = validTable({ extraColumns: ['notes'] });
    const err = rejection(toCsv(setCell(t, 3, 'meta_spend', '-1')));
    expect(err.warnings).toEqual([expect.stringContaining('ignored column "notes"')]);
  });
});

describe('parseMarketingCsv: warnings', () => {
  test('unknown columns are ignored with a warning', () => {
    const data = parseMarketingCsv(toCsv(validTable({ extraColumns: ['temperature'] })));
    expect(data.warnings).toEqual([
      'ignored column "temperature": it is not date, country, a channel, the target or a control (pass --controls temperature to use it as a control).',
    ]);
  });

  test('an unnamed column (e.g. a saved pandas index) is ignored with a warning', () => {
    const t = validTable();
    const data = parseMarketingCsv(toCsv({ header: ['', ...t.header], rows: t.rows.map((r, i) => [String(i), ...r]) }));
    expect(data.warnings).toEqual([expect.stringMatching(/^ignored column 1: it has no name/)]);
    expect(data.channels).toEqual(['meta_spend', 'tiktok_spend']);
  });

  test('gaps list the market and the missing dates', () => {
    const data = parseMarketingCsv(toCsv(dropLines(validTable({ weeks: 12 }), [5, 6, 9])));
    expect(data.warnings).toEqual([
      'market "DE" has 3 missing weeks inside its date range (2024-01-28, 2024-02-04, 2024-02-25); those weeks get spend 0 for carryover and no likelihood term.',
    ]);
  });

  test('a market-channel with zero spend everywhere in that market', () => {
    const t = validTable();
    const rows = t.rows.map((r) => (r[1] === 'FR' ? [r[0]!, r[1]!, '0', r[3]!, r[4]!] : r));
    const data = parseMarketingCsv(toCsv({ header: t.header, rows }));
    expect(data.warnings).toEqual([
      'market "FR" has meta_spend = 0 in every row; its scaled spend is 0 and its meta_spend coefficient is informed by the prior only.',
    ]);
  });
});

describe('readMarketingCsv', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tributary-data-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('reads a file', async () => {
    const path = join(dir, 'ok.csv');
    await writeFile(path, toCsv(base));
    const data = await readMarketingCsv(path);
    expect(data.rows).toHaveLength(20);
  });

  test('a missing file is FILE_NOT_FOUND naming the path', async () => {
    const path = join(dir, 'nope.csv');
    const err = await readMarketingCsv(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TributaryError);
    expect((err as TributaryError).code).toBe('FILE_NOT_FOUND');
    expect((err as TributaryError).message).toContain(path);
  });

  test('a directory is FILE_UNREADABLE', async () => {
    const err = await readMarketingCsv(dir).catch((e: unknown) => e);
    expect((err as TributaryError).code).toBe('FILE_UNREADABLE');
  });

  test('validation errors name the file', async () => {
    const path = join(dir, 'bad.csv');
    await writeFile(path, toCsv(setCell(base, 3, 'meta_spend', '-1')));
    const err = await readMarketingCsv(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataValidationError);
    expect((err as DataValidationError).file).toBe(path);
    expect((err as DataValidationError).message).toMatch(new RegExp(`^Invalid data in ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 1 problem found\\.`));
  });
});

describe('performance', () => {
  test('a 100k-row file parses quickly', () => {
    const channels = ['spotify_ads_spend', 'meta_spend', 'tiktok_spend', 'youtube_spend', 'radio_spend', 'playlist_spend'];
    const t = validTable({ markets: Array.from({ length: 200 }, (_, g) => `M${g}`), weeks: 500, channels, start: '2010-01-03' });
    const text = toCsv(t);
    const c0 = process.cpuUsage();
    const data = parseMarketingCsv(text);
    const cpu = process.cpuUsage(c0);
    expect(data.rows).toHaveLength(100_000);
    // CPU time, not wall time (the test machine is shared): typically about 1 s; this bound
    // catches accidental quadratic work, not small slowdowns.
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(5000);
  }, 120_000);
});
