// `tributary batch JOBS.yaml`: runs a list of independent jobs, each an ordinary tributary command
// (batch/jobs.ts reads and checks the file), on this machine (`--parallel N` at a time,
// batch/local.ts) or through a BullMQ queue in Redis that `tributary worker`s serve
// (`--queue redis://HOST:PORT[/QUEUE]`, batch/queue.ts). Every check of every job is made before
// the first one starts; progress per job goes to stderr, each job's own output is passed on with
// its name in front, and the exit code is 1 when any job failed, naming each one.
import { resolve } from 'node:path';
import { checkJobs, readJobFile } from '../batch/jobs.js';
import { runLocal } from '../batch/local.js';
import { MAX_ATTEMPTS, parseQueueUrl, runQueued } from '../batch/queue.js';
import { CliUsageError, intOption, type CommandSpec } from '../command.js';
// main.ts imports this module too; COMMANDS is read only when a batch runs, after both loaded.
import { COMMANDS } from '../main.js';

export const batchCommand: CommandSpec = {
  name: 'batch',
  summary: 'Run a list of tributary commands from a YAML file, here (--parallel N) or on BullMQ workers (--queue redis://HOST:PORT).',
  positionals: [{ name: 'JOBS.yaml', description: 'jobs: [{ name, command, args: [...] }]; paths in args resolve against this file\'s folder.', required: true }],
  options: {
    parallel: { type: 'string', valueName: 'N', description: 'Jobs run at the same time on this machine (default: 1; a fit already uses every core).' },
    queue: {
      type: 'string',
      valueName: 'URL',
      description: 'redis://HOST:PORT[/QUEUE]: queue the jobs for `tributary worker --queue` and wait for them (default queue: tributary-<file>-<hash of its path>).',
    },
    attempts: { type: 'string', valueName: 'N', description: `Runs of a job at most, retries included (exit 2 and 3 are not retried), 1 to ${MAX_ATTEMPTS}.`, default: '3' },
  },
  examples: [
    'tributary batch jobs.yaml --parallel 2',
    'tributary batch jobs.yaml --queue redis://10.0.0.5:6379/brands-q3   # then on each machine: tributary worker --queue redis://10.0.0.5:6379/brands-q3',
  ],
  async run(args, io) {
    const v = args.values;
    const attempts = intOption(v.attempts, 'attempts', 1, MAX_ATTEMPTS);
    const target = v.queue === undefined ? undefined : parseQueueUrl(String(v.queue));
    if (target !== undefined && v.parallel !== undefined) {
      throw new CliUsageError('--parallel is for runs on this machine; with --queue, start more workers (or tributary worker --concurrency N)');
    }
    const parallel = v.parallel === undefined ? 1 : intOption(v.parallel, 'parallel', 1, 256);
    const jobFile = await readJobFile(resolve(io.cwd, args.positionals[0]!), COMMANDS);
    await checkJobs(jobFile, COMMANDS);
    return target === undefined ? runLocal(jobFile, { parallel, attempts, io }) : runQueued(jobFile, { target, attempts, io });
  },
};
