import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HILL_SMALL_A,
  SATURATION_PARAMETER_NAMES,
  buildSaturationSpec,
  hill,
  hillScalar,
  hillScalarWithGradient,
  hillSmoothScalar,
  hillWithGradient,
  logisticSaturation,
  logisticSaturationScalarWithGradient,
  logisticSaturationWithGradient,
  michaelisMenten,
  michaelisMentenScalarWithGradient,
  michaelisMentenWithGradient,
  numSaturationParameters,
  saturationScalarWithGradient,
  saturationSmoothScalar,
  tanhSaturation,
  tanhSaturationScalarWithGradient,
  tanhSaturationWithGradient,
  type SaturationSpec,
} from '../src/index.js';
import { expectGradientMatches } from './support/gradcheck.js';

// ---- arbitraries ----------------------------------------------------------------------------

const KArb = fc.double({ min: 0.05, max: 3, noNaN: true });
const SArb = fc.double({ min: 0.3, max: 5, noNaN: true });
const lamArb = fc.double({ min: 0.05, max: 5, noNaN: true });
const bArb = fc.double({ min: 0.1, max: 5, noNaN: true });
const cArb = fc.double({ min: 0.1, max: 5, noNaN: true });

const specArb: fc.Arbitrary<SaturationSpec> = fc.oneof(
  fc.tuple(KArb, SArb).map(([K, S]): SaturationSpec => ({ kind: 'hill', K, S })),
  lamArb.map((lam): SaturationSpec => ({ kind: 'logistic', lam })),
  lamArb.map((lam): SaturationSpec => ({ kind: 'michaelis_menten', lam })),
  fc.tuple(bArb, cArb).map(([b, c]): SaturationSpec => ({ kind: 'tanh', b, c })),
);
/** Inputs for central differences (a − h ≥ 0): adstocked, max-scaled spend. */
const aArb = fc.double({ min: 0.01, max: 5, noNaN: true });
/**
 * Any input: 0, spend-like, tiny and far into saturation (no subnormals: a/K loses precision
 * there, and the kernels compare log(a) − log K with log(a/K)).
 */
const anyA = fc.oneof(
  fc.constant(0),
  fc.double({ min: 0, max: 5, noNaN: true }).filter((a) => a === 0 || a > 1e-300),
  fc.double({ min: 1e-200, max: 1e-6, noNaN: true }),
  fc.double({ min: 0, max: 1e12, noNaN: true }).filter((a) => a === 0 || a > 1e-300),
  fc.constant(1e300),
);

const paramNames = (spec: SaturationSpec): readonly string[] => SATURATION_PARAMETER_NAMES[spec.kind];
const withParam = (spec: SaturationSpec, name: string, value: number): SaturationSpec => ({ ...spec, [name]: value });
const gradLength = (spec: SaturationSpec): number => 2 + numSaturationParameters(spec.kind);

/** |actual − expected| ≤ rtol·|expected| (+ 1e-300 when rtol > 0: values that underflow differently). */
function expectNear(actual: number, expected: number, rtol: number, label = ''): void {
  if (!(Math.abs(actual - expected) <= rtol * Math.abs(expected) + (rtol > 0 ? 1e-300 : 0) || actual === expected)) {
    expect.fail(`${label}: got ${actual}, expected ${expected} (rtol ${rtol})`);
  }
}

// ---- derivatives ----------------------------------------------------------------------------

describe('scalar kernels: derivatives match central finite differences', () => {
  it('∂h/∂a and ∂h/∂(each parameter), every kind, at random points', () => {
    fc.assert(
      fc.property(specArb, aArb, (spec, a) => {
        const n = gradLength(spec);
        const out = new Float64Array(n);
        saturationScalarWithGradient(spec, a, out);
        const value = (s: SaturationSpec, x: number): number => saturationScalarWithGradient(s, x, new Float64Array(4));
        expectGradientMatches(`${spec.kind} ∂h/∂a`, a, (q, o) => (o[0] = value(spec, q)), out.subarray(1, 2));
        paramNames(spec).forEach((name, j) => {
          const p = (spec as unknown as Record<string, number>)[name]!;
          expectGradientMatches(`${spec.kind} ∂h/∂${name}`, p, (q, o) => (o[0] = value(withParam(spec, name, q), a)), out.subarray(2 + j, 3 + j));
        });
      }),
      { numRuns: 400 },
    );
  });

  it('at a = 0: h = 0, parameter derivatives 0, ∂h/∂a the one-sided slope (Hill: 1/K for S = 1, 0 otherwise)', () => {
    const out = new Float64Array(4);
    expect(hillScalarWithGradient(0, 0.5, 2, out)).toBe(0);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
    hillScalarWithGradient(0, 0.5, 1, out);
    expect(Array.from(out)).toEqual([0, 2, 0, 0]);
    hillScalarWithGradient(0, 0.5, 0.7, out);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
    expect(logisticSaturationScalarWithGradient(0, 3, out)).toBe(0);
    expect(out[1]).toBe(1.5); // λ/2
    expect(out[2]).toBe(0);
    expect(michaelisMentenScalarWithGradient(0, 0.25, out)).toBe(0);
    expect(out[1]).toBe(4); // 1/λ
    expect(out[2]).toBe(-0);
    expect(tanhSaturationScalarWithGradient(0, 2, 0.5, out)).toBe(0);
    expect(out[1]).toBe(2); // 1/c
    expect(out[2]).toBe(0);
    expect(out[3]).toBe(-0);
  });

  it('stay finite far into saturation (h rounds to its bound, derivatives to 0)', () => {
    const out = new Float64Array(4);
    for (const a of [1e12, 1e300]) {
      for (const spec of [buildSaturationSpec('hill', { K: 0.5, S: 3 }), buildSaturationSpec('logistic'), buildSaturationSpec('michaelis_menten'), buildSaturationSpec('tanh')]) {
        saturationScalarWithGradient(spec, a, out);
        for (let j = 0; j < gradLength(spec); j++) expect(Number.isFinite(out[j]!), `${spec.kind} out[${j}] at ${a}`).toBe(true);
      }
    }
    // a/K underflows to 0 without NaN
    hillScalarWithGradient(1e-320, 3, 0.5, out);
    expect(Array.from(out).every(Number.isFinite)).toBe(true);
  });
});

// ---- agreement with the array kernels -------------------------------------------------------

describe('scalar kernels agree with the array kernels', () => {
  it('value, ∂h/∂a and parameter derivatives equal hillWithGradient, logisticSaturationWithGradient, michaelisMentenWithGradient, tanhSaturationWithGradient', () => {
    fc.assert(
      fc.property(specArb, anyA, (spec, a) => {
        const x = Float64Array.of(a);
        const v = new Float64Array(1);
        const d1 = new Float64Array(1);
        const d2 = new Float64Array(1);
        const dA = new Float64Array(1);
        let expected: number[];
        let plain: number;
        switch (spec.kind) {
          case 'hill':
            hillWithGradient(x, spec.K, spec.S, v, d1, d2, dA);
            expected = [v[0]!, dA[0]!, d1[0]!, d2[0]!];
            plain = hill(x, spec.K, spec.S, new Float64Array(1))[0]!;
            break;
          case 'logistic':
            logisticSaturationWithGradient(x, spec.lam, v, d1, dA);
            expected = [v[0]!, dA[0]!, d1[0]!];
            plain = logisticSaturation(x, spec.lam, new Float64Array(1))[0]!;
            break;
          case 'michaelis_menten':
            michaelisMentenWithGradient(x, spec.lam, v, d1, dA);
            expected = [v[0]!, dA[0]!, d1[0]!];
            plain = michaelisMenten(x, spec.lam, new Float64Array(1))[0]!;
            break;
          case 'tanh':
            tanhSaturationWithGradient(x, spec.b, spec.c, v, d1, d2, dA);
            expected = [v[0]!, dA[0]!, d1[0]!, d2[0]!];
            plain = tanhSaturation(x, spec.b, spec.c, new Float64Array(1))[0]!;
            break;
        }
        const out = new Float64Array(4);
        const h = saturationScalarWithGradient(spec, a, out);
        expect(h).toBe(out[0]);
        // Hill: exp(S·log(a/K)) here, Math.pow(a/K, S) there; the rest is the same arithmetic.
        const rtol = spec.kind === 'hill' ? 1e-12 : 0;
        expectNear(h, plain, rtol, `${spec.kind} value`);
        expected.forEach((e, j) => expectNear(out[j]!, e, rtol, `${spec.kind} out[${j}]`));
      }),
      { numRuns: 1000 },
    );
  });

  it('the dispatcher is the per-kind kernel', () => {
    const a = 0.37;
    const byKind = new Float64Array(4);
    const bySpec = new Float64Array(4);
    hillScalarWithGradient(a, 0.4, 2.2, byKind);
    saturationScalarWithGradient({ kind: 'hill', K: 0.4, S: 2.2 }, a, bySpec);
    expect(bySpec).toEqual(byKind);
    logisticSaturationScalarWithGradient(a, 2, byKind.fill(0));
    saturationScalarWithGradient({ kind: 'logistic', lam: 2 }, a, bySpec.fill(0));
    expect(bySpec).toEqual(byKind);
    michaelisMentenScalarWithGradient(a, 0.6, byKind.fill(0));
    saturationScalarWithGradient({ kind: 'michaelis_menten', lam: 0.6 }, a, bySpec.fill(0));
    expect(bySpec).toEqual(byKind);
    tanhSaturationScalarWithGradient(a, 1.5, 0.7, byKind.fill(0));
    saturationScalarWithGradient({ kind: 'tanh', b: 1.5, c: 0.7 }, a, bySpec.fill(0));
    expect(bySpec).toEqual(byKind);
  });

  it('write only 2 + numSaturationParameters(kind) entries', () => {
    for (const spec of [buildSaturationSpec('logistic'), buildSaturationSpec('michaelis_menten')]) {
      const out = new Float64Array(4).fill(7);
      saturationScalarWithGradient(spec, 0.3, out);
      expect(out[3]).toBe(7);
    }
  });
});

// ---- the optimizer's smooth Hill ------------------------------------------------------------

describe('hillSmoothScalar (C¹ Hill for the optimizer)', () => {
  const smooth = (a: number, K: number, S: number): [number, number] => {
    const out = new Float64Array(2);
    const h = hillSmoothScalar(a, Math.log(K), S, out);
    expect(h).toBe(out[0]);
    return [out[0]!, out[1]!];
  };

  it('is Hill (value and slope) for S ≥ 1 everywhere and for S < 1 from a₀ = HILL_SMALL_A·K on', () => {
    expect(HILL_SMALL_A).toBe(1e-6);
    fc.assert(
      fc.property(KArb, SArb, fc.oneof(fc.constant(0), fc.double({ min: 1e-200, max: 50, noNaN: true })), (K, S, a) => {
        if (S < 1 && a < HILL_SMALL_A * K) return;
        const [h, hp] = smooth(a, K, S);
        const out = new Float64Array(4);
        hillScalarWithGradient(a, K, S, out);
        expectNear(h, hillScalar(a, K, S), 1e-12, 'h');
        expectNear(hp, a === 0 ? (S === 1 ? 1 / K : 0) : out[1]!, 1e-12, 'h′');
      }),
      { numRuns: 1000 },
    );
  });

  it('for S < 1: C¹ at a₀, finite positive slope at 0, increasing and concave on [0, a₀], within 1e-6^S of Hill', () => {
    fc.assert(
      fc.property(KArb, fc.double({ min: 0.05, max: 0.999, noNaN: true }), (K, S) => {
        const a0 = HILL_SMALL_A * K;
        const [hBelow, hpBelow] = smooth(a0 * (1 - 1e-12), K, S);
        const [hAt, hpAt] = smooth(a0, K, S);
        // continuity of value and slope at a₀
        expectNear(hBelow, hAt, 1e-10, 'h at a₀');
        expectNear(hpBelow, hpAt, 1e-9, 'h′ at a₀');
        expectNear(hAt, hillScalar(a0, K, S), 1e-12, 'h(a₀) is Hill');
        // value and slope at 0
        const [h0, hp0] = smooth(0, K, S);
        expect(h0).toBe(0);
        expect(Number.isFinite(hp0) && hp0 > 0).toBe(true);
        // increasing, concave (slope decreasing), close to Hill
        let prevH = 0;
        let prevHp = hp0;
        for (let i = 1; i <= 10; i++) {
          const a = (i / 10) * a0 * (1 - 1e-12);
          const [h, hp] = smooth(a, K, S);
          expect(h).toBeGreaterThan(prevH);
          expect(hp).toBeLessThanOrEqual(prevHp * (1 + 1e-12));
          expect(hp).toBeGreaterThan(0);
          expect(Math.abs(h - hillScalar(a, K, S))).toBeLessThanOrEqual(Math.pow(HILL_SMALL_A, S));
          prevH = h;
          prevHp = hp;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('h̃′ matches finite differences of h̃ below, at and above a₀ (S < 1)', () => {
    for (const [K, S] of [
      [0.5, 0.7],
      [2, 0.3],
      [0.05, 0.95],
    ] as const) {
      const a0 = HILL_SMALL_A * K;
      for (const a of [0.1 * a0, 0.5 * a0, 0.99 * a0, 1.01 * a0, 3 * a0]) {
        const [, hp] = smooth(a, K, S);
        expectGradientMatches(`smooth Hill K=${K} S=${S} a=${a}`, a, (q, o) => (o[0] = smooth(q, K, S)[0]), Float64Array.of(hp), {
          h: 1e-4 * a0,
          rtol: 1e-5,
          atol: 0,
        });
      }
    }
  });

  it('with lnA = log a gives the same result; a ≤ 0 is a = 0', () => {
    const out = new Float64Array(2);
    const out2 = new Float64Array(2);
    for (const [a, K, S] of [
      [0.3, 0.5, 2],
      [1e-9, 0.5, 0.6],
      [4, 0.2, 0.8],
    ] as const) {
      hillSmoothScalar(a, Math.log(K), S, out);
      hillSmoothScalar(a, Math.log(K), S, out2, Math.log(a));
      expect(out2).toEqual(out);
    }
    for (const S of [0.5, 1, 2]) {
      hillSmoothScalar(0, Math.log(0.5), S, out);
      hillSmoothScalar(-1e-300, Math.log(0.5), S, out2);
      expect(out2).toEqual(out);
    }
    hillSmoothScalar(0, Math.log(0.5), 1, out);
    expect(Array.from(out)).toEqual([0, 2]);
  });

  it('saturationSmoothScalar: hillSmoothScalar for Hill; the curve itself (first two entries of the gradient kernel) otherwise', () => {
    fc.assert(
      fc.property(specArb, anyA, (spec, a) => {
        const out = new Float64Array(4);
        const h = saturationSmoothScalar(spec, a, out);
        const expected = new Float64Array(4);
        if (spec.kind === 'hill') hillSmoothScalar(a, Math.log(spec.K), spec.S, expected);
        else saturationScalarWithGradient(spec, a, expected);
        expect(h).toBe(expected[0]);
        expect(out.subarray(0, 2)).toEqual(expected.subarray(0, 2));
        expect(Number.isFinite(out[1]!)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
