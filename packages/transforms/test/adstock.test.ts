import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AdstockSpec,
  TransformParameterError,
  adstockWeights,
  adstockWeightsWithGradient,
  applyAdstock,
  applyAdstockWithGradient,
  convolveAdstock,
  delayedAdstock,
  delayedAdstockWithGradient,
  geometricAdstock,
  geometricAdstockWithGradient,
  numAdstockParameters,
  weibullCdfAdstock,
  weibullCdfAdstockWithGradient,
  weibullPdfAdstock,
  weibullPdfAdstockWithGradient,
} from '../src/index.js';
import { expectGradientMatches } from './support/gradcheck.js';

const f64 = (...v: number[]): Float64Array => Float64Array.from(v);
const pulse = (n: number, at = 0): Float64Array => {
  const x = new Float64Array(n);
  x[at] = 1;
  return x;
};

function expectClose(actual: Float64Array, expected: ArrayLike<number>, tol = 1e-14): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    if (Math.abs(actual[i]! - e) > tol * Math.max(1, Math.abs(e))) {
      expect.fail(`index ${i}: got ${actual[i]}, expected ${e} (full: [${Array.from(actual).join(', ')}])`);
    }
  }
}

// ---- arbitraries ----------------------------------------------------------------------------

const series = (maxLength = 30, max = 10): fc.Arbitrary<Float64Array> =>
  fc
    .array(fc.double({ min: 0, max, noNaN: true }), { minLength: 1, maxLength })
    .map((a) => Float64Array.from(a));

const lMaxArb = fc.integer({ min: 1, max: 10 });
const alphaArb = fc.double({ min: 0.01, max: 0.98, noNaN: true });
const shapeArb = fc.double({ min: 0.3, max: 5, noNaN: true });
const scaleArb = fc.double({ min: 0.3, max: 20, noNaN: true });

const specArb: fc.Arbitrary<AdstockSpec> = lMaxArb.chain((lMax) =>
  fc.oneof(
    alphaArb.map((alpha): AdstockSpec => ({ kind: 'geometric', alpha, lMax })),
    fc
      .tuple(alphaArb, fc.double({ min: 0, max: lMax - 1, noNaN: true }))
      .map(([alpha, theta]): AdstockSpec => ({ kind: 'delayed', alpha, theta, lMax })),
    fc.tuple(shapeArb, scaleArb).map(([shape, scale]): AdstockSpec => ({ kind: 'weibull_cdf', shape, scale, lMax })),
    fc.tuple(shapeArb, scaleArb).map(([shape, scale]): AdstockSpec => ({ kind: 'weibull_pdf', shape, scale, lMax })),
  ),
);

// ---- exact cases worked by hand ------------------------------------------------------------

describe('exact small cases', () => {
  it('normalized geometric adstock of a unit pulse, α = 0.5, L = 4 → 8/15, 4/15, 2/15, 1/15', () => {
    const out = geometricAdstock(pulse(6), 0.5, 4, new Float64Array(6));
    expectClose(out, [8 / 15, 4 / 15, 2 / 15, 1 / 15, 0, 0]);
  });

  it('unnormalized geometric weights are α^l', () => {
    const out = geometricAdstock(pulse(5), 0.5, 4, new Float64Array(5), false);
    expectClose(out, [1, 0.5, 0.25, 0.125, 0]);
  });

  it('geometric adstock of x = (1, 2, 0, 0), α = 0.5, L = 2: weights (2/3, 1/3)', () => {
    const out = geometricAdstock(f64(1, 2, 0, 0), 0.5, 2, new Float64Array(4));
    // a0 = 2/3·1, a1 = 2/3·2 + 1/3·1, a2 = 1/3·2, a3 = 0
    expectClose(out, [2 / 3, 5 / 3, 2 / 3, 0]);
  });

  it('geometric with α = 0 is the identity; L = 1 is the identity for every kind', () => {
    const x = f64(3, 1, 4, 1, 5);
    expectClose(geometricAdstock(x, 0, 8, new Float64Array(5)), x);
    expectClose(geometricAdstock(x, 0.7, 1, new Float64Array(5)), x);
    expectClose(delayedAdstock(x, 0.7, 0, 1, new Float64Array(5)), x);
    expectClose(weibullCdfAdstock(x, 2, 3, 1, new Float64Array(5)), x);
    expectClose(weibullPdfAdstock(x, 2, 3, 1, new Float64Array(5)), x);
  });

  it('delayed adstock, α = 0.5, θ = 1, L = 3: raw weights (1/2, 1, 1/2), normalized (1/4, 1/2, 1/4)', () => {
    expectClose(delayedAdstock(pulse(4), 0.5, 1, 3, new Float64Array(4), false), [0.5, 1, 0.5, 0]);
    expectClose(delayedAdstock(pulse(4), 0.5, 1, 3, new Float64Array(4)), [0.25, 0.5, 0.25, 0]);
  });

  it('delayed adstock, α = 0.5, θ = 2, L = 4: raw weights 2^−4, 2^−1, 1, 2^−1', () => {
    const raw = [1 / 16, 1 / 2, 1, 1 / 2];
    const sum = 33 / 16;
    expectClose(delayedAdstock(pulse(4), 0.5, 2, 4, new Float64Array(4), false), raw);
    expectClose(
      delayedAdstock(pulse(4), 0.5, 2, 4, new Float64Array(4)),
      raw.map((v) => v / sum),
    );
  });

  it('delayed with α = 0 puts all weight on the lag nearest θ', () => {
    expectClose(delayedAdstock(pulse(5), 0, 2, 5, new Float64Array(5)), [0, 0, 1, 0, 0]);
    expectClose(delayedAdstock(pulse(5), 0, 1.3, 5, new Float64Array(5)), [0, 1, 0, 0, 0]);
    // unnormalized: 0^((l−θ)²) is 0 unless l = θ
    expectClose(delayedAdstock(pulse(5), 0, 1.3, 5, new Float64Array(5), false), [0, 0, 0, 0, 0]);
  });

  it('Weibull CDF, shape = 1, scale = 1, L = 3: w = (1, e^−1, e^−3) (survival products)', () => {
    const raw = [1, Math.exp(-1), Math.exp(-1) * Math.exp(-2)];
    const sum = raw[0]! + raw[1]! + raw[2]!;
    expectClose(weibullCdfAdstock(pulse(3), 1, 1, 3, new Float64Array(3), false), raw);
    expectClose(
      weibullCdfAdstock(pulse(3), 1, 1, 3, new Float64Array(3)),
      raw.map((v) => v / sum),
    );
  });

  it('Weibull CDF, shape = 2, scale = 2, L = 3: w = (1, e^−1/4, e^−1/4·e^−1)', () => {
    const raw = [1, Math.exp(-0.25), Math.exp(-0.25 - 1)];
    expectClose(weibullCdfAdstock(pulse(3), 2, 2, 3, new Float64Array(3), false), raw);
  });

  it('Weibull PDF, shape = 1, scale = 1, L = 3: min-max scaled e^−t at t = 1, 2, 3', () => {
    const p = [Math.exp(-1), Math.exp(-2), Math.exp(-3)];
    const raw = p.map((v) => (v - p[2]!) / (p[0]! - p[2]!));
    expectClose(weibullPdfAdstock(pulse(3), 1, 1, 3, new Float64Array(3), false), raw);
    const sum = raw[0]! + raw[1]! + raw[2]!;
    expectClose(
      weibullPdfAdstock(pulse(3), 1, 1, 3, new Float64Array(3)),
      raw.map((v) => v / sum),
      1e-13,
    );
  });

  it('Weibull PDF, shape = 2, scale = 2, L = 4: density (t/2)·e^(−t²/4), min-max scaled', () => {
    const p = [1, 2, 3, 4].map((t) => (t / 2) * Math.exp(-(t * t) / 4));
    const max = Math.max(...p);
    const min = Math.min(...p);
    const raw = p.map((v) => (v - min) / (max - min));
    expectClose(weibullPdfAdstock(pulse(4), 2, 2, 4, new Float64Array(4), false), raw, 1e-13);
    expect(raw[0]).toBe(1); // mode of the density is √2 ≈ 1.41, so t = 1 is the largest
    expect(raw[3]).toBe(0);
  });

  it('Weibull PDF with equal densities (L = 1, or every density is 0) uses equal weights', () => {
    expectClose(adstockWeights({ kind: 'weibull_pdf', shape: 2, scale: 3, lMax: 1 }), [1]);
    // (t/scale)^shape overflows for every t ≥ 1, so every density is exactly 0
    const degenerate: AdstockSpec = { kind: 'weibull_pdf', shape: 200, scale: 1e-3, lMax: 4 };
    expectClose(adstockWeights(degenerate), [0.25, 0.25, 0.25, 0.25]);
    expectClose(adstockWeights(degenerate, undefined, false), [1, 1, 1, 1]);
    const w = new Float64Array(4);
    const d1 = new Float64Array(4);
    const d2 = new Float64Array(4);
    adstockWeightsWithGradient(degenerate, w, d1, d2);
    expectClose(d1, [0, 0, 0, 0]);
    expectClose(d2, [0, 0, 0, 0]);
  });

  it('Weibull PDF densities that would underflow are compared in log space (no NaN)', () => {
    // shape 1, scale 1e-3: densities 1000·e^(−1000 t) all underflow to 0 in linear space,
    // but their ratios are well defined: all weight on t = 1.
    expectClose(adstockWeights({ kind: 'weibull_pdf', shape: 1, scale: 1e-3, lMax: 4 }), [1, 0, 0, 0]);
    const w = new Float64Array(4);
    const d1 = new Float64Array(4);
    const d2 = new Float64Array(4);
    adstockWeightsWithGradient({ kind: 'weibull_pdf', shape: 1, scale: 1e-3, lMax: 4 }, w, d1, d2);
    for (const v of [...d1, ...d2]) expect(Number.isFinite(v)).toBe(true);
  });

  it('adstock of a series is the sum of shifted, scaled impulse responses', () => {
    const spec: AdstockSpec = { kind: 'delayed', alpha: 0.6, theta: 1, lMax: 3 };
    const w = adstockWeights(spec);
    const out = applyAdstock(f64(2, 0, 1, 0, 0), spec, new Float64Array(5));
    expectClose(out, [2 * w[0]!, 2 * w[1]!, 2 * w[2]! + w[0]!, w[1]!, w[2]!]);
  });
});

// ---- buffers ---------------------------------------------------------------------------------

describe('buffers', () => {
  it('out may be x (in-place) and gives the same result', () => {
    const x = f64(1, 5, 2, 0, 3, 7, 0, 1);
    const expected = geometricAdstock(x, 0.6, 4, new Float64Array(8));
    const y = x.slice();
    expect(geometricAdstock(y, 0.6, 4, y)).toBe(y);
    expectClose(y, expected);
    const spec: AdstockSpec = { kind: 'weibull_pdf', shape: 2, scale: 3, lMax: 5 };
    const d1 = new Float64Array(8);
    const d2 = new Float64Array(8);
    const e1 = new Float64Array(8);
    const e2 = new Float64Array(8);
    const expectedW = applyAdstockWithGradient(x, spec, new Float64Array(8), e1, e2);
    const z = x.slice();
    applyAdstockWithGradient(z, spec, z, d1, d2);
    expectClose(z, expectedW);
    expectClose(d1, e1);
    expectClose(d2, e2);
  });

  it('writes only the first x.length entries of a longer out', () => {
    const out = new Float64Array(6).fill(-1);
    geometricAdstock(f64(1, 1, 1), 0.5, 8, out);
    expect(Array.from(out.subarray(3))).toEqual([-1, -1, -1]);
  });

  it('an empty series gives an empty result', () => {
    expect(geometricAdstock(new Float64Array(0), 0.5, 8, new Float64Array(0)).length).toBe(0);
  });

  it('adstockWeights allocates when out is omitted and fills a given buffer otherwise', () => {
    const spec: AdstockSpec = { kind: 'geometric', alpha: 0.5, lMax: 4 };
    expectClose(adstockWeights(spec), [8 / 15, 4 / 15, 2 / 15, 1 / 15]);
    const buf = new Float64Array(6).fill(9);
    expect(adstockWeights(spec, buf)).toBe(buf);
    expectClose(buf, [8 / 15, 4 / 15, 2 / 15, 1 / 15, 9, 9]);
  });

  it('works for lMax larger than any seen before (scratch grows)', () => {
    const out = geometricAdstock(pulse(200), 0.99, 150, new Float64Array(200), false);
    expect(out[149]).toBeCloseTo(Math.pow(0.99, 149), 14);
    expect(out[150]).toBe(0);
  });
});

// ---- properties -------------------------------------------------------------------------------

describe('properties (fast-check)', () => {
  it('normalized weights are non-negative and sum to 1', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const w = adstockWeights(spec);
        let sum = 0;
        for (const v of w) {
          expect(v).toBeGreaterThanOrEqual(0);
          sum += v;
        }
        expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
      }),
    );
  });

  it('normalized adstock conserves total spend up to the truncated tail', () => {
    fc.assert(
      fc.property(specArb, series(), (spec, x) => {
        const n = x.length;
        const L = spec.lMax;
        const w = adstockWeights(spec);
        const out = applyAdstock(x, spec, new Float64Array(n));
        let total = 0;
        let expected = 0;
        let totalOut = 0;
        for (let t = 0; t < n; t++) {
          total += x[t]!;
          totalOut += out[t]!;
          // share of x[t]'s carryover that lands inside the series
          let inside = 0;
          for (let l = 0; l < L && t + l < n; l++) inside += w[l]!;
          expected += x[t]! * inside;
        }
        expect(Math.abs(totalOut - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, total));
        expect(totalOut).toBeLessThanOrEqual(total * (1 + 1e-12));
        // with L−1 trailing zero weeks nothing is truncated: the total is conserved exactly
        const padded = new Float64Array(n + L - 1);
        padded.set(x);
        const outPadded = applyAdstock(padded, spec, new Float64Array(n + L - 1));
        const totalPadded = outPadded.reduce((s, v) => s + v, 0);
        expect(Math.abs(totalPadded - total)).toBeLessThanOrEqual(1e-12 * Math.max(1, total));
      }),
    );
  });

  it('output is non-negative for non-negative input (normalized or not)', () => {
    fc.assert(
      fc.property(specArb, series(), fc.boolean(), (spec, x, normalize) => {
        const out = applyAdstock(x, spec, new Float64Array(x.length), normalize);
        for (const v of out) expect(v).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('adstock is linear in x', () => {
    fc.assert(
      fc.property(specArb, series(20), series(20), fc.double({ min: -3, max: 3, noNaN: true }), (spec, x, y, c) => {
        const n = Math.min(x.length, y.length);
        const xs = x.subarray(0, n);
        const ys = y.subarray(0, n);
        const combo = new Float64Array(n);
        for (let i = 0; i < n; i++) combo[i] = xs[i]! + c * ys[i]!;
        const ax = applyAdstock(xs, spec, new Float64Array(n));
        const ay = applyAdstock(ys, spec, new Float64Array(n));
        const ac = applyAdstock(combo, spec, new Float64Array(n));
        for (let i = 0; i < n; i++) {
          expect(Math.abs(ac[i]! - (ax[i]! + c * ay[i]!))).toBeLessThan(1e-11 * (1 + Math.abs(ac[i]!)));
        }
      }),
    );
  });

  it('delayed adstock of a pulse peaks at lag θ (integer θ)', () => {
    const arb = lMaxArb.chain((lMax) =>
      fc.tuple(
        fc.constant(lMax),
        fc.integer({ min: 0, max: lMax - 1 }),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        fc.integer({ min: 0, max: 10 }),
        fc.boolean(),
      ),
    );
    fc.assert(
      fc.property(arb, ([lMax, theta, alpha, at, normalize]) => {
        const n = at + lMax + 2;
        const out = delayedAdstock(pulse(n, at), alpha, theta, lMax, new Float64Array(n), normalize);
        let argmax = 0;
        for (let t = 1; t < n; t++) if (out[t]! > out[argmax]!) argmax = t;
        expect(argmax).toBe(at + theta);
        for (let t = 0; t < n; t++) if (t !== argmax) expect(out[t]!).toBeLessThan(out[argmax]!);
      }),
    );
  });

  it('delayed adstock of a pulse peaks at the lag nearest θ (non-integer θ)', () => {
    const arb = fc.integer({ min: 2, max: 10 }).chain((lMax) =>
      fc.tuple(
        fc.constant(lMax),
        fc.double({ min: 0, max: lMax - 1, noNaN: true }).filter((th) => Math.abs((th % 1) - 0.5) > 1e-6),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
      ),
    );
    fc.assert(
      fc.property(arb, ([lMax, theta, alpha]) => {
        const w = adstockWeights({ kind: 'delayed', alpha, theta, lMax });
        let argmax = 0;
        for (let l = 1; l < lMax; l++) if (w[l]! > w[argmax]!) argmax = l;
        expect(argmax).toBe(Math.round(theta));
      }),
    );
  });

  it('geometric weights decrease with the lag; unnormalized CDF weights start at 1 and decrease', () => {
    fc.assert(
      fc.property(lMaxArb, alphaArb, shapeArb, scaleArb, (lMax, alpha, shape, scale) => {
        const g = adstockWeights({ kind: 'geometric', alpha, lMax });
        const c = adstockWeights({ kind: 'weibull_cdf', shape, scale, lMax }, undefined, false);
        expect(c[0]).toBe(1);
        for (let l = 1; l < lMax; l++) {
          expect(g[l]!).toBeLessThan(g[l - 1]!);
          expect(c[l]!).toBeLessThanOrEqual(c[l - 1]!);
        }
      }),
    );
  });

  it('unnormalized Weibull PDF weights are min-max scaled: max 1, min 0 (L ≥ 2)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 10 }), shapeArb, scaleArb, (lMax, shape, scale) => {
        const w = adstockWeights({ kind: 'weibull_pdf', shape, scale, lMax }, undefined, false);
        expect(Math.max(...w)).toBe(1);
        expect(Math.min(...w)).toBe(0);
      }),
    );
  });

  it('the impulse response of every kernel is its weight vector; applyAdstock matches the named kernels', () => {
    fc.assert(
      fc.property(specArb, fc.boolean(), (spec, normalize) => {
        const n = spec.lMax + 3;
        const w = adstockWeights(spec, undefined, normalize);
        const out = applyAdstock(pulse(n), spec, new Float64Array(n), normalize);
        expectClose(out.subarray(0, spec.lMax), w, 0);
        expectClose(out.subarray(spec.lMax), [0, 0, 0], 0);
        const named = new Float64Array(n);
        switch (spec.kind) {
          case 'geometric':
            geometricAdstock(pulse(n), spec.alpha, spec.lMax, named, normalize);
            break;
          case 'delayed':
            delayedAdstock(pulse(n), spec.alpha, spec.theta, spec.lMax, named, normalize);
            break;
          case 'weibull_cdf':
            weibullCdfAdstock(pulse(n), spec.shape, spec.scale, spec.lMax, named, normalize);
            break;
          case 'weibull_pdf':
            weibullPdfAdstock(pulse(n), spec.shape, spec.scale, spec.lMax, named, normalize);
            break;
        }
        expectClose(named, out, 0);
      }),
    );
  });

  it('convolveAdstock with the weights (and their derivatives) reproduces the kernels', () => {
    fc.assert(
      fc.property(specArb, series(), fc.boolean(), (spec, x, normalize) => {
        const n = x.length;
        const L = spec.lMax;
        const w = new Float64Array(L);
        const dw1 = new Float64Array(L);
        const dw2 = new Float64Array(L);
        adstockWeightsWithGradient(spec, w, dw1, dw2, normalize);
        const out = new Float64Array(n);
        const d1 = new Float64Array(n);
        const d2 = new Float64Array(n);
        applyAdstockWithGradient(x, spec, out, d1, d2, normalize);
        expectClose(convolveAdstock(x, w, new Float64Array(n)), out, 1e-15);
        expectClose(convolveAdstock(x, dw1, new Float64Array(n)), d1, 1e-15);
        if (numAdstockParameters(spec) === 2) expectClose(convolveAdstock(x, dw2, new Float64Array(n)), d2, 1e-15);
        // the gradient variant's value equals the plain kernel's
        expectClose(applyAdstock(x, spec, new Float64Array(n), normalize), out, 0);
      }),
    );
  });
});

// ---- gradients against central finite differences ------------------------------------------

describe('parameter derivatives match central finite differences', () => {
  it('geometric: ∂/∂α', () => {
    fc.assert(
      fc.property(series(), alphaArb, lMaxArb, fc.boolean(), (x, alpha, lMax, normalize) => {
        const n = x.length;
        const out = new Float64Array(n);
        const dAlpha = new Float64Array(n);
        geometricAdstockWithGradient(x, alpha, lMax, out, dAlpha, normalize);
        expectGradientMatches('∂out/∂alpha (geometric)', alpha, (a, o) => geometricAdstock(x, a, lMax, o, normalize), dAlpha);
      }),
    );
  });

  it('delayed: ∂/∂α (θ fixed, integer or not)', () => {
    const arb = lMaxArb.chain((lMax) =>
      fc.tuple(fc.constant(lMax), fc.double({ min: 0, max: lMax - 1, noNaN: true }), alphaArb),
    );
    fc.assert(
      fc.property(series(), arb, fc.boolean(), (x, [lMax, theta, alpha], normalize) => {
        const n = x.length;
        const out = new Float64Array(n);
        const dAlpha = new Float64Array(n);
        delayedAdstockWithGradient(x, alpha, theta, lMax, out, dAlpha, normalize);
        expectGradientMatches(
          `∂out/∂alpha (delayed, theta = ${theta})`,
          alpha,
          (a, o) => delayedAdstock(x, a, theta, lMax, o, normalize),
          dAlpha,
        );
      }),
    );
  });

  it('Weibull CDF: ∂/∂shape and ∂/∂scale', () => {
    fc.assert(
      fc.property(series(), shapeArb, scaleArb, lMaxArb, fc.boolean(), (x, shape, scale, lMax, normalize) => {
        const n = x.length;
        const out = new Float64Array(n);
        const dShape = new Float64Array(n);
        const dScale = new Float64Array(n);
        weibullCdfAdstockWithGradient(x, shape, scale, lMax, out, dShape, dScale, normalize);
        expectGradientMatches(
          `∂out/∂shape (weibull_cdf, scale = ${scale})`,
          shape,
          (k, o) => weibullCdfAdstock(x, k, scale, lMax, o, normalize),
          dShape,
        );
        expectGradientMatches(
          `∂out/∂scale (weibull_cdf, shape = ${shape})`,
          scale,
          (s, o) => weibullCdfAdstock(x, shape, s, lMax, o, normalize),
          dScale,
        );
      }),
    );
  });

  it('Weibull PDF: ∂/∂shape and ∂/∂scale', () => {
    fc.assert(
      fc.property(series(), shapeArb, scaleArb, lMaxArb, fc.boolean(), (x, shape, scale, lMax, normalize) => {
        const n = x.length;
        const out = new Float64Array(n);
        const dShape = new Float64Array(n);
        const dScale = new Float64Array(n);
        weibullPdfAdstockWithGradient(x, shape, scale, lMax, out, dShape, dScale, normalize);
        expectGradientMatches(
          `∂out/∂shape (weibull_pdf, scale = ${scale})`,
          shape,
          (k, o) => weibullPdfAdstock(x, k, scale, lMax, o, normalize),
          dShape,
        );
        expectGradientMatches(
          `∂out/∂scale (weibull_pdf, shape = ${shape})`,
          scale,
          (s, o) => weibullPdfAdstock(x, shape, s, lMax, o, normalize),
          dScale,
        );
      }),
    );
  });

  it('geometric at α = 0: exact derivative of the normalized weights is (−1, 1, 0, …)', () => {
    const w = new Float64Array(4);
    const dw = new Float64Array(4);
    adstockWeightsWithGradient({ kind: 'geometric', alpha: 0, lMax: 4 }, w, dw);
    expectClose(w, [1, 0, 0, 0]);
    expectClose(dw, [-1, 1, 0, 0]);
    // one-sided check: (w(h) − w(0)) / h
    const h = 1e-7;
    const wh = adstockWeights({ kind: 'geometric', alpha: h, lMax: 4 });
    for (let l = 0; l < 4; l++) expect(Math.abs((wh[l]! - w[l]!) / h - dw[l]!)).toBeLessThan(1e-6);
  });

  it('delayed at α = 0 with non-integer θ: infinite derivatives are ±∞, not NaN', () => {
    const w = new Float64Array(3);
    const dw = new Float64Array(3);
    adstockWeightsWithGradient({ kind: 'delayed', alpha: 0, theta: 0.3, lMax: 3 }, w, dw);
    expectClose(w, [1, 0, 0]);
    // w_1 ∝ α^0.4 near 0: slope +∞; w_0 = 1 − … : slope −∞; w_2 ∝ α^2.8: slope 0
    expect(Array.from(dw)).toEqual([-Infinity, Infinity, 0]);
  });

  it('the gradient check reports a table (index, value, analytic, finite diff) on failure', () => {
    const x = f64(1, 0, 0);
    const wrong = f64(0, 0, 0);
    expect(() =>
      expectGradientMatches('∂out/∂alpha (deliberately wrong)', 0.5, (a, o) => geometricAdstock(x, a, 3, o), wrong),
    ).toThrowError(/index +value +analytic +finite diff[\s\S]*<-- FAIL/);
  });
});

// ---- invalid parameters -------------------------------------------------------------------------

describe('invalid parameters throw a RangeError naming the parameter, value and valid range', () => {
  const x = f64(1, 2, 3);
  const out = new Float64Array(3);
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['alpha = 1', () => geometricAdstock(x, 1, 8, out), /geometricAdstock: alpha = 1 is invalid; expected a number in \[0, 1\)/],
    ['alpha < 0', () => geometricAdstock(x, -0.1, 8, out), /alpha = -0\.1 .*\[0, 1\)/],
    ['alpha NaN', () => delayedAdstock(x, Number.NaN, 1, 8, out), /delayedAdstock: alpha = NaN/],
    ['lMax = 0', () => geometricAdstock(x, 0.5, 0, out), /lMax = 0 is invalid; expected an integer >= 1/],
    ['lMax non-integer', () => geometricAdstock(x, 0.5, 2.5, out), /lMax = 2\.5/],
    ['theta > lMax−1', () => delayedAdstock(x, 0.5, 8, 8, out), /theta = 8 .*\[0, 7\]/],
    ['theta < 0', () => delayedAdstockWithGradient(x, 0.5, -1, 8, out, new Float64Array(3)), /theta = -1/],
    ['shape = 0', () => weibullCdfAdstock(x, 0, 1, 8, out), /weibullCdfAdstock: shape = 0 .*> 0/],
    ['scale = Infinity', () => weibullPdfAdstock(x, 1, Infinity, 8, out), /scale = Infinity .*finite number > 0/],
    ['out too short', () => geometricAdstock(x, 0.5, 8, new Float64Array(2)), /out\.length = 2 .*at least 3/],
    [
      'dAlpha too short',
      () => geometricAdstockWithGradient(x, 0.5, 8, out, new Float64Array(1)),
      /dAlpha\.length = 1 .*at least 3/,
    ],
    [
      'dScale too short',
      () => weibullPdfAdstockWithGradient(x, 1, 1, 8, out, new Float64Array(3), new Float64Array(0)),
      /dScale\.length = 0/,
    ],
    [
      'unknown kind',
      () => applyAdstock(x, { kind: 'hill' } as unknown as AdstockSpec, out),
      /spec\.kind = "hill" .*'geometric', 'delayed', 'weibull_cdf', 'weibull_pdf'/,
    ],
    [
      'weights out too short',
      () => adstockWeights({ kind: 'geometric', alpha: 0.5, lMax: 8 }, new Float64Array(4)),
      /out\.length = 4 .*at least 8/,
    ],
    [
      'missing dSecond for Weibull',
      () => applyAdstockWithGradient(x, { kind: 'weibull_cdf', shape: 1, scale: 2, lMax: 4 }, out, new Float64Array(3)),
      /dSecond = undefined/,
    ],
    ['x not a Float64Array', () => geometricAdstock([1, 2] as unknown as Float64Array, 0.5, 8, out), /x = Array\(2\) .*Float64Array/],
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
      expect((caught as TransformParameterError).code).toBe('TRANSFORM_INVALID_PARAMETER');
      expect((caught as Error).message).toMatch(message);
    });
  }
});
