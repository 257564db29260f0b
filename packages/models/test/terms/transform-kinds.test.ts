/**
 * The transform family (issue 13 part 4): every adstock kind × every saturation kind, learned,
 * in every model kind — the learned term's analytic gradient = finite differences (priors
 * alone, through H, with the likelihood, with lift tests and a time-varying channel); names and
 * fixed-transform checks; and the unchanged names of geometric/delayed + Hill.
 */
import { describe, expect, test } from 'vitest';
import type { BuildModelOptions, ChannelTransform, ModelKind } from '../../src/index.js';
import { buildModel } from '../../src/index.js';
import { LIFTS } from '../draw-cases.js';
import { assertTermGradient, panel, parts, probe } from './harness.js';

const ADSTOCKS = ['geometric', 'delayed', 'weibull_cdf', 'weibull_pdf'] as const;
const SATURATIONS = ['hill', 'logistic', 'michaelis_menten', 'tanh'] as const;

/** The three channels of the small panel, with (adstock, saturation) rotated per case. */
function mix(i: number): Record<string, Partial<ChannelTransform>> {
  const chs = panel.channels;
  return Object.fromEntries(
    chs.map((ch, c) => {
      const adstock = ADSTOCKS[(i + c) % 4]!;
      const saturation = SATURATIONS[(i + 2 * c) % 4]!;
      return [ch, adstock === 'delayed' ? { adstock, theta: 1, saturation } : { adstock, saturation }];
    }),
  );
}

describe('learned transform family: analytic gradient = finite differences', () => {
  for (const adstock of ADSTOCKS) {
    for (const saturation of SATURATIONS) {
      test(`${adstock} × ${saturation} (hierarchical)`, () => {
        const transforms = Object.fromEntries(panel.channels.map((ch) => [ch, adstock === 'delayed' ? { adstock, theta: 1, saturation } : { adstock, saturation }]));
        const p = parts({ kind: 'hierarchical', learnTransforms: true, transforms });
        assertTermGradient(p, [p.learned!], `${adstock} × ${saturation}, priors only`, 5);
        assertTermGradient(p, [p.learned!, p.hierarchy, probe(p)], `${adstock} × ${saturation}, through H`, 5);
      });
    }
  }

  for (const kind of ['hierarchical', 'unpooled', 'pooled'] as ModelKind[]) {
    for (let i = 0; i < 4; i++) {
      test(`${kind}, mixed kinds ${i}: likelihood, lift tests, time-varying`, () => {
        const options: BuildModelOptions = {
          kind,
          learnTransforms: true,
          transforms: mix(i),
          likelihood: i % 2 === 0 ? 'normal' : 'student-t',
        };
        const p = parts(options);
        assertTermGradient(p, [p.learned!, p.hierarchy, p.likelihoodTerm], `${kind} mix ${i}`, 5);
        const q = parts({ ...options, liftTests: LIFTS, timeVarying: { channels: [panel.channels[0]!], knotEvery: 4 } });
        assertTermGradient(q, [q.learned!, q.hierarchy, q.tv, q.lift], `${kind} mix ${i}, lift + tv`, 5);
        assertTermGradient(q, [q.learned!, q.hierarchy, q.tv, q.likelihoodTerm, q.lift], `${kind} mix ${i}, all`, 5);
      });
    }
  }
});

describe('transform family: names, values and checks', () => {
  test('geometric/delayed + Hill keep the names adstock_alpha, sat_K, sat_S', () => {
    const m = buildModel(panel, { kind: 'pooled', learnTransforms: true });
    const names = m.constrainedNames.filter((n) => n.startsWith('adstock_') || n.startsWith('sat_'));
    expect(names).toEqual(panel.channels.flatMap((ch) => [`adstock_alpha[${ch}]`]).concat(
      panel.channels.map((ch) => `sat_K[${ch}]`),
      panel.channels.map((ch) => `sat_S[${ch}]`),
    ));
    expect(m.transforms.map((t) => Object.keys(t).sort())).toEqual(panel.channels.map(() => ['K', 'S', 'adstock', 'alpha', 'lMax', 'theta']));
  });

  test('other kinds: Stan-style names per slot', () => {
    const [a, b, c] = panel.channels as [string, string, string];
    const m = buildModel(panel, {
      kind: 'pooled',
      learnTransforms: true,
      transforms: { [a]: { adstock: 'weibull_pdf', saturation: 'logistic' }, [b]: { saturation: 'tanh' }, [c]: { adstock: 'weibull_cdf' } },
    });
    const names = m.parameterNames.filter((n) => n.startsWith('adstock_') || n.startsWith('sat_'));
    expect(names).toEqual([
      `adstock_shape_log[${a}]`, `adstock_alpha_logit[${b}]`, `adstock_shape_log[${c}]`,
      `adstock_scale_log[${a}]`, `adstock_scale_log[${c}]`,
      `sat_lam_log[${a}]`, `sat_b_log[${b}]`, `sat_K_log[${c}]`,
      `sat_c_log[${b}]`, `sat_S_log[${c}]`,
    ]);
    expect(m.constrainedNames).toContain(`adstock_scale[${a}]`);
    expect(m.constrainedNames).toContain(`sat_lam[${a}]`);
  });

  test('omitted parameters take the documented defaults', () => {
    const [a, b] = panel.channels as [string, string];
    const m = buildModel(panel, { kind: 'pooled', transforms: { [a]: { adstock: 'weibull_pdf', saturation: 'michaelis_menten' }, [b]: { saturation: 'tanh', b: 0.9 } } });
    const ta = m.transforms[0]!;
    expect(ta.adstock).toBe('weibull_pdf');
    expect(ta.shape).toBeCloseTo(2.846, 3);
    expect(ta.scale).toBeCloseTo(1.789, 3);
    expect(ta.saturation).toBe('michaelis_menten');
    expect(ta.lam).toBeCloseTo(2 / Math.PI, 12);
    expect(m.transforms[1]!.b).toBe(0.9);
    expect(m.transforms[1]!.c).toBeCloseTo(2 / Math.PI, 12);
  });

  test('fixed non-Hill transforms: derived quantities add up, lift predictions finite', () => {
    const m = buildModel(panel, { kind: 'hierarchical', transforms: mix(1), liftTests: LIFTS });
    const rng = (): number => 0.3;
    const theta = m.initialPoint(rng);
    const view = m.loadDraw(m.constrain(theta));
    const mean = view.mean();
    const c = view.contributions();
    let total = 0;
    for (let g = 0; g < m.markets.length; g++) {
      total += c.baseline[g]! + c.trend[g]! + c.seasonality[g]! + c.controls[g]!;
      for (const v of c.channels[g]!) total += v;
    }
    expect(total).toBeCloseTo(mean.reduce((s, v) => s + v, 0), 6);
    expect(Array.from(view.liftPredictions()).every(Number.isFinite)).toBe(true);
    expect(Array.from(view.marginalRoas()).some(Number.isFinite)).toBe(true);
    expect(Number.isFinite(m.logDensity(theta))).toBe(true);
  });

  test('errors name the channel, the key and what is allowed', () => {
    const [a] = panel.channels as [string];
    const err = (t: Record<string, unknown>): string => {
      try {
        buildModel(panel, { kind: 'pooled', transforms: { [a]: t as Partial<ChannelTransform> } });
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(err({ adstock: 'exponential' })).toMatch(/transforms\.\w+\.adstock = "exponential"; expected 'geometric', 'delayed', 'weibull_cdf', 'weibull_pdf'/);
    expect(err({ saturation: 'sigmoid' })).toMatch(/saturation = "sigmoid"; expected 'hill', 'logistic', 'michaelis_menten', 'tanh'/);
    expect(err({ saturation: 'logistic', b: 1 })).toMatch(/\.b is not a parameter of geometric adstock with logistic saturation \(alpha, lam\)/);
    expect(err({ lambda: 1 })).toMatch(/unknown key "lambda"/);
    expect(err({ adstock: 'weibull_cdf', shape: -1 })).toMatch(/shape = -1; expected a finite number > 0/);
  });
});
