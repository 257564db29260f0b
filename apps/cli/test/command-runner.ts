// Runs one command in-process, mapping errors to exit codes the way main() does (typed error →
// 1, usage error → 2). Used by the evaluate and compare tests, which do not need main()'s
// command list.
import { CliUsageError, parseCommandArgs, type CommandSpec } from '../src/command.js';
import type { CliIo } from '../src/io.js';
import type { RunResult } from './helpers.js';

export async function runCommand(command: CommandSpec, argv: string[], cwd: string): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), isTty: false, cwd };
  try {
    const code = await command.run(parseCommandArgs(command, argv), io);
    return { code, stdout, stderr };
  } catch (e) {
    if (e instanceof CliUsageError) return { code: 2, stdout, stderr: stderr + e.message };
    if (e instanceof Error && typeof (e as { code?: unknown }).code === 'string') return { code: 1, stdout, stderr: stderr + e.message };
    throw e;
  }
}
