// Utilities: analytic gradients against central finite differences (fast-check, with a table
// on failure), the smoothed estimators against their plain versions, and the spec parser.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OptimizerError, buildUtility, formatUtilitySpec, parseUtilitySpec, summarizeInterval, type Utility } from '../src/index.js';
import { lcg, normal } from './helpers.js';

const SPECS = ['mean', 'var:0.05', 'var:0.5', 'cvar:0.05', 'cvar:0.2', 'mts:0.5', 'mts:2', 'sharpe', 'p-roas:3', 'p-roas:0.5'];

/** Checks ∂U/∂R_d and ∂U/∂spend against central differences; returns a table on failure. */
function checkUtilityGradient(u: Utility, R: Float64Array, spend: number): string | undefined {
  const D = R.length;
  const grad = new Float64Array(D);
  const { dSpend } = u.evaluate(R, spend, grad);
  const scratch = new Float64Array(D);
  const rows: string[] = [];
  let ok = true;
  let scaleR = 0;
  for (let d = 0; d < D; d++) scaleR = Math.max(scaleR, Math.abs(R[d]!));
  const check = (label: string, value: number, analytic: number, at: (v: number) => number, h: number): void => {
    const fd = (at(value + h) - at(value - h)) / (2 * h);
    const tol = 1e-6 * Math.max(Math.abs(fd), Math.abs(analytic)) + 1e-7 * (Math.abs(u.evaluate(R, spend, scratch).value) / Math.max(scaleR, 1)) + 1e-12;
    const bad = !(Math.abs(fd - analytic) <= tol);
    if (bad) ok = false;
    rows.push(`${label.padStart(6)} ${value.toExponential(6).padStart(15)} ${analytic.toExponential(9).padStart(17)} ${fd.toExponential(9).padStart(17)}${bad ? '  <-- MISMATCH' : ''}`);
  };
  const Rc = Float64Array.from(R);
  for (let d = 0; d < D; d++) {
    check(String(d), R[d]!, grad[d]!, (v) => {
      Rc[d] = v;
      const out = u.evaluate(Rc, spend, scratch).value;
      Rc[d] = R[d]!;
      return out;
    }, 1e-5 * Math.max(1, scaleR));
  }
  check('spend', spend, dSpend, (v) => u.evaluate(R, v, scratch).value, 1e-6 * spend);
  return ok ? undefined : `${u.name}: gradient mismatch\n index           value          analytic       finite diff\n${rows.join('\n')}`;
}

describe('utility gradients', () => {
  it.each(SPECS)('%s: analytic gradient = central finite differences (fast-check)', (spec) => {
    const u = buildUtility(spec);
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 60 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.double({ min: 0.05, max: 1.5, noNaN: true }),
        fc.double({ min: 1e2, max: 1e7, noNaN: true }),
        (D, seed, cv, level) => {
          const rnd = lcg(seed);
          // Skewed, positive responses on a money scale, like posterior responses of a plan.
          const R = Float64Array.from({ length: D }, () => level * Math.exp(cv * normal(rnd)));
          const spend = (level / 3) * (0.5 + rnd());
          const table = checkUtilityGradient(u, R, spend);
          if (table !== undefined) throw new Error(table);
        },
      ),
      { numRuns: 40, seed: 7 },
    );
  });
});

describe('smoothed estimators', () => {
  const rnd = lcg(99);
  const D = 4000;
  const R = Float64Array.from({ length: D }, () => 1e6 * Math.exp(0.3 * normal(rnd)));
  const sorted = Float64Array.from(R).sort();
  const sd = Math.sqrt(R.reduce((a, r) => a + (r - sorted.reduce((x, y) => x + y, 0) / D) ** 2, 0) / D);
  const grad = new Float64Array(D);

  it('mean and Sharpe are the plain estimators', () => {
    const m = R.reduce((a, b) => a + b, 0) / D;
    expect(buildUtility('mean').evaluate(R, 1, grad).value).toBeCloseTo(m, 6);
    const s = Math.sqrt(R.reduce((a, r) => a + (r - m) ** 2, 0) / (D - 1));
    expect(buildUtility('sharpe').evaluate(R, 1, grad).value).toBeCloseTo(m / s, 10);
  });

  it('the smoothed quantile is within a few % of sd of the empirical quantile (D = 4000)', () => {
    for (const q of [0.05, 0.25, 0.5, 0.95]) {
      const smooth = buildUtility({ kind: 'quantile', level: q }).evaluate(R, 1, grad).value;
      const plain = summarizeInterval(R);
      const emp = q === 0.05 ? plain.q05 : q === 0.95 ? plain.q95 : sorted[Math.round(q * (D - 1))]!;
      expect(Math.abs(smooth - emp)).toBeLessThan(0.05 * sd);
    }
  });

  it('the smoothed CVaR is within 0.1 sd of the mean of the worst q draws, and tends to it as the bandwidth shrinks', () => {
    const q = 0.05;
    const k = Math.round(q * D);
    let worst = 0;
    for (let i = 0; i < k; i++) worst += sorted[i]!;
    worst /= k;
    const smooth = buildUtility('cvar:0.05').evaluate(R, 1, grad).value;
    const sharp = buildUtility('cvar:0.05', { bandwidth: 0.01 }).evaluate(R, 1, grad).value;
    // The softplus sits above the hinge, so the smoothed CVaR is a little lower (≈ 0.07 sd here).
    expect(smooth).toBeLessThan(worst);
    expect(worst - smooth).toBeLessThan(0.1 * sd);
    expect(Math.abs(sharp - worst)).toBeLessThan(0.002 * sd);
    // CVaR ≤ VaR ≤ mean.
    expect(smooth).toBeLessThan(buildUtility('var:0.05').evaluate(R, 1, grad).value);
    // Weights are a smoothed tail indicator: non-negative, summing to 1 (up to the bandwidth term).
    buildUtility('cvar:0.05').evaluate(R, 1, grad);
    expect(Math.min(...grad)).toBeGreaterThan(-1e-3);
  });

  it('P(ROAS ≥ r) is close to the fraction of draws above the target', () => {
    const spend = 3e5;
    for (const r of [2, 3, 4]) {
      const frac = R.filter((v) => v / spend >= r).length / D;
      const smooth = buildUtility({ kind: 'p-roas', target: r }).evaluate(R, spend, grad).value;
      expect(Math.abs(smooth - frac)).toBeLessThan(0.03);
    }
  });

  it('the mean-tightness score is mean − α·(Q75 − Q25)', () => {
    const m = R.reduce((a, b) => a + b, 0) / D;
    const q75 = buildUtility('var:0.75').evaluate(R, 1, grad).value;
    const q25 = buildUtility('var:0.25').evaluate(R, 1, grad).value;
    expect(buildUtility('mts:0.5').evaluate(R, 1, grad).value).toBeCloseTo(m - 0.5 * (q75 - q25), 4);
  });
});

describe('utility specs', () => {
  it('parses and formats every form', () => {
    expect(parseUtilitySpec('mean')).toEqual({ kind: 'mean' });
    expect(parseUtilitySpec('var:0.05')).toEqual({ kind: 'quantile', level: 0.05 });
    expect(parseUtilitySpec('quantile:0.1')).toEqual({ kind: 'quantile', level: 0.1 });
    expect(parseUtilitySpec('cvar:0.05')).toEqual({ kind: 'cvar', level: 0.05 });
    expect(parseUtilitySpec('mts:0.5')).toEqual({ kind: 'mts', alpha: 0.5 });
    expect(parseUtilitySpec('sharpe')).toEqual({ kind: 'sharpe' });
    expect(parseUtilitySpec('p-roas:3')).toEqual({ kind: 'p-roas', target: 3 });
    for (const s of SPECS) expect(formatUtilitySpec(parseUtilitySpec(s))).toBe(s);
    expect(buildUtility('cvar:0.05').name).toBe('cvar:0.05');
  });

  it('rejects bad specs with the form in the message', () => {
    for (const [text, pattern] of [
      ['cvar', /needs a tail level/],
      ['cvar:1.5', /level = 1.5/],
      ['var:abc', /not a number/],
      ['mts:-1', /alpha = -1/],
      ['p-roas:0', /target = 0/],
      ['median', /unknown utility "median"/],
      ['mean:3', /takes no parameter/],
    ] as const) {
      expect(() => parseUtilitySpec(text)).toThrow(OptimizerError);
      expect(() => parseUtilitySpec(text)).toThrow(pattern);
    }
    expect(() => buildUtility('mean', { bandwidth: 0 })).toThrow(/bandwidth/);
  });
});
