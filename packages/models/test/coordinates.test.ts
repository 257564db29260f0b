/**
 * coordinates.ts: the sampling coordinates ψ are a change of variables of the same posterior.
 * Checked on a small panel for every model kind, fixed and learned transforms, with controls
 * and a time-varying channel: lp_ψ(ψ) = lp_θ(φ(ψ)) + log|det ∂φ/∂ψ| with the determinant of a
 * finite-difference Jacobian of φ (independent of the code's closed form); φ⁻¹(φ(ψ)) = ψ; the
 * gradient of lp_ψ equals finite differences; and a draw's constrained values are those of θ.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { buildPanel, parseMarketingCsv } from '@tributary/data';
import { chooseCentring, SamplingCoordinates } from '../src/coordinates.js';
import { buildModel, type BuildModelOptions } from '../src/index.js';
import { buildModelParts } from '../src/model.js';
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

/** ∂φ/∂ψ (d × d, row-major) by central differences — independent of the code's closed form. */
function jacobian(toModel: (psi: Float64Array) => Float64Array, psi: Float64Array): Float64Array {
  const d = psi.length;
  const J = new Float64Array(d * d);
  const x = Float64Array.from(psi);
  for (let j = 0; j < d; j++) {
    const h = 1e-6 * Math.max(1, Math.abs(psi[j]!));
    x[j] = psi[j]! + h;
    const up = Float64Array.from(toModel(x));
    x[j] = psi[j]! - h;
    const down = toModel(x);
    x[j] = psi[j]!;
    for (let i = 0; i < d; i++) J[i * d + j] = (up[i]! - down[i]!) / (2 * h);
  }
  return J;
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
          expect(lpPsi - lpTheta).toBeCloseTo(logAbsDet(jacobian((x) => target.toModel(x), psi), d), 5);
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
    const cells = chooseCentring(buildModelParts(smallPanel(), { kind: 'hierarchical' }).data).betaCentred;
    const betaRenamed = model.parameterNames.flatMap((n, i) => {
      const k = i - model.layout.offsets.betaZ;
      return k >= 0 && k < cells.length && cells[k] === 1 ? [`${n} -> ${n.replace('beta_z', 'beta_log')}`] : [];
    });
    expect(changed).toEqual([...model.markets.map((m) => `alpha_z[${m}] -> alpha_level[${m}]`), ...betaRenamed]);
    const pooled = buildModel(smallPanel(), { kind: 'pooled' });
    expect(pooled.sampling.parameterNames.filter((n) => n.startsWith('alpha'))).toEqual(['alpha_level']);
    const learned = buildModel(smallPanel(), { kind: 'hierarchical', learnTransforms: true });
    expect(learned.parameterNames.filter((n, i) => n !== learned.sampling.parameterNames[i])).toEqual(learned.markets.map((m) => `alpha_z[${m}]`));
  });
});

/** `model.sampling`'s composition (model.ts CoordinateTarget) over coordinates with given weights λ. */
function targetWith(options: BuildModelOptions, lambdas: (numSets: number) => number[], betaCentred?: (cells: number) => number[]) {
  const panel = smallPanel();
  const model = buildModel(panel, options);
  const { data, hierarchy } = buildModelParts(panel, options);
  const coords = new SamplingCoordinates(data, hierarchy, { level: lambdas(data.numSets), betaCentred: betaCentred?.(data.G * data.C) ?? new Array(data.G * data.C).fill(0) });
  const d = model.dim;
  const theta = new Float64Array(d);
  const gTheta = new Float64Array(d);
  return {
    model,
    coords,
    dim: d,
    toModel: (psi: Float64Array) => {
      const out = new Float64Array(d);
      coords.toModel(psi, out);
      return out;
    },
    logDensityAndGradient(psi: Float64Array, grad: Float64Array): number {
      const logJ = coords.toModel(psi, theta);
      const lp = model.logDensityAndGradient(theta, gTheta);
      coords.pullback(theta, gTheta, grad);
      return lp + logJ;
    },
  };
}

describe('partially non-centred levels (any λ in [0, 1] is the same posterior)', () => {
  for (const [label, lambdas] of [
    ['centred (λ = 0)', (S: number) => Array(S).fill(0)],
    ['non-centred (λ = 1)', (S: number) => Array(S).fill(1)],
    ['mixed λ', (S: number) => Array.from({ length: S }, (_, s) => [0.37, 0.9, 0.05][s % 3]!)],
  ] as const) {
    for (const [options, cells] of [
      [{ kind: 'hierarchical' }, undefined],
      [{ kind: 'hierarchical', learnTransforms: true }, undefined],
      [{ kind: 'hierarchical' }, (n: number) => Array.from({ length: n }, (_, k) => (k % 3 === 1 ? 0 : 1))],
      [{ kind: 'hierarchical', learnTransforms: true }, (n: number) => Array.from({ length: n }, (_, k) => k % 2)],
    ] as [BuildModelOptions, ((n: number) => number[]) | undefined][]) {
      const what = `${label}${options.learnTransforms ? ', learned' : ''}${cells ? ', some log beta centred' : ''}`;
      test(`${what}: lp_ψ − lp_θ∘φ = log|det| (finite differences), φ⁻¹∘φ = id, gradient`, () => {
        const t = targetWith(options, lambdas, cells);
        const d = t.dim;
        const point = fc.array(fc.integer({ min: -1500, max: 1500 }), { minLength: d, maxLength: d }).map((a) => Float64Array.from(a, (v) => v / 1000));
        fc.assert(
          fc.property(point, (psi) => {
            const theta = t.toModel(psi);
            const lpPsi = t.logDensityAndGradient(psi, new Float64Array(d));
            expect(lpPsi - t.model.logDensity(theta)).toBeCloseTo(logAbsDet(jacobian(t.toModel, psi), d), 5);
            const back = t.coords.fromModel(theta, new Float64Array(d));
            for (let i = 0; i < d; i++) expect(back[i]).toBeCloseTo(psi[i]!, 9);
            const check = checkGradient(t, psi, { h: 1e-6, absTol: 1e-5 + 1e-9 * Math.abs(lpPsi), relTol: 1e-5 });
            if (!check.ok) throw new Error(check.table);
          }),
          { numRuns: 4, seed: 5 },
        );
      });
    }
  }

  test('λ = 1 is θ itself: the level coordinate is alpha_z', () => {
    const t = targetWith({ kind: 'hierarchical' }, (S) => Array(S).fill(1));
    const psi = Float64Array.from({ length: t.dim }, (_, i) => Math.sin(i + 1));
    expect(Array.from(t.toModel(psi))).toEqual(Array.from(psi));
  });

  test('the data choose λ: centred where markets differ far beyond their noise, non-centred where they do not', () => {
    // 5 markets × 52 weeks, one channel. In "distinct" the markets' media effects differ widely
    // (so do their intercepts, the target being scaled by each market's mean) and the noise is
    // tiny; in "alike" every market has the same effect under heavy noise.
    const csv = (effects: number[], noise: number): string => {
      const rnd = lcgForTest(99);
      const lines = ['date,country,meta_spend,streaming_revenue'];
      effects.forEach((k, g) => {
        for (let w = 0; w < 52; w++) {
          const meta = Math.round(100 + 900 * rnd());
          const revenue = Math.round(5000 + k * meta + noise * 5000 * (rnd() + rnd() + rnd() - 1.5));
          lines.push([new Date(Date.UTC(2023, 0, 2 + 7 * w)).toISOString().slice(0, 10), `M${g}`, meta, revenue].join(','));
        }
      });
      return lines.join('\n') + '\n';
    };
    const lambdas = (text: string) => chooseCentring(buildModelParts(buildPanel(parseMarketingCsv(text)), { kind: 'hierarchical' }).data).level;
    const distinct = lambdas(csv([0, 1, 2, 4, 8], 0.01));
    const alike = lambdas(csv([1, 1, 1, 1, 1], 0.5));
    for (const l of distinct) expect(l).toBeLessThan(0.1);
    for (const l of alike) expect(l).toBeGreaterThan(0.9);
    expect(Array.from(buildModel(smallPanel(), { kind: 'pooled' }).sampling.levelNonCentring)).toEqual([0]);
  });
});

function lcgForTest(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
