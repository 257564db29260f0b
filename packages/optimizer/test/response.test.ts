// The response of a plan (README "The response of a plan") against a brute-force simulation:
// per draw and market-channel, the whole weekly series (observed grid, then the plan's W weeks,
// then L−1 empty weeks) through @tributary/transforms' adstock and Hill, minus the same series
// without the plan. Fixed and learned transforms, hierarchical and pooled models. Plus the
// analytic gradient against central finite differences (fast-check).
import fc from 'fast-check';
import { applyAdstock, buildAdstockSpec, hillScalar } from '@tributary/transforms';
import { describe, expect, it } from 'vitest';
import { OptimizerError, buildResponseCurves, buildResponseModel, type ResponseModel } from '../src/index.js';
import { buildModel } from '@tributary/models';
import { lcg, smallProblem, type SmallProblem } from './helpers.js';

/** Σ_k β·y_scale·(h(full) − h(history only)) over the horizon and tail, by simulation. */
function bruteForce(p: SmallProblem, d: number, g: number, c: number, weekly: number, W: number): number {
  const { panel, model } = p;
  const C = model.channels.length;
  const draw = p.draws.subarray(d * model.constrainedDim, (d + 1) * model.constrainedDim);
  const name = (base: string): number => model.constrainedNames.indexOf(base);
  const t = model.transforms[c]!;
  const ch = model.channels[c]!;
  const alpha = model.isLearnedTransforms ? draw[name(`adstock_alpha[${ch}]`)]! : t.alpha;
  const K = model.isLearnedTransforms ? draw[name(`sat_K[${ch}]`)]! : t.K;
  const S = model.isLearnedTransforms ? draw[name(`sat_S[${ch}]`)]! : t.S;
  const betaName = model.kind === 'pooled' ? `beta[${ch}]` : `beta[${model.markets[g]},${ch}]`;
  const beta = draw[name(betaName)]!;
  const T = panel.marketLength[g]!;
  const L = t.lMax;
  const scale = panel.spendScale[g * C + c]!;
  const len = T + W + L - 1;
  const hist = new Float64Array(len);
  for (let w = 0; w < T; w++) hist[w] = panel.gridX[(panel.gridOffset[g]! + w) * C + c]!;
  const full = Float64Array.from(hist);
  for (let w = T; w < T + W; w++) full[w] = weekly / scale;
  const spec = buildAdstockSpec({ ...t, alpha });
  const aHist = applyAdstock(hist, spec, new Float64Array(len));
  const aFull = applyAdstock(full, spec, new Float64Array(len));
  let sum = 0;
  for (let w = T; w < len; w++) sum += hillScalar(aFull[w]!, K, S) - hillScalar(aHist[w]!, K, S);
  return beta * panel.yScale[g]! * sum;
}

function build(p: SmallProblem, weeks: number): ResponseModel {
  return buildResponseModel({ model: p.model, panel: p.panel, draws: p.draws, names: p.model.constrainedNames, weeks });
}

const CASES: [string, { kind: 'hierarchical' | 'pooled'; learnTransforms?: boolean }][] = [
  ['hierarchical, fixed transforms', { kind: 'hierarchical' }],
  ['hierarchical, learned transforms', { kind: 'hierarchical', learnTransforms: true }],
  ['pooled, fixed transforms', { kind: 'pooled' }],
];

describe.each(CASES)('response of a plan: %s', (_label, opts) => {
  const p = smallProblem({ ...opts, numDraws: 12 });

  it.each([13, 4, 1])('equals the brute-force simulation (W = %i weeks)', (W) => {
    const rm = build(p, W);
    const C = rm.channels.length;
    const rnd = lcg(W);
    const x = Float64Array.from({ length: rm.numCells }, (_, i) => (rm.spendScale[i]! > 0 ? W * rm.spendScale[i]! * 1.5 * rnd() : 0));
    const total = new Float64Array(rm.numDraws);
    rm.curves.evaluate(x, total);
    const cell = new Float64Array(rm.numDraws);
    for (let d = 0; d < rm.numDraws; d++) {
      let sum = 0;
      for (let i = 0; i < rm.numCells; i++) {
        const g = Math.floor(i / C);
        const c = i % C;
        const ref = rm.spendScale[i]! > 0 ? bruteForce(p, d, g, c, x[i]! / W, W) : 0;
        rm.curves.cellResponse(i, x[i]!, cell);
        expect(cell[d]!).toBeCloseTo(ref, 6);
        expect(Math.abs(cell[d]! - ref)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(ref)));
        sum += ref;
      }
      expect(Math.abs(total[d]! - sum)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(sum)));
    }
    expect(rm.isLearnedTransforms).toBe(opts.learnTransforms === true);
    expect(rm.curves.isShared).toBe(opts.learnTransforms !== true);
  });

  it('has an analytic gradient equal to central finite differences (fast-check)', () => {
    const W = 13;
    const rm = build(p, W);
    const D = rm.numDraws;
    const n = rm.numCells;
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.05, max: 2, noNaN: true }), { minLength: n, maxLength: n }), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: D, maxLength: D }), (u, w) => {
        const x = Float64Array.from(u, (v, i) => v * W * rm.spendScale[i]!);
        const weights = Float64Array.from(w);
        const R = new Float64Array(D);
        rm.curves.evaluate(x, R, true);
        const grad = rm.curves.pullback(weights, new Float64Array(n));
        const f = (xx: Float64Array): number => {
          rm.curves.evaluate(xx, R);
          let s = 0;
          for (let d = 0; d < D; d++) s += weights[d]! * R[d]!;
          return s;
        };
        const rows: string[] = [];
        let ok = true;
        for (let i = 0; i < n; i++) {
          if (!(rm.spendScale[i]! > 0)) continue;
          const h = 1e-5 * Math.max(1, x[i]!);
          const xp = Float64Array.from(x);
          xp[i] = x[i]! + h;
          const up = f(xp);
          xp[i] = x[i]! - h;
          const down = f(xp);
          const fd = (up - down) / (2 * h);
          const bad = !(Math.abs(fd - grad[i]!) <= 1e-6 * Math.max(1, Math.abs(fd)));
          if (bad) ok = false;
          rows.push(`${String(i).padStart(3)} ${x[i]!.toFixed(2).padStart(14)} ${grad[i]!.toExponential(9).padStart(17)} ${fd.toExponential(9).padStart(17)}${bad ? '  <-- MISMATCH' : ''}`);
        }
        if (!ok) throw new Error(`gradient mismatch\nindex          value          analytic       finite diff\n${rows.join('\n')}`);
      }),
      { numRuns: 8, seed: 42 },
    );
  });
});

describe('response model inputs', () => {
  const p = smallProblem({ numDraws: 4 });

  it('summarizes the panel per market-channel: scales, observed range, recent and whole-history spend', () => {
    const rm = build(p, 13);
    const C = rm.channels.length;
    const se = rm.markets.indexOf('SE');
    const tv = rm.channels.indexOf('tv_spend');
    expect(rm.spendScale[se * C + tv]).toBe(0);
    expect(rm.observedMax[se * C + tv]).toBe(0);
    // A cell that never spent has no response, whatever the spend.
    const out = new Float64Array(rm.numDraws);
    rm.curves.cellResponse(se * C + tv, 1e6, out);
    expect(Array.from(out)).toEqual(new Array(rm.numDraws).fill(0));
    const de = rm.markets.indexOf('DE');
    const meta = rm.channels.indexOf('meta_spend');
    const i = de * C + meta;
    expect(rm.observedMax[i]).toBe(rm.spendScale[i]);
    expect(rm.observedMin[i]!).toBeGreaterThan(0);
    expect(rm.recentWeeklySpend[i]!).toBeGreaterThan(0);
    expect(rm.historyWeeklySpend[i]!).toBeGreaterThan(0);
  });

  it('rejects draws of another model, bad weeks and mismatched panels, naming the problem', () => {
    const names = [...p.model.constrainedNames];
    names[3] = 'something_else';
    expect(() => buildResponseModel({ model: p.model, panel: p.panel, draws: p.draws, names })).toThrow(/draw column 4 is "something_else"/);
    expect(() => buildResponseModel({ model: p.model, panel: p.panel, draws: p.draws.subarray(1) })).toThrow(OptimizerError);
    expect(() => buildResponseModel({ model: p.model, panel: p.panel, draws: p.draws, weeks: 0 })).toThrow(/weeks = 0/);
    expect(() => buildResponseModel({ model: p.model, panel: { ...p.panel, markets: ['DE', 'FR', 'XX'] }, draws: p.draws })).toThrow(/markets/);
  });

  it('accepts one matrix per chain', () => {
    const half = (p.draws.length / 2) | 0;
    const a = buildResponseModel({ model: p.model, panel: p.panel, draws: [p.draws.slice(0, half), p.draws.slice(half)] });
    const b = buildResponseModel({ model: p.model, panel: p.panel, draws: p.draws });
    const x = new Float64Array(a.numCells).fill(1000);
    expect(Array.from(a.curves.evaluate(x, new Float64Array(a.numDraws)))).toEqual(Array.from(b.curves.evaluate(x, new Float64Array(b.numDraws))));
  });
});

describe('response curves (kernel)', () => {
  it('gives the same responses for a shared spec and the same spec repeated per draw', () => {
    const rnd = lcg(5);
    const D = 7;
    const n = 5;
    const m = 4;
    const coef = Array.from({ length: D * n }, () => 1000 * rnd());
    const K = Array.from({ length: n }, () => 0.2 + rnd());
    const S = Array.from({ length: n }, () => 0.8 + 2 * rnd());
    const carry = Array.from({ length: n * m }, () => (rnd() < 0.3 ? 0 : rnd()));
    const slope = Array.from({ length: n * m }, () => 1e-4 * rnd());
    const multiplicity = Array.from({ length: n * m }, (_, j) => 1 + (j % 3));
    const shared = buildResponseCurves({ numDraws: D, numCells: n, numTerms: m, coef, K, S, carry, slope, multiplicity });
    const rep = <T>(a: T[]): T[] => Array.from({ length: D }, () => a).flat();
    const perDraw = buildResponseCurves({ numDraws: D, numCells: n, numTerms: m, coef, K: rep(K), S: rep(S), carry: rep(carry), slope: rep(slope), multiplicity });
    expect(shared.isShared).toBe(true);
    expect(perDraw.isShared).toBe(false);
    const x = Float64Array.from({ length: n }, () => 20_000 * rnd());
    const a = shared.evaluate(x, new Float64Array(D), true);
    const b = perDraw.evaluate(x, new Float64Array(D), true);
    for (let d = 0; d < D; d++) expect(a[d]!).toBeCloseTo(b[d]!, 8);
    const w = Float64Array.from({ length: D }, () => rnd() - 0.5);
    const ga = shared.pullback(w, new Float64Array(n));
    const gb = perDraw.pullback(w, new Float64Array(n));
    for (let i = 0; i < n; i++) expect(ga[i]!).toBeCloseTo(gb[i]!, 8);
    expect(shared.cellMeanResponse(2, 5000)).toBeCloseTo(perDraw.cellMeanResponse(2, 5000), 8);
  });

  it('for S < 1, is exact Hill above a₀ = 1e-6·K and a C¹ quadratic with a finite slope below', () => {
    const K = 0.5;
    const S = 0.7;
    const a0 = 1e-6 * K;
    // One cell, one term, no carry-over: a = x (slope 1), one draw with coef 1.
    const curves = buildResponseCurves({ numDraws: 1, numCells: 1, numTerms: 1, coef: [1], K: [K], S: [S], carry: [0], slope: [1], multiplicity: [1] });
    const at = (x: number): { h: number; hp: number } => {
      const R = curves.evaluate([x], new Float64Array(1), true);
      return { h: R[0]!, hp: curves.pullback(Float64Array.of(1), new Float64Array(1))[0]! };
    };
    for (const a of [2 * a0, 1e-3, 0.3, 5]) expect(at(a).h).toBeCloseTo(hillScalar(a, K, S), 14);
    const below = at(a0 * (1 - 1e-9));
    const above = at(a0 * (1 + 1e-9));
    expect(Math.abs(below.h - above.h)).toBeLessThan(1e-12);
    expect(Math.abs(below.hp - above.hp) / above.hp).toBeLessThan(1e-6);
    const zero = at(0);
    expect(zero.h).toBe(0);
    expect(Number.isFinite(zero.hp) && zero.hp > 0).toBe(true);
    for (const a of [0.1 * a0, 0.5 * a0, 0.99 * a0, 3 * a0]) {
      const h = 1e-4 * a0;
      const fd = (at(a + h).h - at(a - h).h) / (2 * h);
      expect(Math.abs(fd - at(a).hp) / at(a).hp).toBeLessThan(1e-5);
    }
  });

  it('rejects malformed specs, naming the array', () => {
    const base = { numDraws: 2, numCells: 1, numTerms: 1, coef: [1, 1], K: [0.5], S: [2], carry: [0], slope: [1], multiplicity: [1] };
    expect(() => buildResponseCurves({ ...base, K: [0] })).toThrow(/K\[0\] = 0/);
    expect(() => buildResponseCurves({ ...base, coef: [1] })).toThrow(/coef has length 1/);
    expect(() => buildResponseCurves({ ...base, carry: [-1] })).toThrow(/carry/);
  });
});

describe('time-varying effects', () => {
  it('scale each draw\'s coefficient by the multiplier at the last observed week', () => {
    const p = smallProblem({ kind: 'hierarchical', numDraws: 6 });
    const ch = p.model.channels[0]!;
    const tv = buildModel(p.panel, { kind: 'hierarchical', timeVarying: { channels: [ch], knotEvery: 2 } });
    // Draws of the time-varying model: the constant model's draws plus a random walk.
    const rnd = lcg(5);
    const tvDraws = new Float64Array(p.numDraws * tv.constrainedDim);
    const flatDraws = new Float64Array(p.numDraws * p.model.constrainedDim);
    const multipliers = new Float64Array(tv.channels.length);
    for (let d = 0; d < p.numDraws; d++) {
      const base = p.draws.subarray(d * p.model.constrainedDim, (d + 1) * p.model.constrainedDim);
      const record: Record<string, number> = Object.fromEntries(p.model.constrainedNames.map((n, i) => [n, base[i]!]));
      for (const name of tv.parameterNames) {
        if (name.startsWith('tv_sigma_log')) record[name.replace('_log', '')] = 0.3;
        if (name.startsWith('tv_z')) record[name] = 2 * rnd() - 1;
      }
      const draw = tv.constrain(tv.unconstrain(record), tvDraws.subarray(d * tv.constrainedDim, (d + 1) * tv.constrainedDim));
      tv.latestMultipliers(draw, multipliers);
      expect(multipliers[0]).not.toBeCloseTo(1, 3);
      // The constant model's draw with beta[g, ch] scaled by the latest multiplier.
      const flat = flatDraws.subarray(d * p.model.constrainedDim, (d + 1) * p.model.constrainedDim);
      p.model.constrainedNames.forEach((n, i) => {
        flat[i] = n.startsWith('beta[') && n.endsWith(`,${ch}]`) ? draw[tv.constrainedNames.indexOf(n)]! * multipliers[0]! : draw[tv.constrainedNames.indexOf(n)]!;
      });
    }
    const W = 8;
    const a = buildResponseModel({ model: tv, panel: p.panel, draws: tvDraws, names: tv.constrainedNames, weeks: W });
    const b = buildResponseModel({ model: p.model, panel: p.panel, draws: flatDraws, names: p.model.constrainedNames, weeks: W });
    const x = Float64Array.from({ length: a.numCells }, (_, i) => W * a.spendScale[i]! * 0.8);
    const ra = new Float64Array(a.numDraws);
    const rb = new Float64Array(b.numDraws);
    a.curves.evaluate(x, ra);
    b.curves.evaluate(x, rb);
    for (let d = 0; d < p.numDraws; d++) expect(ra[d]).toBeCloseTo(rb[d]!, 6);
  });
});
