import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatGroundTruth, generateScenario, GROUND_TRUTH_FILE, scenarioCsvFileName, scenarioPreset, writeScenario } from '../src/index.js';

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

  it('names the CSV after the scenario', () => {
    expect(scenarioCsvFileName('volta')).toBe('volta_marketing.csv');
  });
});
