/**
 * coordinates.ts: the sampling coordinates ψ are a change of variables of the same posterior.
 * Checked on a small panel for every model kind, fixed and learned transforms, with controls
 * and a time-varying channel: lp_ψ(ψ) = lp_θ(φ(ψ)) + log|det ∂φ/∂ψ| with the determinant of a
 * finite-difference Jacobian of φ (independent of the code's closed form); φ⁻¹(φ(ψ)) = ψ; the
 * gradient of lp_ψ equals finite differences; and a draw's constrained values are those of θ.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { buildModel, type BuildModelOptions } from '../src/index.js';
import { smallPanel } from './fixtures.js';
import { checkGradient } from './gradient-check.js';

/** log|det A| of a dim × dim row-major matrix by LU with partial pivoting. */
function logAbsDet(A: Float64Array, d: number): number {
  const a = Float64Array.from(A);
  let logDet = 0;
  for (let k = 0; k < d; k++) {
    let p = k;
    for (let i = k + 1; i < d; i++) if (Math.abs(a[i * d + k]!) > Math.abs(a[p * d + k]!)) p = i;
    if (p !== k) for (let j = 0; j < d; j++) [a[k * d + j], a[p * d + j]] = [a[p * d + j]!, a[k * d + j]!];
    const piv = a[k * d + k]!;
    logDet += Math.log(Math.abs(piv));
    for (let i = k + 1; i < d; i++) {
      const f = a[i * d + k]! / piv;
      for (let j = k; j < d; j++) a[i * d + j]! -= f * a[k * d + j]!;
    }
  }
  return logDet;
}

const CASES: [string, BuildModelOptions][] = [
  ['hierarchical', { kind: 'hierarchical' }],
  ['unpooled', { kind: 'unpooled' }],
  ['pooled', { kind: 'pooled' }],
  ['hierarchical, learned, Student-t', { kind: 'hierarchical', learnTransforms: true, likelihood: 'student-t' }],
  ['unpooled, learned', { kind: 'unpooled', learnTransforms: true }],
  [
    'pooled, learned, other kinds',
    { kind: 'pooled', learnTransforms: true, transforms: { meta_spend: { adstock: 'weibull_pdf', saturation: 'tanh' }, radio_spend: { saturation: 'logistic' }, tv_spend: { saturation: 'michaelis_menten' } } },
  ],
  ['hierarchical, time-varying', { kind: 'hierarchical', timeVarying: { channels: ['tv_spend'], knotEvery: 8 } }],
];

describe('sampling coordinates: same posterior, other coordinates', () => {
  for (const [label, options] of CASES) {
    const panel = smallPanel();
    const opts = options.timeVarying ? { ...options, timeVarying: { ...options.timeVarying, channels: [panel.channels[0]!] } } : options;
    const model = buildModel(panel, opts);
    const target = model.sampling;
    const d = target.dim;
    // Integers / 1000: fast-check's doubles are biased towards 0, where alpha_sigma = 1 and det = 1.
    const point = fc.array(fc.integer({ min: -1500, max: 1500 }), { minLength: d, maxLength: d }).map((a) => Float64Array.from(a, (v) => v / 1000));

    test(`${label}: lp_ψ = lp_θ∘φ + log|det ∂φ/∂ψ| (finite-difference Jacobian), φ⁻¹∘φ = id`, () => {
      fc.assert(
        fc.property(point, (psi) => {
          const theta = target.toModel(psi);
          const lpTheta = model.logDensity(theta);
          const g = new Float64Array(d);
          const lpPsi = target.logDensityAndGradient(psi, g);
          const J = new Float64Array(d * d);
          const x = Float64Array.from(psi);
          for (let j = 0; j < d; j++) {
            const h = 1e-6 * Math.max(1, Math.abs(psi[j]!));
            x[j] = psi[j]! + h;
            const up = target.toModel(x);
            x[j] = psi[j]! - h;
            const down = target.toModel(x);
            x[j] = psi[j]!;
            for (let i = 0; i < d; i++) J[i * d + j] = (up[i]! - down[i]!) / (2 * h);
          }
          expect(lpPsi - lpTheta).toBeCloseTo(logAbsDet(J, d), 5);
          const back = target.fromModel(theta);
          for (let i = 0; i < d; i++) expect(back[i]).toBeCloseTo(psi[i]!, 9);
          expect(Array.from(target.constrain(psi))).toEqual(Array.from(model.constrain(theta)));
        }),
        { numRuns: 5, seed: 7 },
      );
    });

    test(`${label}: gradient of lp_ψ = finite differences`, () => {
      fc.assert(
        fc.property(point, (psi) => {
          // Central differences carry a round-off error of about |lp|·ε/h: scale the tolerance.
          const lp = target.logDensityAndGradient(psi, new Float64Array(d));
          const check = checkGradient(target, psi, { h: 1e-6, absTol: 1e-5 + 1e-9 * Math.abs(lp), relTol: 1e-5 });
          if (!check.ok) throw new Error(check.table);
        }),
        { numRuns: 5, seed: 11 },
      );
    });
  }

  test('only the level coordinates are renamed', () => {
    const model = buildModel(smallPanel(), { kind: 'hierarchical' });
    const changed = model.parameterNames.flatMap((n, i) => (n === model.sampling.parameterNames[i] ? [] : [`${n} -> ${model.sampling.parameterNames[i]}`]));
    expect(changed).toEqual(model.markets.map((m) => `alpha_z[${m}] -> alpha_level[${m}]`));
    const pooled = buildModel(smallPanel(), { kind: 'pooled' });
    expect(pooled.sampling.parameterNames.filter((n) => n.startsWith('alpha'))).toEqual(['alpha_level']);
    const learned = buildModel(smallPanel(), { kind: 'hierarchical', learnTransforms: true });
    expect(learned.parameterNames.filter((n, i) => n !== learned.sampling.parameterNames[i])).toEqual(learned.markets.map((m) => `alpha_z[${m}]`));
  });
});
