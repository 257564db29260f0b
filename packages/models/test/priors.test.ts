/**
 * Prior defaults (model-spec §5), JSON/YAML prior files validated with zod, and error messages
 * that name the offending key.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEFAULT_PRIORS, PRIOR_KEYS, PriorsError, buildModel, loadPriors, parsePriors } from '../src/index.js';
import { tinyPanel } from './tiny.js';

describe('priors', () => {
  test('defaults are model-spec §5', () => {
    expect(DEFAULT_PRIORS).toEqual({
      alpha_mu: { normal: [0.5, 0.5] },
      alpha_sigma: { half_normal: 0.2 },
      delta: { normal: [0, 0.5] },
      gamma: { normal: [0, 0.2] },
      gamma_control: { normal: [0, 0.5] },
      beta_log_mu: { normal: [Math.log(0.15), 1] },
      beta_sigma: { half_normal: 0.5 },
      sigma: { half_normal: 0.3 },
      student_t_nu: 5,
      adstock_alpha_concentration: 20,
      sat_K_sd: 0.3,
      sat_S_sd: 0.3,
      roas: {},
      tv_sigma: { half_normal: 0.1 },
    });
    expect(Object.keys(PRIOR_KEYS).sort()).toEqual(Object.keys(DEFAULT_PRIORS).sort());
  });

  test('ROAS priors: per channel, optionally per market; bad forms name the key', () => {
    const p = parsePriors('roas:\n  meta_spend: { mean: 2, sd: 1, markets: { DE: { mean: 3, sd: 0.5 } } }\n', 'yaml');
    expect(p.roas).toEqual({ meta_spend: { mean: 2, sd: 1, markets: { DE: { mean: 3, sd: 0.5 } } } });
    expect(() => parsePriors('{"roas": {"meta_spend": {"mean": 0, "sd": 1}}}', 'json')).toThrow(/prior "roas" must be/);
    expect(() => parsePriors('{"roas": {"meta_spend": {"mean": 2}}}', 'json')).toThrow(/roas\.meta_spend\.sd/);
    expect(() => parsePriors('{"roas": {"meta_spend": {"mean": 2, "sd": 1, "median": 2}}}', 'json')).toThrow(/roas/);
  });

  test('YAML and JSON files override some keys and keep the rest', () => {
    const yaml = parsePriors('sigma: { half_normal: 0.5 }\nbeta_log_mu:\n  normal: [-2, 0.5]\nstudent_t_nu: 4\n', 'yaml');
    expect(yaml.sigma).toEqual({ half_normal: 0.5 });
    expect(yaml.beta_log_mu).toEqual({ normal: [-2, 0.5] });
    expect(yaml.student_t_nu).toBe(4);
    expect(yaml.alpha_mu).toEqual(DEFAULT_PRIORS.alpha_mu);
    const json = parsePriors('{"alpha_sigma": {"half_normal": 0.1}}', 'json');
    expect(json.alpha_sigma).toEqual({ half_normal: 0.1 });
    expect(parsePriors('', 'yaml')).toEqual(DEFAULT_PRIORS);
  });

  test('a bad key is an error naming the key', () => {
    expect(() => parsePriors('alpah_mu: { normal: [0, 1] }', 'yaml')).toThrow(PriorsError);
    expect(() => parsePriors('alpah_mu: { normal: [0, 1] }', 'yaml')).toThrow(/unknown prior key "alpah_mu" \(did you mean "alpha_mu"\?\)/);
    try {
      parsePriors('{"sigma": {"normal": [0, 1]}}', 'json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PriorsError);
      expect((error as PriorsError).key).toBe('sigma');
      expect((error as Error).message).toMatch(/prior "sigma" must be \{ half_normal: sd \}/);
    }
    expect(() => parsePriors('beta_sigma: { half_normal: -1 }', 'yaml')).toThrow(/"beta_sigma"/);
    expect(() => parsePriors('gamma: { normal: [0] }', 'yaml')).toThrow(/"gamma"/);
    expect(() => parsePriors('[1, 2]', 'yaml')).toThrow(PriorsError);
    expect(() => parsePriors('{', 'json')).toThrow(/not valid JSON/);
  });

  test('loadPriors reads .json and .yaml files and names the file in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'priors-'));
    writeFileSync(join(dir, 'p.yaml'), 'sat_K_sd: 0.5\n');
    writeFileSync(join(dir, 'p.json'), '{"sat_S_sd": 0.2}');
    writeFileSync(join(dir, 'bad.yml'), 'delta: 3\n');
    expect(loadPriors(join(dir, 'p.yaml')).sat_K_sd).toBe(0.5);
    expect(loadPriors(join(dir, 'p.json')).sat_S_sd).toBe(0.2);
    expect(() => loadPriors(join(dir, 'bad.yml'))).toThrow(/bad\.yml.*"delta"/);
    expect(() => loadPriors(join(dir, 'missing.yaml'))).toThrow(/could not be read/);
  });

  test('priors reach the log density', () => {
    const panel = tinyPanel();
    const a = buildModel(panel, { kind: 'pooled' });
    const b = buildModel(panel, { kind: 'pooled', priors: { sigma: { half_normal: 0.6 } } });
    const theta = new Float64Array(a.dim);
    theta[8] = Math.log(0.2); // sigma
    // −½(σ/0.3)² vs −½(σ/0.6)²
    expect(b.logDensity(theta) - a.logDensity(theta)).toBeCloseTo(0.5 * (0.2 / 0.3) ** 2 - 0.5 * (0.2 / 0.6) ** 2, 12);
    expect(() => buildModel(panel, { kind: 'pooled', priors: { sigma: { half_normal: 0 } } })).toThrow(/"sigma"/);
  });
});
