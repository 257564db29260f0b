import { describe, expect, it } from 'vitest';
import {
  FALLBACK_CHANNEL_DEFAULTS,
  SATURATION_DEFAULTS,
  SATURATION_PARAMETER_NAMES,
  TRANSFORM_PARAMETER_ERROR_CODE,
  TransformParameterError,
  buildSaturationSpec,
  numSaturationParameters,
  type LogNormalPrior,
  type SaturationKind,
} from '../src/index.js';

const KINDS: SaturationKind[] = ['hill', 'logistic', 'michaelis_menten', 'tanh'];

/** Runs fn and returns the TransformParameterError it throws. */
function thrown(fn: () => unknown): TransformParameterError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TransformParameterError);
    expect(e).toBeInstanceOf(RangeError);
    return e as TransformParameterError;
  }
  return expect.fail('expected a TransformParameterError');
}

/** Mean and sd of LogNormal(mu, sigma). */
function moments(p: LogNormalPrior): { mean: number; sd: number } {
  const [mu, sigma] = p.lognormal;
  const mean = Math.exp(mu + (sigma * sigma) / 2);
  return { mean, sd: mean * Math.sqrt(Math.expm1(sigma * sigma)) };
}

describe('saturation parameter names', () => {
  it('are K, S / lam / lam / b, c, and numSaturationParameters counts them', () => {
    expect(SATURATION_PARAMETER_NAMES).toEqual({ hill: ['K', 'S'], logistic: ['lam'], michaelis_menten: ['lam'], tanh: ['b', 'c'] });
    expect(KINDS.map((k) => numSaturationParameters(k))).toEqual([2, 1, 1, 2]);
    expect(Object.keys(SATURATION_PARAMETER_NAMES)).toEqual(KINDS);
    expect(Object.isFrozen(SATURATION_PARAMETER_NAMES)).toBe(true);
    for (const k of KINDS) expect(Object.isFrozen(SATURATION_PARAMETER_NAMES[k])).toBe(true);
  });

  it('numSaturationParameters rejects an unknown kind, listing the kinds', () => {
    const e = thrown(() => numSaturationParameters('sigmoid' as SaturationKind));
    expect(e.parameter).toBe('kind');
    expect(e.message).toContain("one of 'hill', 'logistic', 'michaelis_menten', 'tanh'");
    thrown(() => numSaturationParameters('toString' as SaturationKind));
  });
});

describe('saturation defaults and priors', () => {
  it('have one value and one LogNormal prior per parameter; each value is its prior median', () => {
    expect(Object.keys(SATURATION_DEFAULTS)).toEqual(KINDS);
    for (const k of KINDS) {
      const d = SATURATION_DEFAULTS[k] as { values: Record<string, number>; priors: Record<string, LogNormalPrior> };
      expect(Object.keys(d.values)).toEqual([...SATURATION_PARAMETER_NAMES[k]]);
      expect(Object.keys(d.priors)).toEqual([...SATURATION_PARAMETER_NAMES[k]]);
      for (const name of SATURATION_PARAMETER_NAMES[k]) {
        const [mu, sigma] = d.priors[name]!.lognormal;
        expect(sigma).toBeGreaterThan(0);
        expect(d.values[name]).toBeCloseTo(Math.exp(mu), 14);
      }
      expect(Object.isFrozen(d) && Object.isFrozen(d.values) && Object.isFrozen(d.priors)).toBe(true);
    }
  });

  it('hill: model-spec §3 fallback row (K0 = 0.5, S0 = 2) and §5 spreads (0.3)', () => {
    expect(SATURATION_DEFAULTS.hill.values).toEqual({ K: 0.5, S: 2.0 });
    expect(SATURATION_DEFAULTS.hill.values.K).toBe(FALLBACK_CHANNEL_DEFAULTS.K);
    expect(SATURATION_DEFAULTS.hill.values.S).toBe(FALLBACK_CHANNEL_DEFAULTS.S);
    expect(SATURATION_DEFAULTS.hill.priors).toEqual({ K: { lognormal: [Math.log(0.5), 0.3] }, S: { lognormal: [Math.log(2), 0.3] } });
  });

  it('logistic lam: the mean and sd of PyMC-Marketing Gamma(3, 1), i.e. 3 and √3', () => {
    const m = moments(SATURATION_DEFAULTS.logistic.priors.lam);
    expect(m.mean).toBeCloseTo(3, 12);
    expect(m.sd).toBeCloseTo(Math.sqrt(3), 12);
    expect(SATURATION_DEFAULTS.logistic.priors.lam.lognormal[1]).toBeCloseTo(Math.sqrt(Math.log(4 / 3)), 14);
    expect(SATURATION_DEFAULTS.logistic.values.lam).toBeCloseTo((3 * Math.sqrt(3)) / 2, 13);
  });

  it('michaelis_menten lam, tanh b and c: the mean and sd of PyMC-Marketing HalfNormal(1)', () => {
    for (const p of [SATURATION_DEFAULTS.michaelis_menten.priors.lam, SATURATION_DEFAULTS.tanh.priors.b, SATURATION_DEFAULTS.tanh.priors.c]) {
      const m = moments(p);
      expect(m.mean).toBeCloseTo(Math.sqrt(2 / Math.PI), 12);
      expect(m.sd).toBeCloseTo(Math.sqrt(1 - 2 / Math.PI), 12);
      expect(p.lognormal[1]).toBeCloseTo(Math.sqrt(Math.log(Math.PI / 2)), 14);
    }
    expect(SATURATION_DEFAULTS.michaelis_menten.values.lam).toBeCloseTo(2 / Math.PI, 14);
    expect(SATURATION_DEFAULTS.tanh.values).toEqual({ b: SATURATION_DEFAULTS.michaelis_menten.values.lam, c: SATURATION_DEFAULTS.michaelis_menten.values.lam });
  });
});

describe('buildSaturationSpec', () => {
  it('builds each kind from its parameters', () => {
    expect(buildSaturationSpec('hill', { K: 0.4, S: 2.2 })).toEqual({ kind: 'hill', K: 0.4, S: 2.2 });
    expect(buildSaturationSpec('logistic', { lam: 1.5 })).toEqual({ kind: 'logistic', lam: 1.5 });
    expect(buildSaturationSpec('michaelis_menten', { lam: 0.3 })).toEqual({ kind: 'michaelis_menten', lam: 0.3 });
    expect(buildSaturationSpec('tanh', { b: 2, c: 0.5 })).toEqual({ kind: 'tanh', b: 2, c: 0.5 });
  });

  it('fills missing parameters with the defaults and returns a fresh mutable object', () => {
    for (const k of KINDS) expect(buildSaturationSpec(k)).toEqual({ kind: k, ...SATURATION_DEFAULTS[k].values });
    expect(buildSaturationSpec('hill', { S: 0.8 })).toEqual({ kind: 'hill', K: 0.5, S: 0.8 });
    expect(buildSaturationSpec('tanh', { c: 3 })).toEqual({ kind: 'tanh', b: SATURATION_DEFAULTS.tanh.values.b, c: 3 });
    expect(buildSaturationSpec('hill', { K: undefined })).toEqual({ kind: 'hill', K: 0.5, S: 2 });
    const spec = buildSaturationSpec('hill');
    spec.K = 0.9;
    expect(buildSaturationSpec('hill').K).toBe(0.5);
    expect(Object.isFrozen(spec)).toBe(false);
  });

  it('rejects a parameter that is not a finite number > 0, naming it and its range', () => {
    const bad: unknown[] = [0, -1, NaN, Infinity, -Infinity, '1', null];
    for (const k of KINDS) {
      for (const name of SATURATION_PARAMETER_NAMES[k]) {
        for (const value of bad) {
          const e = thrown(() => buildSaturationSpec(k, { [name]: value } as never));
          expect(e.code).toBe(TRANSFORM_PARAMETER_ERROR_CODE);
          expect(e.parameter).toBe(name);
          expect(e.value).toBe(value);
          expect(e.message).toMatch(new RegExp(`^buildSaturationSpec: ${name} = .* is invalid; expected a finite number > 0 \\(`));
        }
      }
    }
    expect(thrown(() => buildSaturationSpec('hill', { K: 0 })).message).toBe(
      'buildSaturationSpec: K = 0 is invalid; expected a finite number > 0 (the half-saturation point, h(K) = 0.5).',
    );
    expect(thrown(() => buildSaturationSpec('tanh', { b: 1, c: -2 })).message).toContain('c = -2 is invalid');
  });

  it('rejects an unknown kind, a parameter of another kind and a non-object params', () => {
    const e = thrown(() => buildSaturationSpec('root' as SaturationKind));
    expect(e.parameter).toBe('kind');
    expect(e.value).toBe('root');
    expect(e.message).toContain("expected one of 'hill', 'logistic', 'michaelis_menten', 'tanh'");
    thrown(() => buildSaturationSpec(undefined as unknown as SaturationKind));
    thrown(() => buildSaturationSpec('__proto__' as SaturationKind));

    const wrong = thrown(() => buildSaturationSpec('logistic', { lambda: 2 } as never));
    expect(wrong.parameter).toBe('lambda');
    expect(wrong.message).toContain('logistic has parameters lam');
    const other = thrown(() => buildSaturationSpec('hill', { K: 0.5, S: 2, lam: 1 } as never));
    expect(other.parameter).toBe('lam');

    for (const params of [null, 3, 'K', [0.5, 2]]) {
      expect(thrown(() => buildSaturationSpec('hill', params as never)).parameter).toBe('params');
    }
  });
});
