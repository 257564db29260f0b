// The convergence report on hand-made draws: each threshold of DEFAULT_DIAGNOSTIC_THRESHOLDS
// triggers the documented status, names the failing parameters or chains, and gives a remedy.
import { buildRng } from '@tributary/sampler';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DIAGNOSTIC_THRESHOLDS, diagnoseResults } from '../src/diagnostics.js';
import type { ResultsFolder } from '../src/results.js';

const CHAINS = 4;
const DRAWS = 250;

interface Spec {
  /** Per parameter, per chain, iteration → value. */
  params?: Record<string, (chain: number, i: number, z: number) => number>;
  divergent?: number;
  treedepthHits?: number;
  energy?: (chain: number, i: number, z: number, prev: number) => number;
}

function folder(spec: Spec = {}): ResultsFolder {
  const rng = buildRng('diagnostics');
  const params = spec.params ?? { a: (_c, _i, z) => z, b: (_c, _i, z) => 1 + 2 * z };
  const names = Object.keys(params);
  const draws = Array.from({ length: CHAINS }, (_, c) => {
    const out = new Float64Array(DRAWS * names.length);
    for (let i = 0; i < DRAWS; i++) names.forEach((n, j) => (out[i * names.length + j] = params[n]!(c, i, rng.normal())));
    return out;
  });
  let divLeft = spec.divergent ?? 0;
  let hitsLeft = spec.treedepthHits ?? 0;
  const divergent = Array.from({ length: CHAINS }, () => Float64Array.from({ length: DRAWS }, () => (divLeft-- > 0 ? 1 : 0)));
  const treedepth = Array.from({ length: CHAINS }, () => Float64Array.from({ length: DRAWS }, () => (hitsLeft-- > 0 ? 10 : 3)));
  const energy = Array.from({ length: CHAINS }, (_, c) => {
    const e = new Float64Array(DRAWS);
    let prev = 0;
    for (let i = 0; i < DRAWS; i++) prev = e[i] = (spec.energy ?? ((_c, _i, z) => z))(c, i, rng.normal(), prev);
    return e;
  });
  return {
    dir: '/hand/made',
    name: 'made',
    manifest: { options: { max_treedepth: 10 } } as ResultsFolder['manifest'],
    names,
    numChains: CHAINS,
    numDraws: DRAWS,
    draws,
    sampleStats: { divergent, treedepth, energy },
  };
}

describe('diagnoseResults', () => {
  it('is good for independent, well-mixed draws', () => {
    const d = diagnoseResults(folder());
    expect(d.status).toBe('good');
    expect(d.failures).toEqual([]);
    expect(d.maxRhat).toBeLessThan(1.01);
    expect(d.minEssBulk).toBeGreaterThan(400);
    expect(d.ebfmi).toHaveLength(CHAINS);
    expect(d.thresholds).toEqual(DEFAULT_DIAGNOSTIC_THRESHOLDS);
  });

  it('warns on any divergence and is bad above 1%', () => {
    const few = diagnoseResults(folder({ divergent: 2 }));
    expect(few.status).toBe('warning');
    expect(few.divergences).toBe(2);
    expect(few.failures[0]!.check).toBe('divergences');
    expect(few.failures[0]!.remedy).toMatch(/target-accept/);
    const many = diagnoseResults(folder({ divergent: 11 })); // 1.1% of 1000
    expect(many.status).toBe('bad');
    expect(many.divergentPercent).toBeCloseTo(1.1, 10);
  });

  it('flags chains that disagree (R-hat) and names the parameter', () => {
    const d = diagnoseResults(folder({ params: { ok: (_c, _i, z) => z, shifted: (c, _i, z) => z + (c === 3 ? 3 : 0) } }));
    expect(d.status).toBe('bad');
    const f = d.failures.find((x) => x.check === 'rhat')!;
    expect(f.severity).toBe('bad');
    expect(f.subjects).toEqual(['shifted']);
    expect(d.maxRhatParameter).toBe('shifted');
    expect(f.remedy).toMatch(/warmup/);
  });

  it('flags low bulk and tail ESS of autocorrelated draws', () => {
    const ar = (rho: number) => {
      const state = new Map<number, number>();
      return (c: number, _i: number, z: number) => {
        const x = rho * (state.get(c) ?? 0) + Math.sqrt(1 - rho * rho) * z;
        state.set(c, x);
        return x;
      };
    };
    const warn = diagnoseResults(folder({ params: { x: ar(0.6) } }));
    expect(warn.failures.find((f) => f.check === 'ess_bulk')?.severity).toBe('warning');
    const bad = diagnoseResults(folder({ params: { x: ar(0.97) } }));
    expect(bad.status).toBe('bad');
    expect(bad.failures.find((f) => f.check === 'ess_bulk')?.severity).toBe('bad');
    expect(bad.minEssBulk).toBeLessThan(100);
  });

  it('warns on low E-BFMI per chain and on tree-depth saturation', () => {
    const d = diagnoseResults(folder({ energy: (c, _i, z, prev) => (c === 1 ? prev + z : z), treedepthHits: 3 }));
    expect(d.status).toBe('warning');
    const e = d.failures.find((f) => f.check === 'ebfmi')!;
    expect(e.subjects).toEqual(['chain 2']);
    expect(d.ebfmi[1]).toBeLessThan(0.3);
    expect(d.treedepthHits).toBe(3);
    expect(d.failures.find((f) => f.check === 'treedepth')!.remedy).toMatch(/max-treedepth/);
  });
});
