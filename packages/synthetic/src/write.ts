// Writing a generated scenario to disk, atomically.
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { formatGroundTruth, type GeneratedScenario } from './generate.js';

/** File name of the ground truth next to the CSV. */
export const GROUND_TRUTH_FILE = 'ground_truth.json';

/** File name of a scenario's CSV: `<scenario>_marketing.csv`. */
export function scenarioCsvFileName(scenario: string): string {
  return `${scenario}_marketing.csv`;
}

/**
 * Writes `<scenario>_marketing.csv` and `ground_truth.json` into `outDir` (created if needed).
 * Both files are first written into a temporary folder next to `outDir` (same file system), then
 * renamed into place, so a reader never sees a partly written file.
 */
export async function writeScenario(
  result: GeneratedScenario,
  outDir: string,
): Promise<{ csvPath: string; truthPath: string }> {
  const dir = resolve(outDir);
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const tmp = await mkdtemp(join(parent, `.${basename(dir)}-tmp-`));
  try {
    const csvName = scenarioCsvFileName(result.groundTruth.scenario);
    await writeFile(join(tmp, csvName), result.csv, 'utf8');
    await writeFile(join(tmp, GROUND_TRUTH_FILE), formatGroundTruth(result.groundTruth), 'utf8');
    await mkdir(dir, { recursive: true });
    const csvPath = join(dir, csvName);
    const truthPath = join(dir, GROUND_TRUTH_FILE);
    await rename(join(tmp, csvName), csvPath);
    await rename(join(tmp, GROUND_TRUTH_FILE), truthPath);
    return { csvPath, truthPath };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
