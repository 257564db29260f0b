// buildPanel(data, { reference }): a longer panel that reuses the scaling of a training panel,
// so that a model fitted on the training window sees identical inputs for the training rows.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DataValidationError, buildPanel, parseMarketingCsv } from '../src/index.js';
import type { MarketingData, Panel } from '../src/index.js';
import { addWeeks, weeksBetween } from '../src/dates.js';
import { thrown, toCsv, type CsvTable } from './helpers.js';

/** The rows dated before week `cut` (of the full data's t), with t and firstDate recomputed. */
function before(data: MarketingData, cut: number, keep?: readonly string[]): MarketingData {
  const rows = data.rows.filter((r) => r.t < cut && (keep === undefined || keep.includes(r.country)));
  const markets = data.markets.filter((m) => rows.some((r) => r.country === m));
  const firstDate = rows.map((r) => r.date).sort()[0]!;
  return { ...data, markets, firstDate, rows: rows.map((r) => ({ ...r, t: weeksBetween(firstDate, r.date) })) };
}

/** Panel fields of the observed row of market `name` at week `t`, or undefined. */
function rowView(p: Panel, name: string, t: number): unknown {
  const g = p.markets.indexOf(name);
  const C = p.channels.length;
  const K = p.controls.length;
  const gridRow = p.gridOffset[g]! + t - p.marketStart[g]!;
  const n = p.gridObserved[gridRow]!;
  return {
    date: p.obsDates[n],
    y: p.y[n],
    yScaled: p.yScaled[n],
    gridX: [...p.gridX.slice(gridRow * C, (gridRow + 1) * C)],
    gridSpend: [...p.gridSpend.slice(gridRow * C, (gridRow + 1) * C)],
    trend: p.trend[n],
    fourier: [...p.fourier.slice(n * 4, (n + 1) * 4)],
    controlStandardized: [...p.controlStandardized.slice(n * K, (n + 1) * K)],
  };
}

/** Every grid row of the reference (observed or gap) has the same inputs in the long panel. */
function expectSameTrainingRows(train: Panel, long: Panel): void {
  expect(long.markets).toEqual(train.markets);
  expect(long.firstDate).toBe(train.firstDate);
  expect(long.tMax).toBe(train.tMax);
  expect([...long.yScale]).toEqual([...train.yScale]);
  expect([...long.spendScale]).toEqual([...train.spendScale]);
  expect([...long.controlMean]).toEqual([...train.controlMean]);
  expect([...long.controlSd]).toEqual([...train.controlSd]);
  const C = train.channels.length;
  train.markets.forEach((m, g) => {
    // Same first week: carry-over (adstock) starts at the same place.
    expect(long.marketStart[g]).toBe(train.marketStart[g]);
    for (let i = 0; i < train.marketLength[g]!; i++) {
      const t = train.marketStart[g]! + i;
      const rTrain = train.gridOffset[g]! + i;
      const rLong = long.gridOffset[g]! + i;
      expect([...long.gridX.slice(rLong * C, (rLong + 1) * C)]).toEqual([...train.gridX.slice(rTrain * C, (rTrain + 1) * C)]);
      const nTrain = train.gridObserved[rTrain]!;
      expect(long.gridObserved[rLong]! < 0).toBe(nTrain < 0);
      if (nTrain >= 0) expect(rowView(long, m, t)).toEqual(rowView(train, m, t));
    }
  });
}

// Two markets with a control; FR starts a week later, lists first in the file and has a gap
// (2024-02-04). Training: t < 7 (before 2024-02-25).
const FILE = `date,country,a_spend,b_spend,streaming_revenue,price
2024-01-14,FR,0,1,50,2
2024-01-21,FR,0,2,55,3
2024-01-28,FR,0,3,60,4
2024-02-11,FR,0,5,45,2
2024-02-18,FR,0,6,50,6
2024-02-25,FR,0,6,50,6
2024-03-03,FR,9,6,50,6
2024-03-10,FR,0,6,50,6
2024-01-07,DE,10,5,100,1
2024-01-14,DE,20,5,110,1
2024-01-21,DE,30,5,120,2
2024-01-28,DE,40,25,130,2
2024-02-04,DE,50,5,140,2
2024-02-11,DE,60,5,150,3
2024-02-18,DE,70,5,150,3
2024-02-25,DE,60,5,150,3
2024-03-03,DE,200,5,260,9
2024-03-10,DE,60,5,150,3
`;

describe('buildPanel with a reference panel', () => {
  const all = parseMarketingCsv(FILE, { controls: ['price'] });
  // Training: weeks t < 7, markets in the order DE, FR (not the file's).
  const trainData = before(all, 7);
  trainData.markets = ['DE', 'FR'];
  const train = buildPanel(trainData);
  const long = buildPanel(all, { reference: train });

  test('the training rows have exactly the reference inputs', () => {
    expect(train.numObs).toBe(12);
    expect(long.numObs).toBe(18);
    expectSameTrainingRows(train, long);
  });

  test('the held-out weeks are scaled by the training scales: x and trend may exceed 1', () => {
    // DE spent 200 on a in 2024-03-03 (t = 8); the training maximum was 50.
    expect(train.spendScale[0]).toBe(70);
    expect(rowView(long, 'DE', 8)).toMatchObject({ gridX: [200 / 70, 5 / 25], yScaled: 260 / train.yScale[0]!, trend: 8 / 6 });
    // FR never spent on a in training: scale 0, so its later spend stays x = 0.
    expect(train.spendScale[2]).toBe(0);
    expect((rowView(long, 'FR', 8) as { gridX: number[] }).gridX).toEqual([0, 1]);
    // Controls centred and scaled as in training.
    const z = (9 - train.controlMean[0]!) / train.controlSd[0]!;
    expect((rowView(long, 'DE', 8) as { controlStandardized: number[] }).controlStandardized).toEqual([z]);
    expect(long.numWeeks).toBe(10);
    expect(long.tMax).toBe(6);
  });

  test('without a reference the long file gets its own scales (and market order)', () => {
    const own = buildPanel(all);
    expect(own.markets).toEqual(['FR', 'DE']);
    expect(own.tMax).toBe(9);
    expect(own.spendScale[2]).toBe(200);
  });

  test('a market that is not in the reference is named', () => {
    const onlyDe = buildPanel(before(all, 7, ['DE']));
    const err = thrown(() => buildPanel(all, { reference: onlyDe })) as DataValidationError;
    expect(err).toBeInstanceOf(DataValidationError);
    expect(err.message).toContain('market "FR" is not in the reference panel');
  });

  test('a reference market without rows, other channels or a date before the reference are named', () => {
    const de = { ...all, markets: ['DE'], rows: all.rows.filter((r) => r.country === 'DE') };
    expect((thrown(() => buildPanel(de, { reference: train })) as Error).message).toContain('market "FR" of the reference panel has no rows');
    const noControls = buildPanel(parseMarketingCsv(FILE));
    expect((thrown(() => buildPanel(all, { reference: noControls })) as Error).message).toContain('the controls (price) differ');
    const late = buildPanel(before(all, 7, ['FR']));
    const fr = before(all, 100, ['FR']);
    expect(buildPanel(fr, { reference: late }).firstDate).toBe('2024-01-14');
    const early = { ...fr.rows[0]!, date: '2024-01-07' };
    const frAndDe = before({ ...fr, rows: [...fr.rows, early] }, 100);
    expect((thrown(() => buildPanel(frAndDe, { reference: late })) as Error).message).toContain('not before its first date 2024-01-14');
  });
});

// ---- property: any valid file, any cut ----

const tableArb: fc.Arbitrary<CsvTable> = fc
  .array(
    fc.record({
      weeks: fc.integer({ min: 9, max: 16 }),
      offset: fc.integer({ min: 0, max: 4 }),
      seed: fc.integer({ min: 1, max: 1000 }),
      gap: fc.integer({ min: 1, max: 5 }),
    }),
    { minLength: 1, maxLength: 3 },
  )
  .map((specs) => {
    const rows: string[][] = [];
    specs.forEach((m, g) => {
      for (let w = 0; w < m.weeks; w++) {
        if (w === m.gap) continue;
        const h = (k: number) => ((m.seed * (w + 3) * (k + 7) * 7919) % 1009) / 7;
        rows.push([addWeeks('2023-01-01', m.offset + w), `M${g}`, (h(1) + 1).toFixed(2), h(2).toFixed(2), (h(3) + 50).toFixed(3), (h(4) - 40).toFixed(1)]);
      }
    });
    return { header: ['date', 'country', 'a_spend', 'b_spend', 'streaming_revenue', 'price'], rows };
  });

describe('buildPanel with a reference: properties', () => {
  test('for any file and cut, the training rows of the long panel equal the training panel bit for bit', () => {
    fc.assert(
      fc.property(tableArb, fc.integer({ min: 1, max: 21 }), (table, cut) => {
        const all = parseMarketingCsv(toCsv(table), { controls: ['price'] });
        const trainData = before(all, cut);
        const train = buildPanel(trainData);
        // The long panel keeps the training markets only (as tributary backtest does).
        const longData = { ...all, markets: all.markets.filter((m) => trainData.markets.includes(m)) };
        longData.rows = all.rows.filter((r) => longData.markets.includes(r.country));
        longData.firstDate = longData.rows.map((r) => r.date).sort()[0]!;
        longData.rows = longData.rows.map((r) => ({ ...r, t: weeksBetween(longData.firstDate, r.date) }));
        const long = buildPanel(longData, { reference: train });
        expectSameTrainingRows(train, long);
        expect(long.numObs).toBe(longData.rows.length);
      }),
      { numRuns: 60 },
    );
  });
});
