import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DataValidationError, SEASONALITY_PERIOD_WEEKS, buildPanel, parseMarketingCsv } from '../src/index.js';
import type { MarketingData, MarketingRow, Panel } from '../src/index.js';
import { addWeeks } from '../src/dates.js';
import { thrown, toCsv, type CsvTable } from './helpers.js';

// DE: weeks t = 0..9 with t = 2 missing (a gap on 2024-01-21); FR: t = 1..8, no gap,
// a_spend = 0 everywhere in FR; FR's target alternates 40, 60 (mean 50).
const HAND_MADE = `date,country,a_spend,b_spend,streaming_revenue
2024-01-07,DE,10,5,100
2024-01-14,DE,20,5,110
2024-01-28,DE,40,25,130
2024-02-04,DE,50,5,140
2024-02-11,DE,60,5,150
2024-02-18,DE,70,5,160
2024-02-25,DE,80,5,170
2024-03-03,DE,90,5,180
2024-03-10,DE,100,5,190
2024-01-14,FR,0,1,40
2024-01-21,FR,0,2,60
2024-01-28,FR,0,3,40
2024-02-04,FR,0,4,60
2024-02-11,FR,0,5,40
2024-02-18,FR,0,6,60
2024-02-25,FR,0,7,40
2024-03-03,FR,0,8,60
`;

const P = SEASONALITY_PERIOD_WEEKS;
const fourierAt = (t: number): number[] => [
  Math.sin((2 * Math.PI * t) / P),
  Math.cos((2 * Math.PI * t) / P),
  Math.sin((4 * Math.PI * t) / P),
  Math.cos((4 * Math.PI * t) / P),
];

describe('buildPanel on a hand-made file with a gap', () => {
  const panel = buildPanel(parseMarketingCsv(HAND_MADE));

  test('names and sizes', () => {
    expect(panel.markets).toEqual(['DE', 'FR']);
    expect(panel.channels).toEqual(['a_spend', 'b_spend']);
    expect(panel.controls).toEqual([]);
    expect(panel.target).toBe('streaming_revenue');
    expect(panel.firstDate).toBe('2024-01-07');
    expect(panel.tMax).toBe(9);
    expect(panel.numWeeks).toBe(10);
    expect(panel.numObs).toBe(17);
    expect(panel.numGrid).toBe(18);
  });

  test('per-market grid', () => {
    expect([...panel.marketStart]).toEqual([0, 1]);
    expect([...panel.marketLength]).toEqual([10, 8]);
    expect([...panel.gridOffset]).toEqual([0, 10]);
    expect([...panel.marketNumObs]).toEqual([9, 8]);
    expect([...panel.obsOffset]).toEqual([0, 9]);
    expect([...panel.gridObserved]).toEqual([0, 1, -1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
  });

  test('the gap has spend 0 and no observed row', () => {
    expect(panel.gridObserved[2]).toBe(-1);
    expect([...panel.gridSpend.slice(2 * 2, 3 * 2)]).toEqual([0, 0]);
    expect([...panel.gridX.slice(2 * 2, 3 * 2)]).toEqual([0, 0]);
    expect(panel.warnings).toContain(
      'market "DE" has 1 missing week inside its date range (2024-01-21); those weeks get spend 0 for carryover and no likelihood term.',
    );
  });

  test('spend scale is the max per market and channel; x = spend / scale', () => {
    expect([...panel.spendScale]).toEqual([100, 25, 0, 8]);
    // DE, grid row 3 (t = 3): a = 40, b = 25
    expect([...panel.gridSpend.slice(3 * 2, 4 * 2)]).toEqual([40, 25]);
    expect([...panel.gridX.slice(3 * 2, 4 * 2)]).toEqual([0.4, 1]);
    // FR never spends on a: x = 0 and a warning
    for (let row = 10; row < 18; row++) expect(panel.gridX[row * 2]).toBe(0);
    expect([...panel.gridX.slice(10 * 2, 18 * 2)].filter((_, i) => i % 2 === 1)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((v) => v / 8));
    expect(panel.warnings).toContain(
      'market "FR" has a_spend = 0 in every row; its scaled spend is 0 and its a_spend coefficient is informed by the prior only.',
    );
  });

  test('target scale is the mean observed target per market', () => {
    expect(panel.yScale[0]).toBeCloseTo(1330 / 9, 12);
    expect(panel.yScale[1]).toBe(50);
    expect(panel.y[2]).toBe(130);
    expect(panel.yScaled[2]).toBeCloseTo(130 / (1330 / 9), 12);
    expect([...panel.yScaled.slice(9)]).toEqual([0.8, 1.2, 0.8, 1.2, 0.8, 1.2, 0.8, 1.2]);
  });

  test('observed rows are ordered by market then time', () => {
    expect([...panel.obsMarket]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect([...panel.obsT]).toEqual([0, 1, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...panel.obsGridRow]).toEqual([0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect([...panel.obsLine]).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    expect(panel.obsDates.slice(0, 3)).toEqual(['2024-01-07', '2024-01-14', '2024-01-28']);
    expect([...panel.spend.slice(2 * 2, 3 * 2)]).toEqual([40, 25]);
  });

  test('Fourier features at known t', () => {
    expect([...panel.fourier.slice(0, 4)]).toEqual([0, 1, 0, 1]); // t = 0
    const at3 = [...panel.fourier.slice(2 * 4, 3 * 4)]; // observed row 2 has t = 3
    fourierAt(3).forEach((v, i) => expect(at3[i]).toBeCloseTo(v, 14));
    expect(at3[0]).toBeCloseTo(Math.sin((2 * Math.PI * 3 * 7) / 365.25), 14);
  });

  test('trend is t / T_max', () => {
    expect(panel.trend[0]).toBe(0);
    expect(panel.trend[8]).toBe(1); // DE, t = 9
    expect(panel.trend[9]).toBeCloseTo(1 / 9, 15); // FR, t = 1
  });
});

function row(country: string, date: string, t: number, spend: number[], target: number, controls: number[] = []): MarketingRow {
  return { line: 0, date, country, t, spend, target, controls };
}

function data(rows: MarketingRow[], overrides: Partial<MarketingData> = {}): MarketingData {
  return { rows, markets: ['A', 'B'], channels: ['x_spend'], controls: [], target: 'y', firstDate: '2024-01-01', warnings: [], ...overrides };
}

describe('buildPanel on hand-made MarketingData', () => {
  test('rows in any order; T_max = 0 gives trend 0', () => {
    const p = buildPanel(data([row('B', '2024-01-01', 0, [2], 4), row('A', '2024-01-01', 0, [1], 3)]));
    expect(p.numWeeks).toBe(1);
    expect([...p.trend]).toEqual([0, 0]);
    expect([...p.obsMarket]).toEqual([0, 1]);
    expect([...p.y]).toEqual([3, 4]);
  });

  test('controls: raw values, mean, sd and standardized values; a constant control warns', () => {
    const rows = [0, 1, 2, 3].map((t) => row('A', addWeeks('2024-01-01', t), t, [1], 1, [2 * t, 5]));
    const p = buildPanel(data(rows, { markets: ['A'], controls: ['price', 'flat'] }));
    expect([...p.controlValues]).toEqual([0, 5, 2, 5, 4, 5, 6, 5]);
    expect([...p.controlMean]).toEqual([3, 5]);
    expect(p.controlSd[0]).toBeCloseTo(Math.sqrt(5), 14);
    expect(p.controlSd[1]).toBe(0);
    const z = [...p.controlStandardized].filter((_, i) => i % 2 === 0);
    z.forEach((v, i) => expect(v).toBeCloseTo((2 * i - 3) / Math.sqrt(5), 14));
    expect([...p.controlStandardized].filter((_, i) => i % 2 === 1)).toEqual([0, 0, 0, 0]);
    expect(p.warnings).toContain('control "flat" has the same value in every row; it cannot be told apart from the intercept (its standardized values are 0).');
  });

  test('inconsistent data is rejected with every problem', () => {
    const err = thrown(() =>
      buildPanel(
        data([
          row('A', '2024-01-01', 0, [1], 1),
          row('A', '2024-01-08', 2, [1], 1), // t should be 1
          row('C', '2024-01-08', 1, [1], 1), // unknown market
          row('B', '2024-01-08', 1, [1, 2], -1), // two spend values, negative target
        ]),
      ),
    );
    expect(err).toBeInstanceOf(DataValidationError);
    expect((err as DataValidationError).problems.map((p) => p.message)).toEqual([
      'line 0, column date: buildPanel: t = 2 does not match the date: 2024-01-08 is 1 weeks after firstDate 2024-01-01 (t must be a whole number ≥ 0).',
      'line 0, column country: buildPanel: market "C" is not in data.markets.',
      'line 0: buildPanel: the row has 2 spend values but there are 1 channels.',
      'line 0, column y: buildPanel: the target must be a finite number ≥ 0 and at most 1e15.',
    ]);
  });

  test('values beyond 1e15 in magnitude are rejected in hand-made data too (issue 12)', () => {
    const err = thrown(() =>
      buildPanel(
        data([row('A', '2024-01-01', 0, [1e308], 1, [-1e308]), row('B', '2024-01-01', 0, [1], 2e15, [1e15])], { controls: ['price'] }),
      ),
    ) as DataValidationError;
    expect(err.problems.map((p) => p.message)).toEqual([
      'line 0, column x_spend: buildPanel: spend must be a finite number ≥ 0 and at most 1e15.',
      'line 0, column price: buildPanel: a control must be a finite number between -1e15 and 1e15.',
      'line 0, column y: buildPanel: the target must be a finite number ≥ 0 and at most 1e15.',
    ]);
    expect(err.problems.map((p) => p.value)).toEqual(['1e+308', '-1e+308', '2000000000000000']);
  });

  test('duplicates, a market without rows, a zero target and a late firstDate are rejected', () => {
    const err = thrown(() =>
      buildPanel(
        data([row('A', '2024-01-08', 1, [1], 0), row('A', '2024-01-08', 1, [1], 0)], { markets: ['A', 'B'] }),
      ),
    ) as DataValidationError;
    expect(err.problems.map((p) => p.message)).toEqual([
      'line 0, column date: buildPanel: market "A" has two rows for 2024-01-08; each (country, date) pair may appear only once.',
      'buildPanel: firstDate 2024-01-01 must be the earliest date of the rows (the smallest t is 1, not 0).',
      'column y: buildPanel: market "A" has y = 0 in every row; its scale (the mean target) must be > 0.',
      'column country: buildPanel: market "B" has no rows; remove it from data.markets.',
    ]);
  });
});

// ---- properties ----

interface MarketSpec {
  weeks: number;
  offset: number;
  spend: number[][];
  target: number[];
  gaps: number[];
}

const CHANNELS = ['a_spend', 'b_spend'];

const marketArb: fc.Arbitrary<MarketSpec> = fc.integer({ min: 8, max: 12 }).chain((weeks) =>
  fc.record({
    weeks: fc.constant(weeks),
    offset: fc.integer({ min: 0, max: 6 }),
    spend: fc.array(fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 2, maxLength: 2 }), { minLength: weeks + 3, maxLength: weeks + 3 }),
    target: fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: weeks + 3, maxLength: weeks + 3 }),
    gaps: fc.uniqueArray(fc.integer({ min: 1, max: weeks + 1 }), { maxLength: 3 }),
  }),
);

/** A valid file: 1–3 markets, at least 8 rows each, interior gaps, every channel spends somewhere. */
const tableArb: fc.Arbitrary<CsvTable> = fc.array(marketArb, { minLength: 1, maxLength: 3 }).map((specs) => {
  const rows: string[][] = [];
  specs.forEach((m, g) => {
    for (let w = 0; w < m.weeks + 3; w++) {
      if (m.gaps.includes(w)) continue;
      const spend = (m.spend[w] as number[]).map((v) => (g === 0 && w === 0 ? v + 1 : v));
      rows.push([addWeeks('2023-01-01', m.offset + w), `M${g}`, ...spend.map(String), String(m.target[w])]);
    }
  });
  return { header: ['date', 'country', ...CHANNELS, 'streaming_revenue'], rows };
});

/** Everything the panel says about one market, keyed by name (independent of market order). */
function marketView(p: Panel, name: string): unknown {
  const g = p.markets.indexOf(name);
  const C = p.channels.length;
  const off = p.gridOffset[g]!;
  const len = p.marketLength[g]!;
  return {
    start: p.marketStart[g],
    length: len,
    gridSpend: [...p.gridSpend.slice(off * C, (off + len) * C)],
    gridX: [...p.gridX.slice(off * C, (off + len) * C)],
    spendScale: [...p.spendScale.slice(g * C, (g + 1) * C)],
    yScale: p.yScale[g],
    observed: [...p.gridObserved.slice(off, off + len)].map((n) =>
      n < 0
        ? null
        : {
            t: p.obsT[n],
            date: p.obsDates[n],
            y: p.y[n],
            yScaled: p.yScaled[n],
            spend: [...p.spend.slice(n * C, (n + 1) * C)],
            fourier: [...p.fourier.slice(n * 4, (n + 1) * 4)],
            trend: p.trend[n],
            gridRow: p.obsGridRow[n]! - off,
          },
    ),
  };
}

describe('buildPanel properties', () => {
  test('shuffling the rows of a valid file gives the same panel (apart from line numbers and market order)', () => {
    const arb = tableArb.chain((table) =>
      fc.tuple(fc.constant(table), fc.shuffledSubarray(table.rows, { minLength: table.rows.length, maxLength: table.rows.length })),
    );
    fc.assert(
      fc.property(arb, ([table, shuffledRows]) => {
        const a = buildPanel(parseMarketingCsv(toCsv(table)));
        const b = buildPanel(parseMarketingCsv(toCsv({ header: table.header, rows: shuffledRows })));
        expect([...b.markets].sort()).toEqual([...a.markets].sort());
        expect([b.firstDate, b.numWeeks, b.numGrid, b.numObs, b.channels]).toEqual([a.firstDate, a.numWeeks, a.numGrid, a.numObs, a.channels]);
        for (const m of a.markets) expect(marketView(b, m)).toEqual(marketView(a, m));
        expect([...b.warnings].sort()).toEqual([...a.warnings].sort());
      }),
      { numRuns: 30 },
    );
  });

  test('scaling a channel by a power of two leaves gridX exactly unchanged; any positive factor, up to rounding', () => {
    const arb = fc.tuple(tableArb, fc.integer({ min: -8, max: 8 }), fc.double({ min: 0.01, max: 1000, noNaN: true }), fc.integer({ min: 0, max: 1 }));
    fc.assert(
      fc.property(arb, ([table, exponent, factor, c]) => {
        const scaled = (k: number): CsvTable => ({
          header: table.header,
          rows: table.rows.map((r) => r.map((cell, j) => (j === 2 + c ? String(Number(cell) * k) : cell))),
        });
        const a = buildPanel(parseMarketingCsv(toCsv(table)));
        const b = buildPanel(parseMarketingCsv(toCsv(scaled(2 ** exponent))));
        expect([...b.gridX]).toEqual([...a.gridX]);
        const d = buildPanel(parseMarketingCsv(toCsv(scaled(factor))));
        d.gridX.forEach((x, i) => expect(Math.abs(x - a.gridX[i]!)).toBeLessThan(1e-12));
      }),
      { numRuns: 30 },
    );
  });

  test('scaling the target leaves yScaled unchanged (up to rounding)', () => {
    fc.assert(
      fc.property(tableArb, fc.double({ min: 0.001, max: 1000, noNaN: true }), (table, k) => {
        const scaled: CsvTable = { header: table.header, rows: table.rows.map((r) => r.map((cell, j) => (j === 4 ? String(Number(cell) * k) : cell))) };
        const a = buildPanel(parseMarketingCsv(toCsv(table)));
        const b = buildPanel(parseMarketingCsv(toCsv(scaled)));
        b.yScaled.forEach((v, i) => expect(Math.abs(v - a.yScaled[i]!)).toBeLessThan(1e-12));
      }),
      { numRuns: 30 },
    );
  });
});
