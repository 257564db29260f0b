import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../src/io.js';
import { main } from '../src/main.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output. */
export async function run(argv: string[], cwd: string): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), isTty: false, cwd };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const created: string[] = [];

/** A new temporary folder, removed by `removeTempDirs` after the test file (test/setup.ts). */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-cli-'));
  created.push(dir);
  return dir;
}

/** Removes every folder `tempDir` made in this test file (permissions restored first). */
export async function removeTempDirs(): Promise<void> {
  const dirs = created.splice(0);
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
}
