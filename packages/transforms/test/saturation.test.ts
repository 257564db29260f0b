import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TransformParameterError,
  hill,
  hillInverseScalar,
  hillScalar,
  hillWithGradient,
  logisticSaturation,
  logisticSaturationScalar,
  logisticSaturationWithGradient,
  michaelisMenten,
  michaelisMentenScalar,
  michaelisMentenWithGradient,
  tanhSaturation,
  tanhSaturationScalar,
  tanhSaturationWithGradient,
} from '../src/index.js';
import { expectGradientMatches } from './support/gradcheck.js';

const f64 = (...v: number[]): Float64Array => Float64Array.from(v);

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-15): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    if (!(Math.abs(actual[i]! - e) <= tol * Math.max(1, Math.abs(e)))) {
      expect.fail(`index ${i}: got ${actual[i]}, expected ${e}`);
    }
  }
}

// ---- arbitraries ----------------------------------------------------------------------------

/** Adstocked, max-scaled spend: mostly in [0, 5], sometimes exactly 0. */
const spendValue = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 9, arbitrary: fc.double({ min: 0, max: 5, noNaN: true }) },
);
const spend = (minLength = 1): fc.Arbitrary<Float64Array> =>
  fc.array(spendValue, { minLength, maxLength: 25 }).map((a) => Float64Array.from(a));
/** Strictly positive inputs for ∂h/∂a checks (a central difference needs a − h ≥ 0). */
const positiveSpend = fc
  .array(fc.double({ min: 0.01, max: 5, noNaN: true }), { minLength: 1, maxLength: 25 })
  .map((a) => Float64Array.from(a));

const KArb = fc.double({ min: 0.05, max: 3, noNaN: true });
const SArb = fc.double({ min: 0.3, max: 5, noNaN: true });
const lambdaArb = fc.double({ min: 0.05, max: 5, noNaN: true });
const bArb = fc.double({ min: 0.1, max: 5, noNaN: true });
const cArb = fc.double({ min: 0.1, max: 5, noNaN: true });

/** The four curves behind one interface, for the shared properties. */
interface Curve {
  name: string;
  params: fc.Arbitrary<number[]>;
  /** upper bound of the range: 1, or b for tanh */
  upper: (p: number[]) => number;
  /** an input where h is about 1e-9 below its upper bound: beyond it h may round to the bound */
  moderateMax: (p: number[]) => number;
  apply: (a: Float64Array, p: number[], out: Float64Array) => Float64Array;
  scalar: (a: number, p: number[]) => number;
}

const curves: Curve[] = [
  {
    name: 'hill',
    params: fc.tuple(KArb, SArb),
    upper: () => 1,
    moderateMax: ([K, S]) => K! * Math.pow(1e9, 1 / S!),
    apply: (a, [K, S], out) => hill(a, K!, S!, out),
    scalar: (a, [K, S]) => hillScalar(a, K!, S!),
  },
  {
    name: 'logistic',
    params: fc.tuple(lambdaArb),
    upper: () => 1,
    moderateMax: ([l]) => 20 / l!,
    apply: (a, [l], out) => logisticSaturation(a, l!, out),
    scalar: (a, [l]) => logisticSaturationScalar(a, l!),
  },
  {
    name: 'michaelisMenten',
    params: fc.tuple(lambdaArb),
    upper: () => 1,
    moderateMax: ([l]) => 1e9 * l!,
    apply: (a, [l], out) => michaelisMenten(a, l!, out),
    scalar: (a, [l]) => michaelisMentenScalar(a, l!),
  },
  {
    name: 'tanh',
    params: fc.tuple(bArb, cArb),
    upper: ([b]) => b!,
    moderateMax: ([b, c]) => 10 * b! * c!,
    apply: (a, [b, c], out) => tanhSaturation(a, b!, c!, out),
    scalar: (a, [b, c]) => tanhSaturationScalar(a, b!, c!),
  },
];

// ---- exact values ---------------------------------------------------------------------------

describe('exact values', () => {
  it('Hill: h(0) = 0, h(K) = 1/2, h(2K) = 2^S/(1+2^S)', () => {
    expectClose(hill(f64(0, 1, 2, 0.5), 1, 2, new Float64Array(4)), [0, 0.5, 4 / 5, 0.25 / 1.25]);
    expect(hillScalar(0.4, 0.4, 2.0)).toBe(0.5);
    expect(hillScalar(0, 0.4, 0.3)).toBe(0);
    expect(hillScalar(0.9, 0.3, 1)).toBeCloseTo(0.75, 15);
  });

  it('Hill with S = 1 is Michaelis–Menten with λ = K', () => {
    const a = f64(0, 0.1, 0.5, 1, 3);
    expectClose(hill(a, 0.7, 1, new Float64Array(5)), michaelisMenten(a, 0.7, new Float64Array(5)), 1e-15);
  });

  it('logistic: λ = ln 3, a = 1 → (1 − 1/3)/(1 + 1/3) = 1/2; tiny λa is accurate', () => {
    expect(logisticSaturationScalar(1, Math.log(3))).toBeCloseTo(0.5, 15);
    expect(logisticSaturationScalar(0, 2)).toBe(0);
    // tanh(u/2) ≈ u/2 for small u: no cancellation in 1 − e^(−λa)
    expect(logisticSaturationScalar(1e-12, 1) / 5e-13).toBeCloseTo(1, 12);
  });

  it('Michaelis–Menten: a = 1, λ = 3 → 1/4; h(λ) = 1/2', () => {
    expectClose(michaelisMenten(f64(0, 1, 3), 3, new Float64Array(3)), [0, 0.25, 0.5]);
  });

  it('tanh: b·tanh(a/(bc)); at a = bc·atanh(1/2) it is b/2; slope at 0 is 1/c', () => {
    const b = 2;
    const c = 0.5;
    expect(tanhSaturationScalar(b * c * Math.atanh(0.5), b, c)).toBeCloseTo(1, 15);
    const out = new Float64Array(1);
    const dB = new Float64Array(1);
    const dC = new Float64Array(1);
    const dA = new Float64Array(1);
    tanhSaturationWithGradient(f64(0), b, c, out, dB, dC, dA);
    expect(out[0]).toBe(0);
    expect(dA[0]).toBe(1 / c);
    expect(dB[0]).toBe(0);
    expect(dC[0]).toBe(-0);
  });

  it('hillInverseScalar inverts hillScalar', () => {
    expect(hillInverseScalar(0.5, 0.4, 2.2)).toBeCloseTo(0.4, 15);
    expect(hillInverseScalar(0, 0.4, 2.2)).toBe(0);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.999, noNaN: true }), KArb, SArb, (h, K, S) => {
        expect(hillScalar(hillInverseScalar(h, K, S), K, S)).toBeCloseTo(h, 10);
      }),
    );
  });
});

// ---- properties -------------------------------------------------------------------------------

describe('properties (fast-check)', () => {
  for (const curve of curves) {
    describe(curve.name, () => {
      it('h(0) = 0 and h(a) ∈ [0, upper) for moderate a; ≤ upper for any finite a', () => {
        fc.assert(
          fc.property(curve.params, spend(), (p, frac) => {
            // scale [0, 5] to [0, moderateMax]
            const max = curve.moderateMax(p);
            const a = frac.map((v) => (v / 5) * max);
            const out = curve.apply(a, p, new Float64Array(a.length));
            const upper = curve.upper(p);
            for (let i = 0; i < a.length; i++) {
              const v = out[i]!;
              if (a[i] === 0) expect(v).toBe(0);
              expect(v).toBeGreaterThanOrEqual(0);
              expect(v).toBeLessThan(upper);
            }
          }),
        );
        fc.assert(
          fc.property(curve.params, fc.double({ min: 0, max: 1e300, noNaN: true }), (p, a) => {
            const v = curve.scalar(a, p);
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(curve.upper(p));
          }),
        );
      });

      it('monotone in spend: a < a′ ⇒ h(a) < h(a′) in the moderate range, ≤ everywhere', () => {
        fc.assert(
          fc.property(
            curve.params,
            fc.double({ min: 0, max: 0.99, noNaN: true }),
            fc.double({ min: 0, max: 1, noNaN: true }),
            (p, lo, g) => {
              const max = curve.moderateMax(p);
              const hiFrac = lo + 1e-3 + g * (1 - lo - 1e-3);
              expect(curve.scalar(hiFrac * max, p)).toBeGreaterThan(curve.scalar(lo * max, p));
            },
          ),
        );
        fc.assert(
          fc.property(curve.params, fc.array(fc.double({ min: 0, max: 1e12, noNaN: true }), { minLength: 2 }), (p, arr) => {
            const sorted = Float64Array.from(arr).sort();
            const out = curve.apply(sorted, p, new Float64Array(sorted.length));
            for (let i = 1; i < out.length; i++) expect(out[i]!).toBeGreaterThanOrEqual(out[i - 1]!);
          }),
        );
      });

      it('array and scalar forms agree; out may be the input buffer', () => {
        fc.assert(
          fc.property(curve.params, spend(), (p, a) => {
            const out = curve.apply(a, p, new Float64Array(a.length));
            for (let i = 0; i < a.length; i++) expect(out[i]).toBe(curve.scalar(a[i]!, p));
            const inPlace = a.slice();
            expect(curve.apply(inPlace, p, inPlace)).toBe(inPlace);
            expectClose(inPlace, out, 0);
          }),
        );
      });
    });
  }

  it('Hill(K) = 0.5 for every K and S', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), fc.double({ min: 0.05, max: 20, noNaN: true }), (K, S) => {
        expect(hillScalar(K, K, S)).toBe(0.5);
        const out = hill(f64(K), K, S, new Float64Array(1));
        expect(out[0]).toBe(0.5);
      }),
    );
  });

  it('Michaelis–Menten(λ) = 0.5 for every λ', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), (l) => {
        expect(michaelisMentenScalar(l, l)).toBe(0.5);
      }),
    );
  });
});

// ---- gradients against central finite differences ------------------------------------------

describe('parameter derivatives match central finite differences', () => {
  it('Hill: ∂/∂K, ∂/∂S, ∂/∂a', () => {
    fc.assert(
      fc.property(spend(), positiveSpend, KArb, SArb, (a, aPos, K, S) => {
        const n = a.length;
        const out = new Float64Array(n);
        const dK = new Float64Array(n);
        const dS = new Float64Array(n);
        hillWithGradient(a, K, S, out, dK, dS);
        expectGradientMatches(`∂h/∂K (hill, S = ${S})`, K, (k, o) => hill(a, k, S, o), dK);
        expectGradientMatches(`∂h/∂S (hill, K = ${K})`, S, (s, o) => hill(a, K, s, o), dS);
        // ∂h/∂a, elementwise: perturb every entry at once (the Jacobian is diagonal)
        const m = aPos.length;
        const dA = new Float64Array(m);
        hillWithGradient(aPos, K, S, new Float64Array(m), new Float64Array(m), new Float64Array(m), dA);
        expectGradientMatches(`∂h/∂a (hill, K = ${K}, S = ${S})`, 0, (d, o) => hill(shift(aPos, d), K, S, o), dA, {
          h: 1e-7,
        });
      }),
    );
  });

  it('logistic: ∂/∂λ, ∂/∂a', () => {
    fc.assert(
      fc.property(spend(), positiveSpend, lambdaArb, (a, aPos, l) => {
        const n = a.length;
        const dL = new Float64Array(n);
        logisticSaturationWithGradient(a, l, new Float64Array(n), dL);
        expectGradientMatches('∂h/∂lambda (logistic)', l, (q, o) => logisticSaturation(a, q, o), dL);
        const m = aPos.length;
        const dA = new Float64Array(m);
        logisticSaturationWithGradient(aPos, l, new Float64Array(m), new Float64Array(m), dA);
        expectGradientMatches(`∂h/∂a (logistic, lambda = ${l})`, 0, (d, o) => logisticSaturation(shift(aPos, d), l, o), dA, {
          h: 1e-7,
        });
      }),
    );
  });

  it('Michaelis–Menten: ∂/∂λ, ∂/∂a', () => {
    fc.assert(
      fc.property(spend(), positiveSpend, lambdaArb, (a, aPos, l) => {
        const n = a.length;
        const dL = new Float64Array(n);
        michaelisMentenWithGradient(a, l, new Float64Array(n), dL);
        expectGradientMatches('∂h/∂lambda (michaelisMenten)', l, (q, o) => michaelisMenten(a, q, o), dL);
        const m = aPos.length;
        const dA = new Float64Array(m);
        michaelisMentenWithGradient(aPos, l, new Float64Array(m), new Float64Array(m), dA);
        expectGradientMatches(`∂h/∂a (michaelisMenten, lambda = ${l})`, 0, (d, o) => michaelisMenten(shift(aPos, d), l, o), dA, {
          h: 1e-7,
        });
      }),
    );
  });

  it('tanh: ∂/∂b, ∂/∂c, ∂/∂a', () => {
    fc.assert(
      fc.property(spend(), positiveSpend, bArb, cArb, (a, aPos, b, c) => {
        const n = a.length;
        const dB = new Float64Array(n);
        const dC = new Float64Array(n);
        tanhSaturationWithGradient(a, b, c, new Float64Array(n), dB, dC);
        expectGradientMatches(`∂h/∂b (tanh, c = ${c})`, b, (q, o) => tanhSaturation(a, q, c, o), dB);
        expectGradientMatches(`∂h/∂c (tanh, b = ${b})`, c, (q, o) => tanhSaturation(a, b, q, o), dC);
        const m = aPos.length;
        const dA = new Float64Array(m);
        tanhSaturationWithGradient(aPos, b, c, new Float64Array(m), new Float64Array(m), new Float64Array(m), dA);
        expectGradientMatches(`∂h/∂a (tanh, b = ${b}, c = ${c})`, 0, (d, o) => tanhSaturation(shift(aPos, d), b, c, o), dA, {
          h: 1e-7,
        });
      }),
    );
  });

  it('values returned by the gradient variants equal the plain kernels', () => {
    fc.assert(
      fc.property(spend(), KArb, SArb, lambdaArb, bArb, cArb, (a, K, S, l, b, c) => {
        const n = a.length;
        const z = (): Float64Array => new Float64Array(n);
        expectClose(hillWithGradient(a, K, S, z(), z(), z(), z()), hill(a, K, S, z()), 0);
        expectClose(logisticSaturationWithGradient(a, l, z(), z(), z()), logisticSaturation(a, l, z()), 0);
        expectClose(michaelisMentenWithGradient(a, l, z(), z(), z()), michaelisMenten(a, l, z()), 0);
        expectClose(tanhSaturationWithGradient(a, b, c, z(), z(), z(), z()), tanhSaturation(a, b, c, z()), 1e-15);
      }),
    );
  });
});

function shift(a: Float64Array, d: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! + d;
  return out;
}

// ---- edge cases -------------------------------------------------------------------------------

describe('edge cases', () => {
  it('Hill at a = 0: value 0 and finite derivatives (0; ∂h/∂a = 1/K when S = 1)', () => {
    for (const S of [0.5, 1, 1.7, 2, 3.3]) {
      const out = new Float64Array(1);
      const dK = new Float64Array(1);
      const dS = new Float64Array(1);
      const dA = new Float64Array(1);
      hillWithGradient(f64(0), 0.5, S, out, dK, dS, dA);
      expect(out[0]).toBe(0);
      expect(dK[0]).toBe(0);
      expect(dS[0]).toBe(0);
      expect(dA[0]).toBe(S === 1 ? 2 : 0);
    }
  });

  it('non-integer S works (a^S for fractional S)', () => {
    expect(hillScalar(2, 1, 0.5)).toBeCloseTo(Math.SQRT2 / (1 + Math.SQRT2), 15);
    expect(hillScalar(0.25, 1, 1.5)).toBeCloseTo(0.125 / 1.125, 15);
  });

  it('very large and very small inputs give finite values and derivatives', () => {
    const a = f64(0, 5e-324, 1e-300, 1e-10, 1e10, 1e300, Number.MAX_VALUE);
    const n = a.length;
    const z = (): Float64Array => new Float64Array(n);
    const all: Float64Array[] = [];
    for (const S of [0.3, 1, 4]) {
      const buf = [z(), z(), z(), z()] as const;
      hillWithGradient(a, 1e-3, S, buf[0], buf[1], buf[2], buf[3]);
      all.push(...buf);
      expect(buf[0][n - 1]).toBe(1);
    }
    for (const l of [1e-3, 1, 1e3]) {
      const b1 = [z(), z(), z()] as const;
      logisticSaturationWithGradient(a, l, b1[0], b1[1], b1[2]);
      const b2 = [z(), z(), z()] as const;
      michaelisMentenWithGradient(a, l, b2[0], b2[1], b2[2]);
      all.push(...b1, ...b2);
    }
    const b3 = [z(), z(), z(), z()] as const;
    tanhSaturationWithGradient(a, 1e-3, 1e-3, b3[0], b3[1], b3[2], b3[3]);
    all.push(...b3);
    for (const buf of all) for (const v of buf) expect(Number.isFinite(v)).toBe(true);
  });
});

// ---- invalid parameters and inputs ---------------------------------------------------------------

describe('invalid parameters throw a RangeError naming the parameter, value and valid range', () => {
  const a = f64(0, 1, 2);
  const out = new Float64Array(3);
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['K = 0', () => hill(a, 0, 2, out), /hill: K = 0 is invalid; expected a finite number > 0/],
    ['K < 0', () => hillScalar(1, -1, 2), /hillScalar: K = -1/],
    ['S = 0', () => hill(a, 1, 0, out), /S = 0 .*> 0/],
    ['S NaN', () => hillWithGradient(a, 1, Number.NaN, out, out, out), /S = NaN/],
    ['negative input', () => hill(f64(1, -0.5), 1, 2, new Float64Array(2)), /a\[1\] = -0\.5 .*>= 0/],
    ['NaN input', () => logisticSaturation(f64(Number.NaN), 1, new Float64Array(1)), /a\[0\] = NaN/],
    ['infinite input', () => michaelisMenten(f64(Infinity), 1, new Float64Array(1)), /a\[0\] = Infinity/],
    ['lambda = 0', () => logisticSaturation(a, 0, out), /logisticSaturation: lambda = 0/],
    ['lambda < 0', () => michaelisMentenWithGradient(a, -2, out, out), /lambda = -2/],
    ['b = 0', () => tanhSaturation(a, 0, 1, out), /tanhSaturation: b = 0/],
    ['c = Infinity', () => tanhSaturationScalar(1, 1, Infinity), /c = Infinity/],
    ['out too short', () => hill(a, 1, 2, new Float64Array(2)), /out\.length = 2 .*at least 3/],
    ['dK too short', () => hillWithGradient(a, 1, 2, out, new Float64Array(0), out), /dK\.length = 0/],
    ['dA too short', () => logisticSaturationWithGradient(a, 1, out, out, new Float64Array(1)), /dA\.length = 1/],
    ['hillInverseScalar h = 1', () => hillInverseScalar(1, 1, 2), /h = 1 .*\[0, 1\)/],
  ];
  for (const [name, call, message] of cases) {
    it(name, () => {
      let caught: unknown;
      try {
        call();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(RangeError);
      expect(caught).toBeInstanceOf(TransformParameterError);
      expect((caught as Error).message).toMatch(message);
    });
  }
});
