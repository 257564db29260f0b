// `tributary worker --queue redis://HOST:PORT/QUEUE`: runs the jobs `tributary batch --queue`
// puts on that queue (batch/serve.ts), until stopped with Ctrl-C or SIGTERM.
import { CliUsageError, intOption, type CommandSpec } from '../command.js';
import { parseQueueUrl } from '../batch/queue.js';
import { runWorker } from '../batch/serve.js';

export const workerCommand: CommandSpec = {
  name: 'worker',
  summary: 'Run the jobs of `tributary batch --queue` from a BullMQ queue in Redis, on any machine that shares the job file\'s folder.',
  positionals: [],
  options: {
    queue: { type: 'string', valueName: 'URL', description: 'redis://HOST:PORT/QUEUE, the queue `tributary batch --queue` printed (required).' },
    concurrency: { type: 'string', valueName: 'N', description: 'Jobs at the same time (a fit already uses every core).', default: '1' },
    'lock-duration': {
      type: 'string',
      valueName: 'MS',
      description: 'How long a job stays locked to this worker without a renewal (renewed every MS/2 while its command runs); a killed worker\'s job is handed on after this.',
      default: '30000',
    },
    'stalled-interval': { type: 'string', valueName: 'MS', description: 'How often this worker looks for jobs whose worker was lost.', default: '30000' },
    name: { type: 'string', valueName: 'NAME', description: 'Name shown in the batch\'s progress (default: HOST-PID).' },
  },
  examples: ['tributary worker --queue redis://10.0.0.5:6379/brands-q3', 'tributary worker --queue redis://127.0.0.1:6379/tributary-jobs-1a2b3c4d --concurrency 2'],
  async run(args, io) {
    const v = args.values;
    if (v.queue === undefined) throw new CliUsageError('--queue redis://HOST:PORT/QUEUE is required: the queue the batch printed');
    const target = parseQueueUrl(String(v.queue));
    if (target.queue === undefined) {
      throw new CliUsageError(`--queue ${String(v.queue)} names no queue; add the one tributary batch printed, e.g. --queue ${target.url}/tributary-jobs-1a2b3c4d`);
    }
    const lockDuration = intOption(v['lock-duration'], 'lock-duration', 1000, 24 * 3600 * 1000);
    const stalledInterval = intOption(v['stalled-interval'], 'stalled-interval', 500, 24 * 3600 * 1000);
    return runWorker({
      target: { ...target, queue: target.queue },
      concurrency: intOption(v.concurrency, 'concurrency', 1, 64),
      lockDuration,
      stalledInterval,
      ...(v.name !== undefined ? { name: String(v.name) } : {}),
      io,
    });
  },
};
