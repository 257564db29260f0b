// The forecast basis (src/forecast.ts) against a brute-force forecast: extend each market's spend
// grid by W weeks of the plan and L−1 weeks of nothing, run adstock and Hill over the whole series
// with @tributary/transforms, and sum h(with plan) − h(without) over the horizon and its tail.
// Parameters are looked up by their Stan-style names, not through the layout.
import {
  applyAdstock,
  buildAdstockSpec,
  hillScalar,
  logisticSaturationScalarWithGradient,
  michaelisMentenScalarWithGradient,
  tanhSaturationScalarWithGradient,
  type AdstockSpec,
} from '@tributary/transforms';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { buildModel, type BuildModelOptions, type Model } from '../src/index.js';
import { smallPanel } from './fixtures.js';

const panel = smallPanel();

function byName(model: Model, row: Float64Array, names: string[]): number {
  for (const name of names) {
    const j = model.constrainedNames.indexOf(name);
    if (j >= 0) return row[j]!;
  }
  throw new Error(`none of ${names.join(', ')} in the draw`);
}

/** Response (money) of spending `weekly` per week for W weeks in cell (g, c), by brute force. */
function bruteForce(model: Model, row: Float64Array, g: number, c: number, weekly: number, W: number): number {
  const market = model.markets[g]!;
  const channel = model.channels[c]!;
  const t = model.transforms[c]!;
  const isLearned = model.isLearnedTransforms;
  const own = t as unknown as Record<string, number>;
  const param = (name: string): number => (isLearned ? byName(model, row, [`adstock_${name}[${channel}]`]) : own[name]!);
  const satParam = (name: string): number => (isLearned ? byName(model, row, [`sat_${name}[${channel}]`]) : own[name]!);
  const kind = (t as { saturation?: string }).saturation ?? 'hill';
  const out = new Float64Array(4);
  const h = (a: number): number =>
    kind === 'logistic'
      ? logisticSaturationScalarWithGradient(a, satParam('lam'), out)
      : kind === 'michaelis_menten'
        ? michaelisMentenScalarWithGradient(a, satParam('lam'), out)
        : kind === 'tanh'
          ? tanhSaturationScalarWithGradient(a, satParam('b'), satParam('c'), out)
          : hillScalar(a, satParam('K'), satParam('S'));
  const beta = byName(model, row, [`beta[${market},${channel}]`, `beta[${channel}]`]);
  const multipliers = model.latestMultipliers(row, new Float64Array(model.channels.length));
  const scale = panel.spendScale[g * model.channels.length + c]!;
  const T = panel.marketLength[g]!;
  const start = panel.gridOffset[g]!;
  const L = t.lMax;
  const len = T + W + L - 1;
  const base = new Float64Array(len);
  for (let k = 0; k < T; k++) base[k] = panel.gridX[(start + k) * model.channels.length + c]!;
  const plan = Float64Array.from(base);
  for (let k = T; k < T + W; k++) plan[k] = weekly / scale;
  const spec: AdstockSpec =
    t.adstock === 'weibull_cdf' || t.adstock === 'weibull_pdf'
      ? { kind: t.adstock, shape: param('shape'), scale: param('scale'), lMax: L }
      : buildAdstockSpec({ ...t, adstock: t.adstock as 'geometric' | 'delayed', alpha: param('alpha') });
  const aBase = applyAdstock(base, spec, new Float64Array(len));
  const aPlan = applyAdstock(plan, spec, new Float64Array(len));
  let sum = 0;
  for (let k = T; k < len; k++) sum += h(aPlan[k]!) - h(aBase[k]!);
  return beta * multipliers[c]! * panel.yScale[g]! * sum;
}

function fromBasis(model: Model, basis: ReturnType<Model['forecastBasis']>, d: number, i: number, weekly: number): number {
  const n = basis.numCells;
  const m = basis.numTerms;
  const shape = basis.isShared ? 0 : d;
  const K = basis.K[shape * n + i]!;
  const S = basis.S[shape * n + i]!;
  const out = new Float64Array(4);
  const kind = basis.saturation[i]!;
  const h = (a: number): number =>
    kind === 'logistic'
      ? logisticSaturationScalarWithGradient(a, K, out)
      : kind === 'michaelis_menten'
        ? michaelisMentenScalarWithGradient(a, K, out)
        : kind === 'tanh'
          ? tanhSaturationScalarWithGradient(a, K, S, out)
          : hillScalar(a, K, S);
  let sum = 0;
  for (let k = 0; k < m; k++) {
    const carry = basis.carry[(shape * n + i) * m + k]!;
    const slope = basis.slope[(shape * n + i) * m + k]!;
    sum += basis.multiplicity[i * m + k]! * (h(carry + slope * weekly) - h(carry));
  }
  return basis.coef[d * n + i]! * sum;
}

const CASES: [string, Omit<BuildModelOptions, 'kind'>][] = [
  ['fixed transforms', {}],
  ['learned transforms', { learnTransforms: true }],
  ['time-varying effects', { timeVarying: { channels: ['meta_spend'], knotEvery: 3 } }],
  ['Weibull adstock (fixed)', { transforms: { meta_spend: { adstock: 'weibull_pdf' }, radio_spend: { adstock: 'weibull_cdf', shape: 1.5 } } }],
  ['Weibull adstock (learned)', { learnTransforms: true, transforms: { meta_spend: { adstock: 'weibull_pdf' }, radio_spend: { adstock: 'weibull_cdf' } } }],
  ['saturation kinds (fixed)', { transforms: { meta_spend: { saturation: 'logistic' }, radio_spend: { saturation: 'michaelis_menten', lam: 0.3 }, tv_spend: { saturation: 'tanh' } } }],
  [
    'saturation kinds (learned, with Weibull)',
    { learnTransforms: true, transforms: { meta_spend: { adstock: 'weibull_pdf', saturation: 'tanh' }, radio_spend: { saturation: 'logistic' }, tv_spend: { saturation: 'michaelis_menten' } } },
  ],
];

describe('forecastBasis', () => {
  for (const kind of ['pooled', 'unpooled', 'hierarchical'] as const) {
    for (const [label, options] of CASES) {
      it(`${kind}, ${label}: equals a brute-force forecast over the horizon and its carry-over tail`, () => {
        const model = buildModel(panel, { kind, ...options });
        const rng = seedrandom(`${kind}-${label}`);
        const rows = [0, 1, 2].map(() => model.constrain(model.initialPoint(rng, { radius: 1 })));
        const chains = [new Float64Array([...rows[0]!, ...rows[1]!]), Float64Array.from(rows[2]!)];
        for (const W of [3, 13]) {
          const basis = model.forecastBasis(chains, { weeks: W });
          expect(basis.numDraws).toBe(3);
          expect(basis.isShared).toBe(!model.isLearnedTransforms);
          for (let d = 0; d < 3; d++) {
            for (let g = 0; g < model.markets.length; g++) {
              for (let c = 0; c < model.channels.length; c++) {
                const i = g * model.channels.length + c;
                for (const weekly of [0, 37.5, 400]) {
                  const expected = panel.spendScale[i]! > 0 ? bruteForce(model, rows[d]!, g, c, weekly, W) : 0;
                  const got = fromBasis(model, basis, d, i, weekly);
                  expect(Math.abs(got - expected), `${kind} ${label} W=${W} draw ${d} cell ${model.markets[g]}/${model.channels[c]} s=${weekly}`).toBeLessThanOrEqual(
                    1e-9 * Math.max(1, Math.abs(expected)),
                  );
                }
              }
            }
          }
        }
      });
    }
  }

  it('rejects draws that do not fit the model, naming the problem', () => {
    const model = buildModel(panel, { kind: 'pooled' });
    expect(() => model.forecastBasis(new Float64Array(model.constrainedDim + 1))).toThrow(/not a multiple of constrainedDim/);
    expect(() => model.forecastBasis([])).toThrow(/no draws/);
    const row = new Float64Array(model.constrainedDim);
    row[model.constrainedNames.indexOf('beta[meta_spend]')] = -1;
    expect(() => model.forecastBasis(row)).toThrow(/beta\[meta_spend\] = -1; expected a finite number >= 0/);
    expect(() => model.forecastBasis(row, { weeks: 0 })).toThrow(/weeks = 0/);
  });
});
