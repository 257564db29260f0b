// Writing a generated scenario to disk, atomically.
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { formatGroundTruth, type GeneratedScenario } from './generate.js';
import { LIFT_TESTS_FILE } from './lift.js';

/** File name of the ground truth next to the CSV. */
export const GROUND_TRUTH_FILE = 'ground_truth.json';

/** File name of the true effect multiplier m(t) of a scenario with a drifting effect. */
export const MULTIPLIER_FILE = 'truth_multiplier.csv';

/** File name of a scenario's CSV: `<scenario>_marketing.csv`. */
export function scenarioCsvFileName(scenario: string): string {
  return `${scenario}_marketing.csv`;
}

/** Paths written by {@link writeScenario}. */
export interface WrittenScenario {
  readonly csvPath: string;
  readonly truthPath: string;
  /** `lift_tests.csv`, when the scenario has lift tests. */
  readonly liftTestsPath?: string;
  /** `truth_multiplier.csv`, when the scenario has a drifting effect. */
  readonly multiplierPath?: string;
}

/**
 * Writes `<scenario>_marketing.csv` and `ground_truth.json` into `outDir` (created if needed), and
 * `lift_tests.csv` / `truth_multiplier.csv` when the scenario has them. The files are first
 * written into a temporary folder next to `outDir` (same file system), then renamed into place,
 * so a reader never sees a partly written file.
 */
export async function writeScenario(result: GeneratedScenario, outDir: string): Promise<WrittenScenario> {
  const dir = resolve(outDir);
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const tmp = await mkdtemp(join(parent, `.${basename(dir)}-tmp-`));
  try {
    const files: [string, string][] = [
      [scenarioCsvFileName(result.groundTruth.scenario), result.csv],
      [GROUND_TRUTH_FILE, formatGroundTruth(result.groundTruth)],
    ];
    if (result.liftTestsCsv !== undefined) files.push([LIFT_TESTS_FILE, result.liftTestsCsv]);
    if (result.multiplierCsv !== undefined) files.push([MULTIPLIER_FILE, result.multiplierCsv]);
    for (const [name, text] of files) await writeFile(join(tmp, name), text, 'utf8');
    await mkdir(dir, { recursive: true });
    for (const [name] of files) await rename(join(tmp, name), join(dir, name));
    return {
      csvPath: join(dir, files[0]![0]),
      truthPath: join(dir, GROUND_TRUTH_FILE),
      ...(result.liftTestsCsv !== undefined ? { liftTestsPath: join(dir, LIFT_TESTS_FILE) } : {}),
      ...(result.multiplierCsv !== undefined ? { multiplierPath: join(dir, MULTIPLIER_FILE) } : {}),
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
