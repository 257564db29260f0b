import { mkdtemp } from 'node:fs/promises';
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

export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'tributary-cli-'));
}
