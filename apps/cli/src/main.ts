// Entry point of the `tributary` command line: dispatches to one command, maps typed errors to
// clear messages and exit codes (1: the input is bad or the work failed; 2: the call was wrong;
// 3: `fit --fail-on` and the verdict reached it; 130: interrupted).
import { CliUsageError, formatHelp, parseCommandArgs, type CommandSpec } from './command.js';
import { backtestCommand } from './commands/backtest.js';
import { batchCommand } from './commands/batch.js';
import { compareCommand } from './commands/compare.js';
import { demoCommand } from './commands/demo.js';
import { evaluateCommand } from './commands/evaluate.js';
import { fitCommand } from './commands/fit.js';
import { generateCommand } from './commands/generate.js';
import { optimizeCommand } from './commands/optimize.js';
import { reportCommand } from './commands/report.js';
import { sbcCommand } from './commands/sbc.js';
import { validateCommand } from './commands/validate.js';
import { workerCommand } from './commands/worker.js';
import type { CliIo } from './io.js';
import { cliVersion } from './util/versions.js';

export const COMMANDS: readonly CommandSpec[] = [
  generateCommand,
  validateCommand,
  fitCommand,
  evaluateCommand,
  compareCommand,
  backtestCommand,
  optimizeCommand,
  reportCommand,
  demoCommand,
  batchCommand,
  workerCommand,
  sbcCommand,
];

export function formatMainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'Usage: tributary <command> [options]',
    '',
    'Hierarchical Bayesian marketing mix modeling.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Run "tributary <command> --help" for the options of a command; "tributary --version" prints the version.',
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(formatMainHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(`tributary ${cliVersion()}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`tributary: unknown command "${name}". Commands: ${COMMANDS.map((c) => c.name).join(', ')}.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(formatHelp(command));
    return 0;
  }
  try {
    return await command.run(parseCommandArgs(command, rest), io);
  } catch (e) {
    if (e instanceof CliUsageError) {
      io.err(`tributary ${command.name}: ${e.message}\nRun "tributary ${command.name} --help" for usage.\n`);
      return 2;
    }
    const code = e instanceof Error ? (e as { code?: unknown }).code : undefined;
    if (code === 'ABORTED') return 130;
    if (e instanceof Error && typeof code === 'string') {
      // A typed error from a package: its message already says what, where and what to do.
      io.err(`tributary ${command.name}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
