import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  formatGroundTruth,
  generateScenario,
  GROUND_TRUTH_FILE,
  LIFT_TESTS_FILE,
  MULTIPLIER_FILE,
  scenarioCsvFileName,
  scenarioPreset,
  writeScenario,
} from '../src/index.js';

const root = await mkdtemp(join(tmpdir(), 'tributary-synthetic-'));
afterAll(() => rm(root, { recursive: true, force: true }));

describe('writeScenario', () => {
  const result = generateScenario(scenarioPreset('volta'), 42);

  it('creates the folder and writes volta_marketing.csv and ground_truth.json, leaving no temp folder', async () => {
    const out = join(root, 'a', 'b', 'data');
    const { csvPath, truthPath } = await writeScenario(result, out);
    expect(csvPath).toBe(join(out, 'volta_marketing.csv'));
    expect(truthPath).toBe(join(out, GROUND_TRUTH_FILE));
    expect(await readFile(csvPath, 'utf8')).toBe(result.csv);
    const text = await readFile(truthPath, 'utf8');
    expect(text).toBe(formatGroundTruth(result.groundTruth));
    expect(JSON.parse(text)).toEqual(result.groundTruth);
    expect((await readdir(join(root, 'a', 'b'))).sort()).toEqual(['data']);
    expect((await readdir(out)).sort()).toEqual(['ground_truth.json', 'volta_marketing.csv']);
  });

  it('replaces existing files and keeps other files in the folder', async () => {
    const out = join(root, 'existing');
    await mkdir(out);
    await writeFile(join(out, 'ground_truth.json'), 'old');
    await writeFile(join(out, 'notes.txt'), 'keep');
    const divergent = generateScenario(scenarioPreset('divergent'), 1);
    await writeScenario(divergent, out);
    expect(JSON.parse(await readFile(join(out, 'ground_truth.json'), 'utf8')).scenario).toBe('divergent');
    expect((await readdir(out)).sort()).toEqual(['divergent_marketing.csv', 'ground_truth.json', 'notes.txt']);
    expect((await readdir(root)).filter((e) => e.startsWith('.'))).toEqual([]);
  });

  it('writes lift_tests.csv for a scenario with lift tests and truth_multiplier.csv for one with a drift', async () => {
    const biased = generateScenario(scenarioPreset('biased'), 42);
    const outB = join(root, 'biased');
    const written = await writeScenario(biased, outB);
    expect(written.liftTestsPath).toBe(join(outB, LIFT_TESTS_FILE));
    expect(written.multiplierPath).toBeUndefined();
    expect(await readFile(written.liftTestsPath!, 'utf8')).toBe(biased.liftTestsCsv);
    expect((await readdir(outB)).sort()).toEqual(['biased_marketing.csv', 'ground_truth.json', 'lift_tests.csv']);

    const drift = generateScenario(scenarioPreset('drift'), 42);
    const outD = join(root, 'drift');
    const w = await writeScenario(drift, outD);
    expect(w.multiplierPath).toBe(join(outD, MULTIPLIER_FILE));
    expect(w.liftTestsPath).toBeUndefined();
    expect(await readFile(w.multiplierPath!, 'utf8')).toBe(drift.multiplierCsv);
    expect((await readdir(outD)).sort()).toEqual(['drift_marketing.csv', 'ground_truth.json', 'truth_multiplier.csv']);
    expect((await readdir(root)).filter((e) => e.startsWith('.'))).toEqual([]);
  });

  it('names the CSV after the scenario', () => {
    expect(scenarioCsvFileName('volta')).toBe('volta_marketing.csv');
  });
});
