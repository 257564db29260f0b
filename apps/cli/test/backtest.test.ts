// tributary backtest on a small synthetic panel generated from the hierarchical model: folds
// and cutoffs, finite scores, a recovery check (calibrated 94% intervals, better than naive
// forecasts), identical output for the same seed, and clear errors for bad options.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addWeeks, buildPanel, parseMarketingCsv } from '@tributary/data';
import { backtestFileSchema } from '@tributary/evaluation';
import { buildModel } from '@tributary/models';
import { buildRng } from '@tributary/sampler';
import { generateScenario, scenarioPreset, type ScenarioConfig } from '@tributary/synthetic';
import { beforeAll, describe, expect, it } from 'vitest';
import { planFolds, sliceData } from '../src/commands/backtest.js';
import { run, tempDir } from './helpers.js';

let dir: string;
const small = ['--chains', '2', '--warmup', '150', '--draws', '100', '--parallel', '0', '--quiet'];

// 4 markets ending on the same week: DE and FR 64 weeks (FR with a gap in the first held-out
// window), NL 52, PL only 22
// (4 rows before the first cutoff: not scored in fold 1); the first three VOLTA channels.
function smallScenario(): ScenarioConfig {
  const base = scenarioPreset('volta');
  return {
    ...base,
    name: 'small',
    markets: [
      { name: 'DE', size: 200_000, numWeeks: 64 },
      { name: 'FR', size: 120_000, numWeeks: 64, gapWeeks: [50] },
      { name: 'NL', size: 60_000, numWeeks: 52 },
      { name: 'PL', size: 40_000, numWeeks: 22 },
    ],
    channels: base.channels.slice(0, 3),
  };
}

interface Doc {
  data: { first_date: string; last_date: string };
  folds: { fold: number; cutoff: string; test_last_date: string; train_markets: string[]; train_rows: number; test_rows: number; not_scored: { market: string; reason: string }[] }[];
  scores: { market: string; fold: number; weeks: number; crps: number; mape: number; coverage_94: number; naive_last_mape: number; naive_mean_mape: number }[];
  overall: { market: string; weeks: number; crps: number; mape: number; coverage_94: number }[];
  total: { weeks: number; mape: number; coverage_94: number; naive_last_mape: number; naive_mean_mape: number };
  predictions: { market: string; fold: number; date: string; observed: number; mean: number; lower: number; upper: number }[];
  context: { market: string; date: string }[];
}

let doc: Doc;
let stdout: string;

beforeAll(async () => {
  dir = await tempDir();
  await writeFile(join(dir, 'small.csv'), generateScenario(smallScenario(), 11).csv);
  const res = await run(['backtest', 'small.csv', '--folds', '3', '--horizon', '6', '--seed', '4', '--out', 'bt', ...small], dir);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  stdout = res.stdout;
  doc = JSON.parse(await readFile(join(dir, 'bt', 'backtest.json'), 'utf8')) as Doc;
});

describe('tributary backtest', () => {
  it('plans expanding-window folds whose held-out windows tile the last folds × horizon weeks', () => {
    const first = doc.data.first_date;
    expect(doc.folds.map((f) => f.cutoff)).toEqual([46, 52, 58].map((t) => addWeeks(first, t)));
    expect(doc.folds.map((f) => f.test_last_date)).toEqual([51, 57, 63].map((t) => addWeeks(first, t)));
    expect(doc.folds[2]!.test_last_date).toBe(doc.data.last_date);
    // Expanding: every fold trains on more rows than the one before.
    expect(doc.folds[1]!.train_rows).toBeGreaterThan(doc.folds[0]!.train_rows);
    expect(doc.folds[2]!.train_rows).toBeGreaterThan(doc.folds[1]!.train_rows);
    // PL has 4 rows before the first cutoff: not trained on or scored in fold 1, scored later.
    expect(doc.folds[0]!.train_markets).toEqual(['DE', 'FR', 'NL']);
    expect(doc.folds[0]!.not_scored).toEqual([{ market: 'PL', reason: 'only 4 training weeks' }]);
    expect(doc.folds[1]!.train_markets).toEqual(['DE', 'FR', 'NL', 'PL']);
    expect(stdout).toContain('not scored in fold 1: PL (only 4 training weeks)');
    // Every prediction lies in its fold's window; FR's gap week has none.
    for (const p of doc.predictions) {
      const f = doc.folds[p.fold - 1]!;
      expect(p.date >= f.cutoff && p.date <= f.test_last_date).toBe(true);
    }
    expect(doc.folds.reduce((a, f) => a + f.test_rows, 0)).toBe(doc.predictions.length);
    // 3 folds × 6 weeks × 4 markets, less PL in fold 1 and FR's gap week (t = 50, in fold 1).
    expect(doc.predictions.length).toBe(3 * 6 * 4 - 6 - 1);
    expect(doc.predictions.some((p) => p.market === 'FR' && p.date === addWeeks(first, 50))).toBe(false);
  });

  it('writes finite scores for every market and fold, overall per market, and a terminal table', async () => {
    expect((await readdir(join(dir, 'bt'))).sort()).toEqual(['backtest.json', 'scores.csv']);
    expect(doc.scores.map((s) => `${s.market}${s.fold}`)).toEqual(['DE1', 'FR1', 'NL1', 'DE2', 'FR2', 'NL2', 'PL2', 'DE3', 'FR3', 'NL3', 'PL3']);
    for (const s of doc.scores) {
      expect(s.weeks).toBe(s.market === 'FR' && s.fold === 1 ? 5 : 6);
      for (const v of [s.crps, s.mape, s.coverage_94, s.naive_last_mape, s.naive_mean_mape]) expect(Number.isFinite(v)).toBe(true);
      expect(s.crps).toBeGreaterThan(0);
    }
    expect(doc.overall.map((o) => [o.market, o.weeks])).toEqual([
      ['DE', 18],
      ['FR', 17],
      ['NL', 18],
      ['PL', 12],
    ]);
    for (const p of doc.predictions) expect(p.lower <= p.mean && p.mean <= p.upper).toBe(true);
    expect(doc.context.length).toBeGreaterThan(0);
    const csv = (await readFile(join(dir, 'bt', 'scores.csv'), 'utf8')).trimEnd().split('\n');
    expect(csv[0]).toBe('market,fold,cutoff,weeks,crps,mape,coverage_94,naive_last_mape,naive_mean_mape');
    expect(csv).toHaveLength(1 + 11 + 4);
    expect(csv.at(-1)!.startsWith('PL,all,,12,')).toBe(true);
    expect(stdout).toMatch(/market\s+fold\s+weeks\s+CRPS\s+MAPE\s+94% cov\.\s+naive last\s+naive mean/);
    expect(stdout).toMatch(/^DE\s+all\s+18\s/m);
    expect(backtestFileSchema.safeParse(doc).success).toBe(true);
  });

  it('recovers a model that generated the data: calibrated 94% intervals, better than naive forecasts', () => {
    // The data come from the hierarchical model itself, so the held-out weeks should fall in
    // their 94% predictive intervals about 94% of the time and the posterior mean should beat
    // carrying the last week forward and the training mean.
    expect(doc.total.weeks).toBe(65);
    expect(doc.total.coverage_94).toBeGreaterThanOrEqual(0.8);
    expect(doc.total.coverage_94).toBeLessThanOrEqual(1);
    expect(doc.total.mape).toBeLessThan(doc.total.naive_last_mape);
    expect(doc.total.mape).toBeLessThan(doc.total.naive_mean_mape);
    for (const o of doc.overall) expect(o.coverage_94).toBeGreaterThanOrEqual(0.6);
  });

  it('gives identical files for the same seed', async () => {
    const argv = (out: string) => ['backtest', 'small.csv', '--folds', '2', '--horizon', '4', '--seed', '9', '--out', out, '--chains', '1', '--warmup', '60', '--draws', '40', '--parallel', '0', '--quiet'];
    expect((await run(argv('r1'), dir)).code).toBe(0);
    const second = await run([...argv('r2'), '--json'], dir);
    expect(second.code).toBe(0);
    for (const f of ['backtest.json', 'scores.csv']) {
      expect(await readFile(join(dir, 'r2', f), 'utf8')).toBe(await readFile(join(dir, 'r1', f), 'utf8'));
    }
    // --json prints the same document.
    expect(second.stdout).toBe(await readFile(join(dir, 'r1', 'backtest.json'), 'utf8'));
  });

  it('names the option on bad options (exit 2) and writes nothing', async () => {
    for (const [argv, flag] of [
      [['--folds', '12'], '--folds'],
      [['--folds', '0'], '--folds'],
      [['--horizon', '40'], '--horizon'],
      [['--min-train', '5'], '--min-train'],
      [['--min-train', '60'], '--min-train'],
      [['--model', 'all'], '--model'],
      [['--likelihood', 'cauchy'], '--likelihood'],
    ] as const) {
      const res = await run(['backtest', 'small.csv', ...argv, '--out', 'bad', ...small], dir);
      expect(res.code, argv.join(' ')).toBe(2);
      expect(res.stderr).toContain(flag);
    }
    const res = await run(['backtest', 'small.csv', '--folds', '12', '--out', 'bad'], dir);
    expect(res.stderr).toContain('use at most --folds 4 with this horizon');
    await expect(readdir(join(dir, 'bad'))).rejects.toThrow();
  });
});

describe('planFolds', () => {
  it('spaces the cutoffs by the horizon back from the end', () => {
    expect(planFolds({ numWeeks: 104, firstDate: '2024-01-01', folds: 3, horizon: 8, minTrain: 26 }).map((f) => [f.cutoffT, f.testLastT])).toEqual([
      [80, 87],
      [88, 95],
      [96, 103],
    ]);
    expect(planFolds({ numWeeks: 34, firstDate: '2024-01-01', folds: 1, horizon: 8, minTrain: 26 })[0]).toEqual({
      fold: 1,
      cutoffT: 26,
      cutoff: '2024-07-01',
      testLastT: 33,
      testLastDate: '2024-08-19',
    });
    expect(() => planFolds({ numWeeks: 33, firstDate: '2024-01-01', folds: 1, horizon: 8, minTrain: 26 })).toThrow(/leave 25 of the data's 33 weeks to train the first fold on, fewer than --min-train 26/);
  });
});

describe('the long panel of a fold', () => {
  it('gives the fitted model exactly the training rows it was fitted to (any kind, fixed or learned transforms)', () => {
    const data = parseMarketingCsv(generateScenario(smallScenario(), 11).csv);
    const markets = ['DE', 'FR', 'NL']; // PL has too few rows before week 46
    const train = buildPanel(sliceData(data, markets, 46));
    const long = buildPanel(sliceData(data, markets, 52), { reference: train });
    for (const kind of ['pooled', 'unpooled', 'hierarchical'] as const) {
      for (const learnTransforms of [false, true]) {
        const a = buildModel(train, { kind, learnTransforms });
        const b = buildModel(long, { kind, learnTransforms });
        expect(b.constrainedNames).toEqual(a.constrainedNames);
        const rng = buildRng(`${kind}:${learnTransforms}`);
        const draw = a.constrain(a.initialPoint(() => rng.uniform()));
        const muA = a.mean(draw, new Float64Array(train.numObs));
        const muB = b.mean(draw, new Float64Array(long.numObs));
        train.markets.forEach((_, g) => {
          const n = train.marketNumObs[g]!;
          expect([...muB.subarray(long.obsOffset[g]!, long.obsOffset[g]! + n)]).toEqual([...muA.subarray(train.obsOffset[g]!, train.obsOffset[g]! + n)]);
        });
      }
    }
  });

  it('backtests a time-varying model with lift tests: only experiments that end before a cutoff are used', async () => {
    const first = doc.data.first_date;
    // DE ends 63 weeks after the first date; folds cut at weeks 46, 52 and 58.
    const lifts = [
      'market,channel,start,end,delta_spend,lift,lift_se',
      `DE,spotify_ads,${addWeeks(first, 20)},${addWeeks(first, 23)},500,800,200`,
      `DE,spotify_ads,${addWeeks(first, 48)},${addWeeks(first, 50)},500,800,200`,
      '',
    ].join('\n');
    await writeFile(join(dir, 'lift.csv'), lifts);
    const res = await run(
      ['backtest', 'small.csv', '--folds', '3', '--horizon', '6', '--seed', '4', '--out', 'bt-tv', '--time-varying', 'meta', '--knot-every', '8', '--lift-tests', 'lift.csv', ...small],
      dir,
    );
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const tv = JSON.parse(await readFile(join(dir, 'bt-tv', 'backtest.json'), 'utf8'));
    expect(tv.settings.time_varying).toEqual({ channels: ['meta_spend'], knot_every: 8 });
    const cutoffs = tv.folds.map((f: { cutoff: string }) => f.cutoff);
    expect(tv.folds.map((f: { lift_tests: number }) => f.lift_tests)).toEqual(cutoffs.map((c: string) => (c > addWeeks(first, 50) ? 2 : 1)));
    expect(tv.total.weeks).toBe(doc.total.weeks);
    expect(tv.total.coverage_94).toBeGreaterThan(0.7);
    expect(tv.total.mape).toBeLessThan(tv.total.naive_mean_mape);
  });
});
