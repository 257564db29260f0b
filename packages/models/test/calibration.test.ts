/**
 * Lift tests, ROAS priors and time-varying effects (model.ts header): gradients against central
 * finite differences for every kind with fixed and learned transforms, and each feature against
 * an independent computation:
 * - the model-implied lift of a test equals the change of the model's own contributions when
 *   the test's spend change is written into the data (a second panel), for constant and
 *   time-varying effects and learned transforms;
 * - a ROAS prior changes lp by exactly the LogNormal(ROAS) kernel minus the replaced Normal
 *   kernel of log beta, with ROAS taken from the model's contributions (spec §6);
 * - the time-varying mean is the constant-effect mean plus beta·H·(m(t) − 1), with m(t)
 *   interpolated on the log scale between the reported knot multipliers.
 */
import fc from 'fast-check';
import { buildPanel, parseMarketingCsv } from '@tributary/data';
import { describe, expect, test } from 'vitest';
import { buildModel, type BuildModelOptions, type LiftTestInput, type ModelKind } from '../src/index.js';
import { smallCsv, smallPanel } from './fixtures.js';
import { checkGradient } from './gradient-check.js';

const panel = smallPanel();
const kinds: ModelKind[] = ['hierarchical', 'unpooled', 'pooled'];

function pointArbitrary(dim: number): fc.Arbitrary<Float64Array> {
  return fc
    .array(fc.double({ min: -1.5, max: 1.5, noNaN: true, noDefaultInfinity: true }), { minLength: dim, maxLength: dim })
    .map((xs) => Float64Array.from(xs));
}

/** DE's weekly spend of a channel (DE has no gap: row i is week t = i). */
function deSpend(column: string): number[] {
  const lines = smallCsv().trim().split('\n');
  const header = lines[0]!.split(',');
  const j = header.indexOf(column);
  return lines.slice(1).filter((l) => l.split(',')[1] === 'DE').map((l) => Number(l.split(',')[j]));
}

const lifts: LiftTestInput[] = [
  { market: 'DE', channel: 'meta_spend', startT: 4, endT: 5, deltaSpend: 80, lift: 400, liftSe: 60 },
  { market: 'FR', channel: 'radio_spend', startT: 3, endT: 6, deltaSpend: 120, lift: 150, liftSe: 40 },
];

describe('gradients with lift tests, ROAS priors and time-varying effects = finite differences', () => {
  const configs: { name: string; options: Omit<BuildModelOptions, 'kind'> }[] = [
    { name: 'lift tests', options: { liftTests: lifts } },
    { name: 'lift tests, learned transforms', options: { liftTests: lifts, learnTransforms: true } },
    { name: 'ROAS priors', options: { priors: { roas: { meta_spend: { mean: 2, sd: 1 }, tv_spend: { mean: 0.8, sd: 0.5 } } } } },
    { name: 'time-varying', options: { timeVarying: { channels: ['meta_spend', 'tv_spend'], knotEvery: 3 } } },
    {
      name: 'time-varying + lift tests + learned, student-t',
      options: { timeVarying: { channels: ['meta_spend'], knotEvery: 4 }, liftTests: lifts, learnTransforms: true, likelihood: 'student-t' },
    },
  ];
  for (const kind of kinds) {
    for (const { name, options } of configs) {
      test(`${kind}: ${name}`, () => {
        const model = buildModel(panel, { kind, ...options });
        fc.assert(
          fc.property(pointArbitrary(model.dim), (theta) => {
            const result = checkGradient(model, theta);
            if (!result.ok) throw new Error(`gradient mismatch (${kind}, ${name}):\n${result.table}`);
          }),
          { numRuns: 8, seed: 20261130 },
        );
      });
    }
  }
});

describe('lift tests', () => {
  // A go-dark test (negative delta) in weeks that do not hold the market-channel's maximum, so
  // the perturbed data keep the same spend scale and the two panels share every input.
  // Two weeks with spend, not the maximum, whose carry-over tail (l_max 8) ends inside DE's 14 weeks.
  const meta = deSpend('meta_spend');
  const top = Math.max(...meta);
  const w0 = [1, 2, 3, 4, 5].find((w) => meta[w]! > 0 && meta[w + 1]! > 0 && meta[w] !== top && meta[w + 1] !== top)!;
  const delta = -Math.min(meta[w0]!, meta[w0 + 1]!);
  const test0: LiftTestInput = { market: 'DE', channel: 'meta_spend', startT: w0, endT: w0 + 1, deltaSpend: delta, lift: -300, liftSe: 50 };
  const perturbedCsv = (() => {
    const lines = smallCsv().trim().split('\n');
    const header = lines[0]!.split(',');
    const j = header.indexOf('meta_spend');
    let week = 0;
    return (
      lines
        .map((line, i) => {
          if (i === 0) return line;
          const cells = line.split(',');
          if (cells[1] !== 'DE') return line;
          if (week === w0 || week === w0 + 1) cells[j] = String(Number(cells[j]) + delta);
          week++;
          return cells.join(',');
        })
        .join('\n') + '\n'
    );
  })();
  const perturbed = buildPanel(parseMarketingCsv(perturbedCsv, { controls: ['price'] }));

  const variants: { name: string; options: Omit<BuildModelOptions, 'kind'> }[] = [
    { name: 'fixed transforms', options: {} },
    { name: 'learned transforms', options: { learnTransforms: true } },
    { name: 'time-varying meta', options: { timeVarying: { channels: ['meta_spend'], knotEvery: 3 } } },
  ];
  for (const kind of kinds) {
    for (const { name, options } of variants) {
      test(`${kind}, ${name}: implied lift = change of the contributions with the test's spend in the data`, () => {
        expect(Array.from(perturbed.spendScale)).toEqual(Array.from(panel.spendScale));
        const model = buildModel(panel, { kind, ...options, liftTests: [test0] });
        const other = buildModel(perturbed, { kind, ...options });
        const g = model.markets.indexOf('DE');
        const c = model.channels.indexOf('meta_spend');
        fc.assert(
          fc.property(pointArbitrary(model.dim), (theta) => {
            const draw = model.constrain(theta);
            const implied = model.liftTestPredictions(draw, new Float64Array(1))[0]!;
            const before = model.contributions(draw).channels[g]![c]!;
            const after = other.contributions(draw).channels[g]![c]!;
            expect(implied).toBeCloseTo(after - before, 8);
            expect(implied).toBeLessThan(0);
          }),
          { numRuns: 10, seed: 3 },
        );
      });
    }
  }

  test('the likelihood term is Normal(measured | implied, se) on the scaled target', () => {
    const base = buildModel(panel, { kind: 'hierarchical' });
    const model = buildModel(panel, { kind: 'hierarchical', liftTests: [test0] });
    const theta = Float64Array.from({ length: model.dim }, (_, i) => Math.sin(i + 1));
    const draw = model.constrain(theta);
    const implied = model.liftTestPredictions(draw, new Float64Array(1))[0]!;
    const yScale = panel.yScale[0]!;
    const z = (test0.lift - implied) / test0.liftSe;
    expect(model.logDensity(theta) - base.logDensity(theta)).toBeCloseTo(-0.5 * z * z, 9);
    expect(yScale).toBeGreaterThan(0);
  });

  test('bad lift tests are refused with the field named', () => {
    const bad = (patch: Partial<LiftTestInput>) => () => buildModel(panel, { kind: 'pooled', liftTests: [{ ...test0, ...patch }] });
    expect(bad({ market: 'XX' })).toThrow(/liftTests\[0\]\.market = "XX"/);
    expect(bad({ channel: 'tiktok_spend' })).toThrow(/liftTests\[0\]\.channel/);
    expect(bad({ startT: 5, endT: 4 })).toThrow(/start <= end/);
    expect(bad({ endT: 99 })).toThrow(/within market DE/);
    expect(bad({ liftSe: 0 })).toThrow(/liftSe/);
    expect(bad({ deltaSpend: -10_000 })).toThrow(/negative/);
    expect(bad({ market: 'SE', channel: 'tv_spend', startT: 2, endT: 3 })).toThrow(/never spends/);
  });
});

describe('ROAS priors', () => {
  const moments = { mean: 2.5, sd: 1.2 };
  const s2 = Math.log1p((moments.sd / moments.mean) ** 2);
  const m = Math.log(moments.mean) - s2 / 2;
  const c = panel.channels.indexOf('meta_spend');
  const C = panel.channels.length;
  const spendTotal = (g: number): number => {
    let s = 0;
    for (let n = 0; n < panel.numObs; n++) if (panel.obsMarket[n] === g) s += panel.spend[n * C + c]!;
    return s;
  };

  test('LogNormal moments: exp(m + s²/2) = mean, sd matches', () => {
    expect(Math.exp(m + s2 / 2)).toBeCloseTo(moments.mean, 12);
    expect(Math.sqrt((Math.exp(s2) - 1) * Math.exp(2 * m + s2))).toBeCloseTo(moments.sd, 12);
  });

  for (const kind of kinds) {
    test(`${kind}: lp changes by the LogNormal kernel of the channel's ROAS minus the replaced prior`, () => {
      const base = buildModel(panel, { kind });
      const model = buildModel(panel, { kind, priors: { roas: { meta_spend: moments } } });
      const [m0, s0] = base.priors.beta_log_mu.normal;
      fc.assert(
        fc.property(pointArbitrary(model.dim), (theta) => {
          const draw = model.constrain(theta);
          let expected = 0;
          if (kind === 'unpooled') {
            const roas = model.roas(draw, new Float64Array(panel.markets.length * C));
            for (let g = 0; g < panel.markets.length; g++) {
              const logBeta = Math.log(draw[model.constrainedNames.indexOf(`beta[${panel.markets[g]},meta_spend]`)]!);
              expected += -0.5 * ((Math.log(roas[g * C + c]!) - m) / Math.sqrt(s2)) ** 2 + 0.5 * ((logBeta - m0) / s0) ** 2;
            }
          } else {
            // ROAS of the shared / population effect: every market at that coefficient.
            const name = kind === 'pooled' ? 'beta[meta_spend]' : 'beta_mu[meta_spend]';
            const beta = draw[model.constrainedNames.indexOf(name)]!;
            const atPopulation = Float64Array.from(draw);
            if (kind === 'hierarchical') {
              for (const g of panel.markets) atPopulation[model.constrainedNames.indexOf(`beta[${g},meta_spend]`)] = beta;
            }
            const contrib = model.contributions(atPopulation);
            let revenue = 0;
            let spend = 0;
            for (let g = 0; g < panel.markets.length; g++) {
              revenue += contrib.channels[g]![c]!;
              spend += spendTotal(g);
            }
            expected = -0.5 * ((Math.log(revenue / spend) - m) / Math.sqrt(s2)) ** 2 + 0.5 * ((Math.log(beta) - m0) / s0) ** 2;
          }
          const diff = model.logDensity(theta) - base.logDensity(theta);
          expect(diff).toBeCloseTo(expected, 8);
        }),
        { numRuns: 10, seed: 11 },
      );
    });
  }

  test('per-market ROAS priors (unpooled) override the channel prior of that market only', () => {
    const model = buildModel(panel, { kind: 'unpooled', priors: { roas: { meta_spend: { ...moments, markets: { FR: { mean: 6, sd: 1 } } } } } });
    const channelOnly = buildModel(panel, { kind: 'unpooled', priors: { roas: { meta_spend: moments } } });
    const theta = Float64Array.from({ length: model.dim }, (_, i) => Math.cos(i));
    const draw = model.constrain(theta);
    const roasFR = model.roas(draw, new Float64Array(panel.markets.length * C))[1 * C + c]!;
    const sFR2 = Math.log1p(1 / 36);
    const mFR = Math.log(6) - sFR2 / 2;
    const expected =
      -0.5 * (Math.log(roasFR) - mFR) ** 2 / sFR2 + 0.5 * (Math.log(roasFR) - m) ** 2 / s2;
    expect(model.logDensity(theta) - channelOnly.logDensity(theta)).toBeCloseTo(expected, 8);
  });

  test('errors name the key', () => {
    expect(() => buildModel(panel, { kind: 'pooled', priors: { roas: { tiktok_spend: moments } } })).toThrow(/priors\.roas has key "tiktok_spend"/);
    expect(() => buildModel(panel, { kind: 'hierarchical', priors: { roas: { meta_spend: { ...moments, markets: { DE: moments } } } } })).toThrow(
      /per-market ROAS priors need the unpooled model/,
    );
    expect(() => buildModel(panel, { kind: 'unpooled', priors: { roas: { meta_spend: { ...moments, markets: { XX: moments } } } } })).toThrow(/"XX", which is not a market/);
    expect(() => buildModel(panel, { kind: 'pooled', priors: { roas: { meta_spend: { mean: -1, sd: 1 } } } })).toThrow(/roas/);
  });
});

describe('time-varying effects', () => {
  for (const kind of kinds) {
    test(`${kind}: mean = constant-effect mean + beta·H·(m(t) − 1) with m interpolated between knots`, () => {
      const every = 3;
      const model = buildModel(panel, { kind, timeVarying: { channels: ['tv_spend'], knotEvery: every } });
      const flat = buildModel(panel, { kind });
      expect(model.path).toBe('direct');
      expect(model.timeVarying).toEqual({ channels: ['tv_spend'], knotEvery: every, numKnots: Math.ceil(13 / every) + 1 });
      const J = model.timeVarying!.numKnots;
      const H = flat.stanData().H as number[][];
      const c = panel.channels.indexOf('tv_spend');
      fc.assert(
        fc.property(pointArbitrary(model.dim), (theta) => {
          const draw = model.constrain(theta);
          const record = Object.fromEntries(model.constrainedNames.map((n, i) => [n, draw[i]!]));
          const knots = Array.from({ length: J }, (_, k) => Math.log(record[`tv_multiplier[tv_spend,${k + 1}]`]!));
          expect(Math.abs(knots.reduce((a, b) => a + b, 0))).toBeLessThan(1e-9); // centred walk
          const flatDraw = flat.constrain(flat.unconstrain(record));
          const mu = model.mean(draw, new Float64Array(panel.numObs));
          const mu0 = flat.mean(flatDraw, new Float64Array(panel.numObs));
          for (let n = 0; n < panel.numObs; n++) {
            const g = panel.obsMarket[n]!;
            const t = panel.obsT[n]!;
            const k = Math.min(Math.floor(t / every), J - 2);
            const f = (t - k * every) / every;
            const mult = Math.exp((1 - f) * knots[k]! + f * knots[k + 1]!);
            const beta = kind === 'pooled' ? record['beta[tv_spend]']! : record[`beta[${panel.markets[g]},tv_spend]`]!;
            const expected = mu0[n]! + beta * H[n]![c]! * (mult - 1) * panel.yScale[g]!;
            expect(mu[n]).toBeCloseTo(expected, 8);
          }
          const latest = model.latestMultipliers(draw, new Float64Array(panel.channels.length));
          expect(latest[0]).toBe(1);
          const kl = Math.min(Math.floor(13 / every), J - 2);
          const fl = (13 - kl * every) / every;
          expect(latest[c]).toBeCloseTo(Math.exp((1 - fl) * knots[kl]! + fl * knots[kl + 1]!), 12);
        }),
        { numRuns: 10, seed: 5 },
      );
    });
  }

  test('bad options are refused with the option named', () => {
    expect(() => buildModel(panel, { kind: 'pooled', timeVarying: { channels: ['tiktok_spend'] } })).toThrow(/timeVarying\.channels has "tiktok_spend"/);
    expect(() => buildModel(panel, { kind: 'pooled', timeVarying: { channels: ['meta_spend'], knotEvery: 0 } })).toThrow(/knotEvery/);
    expect(() => buildModel(panel, { kind: 'pooled', timeVarying: { channels: ['meta_spend'], knotEvery: 13 } })).toThrow(/at least 3 knots/);
    expect(() => buildModel(panel, { kind: 'pooled', path: 'sufficient', timeVarying: { channels: ['meta_spend'] } })).toThrow(/sufficient/);
  });
});
