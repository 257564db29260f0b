import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatGroundTruth, generateScenario, scenarioPreset } from '../src/index.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('seeded generation', () => {
  it('gives byte-identical CSV and ground truth for the same seed', () => {
    const a = generateScenario(scenarioPreset('volta'), 42);
    const b = generateScenario(scenarioPreset('volta'), 42);
    expect(b.csv).toBe(a.csv);
    expect(formatGroundTruth(b.groundTruth)).toBe(formatGroundTruth(a.groundTruth));
  });

  it('gives different data and parameters for different seeds', () => {
    const a = generateScenario(scenarioPreset('volta'), 42);
    const b = generateScenario(scenarioPreset('volta'), 43);
    expect(b.csv).not.toBe(a.csv);
    expect(b.groundTruth.parameters['beta[DE,meta_spend]']).not.toBe(a.groundTruth.parameters['beta[DE,meta_spend]']);
    // Same layout, though: only the draws differ.
    expect(b.rows.map((r) => `${r.country} ${r.date}`)).toEqual(a.rows.map((r) => `${r.country} ${r.date}`));
  });

  it('keeps the draws of a market when another market is removed (one random stream per market and channel)', () => {
    const full = scenarioPreset('volta');
    const without = { ...full, markets: full.markets.filter((m) => m.name !== 'UK') };
    const a = generateScenario(full, 7);
    const b = generateScenario(without, 7);
    const de = (rows: typeof a.rows) => rows.filter((r) => r.country === 'DE').map((r) => r.spend);
    expect(de(b.rows)).toEqual(de(a.rows));
    expect(b.groundTruth.parameters['beta[DE,tiktok_spend]']).toBe(a.groundTruth.parameters['beta[DE,tiktok_spend]']);
    expect(b.groundTruth.parameters['sigma[FR]']).toBe(a.groundTruth.parameters['sigma[FR]']);
  });

  it('keeps the VOLTA files of seed 42 byte for byte (the demo and the docs quote them)', () => {
    const a = generateScenario(scenarioPreset('volta'), 42);
    expect(sha256(a.csv)).toBe('128946e338f87e25ee850ab3c4ed08413076a7df92b44a1be0350ed776b3fcc3');
    expect(sha256(formatGroundTruth(a.groundTruth))).toBe('0886a4534c5f4cb6e474c78ce0fef1474329aebb65360b48ec5859c004211349');
  });

  it.each(['biased', 'drift'] as const)('gives byte-identical files for the same seed and other files for another seed: %s', (name) => {
    const a = generateScenario(scenarioPreset(name), 42);
    const b = generateScenario(scenarioPreset(name), 42);
    const c = generateScenario(scenarioPreset(name), 43);
    expect(b.csv).toBe(a.csv);
    expect(formatGroundTruth(b.groundTruth)).toBe(formatGroundTruth(a.groundTruth));
    expect(b.liftTestsCsv).toBe(a.liftTestsCsv);
    expect(b.multiplierCsv).toBe(a.multiplierCsv);
    expect(c.csv).not.toBe(a.csv);
    if (name === 'biased') {
      expect(a.liftTestsCsv).toBeDefined();
      expect(c.liftTestsCsv).not.toBe(a.liftTestsCsv);
      expect(c.groundTruth.confounder!.z['DE']).not.toEqual(a.groundTruth.confounder!.z['DE']);
    } else {
      // The multiplier is a fixed shape: the same for every seed.
      expect(a.multiplierCsv).toBeDefined();
      expect(c.multiplierCsv).toBe(a.multiplierCsv);
    }
  });

  it('keeps the hidden driver of a market when another market is removed', () => {
    const full = scenarioPreset('biased');
    const without = { ...full, markets: full.markets.filter((m) => m.name !== 'UK'), liftTests: full.liftTests!.filter((l) => l.market !== 'UK') };
    const a = generateScenario(full, 7).groundTruth;
    const b = generateScenario(without, 7).groundTruth;
    expect(b.confounder!.z['DE']).toEqual(a.confounder!.z['DE']);
    expect(b.lift_tests!.find((l) => l.market === 'DE')).toEqual(a.lift_tests!.find((l) => l.market === 'DE'));
  });

  it('does not touch the preset it was given', () => {
    const config = scenarioPreset('volta');
    const before = JSON.stringify(config);
    generateScenario(config, 1);
    expect(JSON.stringify(config)).toBe(before);
  });
});
