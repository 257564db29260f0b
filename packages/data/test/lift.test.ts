import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  DataValidationError,
  LIFT_TEST_COLUMNS,
  TributaryError,
  addWeeks,
  buildPanel,
  parseLiftTests,
  parseMarketingCsv,
  readLiftTests,
} from '../src/index.js';
import type { DataProblem, LiftTestData, LiftTestPanel } from '../src/index.js';
import { resolveChannel } from '../src/lift.js';
import { expectProblem, thrown, validationError, type ExpectedProblem } from './helpers.js';

// DE: t = 0..9 (2024-01-07 … 2024-03-10) with a gap at t = 2 (2024-01-21); tiktok_spend is 500
// a week except 200 on 2024-02-11 (t = 5). FR: t = 1..8 (2024-01-14 … 2024-03-03).
const DATA = `date,country,meta_spend,tiktok_spend,streaming_revenue
2024-01-07,DE,1000,500,100
2024-01-14,DE,1000,500,110
2024-01-28,DE,1000,500,130
2024-02-04,DE,1000,500,140
2024-02-11,DE,1000,200,150
2024-02-18,DE,1000,500,160
2024-02-25,DE,1000,500,170
2024-03-03,DE,1000,500,180
2024-03-10,DE,1000,500,190
2024-01-14,FR,800,300,50
2024-01-21,FR,800,300,51
2024-01-28,FR,800,300,52
2024-02-04,FR,800,300,53
2024-02-11,FR,800,300,54
2024-02-18,FR,800,300,55
2024-02-25,FR,800,300,56
2024-03-03,FR,800,300,57
`;

const panel = buildPanel(parseMarketingCsv(DATA));
const HEADER = LIFT_TEST_COLUMNS.join(',');

/** A lift-test file: the standard header, then the given rows (row i is file line i + 2). */
const liftCsv = (...rows: string[]): string => [HEADER, ...rows].join('\n') + '\n';

const GOOD_DE = 'DE,tiktok_spend,2024-02-04,2024-02-25,250,12000,3000';
const GOOD_FR = 'FR,meta,2024-01-21,2024-01-28,-800,-5000,1500.5';

function rejection(text: string, p: LiftTestPanel = panel, file?: string): DataValidationError {
  return validationError(() => parseLiftTests(text, p, file === undefined ? undefined : { file }));
}

/** `expectProblem`, and the message starts with the line, names the column with a colon and says what to do. */
function expectLiftProblem(err: DataValidationError, e: ExpectedProblem): DataProblem {
  const p = expectProblem(err, e);
  if (e.line !== null) expect(p.message).toMatch(new RegExp(`^line ${e.line}\\b`));
  if (e.column !== null) expect(p.message).toContain(`column ${e.column}:`);
  expect(p.message).toMatch(/ — \S/); // says what to do
  return p;
}

/** The single problem of a file whose only row is `row`. */
function expectSingleRowProblem(row: string, e: Omit<ExpectedProblem, 'line'>): DataProblem {
  const err = rejection(liftCsv(row));
  expect(err.problems, err.message).toHaveLength(1);
  return expectLiftProblem(err, { ...e, line: 2 });
}

/** Replaces one cell (by column name) of a standard-order row. */
function withCell(row: string, column: string, value: string): string {
  const cells = row.split(',');
  cells[LIFT_TEST_COLUMNS.indexOf(column as (typeof LIFT_TEST_COLUMNS)[number])] = value;
  return cells.join(',');
}

describe('parseLiftTests: a valid file', () => {
  test('reads every field; t is the global week index of the panel', () => {
    const res = parseLiftTests(liftCsv(GOOD_DE, GOOD_FR), panel);
    expect(res).toEqual<LiftTestData>({
      tests: [
        {
          line: 2,
          market: 'DE',
          channel: 'tiktok_spend',
          marketIndex: 0,
          channelIndex: 1,
          start: '2024-02-04',
          end: '2024-02-25',
          startT: 4,
          endT: 7,
          deltaSpend: 250,
          lift: 12000,
          liftSe: 3000,
        },
        {
          line: 3,
          market: 'FR',
          channel: 'meta_spend',
          marketIndex: 1,
          channelIndex: 0,
          start: '2024-01-21',
          end: '2024-01-28',
          startT: 2,
          endT: 3,
          deltaSpend: -800,
          lift: -5000,
          liftSe: 1500.5,
        },
      ],
      warnings: [],
    });
  });

  test('columns may come in any order; quotes, spaces, CRLF, a BOM and blank lines are fine', () => {
    const text = '\uFEFFlift_se, lift ,delta_spend,end,start,channel,market\r\n\r\n3000,12000,250,2024-02-25,2024-02-04,"tiktok",DE\r\n';
    const res = parseLiftTests(text, panel);
    expect(res.tests).toHaveLength(1);
    expect(res.tests[0]).toMatchObject({ line: 3, market: 'DE', channel: 'tiktok_spend', startT: 4, endT: 7, deltaSpend: 250, lift: 12000, liftSe: 3000 });
  });

  test('a one-week window (start = end) and a window covering the whole market', () => {
    const res = parseLiftTests(liftCsv('DE,meta_spend,2024-03-10,2024-03-10,5,1,1', 'FR,meta_spend,2024-01-14,2024-03-03,5,1,1'), panel);
    expect(res.tests.map((t) => [t.startT, t.endT])).toEqual([
      [9, 9],
      [1, 8],
    ]);
  });

  test('lift may be 0 or negative; numbers may use scientific notation', () => {
    const res = parseLiftTests(liftCsv('DE,meta,2024-01-07,2024-01-14,1.5e3,0,2e2', 'FR,meta,2024-01-14,2024-01-14,+10,-3.5,.5'), panel);
    expect(res.tests.map((t) => [t.deltaSpend, t.lift, t.liftSe])).toEqual([
      [1500, 0, 200],
      [10, -3.5, 0.5],
    ]);
  });

  test('a go-dark test may remove exactly the smallest weekly spend of its window', () => {
    // DE tiktok spends 200 on 2024-02-11, 500 in the other weeks of the window.
    const res = parseLiftTests(liftCsv('DE,tiktok,2024-02-04,2024-02-18,-200,-900,300'), panel);
    expect(res.tests[0]!.deltaSpend).toBe(-200);
  });

  test('accepts the panel fields only (a plain object with the picked fields)', () => {
    const small: LiftTestPanel = {
      markets: panel.markets,
      channels: panel.channels,
      firstDate: panel.firstDate,
      marketStart: panel.marketStart,
      marketLength: panel.marketLength,
      gridOffset: panel.gridOffset,
      gridSpend: panel.gridSpend,
    };
    expect(parseLiftTests(liftCsv(GOOD_DE), small).tests).toHaveLength(1);
  });
});

describe('parseLiftTests: channel names', () => {
  test('the full spend column name and the name without _spend both work', () => {
    const res = parseLiftTests(liftCsv(GOOD_DE, withCell(GOOD_DE, 'channel', 'meta').replace('2024-02-04', '2024-01-07')), panel);
    expect(res.tests.map((t) => [t.channel, t.channelIndex])).toEqual([
      ['tiktok_spend', 1],
      ['meta_spend', 0],
    ]);
  });

  test('an exact channel name wins over the short form of another channel', () => {
    const csv = DATA.replace('meta_spend,tiktok_spend', 'tv,tv_spend');
    const p = buildPanel(parseMarketingCsv(csv, { channels: ['tv', 'tv_spend'] }));
    const res = parseLiftTests(liftCsv('DE,tv,2024-01-07,2024-01-07,1,1,1', 'DE,tv_spend,2024-01-07,2024-01-07,1,1,1'), p);
    expect(res.tests.map((t) => t.channel)).toEqual(['tv', 'tv_spend']);
  });

  test('property: every channel name resolves to itself, its short form to it unless taken', () => {
    const name = fc.stringMatching(/^[a-z]{1,4}(_spend)?$/);
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 6 }), (channels) => {
        channels.forEach((c, i) => {
          expect(resolveChannel(c, channels)).toBe(i);
          if (c.endsWith('_spend')) {
            const short = c.slice(0, -'_spend'.length);
            expect(resolveChannel(short, channels)).toBe(channels.includes(short) ? channels.indexOf(short) : i);
          }
        });
        expect(resolveChannel('zzzzz', channels)).toBe(-1);
      }),
    );
  });

  test('an unknown channel is named, with the channels of the data', () => {
    const p = expectSingleRowProblem(withCell(GOOD_DE, 'channel', 'radio'), { column: 'channel', value: 'radio', says: /not a channel of the data/ });
    expect(p.message).toContain('meta_spend, tiktok_spend');
  });

  test('a channel in the wrong case gets a hint; "x_spend_spend" is not "x_spend"', () => {
    const p = expectSingleRowProblem(withCell(GOOD_DE, 'channel', 'TikTok_spend'), { column: 'channel', value: 'TikTok_spend', says: /not a channel/ });
    expect(p.message).toContain('did you mean "tiktok_spend"');
    expectSingleRowProblem(withCell(GOOD_DE, 'channel', 'tiktok_spend_spend'), { column: 'channel', value: 'tiktok_spend_spend', says: /not a channel/ });
  });
});

describe('parseLiftTests: market', () => {
  test('an unknown market is named, with the markets of the data', () => {
    const p = expectSingleRowProblem(withCell(GOOD_DE, 'market', 'ES'), { column: 'market', value: 'ES', says: /not a market of the data/ });
    expect(p.message).toContain('DE, FR');
  });

  test('a market in the wrong case gets a hint', () => {
    const p = expectSingleRowProblem(withCell(GOOD_DE, 'market', 'de'), { column: 'market', value: 'de', says: /not a market/ });
    expect(p.message).toContain('did you mean "DE"');
  });

  test('an empty market or channel cell', () => {
    expectSingleRowProblem(withCell(GOOD_DE, 'market', ''), { column: 'market', value: '', says: /cell is empty; every experiment needs market/ });
    expectSingleRowProblem(withCell(GOOD_DE, 'channel', ''), { column: 'channel', value: '', says: /cell is empty; every experiment needs channel/ });
  });
});

describe('parseLiftTests: start and end', () => {
  test.each([
    ['start', '2024/02/04', /not a date in YYYY-MM-DD form/],
    ['start', '04.02.2024', /not a date in YYYY-MM-DD form/],
    ['end', '2024-02-30', /not a real calendar date/],
    ['end', '', /cell is empty; every experiment needs end/],
  ])('%s = "%s" is rejected', (column, value, says) => {
    expectSingleRowProblem(withCell(GOOD_DE, column, value), { column, value, says });
  });

  test('a date off the weekly grid names its weekday and the two grid dates around it', () => {
    const p = expectSingleRowProblem(withCell(GOOD_DE, 'start', '2024-02-06'), { column: 'start', value: '2024-02-06', says: /not on the weekly grid/ });
    expect(p.message).toContain('is a Tuesday');
    expect(p.message).toContain('Sundays (t = 0 is 2024-01-07)');
    expect(p.message).toContain('2 days after 2024-02-04');
    expect(p.message).toContain('use 2024-02-04 or 2024-02-11');
    expectSingleRowProblem(withCell(GOOD_DE, 'end', '2024-02-24'), { column: 'end', value: '2024-02-24', says: /6 days after 2024-02-18/ });
  });

  test('property: a date is accepted iff it is a whole number of weeks from the first date', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 62 }), (days) => {
        const date = isoAfter('2024-01-07', days);
        const row = `DE,meta,${date},${date},1,1,1`;
        if (days % 7 === 0) {
          expect(parseLiftTests(liftCsv(row), panel).tests[0]!.startT).toBe(days / 7);
        } else {
          const err = rejection(liftCsv(row));
          expect(err.problems.map((p) => p.column)).toEqual(['start', 'end']);
          for (const p of err.problems) expect(p.message).toContain('not on the weekly grid');
        }
      }),
    );
  });

  test('end before start', () => {
    const p = expectSingleRowProblem('DE,meta,2024-02-25,2024-02-04,1,1,1', { column: 'end', value: '2024-02-04', says: /is before start 2024-02-25/ });
    expect(p.message).toContain('swap the dates');
  });

  test('the window must lie within the market\'s dates (FR: 2024-01-14 … 2024-03-03)', () => {
    const before = expectSingleRowProblem('FR,meta,2024-01-07,2024-01-21,1,1,1', { column: 'start', value: '2024-01-07', says: /before the first week of market "FR"/ });
    expect(before.message).toContain('2024-01-14 … 2024-03-03');
    expectSingleRowProblem('FR,meta,2024-02-25,2024-03-10,1,1,1', { column: 'end', value: '2024-03-10', says: /after the last week of market "FR"/ });
    // before the global first date (t < 0), and far after the data
    const err = rejection(liftCsv('DE,meta,2023-12-31,2099-12-27,1,1,1'));
    expect(err.problems).toHaveLength(2);
    expectLiftProblem(err, { line: 2, column: 'start', value: '2023-12-31', says: /before the first week of market "DE"/ });
    expectLiftProblem(err, { line: 2, column: 'end', value: '2099-12-27', says: /after the last week of market "DE"/ });
  });
  test('a date off the grid and outside the market gets both problems at once', () => {
    const err = rejection(liftCsv('FR,meta,2024-01-08,2024-03-03,1,1,1'));
    expect(err.problems).toHaveLength(2);
    expectLiftProblem(err, { line: 2, column: 'start', value: '2024-01-08', says: /not on the weekly grid/ });
    expectLiftProblem(err, { line: 2, column: 'start', value: '2024-01-08', says: /before the first week of market "FR"/ });
  });
});

describe('parseLiftTests: delta_spend, lift, lift_se', () => {
  test.each([
    ['delta_spend', '0', /is 0; delta_spend is the extra spend per week during the test and must not be 0/],
    ['delta_spend', '-0.0', /is 0/],
    ['delta_spend', '', /cell is empty; every experiment needs delta_spend/],
    ['delta_spend', 'abc', /is not a number/],
    ['delta_spend', '$500', /is not a number/],
    ['delta_spend', '1,000', /thousands separator or decimal comma/],
    ['delta_spend', 'Infinity', /not a finite number/],
    ['lift', 'NaN', /not a finite number; lift must be a finite number/],
    ['lift', '-inf', /not a finite number/],
    ['lift', '1e999', /too large to be a finite number/],
    ['lift', '', /cell is empty; every experiment needs lift/],
    ['lift_se', '0', /is 0; lift_se is the standard error of lift and must be > 0/],
    ['lift_se', '-10', /is negative; lift_se .* must be > 0/],
    ['lift_se', 'nan', /not a finite number/],
    ['lift_se', '1e400', /too large/],
  ])('%s = "%s" is rejected', (column, value, says) => {
    const row = withCell(GOOD_DE, column, value === '1,000' ? '"1,000"' : value);
    expectSingleRowProblem(row, { column, value, says });
  });

  test('a go-dark test that would make spend negative names the week', () => {
    // DE tiktok: 500 a week, but 200 on 2024-02-11.
    const p = expectSingleRowProblem('DE,tiktok,2024-02-04,2024-02-25,-300,-900,300', { column: 'delta_spend', value: '-300', says: /would make spend negative/ });
    expect(p.message).toContain('market "DE" spent 200 on tiktok_spend in the week of 2024-02-11, less than 300');
    expect(p.message).not.toContain('also in');
  });

  test('every short week is listed; a gap week counts as spend 0', () => {
    // DE has no row on 2024-01-21 (a gap).
    const p = expectSingleRowProblem('DE,tiktok,2024-01-14,2024-02-18,-300,-900,300', { column: 'delta_spend', value: '-300', says: /would make spend negative/ });
    expect(p.message).toContain('spent 0 on tiktok_spend in the week of 2024-01-21, or it has no row that week (also in 2024-02-11)');
    expect(p.message).toContain('here at most 0');
  });

  test('property: a go-dark test is accepted iff every week of its window spends at least |delta|', () => {
    const spendAt = (t: number): number => (t === 2 ? 0 : t === 5 ? 200 : 500); // DE tiktok; t = 2 is a gap
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 600 }), (a, b, d) => {
        const [s, e] = a <= b ? [a, b] : [b, a];
        const row = `DE,tiktok,${addWeeks('2024-01-07', s)},${addWeeks('2024-01-07', e)},-${d},0,1`;
        let minSpend = Infinity;
        for (let t = s; t <= e; t++) minSpend = Math.min(minSpend, spendAt(t));
        if (minSpend >= d) {
          expect(parseLiftTests(liftCsv(row), panel).tests[0]!.deltaSpend).toBe(-d);
        } else {
          const err = rejection(liftCsv(row));
          expect(err.problems).toHaveLength(1);
          expect(err.problems[0]!.column).toBe('delta_spend');
        }
      }),
    );
  });

  test('a positive delta needs no spend in the window', () => {
    expect(parseLiftTests(liftCsv('DE,tiktok,2024-01-21,2024-01-21,1000,10,1'), panel).tests).toHaveLength(1);
  });
});

describe('parseLiftTests: across rows', () => {
  test('a duplicate (market, channel, start, end) names both lines, whatever the channel spelling', () => {
    const err = rejection(liftCsv(GOOD_DE, GOOD_FR, withCell(withCell(GOOD_DE, 'channel', 'tiktok'), 'lift', '9000')));
    expect(err.problems).toHaveLength(1);
    const p = expectLiftProblem(err, { line: 4, column: null, value: null, says: /repeats line 2/ });
    expect(p.message).toContain('market "DE", channel tiktok_spend, 2024-02-04 to 2024-02-25');
  });

  test('overlapping windows of one market-channel are a warning, not an error', () => {
    const res = parseLiftTests(liftCsv(GOOD_DE, 'DE,tiktok,2024-02-18,2024-03-10,100,5000,2000', 'DE,tiktok,2024-01-07,2024-02-04,100,5000,2000'), panel);
    expect(res.tests).toHaveLength(3);
    expect(res.warnings).toEqual([
      'lift tests on lines 2 and 4 (market "DE", channel tiktok_spend) overlap from 2024-02-04 to 2024-02-04; during the overlap each test\'s extra spend also affects the other\'s lift, so they are not independent measurements — check that both are meant to be used.',
      'lift tests on lines 2 and 3 (market "DE", channel tiktok_spend) overlap from 2024-02-18 to 2024-02-25; during the overlap each test\'s extra spend also affects the other\'s lift, so they are not independent measurements — check that both are meant to be used.',
    ]);
  });

  test('adjacent windows, other channels and other markets do not overlap', () => {
    const res = parseLiftTests(
      liftCsv(
        'DE,tiktok,2024-01-07,2024-02-04,100,1,1',
        'DE,tiktok,2024-02-11,2024-03-10,100,1,1',
        'DE,meta,2024-01-07,2024-03-10,100,1,1',
        'FR,tiktok,2024-01-14,2024-03-03,100,1,1',
      ),
      panel,
    );
    expect(res.tests).toHaveLength(4);
    expect(res.warnings).toEqual([]);
  });

  test('every problem of the file is reported, sorted by line, with warnings kept', () => {
    const err = rejection(
      liftCsv(
        'DE,tiktok,2024-01-07,2024-02-04,100,1,1',
        'ES,radio,2024-02-05,2024-01-01,0,x,-1',
        'DE,tiktok,2024-01-28,2024-02-25,100,1,1',
        GOOD_FR,
        GOOD_FR,
      ),
    );
    // a row's problems come in column order
    expect(err.problems.map((p) => [p.line, p.column])).toEqual([
      [3, 'market'],
      [3, 'channel'],
      [3, 'start'],
      [3, 'end'], // off the grid
      [3, 'end'], // before start
      [3, 'delta_spend'],
      [3, 'lift'],
      [3, 'lift_se'],
      [6, null],
    ]);
    for (const p of err.problems) expect(err.message).toContain(p.message);
    expect(err.message).toMatch(/^Invalid data: 9 problems found\./);
    expect(err.warnings).toHaveLength(1);
    expect(err.warnings[0]).toContain('lines 2 and 4');
  });
});

describe('parseLiftTests: file structure and header', () => {
  test.each([
    ['an empty file', ''],
    ['a blank file', '\n  \n\n'],
  ])('%s has no experiments', (_, text) => {
    const err = rejection(text);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]!.message).toMatch(/^line 1: the file is empty: it has no experiments; expected a header line "market,channel,start,end,delta_spend,lift,lift_se"/);
  });

  test('a header without rows has no experiments', () => {
    const err = rejection(HEADER + '\n');
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]!.message).toMatch(/^line 1: the file has a header but no experiments; add one row per lift test/);
  });

  test('a missing column is named, and the rows are still checked', () => {
    const text = 'market,channel,start,end,delta_spend,lift\nDE,tiktok,2024-02-04,2024-02-25,0,1\n';
    const err = rejection(text);
    expectLiftProblem(err, { line: 1, column: 'lift_se', value: null, says: /column "lift_se" \(the standard error of lift\) is missing from the header/ });
    expectLiftProblem(err, { line: 2, column: 'delta_spend', value: '0', says: /is 0/ });
    expect(err.problems).toHaveLength(2);
  });

  test('several missing columns are each named', () => {
    const err = rejection('market,channel,lift\nDE,meta,1\n');
    expect(err.problems.map((p) => p.column)).toEqual(['start', 'end', 'delta_spend', 'lift_se']);
    for (const p of err.problems) expect(p.message).toMatch(/^line 1, column \w+: column "\w+" .* is missing from the header; a lift-test file has exactly the columns market, channel, start, end, delta_spend, lift, lift_se \(in any order\) — add it\.$/);
  });

  test('an extra column is named', () => {
    const err = rejection(`${HEADER},notes\n${GOOD_DE},hello\n`);
    expect(err.problems).toHaveLength(1);
    expectLiftProblem(err, { line: 1, column: 'notes', value: null, says: /column "notes" is not part of the lift-test format.* — remove it\./ });
  });

  test('an unnamed column (a saved index) is an extra column', () => {
    const err = rejection(`,${HEADER}\n0,${GOOD_DE}\n`);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]!.message).toMatch(/^line 1: column 1 has no name/);
  });

  test('a column in the wrong case, or named country, is one rename problem', () => {
    const err = rejection(`${HEADER.replace('start', 'Start').replace('market', 'country')}\n${GOOD_DE}\n`);
    expect(err.problems).toHaveLength(2);
    expectLiftProblem(err, { line: 1, column: 'Start', value: null, says: /column "Start" should be named "start" \(column names are case-sensitive\)/ });
    expectLiftProblem(err, { line: 1, column: 'country', value: null, says: /column "country" should be named "market";/ });
  });

  test('an extra column named like an Object property is just an extra column', () => {
    const err = rejection(`${HEADER},constructor\n${GOOD_DE},x\n`);
    expect(err.problems.map((p) => p.column)).toEqual(['constructor']);
  });

  test('a column named twice', () => {
    const err = rejection(`${HEADER},lift\n${GOOD_DE},5\n`);
    expect(err.problems).toHaveLength(1);
    expectLiftProblem(err, { line: 1, column: 'lift', value: null, says: /names column "lift" twice \(positions 6 and 8\)/ });
  });

  test('a semicolon-separated file', () => {
    const err = rejection(`${HEADER.replaceAll(',', ';')}\n${GOOD_DE.replaceAll(',', ';')}\n`);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]!.message).toContain('";"-separated');
  });

  test('a row with the wrong number of fields', () => {
    const err = rejection(liftCsv(GOOD_DE, 'DE,meta,2024-01-07,2024-01-07,1,1', GOOD_FR));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]!.message).toMatch(/^line 3: the row has 6 fields but the header has 7/);
  });

  test('a broken quote', () => {
    const err = rejection(liftCsv(GOOD_DE, 'DE,"meta,2024-01-07,2024-01-07,1,1,1'));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]!.message).toContain('not valid CSV');
  });

  test('a panel with a broken firstDate is a programming error', () => {
    const err = thrown(() => parseLiftTests(liftCsv(GOOD_DE), { ...panel, firstDate: 'soon' }));
    expect((err as TributaryError).code).toBe('INVALID_ARGUMENT');
  });
});

describe('property: random valid experiments round-trip', () => {
  test('every valid row is returned as written, in file order', () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }).map((v) => (v === 0 ? 0 : v));
    const experiment = fc
      .record({
        g: fc.integer({ min: 0, max: 1 }),
        c: fc.integer({ min: 0, max: 1 }),
        short: fc.boolean(),
        a: fc.integer({ min: 0, max: 9 }),
        b: fc.integer({ min: 0, max: 9 }),
        delta: fc.double({ noNaN: true, min: 1e-6, max: 1e9 }),
        lift: finite,
        liftSe: fc.double({ noNaN: true, min: Number.MIN_VALUE, max: 1e12 }),
      })
      .map((x) => {
        const first = panel.marketStart[x.g]!;
        const last = first + panel.marketLength[x.g]! - 1;
        const clamp = (v: number): number => Math.min(last, Math.max(first, v));
        const [s, e] = [clamp(Math.min(x.a, x.b)), clamp(Math.max(x.a, x.b))];
        return { ...x, s, e, market: panel.markets[x.g]!, channel: panel.channels[x.c]! };
      });
    fc.assert(
      fc.property(fc.uniqueArray(experiment, { minLength: 1, maxLength: 8, selector: (x) => `${x.g}:${x.c}:${x.s}:${x.e}` }), (xs) => {
        const rows = xs.map((x) => {
          const channel = x.short ? x.channel.replace(/_spend$/, '') : x.channel;
          return [x.market, channel, addWeeks('2024-01-07', x.s), addWeeks('2024-01-07', x.e), x.delta, x.lift, x.liftSe].join(',');
        });
        const res = parseLiftTests(liftCsv(...rows), panel);
        expect(res.tests).toEqual(
          xs.map((x, i) => ({
            line: i + 2,
            market: x.market,
            channel: x.channel,
            marketIndex: x.g,
            channelIndex: x.c,
            start: addWeeks('2024-01-07', x.s),
            end: addWeeks('2024-01-07', x.e),
            startT: x.s,
            endT: x.e,
            deltaSpend: x.delta,
            lift: x.lift,
            liftSe: x.liftSe,
          })),
        );
      }),
    );
  });
});

describe('readLiftTests', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tributary-lift-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('reads a file', async () => {
    const path = join(dir, 'lift.csv');
    await writeFile(path, liftCsv(GOOD_DE, GOOD_FR));
    const res = await readLiftTests(path, panel);
    expect(res.tests.map((t) => t.line)).toEqual([2, 3]);
  });

  test('a missing file is FILE_NOT_FOUND naming the path and what to do', async () => {
    const path = join(dir, 'nope.csv');
    const err = await readLiftTests(path, panel).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TributaryError);
    expect((err as TributaryError).code).toBe('FILE_NOT_FOUND');
    expect((err as TributaryError).message).toBe(`Lift-test file not found: ${path} — check the path (a relative path starts from ${process.cwd()}).`);
  });

  test('a directory is FILE_UNREADABLE', async () => {
    const err = await readLiftTests(dir, panel).catch((e: unknown) => e);
    expect((err as TributaryError).code).toBe('FILE_UNREADABLE');
    expect((err as TributaryError).message).toContain('a lift-test CSV file');
  });

  test('validation errors name the file', async () => {
    const path = join(dir, 'bad.csv');
    await writeFile(path, liftCsv(withCell(GOOD_DE, 'market', 'XX')));
    const err = await readLiftTests(path, panel).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataValidationError);
    expect((err as DataValidationError).file).toBe(path);
    expect((err as DataValidationError).message).toMatch(new RegExp(`^Invalid data in ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 1 problem found\\.\\n  line 2, column market: value "XX"`));
  });
});

/** ISO date `days` days after `iso`. */
function isoAfter(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
