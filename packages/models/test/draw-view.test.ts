/**
 * The draw view (`model.loadDraw`) against the per-method outputs recorded from the build of
 * 89a12e6, before the term split (test/reference/draw-view.json, written by
 * bench/record-draw-reference.ts): every kind, fixed transforms and learned transforms with
 * Student-t, time-varying effects and lift tests, three draws each. Values must agree bitwise
 * or to 1e-12 relative. The per-method API (which now delegates to the view) is held to the
 * same reference, and the weekly contributions add up to the per-market totals.
 */
import { readFileSync } from 'node:fs';
import seedrandom from 'seedrandom';
import { describe, expect, test } from 'vitest';
import { buildModel, type DrawView, type Model } from '../src/index.js';
import { DRAW_CASES, DRAWS_PER_CASE, caseDraw, recordMethods, type Recorded } from './draw-cases.js';
import { smallPanel } from './fixtures.js';

type Reference = { cases: Record<string, Record<string, (number | null)[]>[]> };
const reference = JSON.parse(readFileSync(new URL('./reference/draw-view.json', import.meta.url), 'utf8')) as Reference;
const panel = smallPanel();

function expectSame(label: string, actual: ArrayLike<number>, expected: readonly (number | null)[]): void {
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] ?? NaN;
    const a = actual[i]!;
    if (Object.is(a, e) || a === e) continue;
    if (!(Math.abs(a - e) <= 1e-12 * Math.abs(e))) throw new Error(`${label}[${i}]: ${a} vs recorded ${e}`);
  }
}

/** Everything the view gives, in the recorded shape. */
function viewOutputs(model: Model, view: DrawView, draw: Float64Array, name: string, i: number): Recorded {
  const arr = (a: Float64Array): number[] => Array.from(a);
  const parts = view.contributions();
  return {
    draw: arr(draw),
    meanMoney: arr(view.mean()),
    meanScaled: arr(view.mean(undefined, { scale: 'scaled' })),
    yRepMoney: arr(view.yRep(seedrandom(`yrep ${name}#${i}`))),
    yRepScaled: arr(view.yRep(seedrandom(`yrep ${name}#${i}`), new Float64Array(model.numObs), { scale: 'scaled' })),
    logLikScaled: arr(view.logLik()),
    logLikMoney: arr(view.logLik(undefined, { scale: 'money' })),
    baseline: arr(parts.baseline),
    trend: arr(parts.trend),
    seasonality: arr(parts.seasonality),
    controls: arr(parts.controls),
    channels: parts.channels.flatMap(arr),
    roas: arr(view.roas()),
    marginalRoas: arr(view.marginalRoas()),
    liftPredictions: arr(view.liftPredictions()),
    latestMultipliers: arr(view.latestMultipliers()),
  };
}

describe('draw view = the per-method results before the term split', () => {
  for (const c of DRAW_CASES) {
    test(c.name, () => {
      const model = buildModel(panel, c.options);
      const recorded = reference.cases[c.name]!;
      expect(recorded).toHaveLength(DRAWS_PER_CASE);
      for (let i = 0; i < DRAWS_PER_CASE; i++) {
        const draw = caseDraw(model, c.name, i);
        const view = model.loadDraw(draw);
        const fromView = viewOutputs(model, view, draw, c.name, i);
        const fromMethods = recordMethods(model, draw, c.name, i);
        for (const [key, expected] of Object.entries(recorded[i]!)) {
          expectSame(`${c.name} draw ${i} view.${key}`, fromView[key]!, expected);
          expectSame(`${c.name} draw ${i} model.${key}`, fromMethods[key]!, expected);
        }
      }
    });
  }
});

describe('weekly contributions', () => {
  for (const c of DRAW_CASES) {
    test(`${c.name}: add up to the per-market totals`, () => {
      const model = buildModel(panel, c.options);
      const C = model.channels.length;
      const view = model.loadDraw(caseDraw(model, c.name, 0));
      const weekly = view.weeklyContributions();
      expect(weekly).toHaveLength(model.numObs * C);
      const totals = view.contributions().channels;
      for (let g = 0; g < model.markets.length; g++) {
        for (let ch = 0; ch < C; ch++) {
          let sum = 0;
          for (let n = 0; n < model.numObs; n++) if (model.obsMarket[n] === g) sum += weekly[n * C + ch]!;
          expect(Math.abs(sum - totals[g]![ch]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(totals[g]![ch]!)));
        }
      }
      // Weekly media + the rest of the per-market totals = Σ mean (money).
      const mean = view.mean();
      const parts = view.contributions();
      for (let g = 0; g < model.markets.length; g++) {
        let mu = 0;
        let media = 0;
        for (let n = 0; n < model.numObs; n++) {
          if (model.obsMarket[n] !== g) continue;
          mu += mean[n]!;
          for (let ch = 0; ch < C; ch++) media += weekly[n * C + ch]!;
        }
        const rest = parts.baseline[g]! + parts.trend[g]! + parts.seasonality[g]! + parts.controls[g]!;
        expect(Math.abs(media + rest - mu)).toBeLessThanOrEqual(1e-9 * Math.abs(mu));
      }
    });
  }

  test('a view checks its draw and its output buffers', () => {
    const model = buildModel(panel, { kind: 'pooled' });
    expect(() => model.loadDraw(new Float64Array(3))).toThrow(/loadDraw: constrained has length 3/);
    const view = model.loadDraw(caseDraw(model, 'pooled', 0));
    expect(() => view.mean(new Float64Array(2))).toThrow(/out must be a Float64Array/);
  });
});
