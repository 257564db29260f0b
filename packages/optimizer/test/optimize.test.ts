// Plans end to end on a small fitted-model-shaped problem: exact constraints (to the cent),
// bounds, fixed and never-spent cells, flexible budgets, historical comparison, extrapolation
// flags, scenarios, target modes, risk-aware utilities and the plan.json document.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  OptimizerError,
  budgetScenarios,
  buildResponseCurves,
  buildResponseModel,
  evaluatePlan,
  findTargetSpend,
  optimizeBudget,
  parseBounds,
  planToJson,
  roundToCents,
  type Plan,
  type ResponseModel,
} from '../src/index.js';
import { lcg, normal, smallProblem } from './helpers.js';

const p = smallProblem({ numDraws: 200 });
const rm = buildResponseModel({ model: p.model, panel: p.panel, draws: p.draws, weeks: 13 });
const C = rm.channels.length;
const cell = (market: string, channel: string): number => rm.markets.indexOf(market) * C + rm.channels.indexOf(channel);
/** Historical spend over the last 13 weeks, all cells: the scale of a "quarter" here. */
const quarter = rm.recentWeeklySpend.reduce((a, b) => a + b, 0) * 13;
const budget = Math.round(0.5 * quarter);

function totalCents(plan: Plan): number {
  return plan.allocation.reduce((a, c) => a + Math.round(c.totalSpend * 100), 0);
}

describe('optimizeBudget', () => {
  const plan = optimizeBudget(rm, { budget });

  it('spends the budget exactly, to the cent, in whole cents within the bounds', () => {
    expect(totalCents(plan)).toBe(budget * 100);
    expect(plan.spend).toBe(budget);
    for (const c of plan.allocation) {
      expect(Math.round(c.totalSpend * 100)).toBeCloseTo(c.totalSpend * 100, 6);
      expect(c.totalSpend).toBeGreaterThanOrEqual(c.lowerWeekly * 13 - 1e-9);
      expect(c.totalSpend).toBeLessThanOrEqual(c.upperWeekly * 13 + 1e-9);
      expect(c.weeklySpend).toBeCloseTo(c.totalSpend / 13, 9);
    }
  });

  it('uses default bounds [0, 2 × largest observed weekly spend] and never plans a never-spent cell', () => {
    for (const [i, c] of plan.allocation.entries()) {
      expect(c.lowerWeekly).toBe(0);
      expect(c.upperWeekly).toBeCloseTo(2 * rm.spendScale[i]!, 9);
    }
    expect(plan.allocation[cell('SE', 'tv_spend')]!.totalSpend).toBe(0);
  });

  it('beats the historical allocation of the same budget in mean response, and reports the uplift', () => {
    expect(plan.response.mean).toBeGreaterThan(plan.historical.response.mean);
    expect(plan.uplift.mean).toBeCloseTo(plan.response.mean - plan.historical.response.mean, 6);
    expect(plan.pUplift).toBeGreaterThan(0.5);
    expect(plan.roas.mean).toBeCloseTo(plan.response.mean / budget, 9);
    const shares = plan.historical.weeklySpend.reduce((a, b) => a + b, 0) * 13;
    expect(shares).toBeCloseTo(budget, 6);
  });

  it('reaches the same optimum from several starts, every start converged', () => {
    expect(plan.solver.starts.map((s) => s.name)).toEqual(['historical', 'equal', 'grid']);
    for (const s of plan.solver.starts) expect(s.isConverged).toBe(true);
    const best = Math.max(...plan.solver.starts.map((s) => s.value));
    expect(plan.utilityValue).toBeCloseTo(best, -1); // after rounding to cents
  });

  it('is deterministic', () => {
    const again = optimizeBudget(rm, { budget });
    expect(again.allocation.map((c) => c.totalSpend)).toEqual(plan.allocation.map((c) => c.totalSpend));
  });

  it('flags every planned spend outside the observed range, with the response band there', () => {
    for (const c of plan.allocation) {
      const outside = c.weeklySpend > 0 && (c.weeklySpend < c.observedMin - 0.005 || c.weeklySpend > c.observedMax + 0.005);
      expect(c.isOutsideObservedRange).toBe(outside);
      expect(c.response.q05).toBeLessThanOrEqual(c.response.q95);
    }
    expect(plan.extrapolation).toEqual(plan.allocation.filter((c) => c.isOutsideObservedRange));
    // A budget of twice the recent quarter pushes cells above their largest observed spend.
    const big = optimizeBudget(rm, { budget: Math.round(2 * quarter) });
    expect(big.extrapolation.length).toBeGreaterThan(0);
    expect(big.extrapolation.every((c) => c.weeklySpend > c.observedMax)).toBe(true);
  });

  it('honours bounds entries (wildcards, later entries win) and fixed cells, which count toward the budget', () => {
    const fixedWeekly = rm.recentWeeklySpend[cell('DE', 'meta_spend')]!;
    const bounded = optimizeBudget(rm, {
      budget,
      bounds: [
        { channel: 'radio_spend', upper: 100 },
        { market: 'FR', channel: 'radio_spend', lower: 200, upper: 300 },
        { market: '*', channel: 'tv_spend', lower: 50 },
      ],
      fixed: [{ market: 'DE', channel: 'meta_spend' }],
    });
    expect(totalCents(bounded)).toBe(budget * 100);
    const at = (m: string, c: string) => bounded.allocation[cell(m, c)]!;
    expect(at('DE', 'radio_spend').weeklySpend).toBeLessThanOrEqual(100 + 1e-9);
    expect(at('FR', 'radio_spend').weeklySpend).toBeGreaterThanOrEqual(200 - 1e-9);
    expect(at('FR', 'radio_spend').weeklySpend).toBeLessThanOrEqual(300 + 1e-9);
    expect(at('DE', 'tv_spend').weeklySpend).toBeGreaterThanOrEqual(50 - 1e-9);
    expect(at('SE', 'tv_spend').totalSpend).toBe(0); // never spent: the bound entry cannot force it
    expect(at('DE', 'meta_spend').isFixed).toBe(true);
    expect(Math.abs(at('DE', 'meta_spend').totalSpend - 13 * fixedWeekly)).toBeLessThanOrEqual(0.01);
  });

  it('rejects infeasible budgets and bad bounds, naming the numbers', () => {
    expect(() => optimizeBudget(rm, { budget: 100 * quarter })).toThrow(/above the sum of the upper bounds/);
    expect(() => optimizeBudget(rm, { budget: 10, bounds: [{ lower: 100 }] })).toThrow(/below the sum of the lower bounds/);
    expect(() => optimizeBudget(rm, { budget, bounds: [{ market: 'XX' }] })).toThrow(/unknown market "XX"/);
    expect(() => optimizeBudget(rm, { budget, bounds: [{ channel: 'meta_spend', lower: 10, upper: 5 }] })).toThrow(/lower 10 > upper 5/);
    expect(() => optimizeBudget(rm, { budget, bounds: [{ market: 'SE', channel: 'tv_spend', lower: 1 }] })).toThrow(/never spent/);
    expect(() => optimizeBudget(rm, { budget: -1 })).toThrow(OptimizerError);
  });

  it('with a flexible budget spends at most the budget, and may spend less for a ratio utility', () => {
    const flex = optimizeBudget(rm, { budget: 100 * quarter, isFlexible: true });
    expect(flex.spend).toBeLessThanOrEqual(100 * quarter);
    expect(totalCents(flex)).toBe(Math.round(flex.spend * 100));
    const sharpe = optimizeBudget(rm, { budget, isFlexible: true, utility: 'sharpe' });
    expect(sharpe.spend).toBeLessThanOrEqual(budget);
    expect(sharpe.utility).toBe('sharpe');
  });

  it('evaluates a given plan: the historical allocation has zero uplift', () => {
    const hist = Float64Array.from(rm.recentWeeklySpend, (w) => w * 13);
    const ev = evaluatePlan(rm, hist);
    expect(ev.uplift.mean).toBeCloseTo(0, 0);
    expect(ev.pUplift).toBeLessThan(0.6);
  });
});

describe('risk-aware utilities', () => {
  /** Two cells with the same curve: A pays 1.0 on average with sd 0.6, B pays 0.95 with sd 0.05. */
  function twoCells(): ResponseModel {
    const D = 2000;
    const rnd = lcg(3);
    const coef = new Float64Array(D * 2);
    for (let d = 0; d < D; d++) {
      coef[2 * d] = 1e5 * Math.max(0, 1 + 0.6 * normal(rnd));
      coef[2 * d + 1] = 1e5 * (0.95 + 0.05 * normal(rnd));
    }
    const curves = buildResponseCurves({ numDraws: D, numCells: 2, numTerms: 1, coef, K: [0.5, 0.5], S: [1, 1], carry: [0, 0], slope: [1 / 13e4, 1 / 13e4], multiplicity: [13, 13] });
    return {
      markets: ['A', 'B'],
      channels: ['x_spend'],
      weeks: 13,
      numDraws: D,
      numCells: 2,
      isLearnedTransforms: false,
      curves,
      spendScale: Float64Array.of(1e4, 1e4),
      observedMin: Float64Array.of(0, 0),
      observedMax: Float64Array.of(1e4, 1e4),
      recentWeeklySpend: Float64Array.of(5e3, 5e3),
      historyWeeklySpend: Float64Array.of(5e3, 5e3),
    };
  }

  it('CVaR, quantile and mean-tightness plans move spend to the certain cell and narrow the 5–95% band', () => {
    const model = twoCells();
    const mean = optimizeBudget(model, { budget: 2e5 });
    expect(mean.allocation[0]!.totalSpend).toBeGreaterThan(mean.allocation[1]!.totalSpend);
    const width = (pl: Plan): number => pl.response.q95 - pl.response.q05;
    for (const utility of ['cvar:0.05', 'var:0.05', 'mts:1']) {
      const risk = optimizeBudget(model, { budget: 2e5, utility });
      expect(risk.allocation[1]!.totalSpend).toBeGreaterThan(mean.allocation[1]!.totalSpend);
      expect(width(risk)).toBeLessThan(width(mean));
      expect(risk.response.mean).toBeLessThanOrEqual(mean.response.mean + 1e-6);
      expect(totalCents(risk)).toBe(2e7);
    }
  });

  it('accepts a custom utility object', () => {
    const model = twoCells();
    let calls = 0;
    const plan = optimizeBudget(model, {
      budget: 2e5,
      utility: {
        name: 'worst-case-mean',
        evaluate(response, _spend, grad) {
          calls++;
          let m = 0;
          for (let d = 0; d < response.length; d++) m += response[d]!;
          grad.fill(1 / response.length);
          return { value: m / response.length, dSpend: 0 };
        },
      },
    });
    expect(calls).toBeGreaterThan(3);
    expect(plan.utility).toBe('worst-case-mean');
  });
});

describe('scenarios and targets', () => {
  it('optimizes each budget multiple: a budget–response curve with 5–95% bands', () => {
    const scenarios = budgetScenarios(rm, { budget, multipliers: [0.6, 1, 1.8, 50] });
    expect(scenarios.map((s) => s.budget)).toEqual([0.6, 1, 1.8, 50].map((m) => Math.round(budget * m * 100) / 100));
    const ok = scenarios.filter((s) => s.plan !== undefined).map((s) => s.plan!);
    expect(ok).toHaveLength(3);
    for (let k = 1; k < ok.length; k++) expect(ok[k]!.response.mean).toBeGreaterThan(ok[k - 1]!.response.mean);
    for (const s of ok) expect(totalCents(s)).toBe(Math.round(s.budget * 100));
    expect(scenarios[3]!.error).toMatch(/above the sum of the upper bounds/);
  });

  it('finds the smallest budget whose optimized mean response reaches a revenue target', () => {
    const target = optimizeBudget(rm, { budget }).response.mean;
    const res = findTargetSpend(rm, { kind: 'revenue', revenue: target });
    expect(res.plan.response.mean).toBeGreaterThanOrEqual(target);
    expect(Math.abs(res.budget - budget) / budget).toBeLessThan(2e-3);
    const less = optimizeBudget(rm, { budget: Math.round(res.budget * 0.99) });
    expect(less.response.mean).toBeLessThan(target);
    expect(() => findTargetSpend(rm, { kind: 'revenue', revenue: 1e12 })).toThrow(/out of reach/);
  });

  it('finds the budgets where the optimized plan keeps P(ROAS ≥ r) ≥ p', () => {
    const plan = optimizeBudget(rm, { budget });
    const r = Math.round(plan.roas.q05 * 100) / 100; // met with P ≈ 0.95 at this budget
    const res = findTargetSpend(rm, { kind: 'roas', roas: r, probability: 0.8 });
    const hits = res.plan.responseDraws.filter((v) => v / res.plan.spend >= r).length / rm.numDraws;
    expect(hits).toBeGreaterThanOrEqual(0.8);
    expect(res.maxBudget!).toBeGreaterThanOrEqual(res.budget);
    expect(res.plan.utility).toBe(`p-roas:${r}`);
    expect(() => findTargetSpend(rm, { kind: 'roas', roas: 1e6, probability: 0.5 })).toThrow(/no budget/);
  });
});

describe('rounding and documents', () => {
  it('roundToCents keeps the total exact and every cell within its bounds (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 }), fc.double({ min: 0, max: 1, noNaN: true }), (hi, frac) => {
        const lo = hi.map((h) => Math.floor(h * 0.1 * 100) / 100);
        const upper = hi.map((h, i) => Math.max(lo[i]!, Math.floor(h * 100) / 100));
        const sLo = lo.reduce((a, b) => a + b, 0);
        const sHi = upper.reduce((a, b) => a + b, 0);
        const total = Math.round((sLo + frac * (sHi - sLo)) * 100) / 100;
        // Any feasible x: scale between bounds.
        const t = sHi > sLo ? (total - sLo) / (sHi - sLo) : 0;
        const x = lo.map((l, i) => l + t * (upper[i]! - l));
        const cents = roundToCents(x, lo, upper, total);
        expect(cents.reduce((a, c) => a + Math.round(c * 100), 0)).toBe(Math.round(total * 100));
        cents.forEach((c, i) => {
          expect(c).toBeGreaterThanOrEqual(lo[i]! - 1e-9);
          expect(c).toBeLessThanOrEqual(upper[i]! + 1e-9);
          expect(Math.abs(c - x[i]!)).toBeLessThan(0.02 + 1e-9 * x[i]!);
        });
      }),
      { numRuns: 200, seed: 9 },
    );
  });

  it('writes plan.json with the documented fields', () => {
    const plan = optimizeBudget(rm, { budget, utility: 'cvar:0.05' });
    const scenarios = budgetScenarios(rm, { budget, multipliers: [1, 1.2] });
    const json = planToJson(plan, { scenarios }) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const key of ['budget', 'weeks', 'utility', 'allocation', 'response', 'roas', 'historical', 'p_uplift', 'scenarios', 'extrapolation', 'uplift']) expect(json).toHaveProperty(key);
    expect(json.utility).toBe('cvar:0.05');
    expect(Object.keys(json.allocation[0]).slice(0, 4)).toEqual(['market', 'channel', 'weekly_spend', 'total_spend']);
    expect(json.allocation[0]).toHaveProperty('outside_observed_range');
    expect(Object.keys(json.response)).toEqual(['mean', 'q05', 'q95']);
    expect(json.historical.response).toHaveProperty('q95');
    expect(json.scenarios[1]).toMatchObject({ multiplier: 1.2, budget: Math.round(budget * 1.2 * 100) / 100 });
    expect(json.scenarios[1].response).toHaveProperty('q05');
    // Totals are whole cents and add up to the budget exactly.
    const cents = (json.allocation as { total_spend: number }[]).reduce((a, c) => a + Math.round(c.total_spend * 100), 0);
    expect(cents).toBe(budget * 100);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

describe('bounds files', () => {
  it('parses CSV and JSON, with wildcards and empty cells', () => {
    const csv = 'market,channel,lower,upper\nDE,meta_spend,100,2000\n*,radio_spend,,500\n';
    expect(parseBounds(csv, 'csv', 'b.csv')).toEqual([
      { market: 'DE', channel: 'meta_spend', lower: 100, upper: 2000, source: 'b.csv line 2' },
      { market: '*', channel: 'radio_spend', upper: 500, source: 'b.csv line 3' },
    ]);
    expect(parseBounds('[{"channel":"tv_spend","upper":10}]', 'json', 'b.json')).toEqual([{ channel: 'tv_spend', upper: 10, source: 'b.json entry 1' }]);
    expect(parseBounds('{"bounds":[{"market":"FR","lower":1}]}', 'json')).toHaveLength(1);
  });

  it('names the line, the column and the value of a bad entry', () => {
    expect(() => parseBounds('market,channel,lower,upper\nDE,meta_spend,-5,10\n', 'csv', 'b.csv')).toThrow(/b\.csv line 2, column lower: "-5"/);
    expect(() => parseBounds('market,channel,max\n', 'csv', 'b.csv')).toThrow(/line 1/);
    expect(() => parseBounds('market,channel,lower,upper\nDE,meta_spend,1\n', 'csv', 'b.csv')).toThrow(/line 2: 3 fields/);
    expect(() => parseBounds('[{"channel":"tv_spend","upper":-1}]', 'json', 'b.json')).toThrow(/b\.json: at 0\.upper/);
    expect(() => parseBounds('[{"chanel":"tv_spend"}]', 'json', 'b.json')).toThrow(/b\.json/);
    expect(() => parseBounds('{', 'json', 'b.json')).toThrow(/not valid JSON/);
  });
});
