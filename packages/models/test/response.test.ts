/**
 * src/response.ts: marginal ROAS, lift predictions and the forecast basis are one cell response,
 * beta · Σ m·(h(a + Δa) − h(a)) · y_scale. Where two of them describe the same change of spend
 * they must agree — computed along different paths (the draw view's adstock columns scaled by
 * 1.01, the lift windows convolved with and without the test, the forecast's carry-over and
 * slope terms):
 *
 * - a cell that spends a constant s in weeks a..b and nothing in the L − 1 observed weeks after
 *   b: +1 % spend in every observed week is a lift test of 0.01·s per week in a..b, so
 *   marginal ROAS × 0.01 × its spend = the implied lift of that test;
 * - a panel cut after week T0 and the same panel with W + L − 1 more weeks of no spend (and a
 *   target keeping y_scale): a plan of s per week for W weeks after T0 in the first is a lift
 *   test of s per week in weeks T0 + 1 .. T0 + W in the second, so the forecast of the plan (its
 *   basis evaluated with response.ts's saturation) = the implied lift.
 */
import { buildPanel, parseMarketingCsv, type Panel } from '@tributary/data';
import seedrandom from 'seedrandom';
import { describe, expect, test } from 'vitest';
import { buildModel, type BuildModelOptions, type LiftTestInput, type Model, type ModelKind } from '../src/index.js';
import { saturationChange } from '../src/response.js';

const CHANNELS = ['meta_spend', 'radio_spend', 'tv_spend'];
/** Per market: its first global week, and per channel the block of weeks it spends in and the spend. */
const MARKETS = [
  { name: 'DE', first: 0, blocks: [[2, 9, 120], [5, 15, 300], [0, 15, 80]] },
  { name: 'FR', first: 2, blocks: [[2, 15, 60], [6, 8, 200], [4, 12, 150]] },
] as const;
/** Last week of the cut panel; weeks of no spend the long panel adds. */
const T0 = 15;
const EXTRA = 12;

/** Both markets up to global week `last`; the target alternates 900, 1100 (an even count of weeks: y_scale = 1000). */
function blockPanel(last: number): Panel {
  const lines = [['date', 'country', ...CHANNELS, 'streaming_revenue'].join(',')];
  for (const m of MARKETS) {
    for (let t = m.first; t <= last; t++) {
      const date = new Date(Date.UTC(2024, 0, 1 + 7 * t)).toISOString().slice(0, 10);
      const spend = m.blocks.map(([a, b, s]) => (t >= a && t <= b ? s : 0));
      lines.push([date, m.name, ...spend, (t - m.first) % 2 === 0 ? 900 : 1100].join(','));
    }
  }
  return buildPanel(parseMarketingCsv(lines.join('\n') + '\n'));
}

const cut = blockPanel(T0);
const long = blockPanel(T0 + EXTRA);

const CASES: [string, Omit<BuildModelOptions, 'kind'>][] = [
  ['fixed transforms', {}],
  ['learned transforms', { learnTransforms: true }],
  ['saturation and adstock kinds (fixed)', { transforms: { meta_spend: { adstock: 'weibull_pdf', saturation: 'logistic' }, radio_spend: { saturation: 'michaelis_menten', lam: 0.3 }, tv_spend: { saturation: 'tanh' } } }],
  ['saturation and adstock kinds (learned)', { learnTransforms: true, transforms: { meta_spend: { adstock: 'weibull_cdf', saturation: 'tanh' }, radio_spend: { saturation: 'logistic' } } }],
];
const KINDS: ModelKind[] = ['pooled', 'unpooled', 'hierarchical'];

function draws(model: Model, seed: string): Float64Array[] {
  const rng = seedrandom(seed);
  return [0, 1, 2].map(() => model.constrain(model.initialPoint(rng, { radius: 1 })));
}

function expectClose(actual: number, expected: number, label: string): void {
  expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.abs(expected));
}

describe('marginal ROAS = the lift of +1 % spend', () => {
  const tests: LiftTestInput[] = MARKETS.flatMap((m) =>
    m.blocks.map(([a, b, s], c) => ({ market: m.name, channel: CHANNELS[c]!, startT: a, endT: b, deltaSpend: 0.01 * s, lift: 1, liftSe: 1 })),
  );
  /** The observed spend of each test's cell: its block. */
  const spends = MARKETS.flatMap((m) => m.blocks.map(([a, b, s]) => (b - a + 1) * s));
  const cases: [string, Omit<BuildModelOptions, 'kind'>][] = [...CASES, ['time-varying effects, learned', { learnTransforms: true, timeVarying: { channels: ['meta_spend', 'tv_spend'], knotEvery: 3 } }]];
  for (const kind of KINDS) {
    for (const [label, options] of cases) {
      test(`${kind}, ${label}`, () => {
        const model = buildModel(long, { kind, ...options, liftTests: tests });
        const C = CHANNELS.length;
        for (const draw of draws(model, `${kind} ${label}`)) {
          const mroas = model.marginalRoas(draw, new Float64Array(MARKETS.length * C));
          const lifts = model.liftTestPredictions(draw, new Float64Array(tests.length));
          tests.forEach((t, j) => {
            const i = model.markets.indexOf(t.market) * C + CHANNELS.indexOf(t.channel);
            expect(lifts[j]!).toBeGreaterThan(0);
            expectClose(mroas[i]! * 0.01 * spends[j]!, lifts[j]!, `${t.market}/${t.channel}`);
          });
        }
      });
    }
  }
});

describe('the forecast of a plan = the lift of the same spend after the last observed week', () => {
  for (const W of [3, 10]) {
    const levels = [0.4, 2];
    const tests: LiftTestInput[] = MARKETS.flatMap((m, g) =>
      CHANNELS.flatMap((channel, c) =>
        levels.map((f) => ({ market: m.name, channel, startT: T0 + 1, endT: T0 + W, deltaSpend: f * cut.spendScale[g * CHANNELS.length + c]!, lift: 1, liftSe: 1 })),
      ),
    );
    for (const kind of KINDS) {
      for (const [label, options] of CASES) {
        test(`W = ${W}, ${kind}, ${label}`, () => {
          const before = buildModel(cut, { kind, ...options });
          const after = buildModel(long, { kind, ...options, liftTests: tests });
          expect(after.constrainedNames).toEqual(before.constrainedNames);
          expect(Array.from(long.spendScale)).toEqual(Array.from(cut.spendScale));
          expect(Array.from(long.yScale)).toEqual(Array.from(cut.yScale));
          const rows = draws(before, `${W} ${kind} ${label}`);
          const basis = before.forecastBasis(rows, { weeks: W });
          const n = basis.numCells;
          const m = basis.numTerms;
          rows.forEach((draw, d) => {
            const lifts = after.liftTestPredictions(draw, new Float64Array(tests.length));
            tests.forEach((t, j) => {
              const i = before.markets.indexOf(t.market) * CHANNELS.length + CHANNELS.indexOf(t.channel);
              const shape = basis.isShared ? i : d * n + i;
              let units = 0;
              for (let k = 0; k < m; k++) {
                const carry = basis.carry[shape * m + k]!;
                const a1 = carry + basis.slope[shape * m + k]! * t.deltaSpend;
                units += basis.multiplicity[i * m + k]! * saturationChange(basis.saturation[i]!, carry, a1, basis.K[shape]!, basis.S[shape]!);
              }
              expect(lifts[j]!).toBeGreaterThan(0);
              expectClose(basis.coef[d * n + i]! * units, lifts[j]!, `${t.market}/${t.channel} s=${t.deltaSpend}`);
            });
          });
        });
      }
    }
  }
});
