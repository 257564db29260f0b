import { describe, expect, it } from 'vitest';
import { formatGroundTruth, generateScenario, scenarioPreset } from '../src/index.js';

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

  it('does not touch the preset it was given', () => {
    const config = scenarioPreset('volta');
    const before = JSON.stringify(config);
    generateScenario(config, 1);
    expect(JSON.stringify(config)).toBe(before);
  });
});
