// `tributary worker --queue redis://HOST:PORT/QUEUE`: takes the jobs of `tributary batch --queue`
// from one BullMQ queue and runs each as the ordinary command in its own process (child.ts), in
// the job file's folder, which this machine must see at the same path as the batch's.
//
// BullMQ's documented patterns it follows (docs.bullmq.io: guide/workers, guide/jobs/stalled,
// guide/workers/graceful-shutdown, guide/workers/cancelling-jobs):
// - a Worker with `concurrency` jobs at a time; the processor only awaits the job's process, so
//   the event loop stays free and BullMQ renews each job's lock every lockDuration / 2 for as long
//   as the command runs, however long a fit takes;
// - stalled jobs: a worker killed mid-job stops renewing the lock; after `lockDuration` the lock
//   expires and the stalled checker of any other worker (every `stalledInterval`) puts the job back
//   in the queue, where another worker takes it. Both are options here (defaults: BullMQ's 30 s),
//   so a test can use a few seconds; `maxStalledCount` is MAX_ATTEMPTS, because the bound that
//   counts is the job's own (below);
// - a failing command throws, so BullMQ retries it with the job's attempts and backoff; a failure
//   that a rerun cannot change (exit 2 or 3, or versions that differ from the batch's) throws
//   UnrecoverableError, which BullMQ does not retry;
// - graceful shutdown: the first SIGINT/SIGTERM calls worker.close(), which takes no new job and
//   waits for the running ones; a second one cancels them (the processor's AbortSignal, BullMQ's
//   cancellation API), which stops each command with SIGINT; their jobs go back to the queue.
// Deviations:
// - the processor refuses to start a job beyond its `attempts` starts (`job.attemptsStarted`), so a
//   job whose workers keep getting killed ends failed, by name, instead of stalling forever or
//   counting stalls apart from failures;
// - when a lock renewal fails (this worker was cut off from Redis long enough for the job to be
//   handed on), the command is stopped at once (cancelJob) rather than left to finish a job another
//   worker now runs; and the command itself stops when this worker dies (child.ts).
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { CliIo } from '../io.js';
import { cliVersion } from '../util/versions.js';
import { describeFailure, isRetryable, startJob } from './child.js';
import { MAX_ATTEMPTS, openRedis, QUEUE_PREFIX, type JobResult, type QueuedJob, type QueueTarget } from './queue.js';

export interface WorkerOptions {
  target: QueueTarget & { queue: string };
  concurrency: number;
  lockDuration: number;
  stalledInterval: number;
  name?: string;
  io: CliIo;
}

function isQueuedJob(d: unknown): d is QueuedJob {
  const j = d as QueuedJob;
  return (
    typeof j === 'object' && j !== null && typeof j.name === 'string' && typeof j.command === 'string' && Array.isArray(j.args) &&
    j.args.every((a) => typeof a === 'string') && typeof j.cwd === 'string' && typeof j.attempts === 'number'
  );
}

/** Serves the queue until stopped by SIGINT or SIGTERM; returns the exit code. */
export async function runWorker(options: WorkerOptions): Promise<number> {
  const { target, io } = options;
  const name = options.name ?? `${hostname()}-${process.pid}`;
  const where = `${target.url}/${target.queue}`;
  const probe = await openRedis(target, '--queue', 'The worker did not start.');
  probe.disconnect();

  const processor = async (job: Job<QueuedJob, JobResult>, _token: string | undefined, signal?: AbortSignal): Promise<JobResult> => {
    const d = job.data;
    if (!isQueuedJob(d)) throw new UnrecoverableError(`job ${job.id} is not a tributary batch job (queue ${where} is for tributary batch --queue only)`);
    if (d.tributary !== cliVersion() || d.node !== process.version) {
      throw new UnrecoverableError(
        `worker ${name} runs tributary ${cliVersion()} on Node ${process.version}, the batch tributary ${d.tributary} on Node ${d.node}; ` +
          'outputs record both versions, so every worker must run the same ones as the batch',
      );
    }
    const attempt = job.attemptsStarted;
    if (attempt > d.attempts) {
      throw new UnrecoverableError(`started ${attempt - 1} times without finishing (its workers were lost: killed, or cut off from Redis); --attempts ${d.attempts} allows no more`);
    }
    if (!existsSync(d.cwd)) throw new Error(`the job file's folder ${d.cwd} does not exist on worker ${name}; workers must see the batch's files at the same path`);
    const child = startJob(d, d.cwd, (stream, line) => (stream === 'stdout' ? io.out : io.err)(`[${d.name}] ${line}\n`));
    io.err(`worker: ${d.name} attempt ${attempt}/${d.attempts} started, pid ${child.pid}: tributary ${d.command} ${d.args.join(' ')} (in ${d.cwd})\n`);
    const stop = () => child.stop();
    signal?.addEventListener('abort', stop);
    const r = await child.done;
    signal?.removeEventListener('abort', stop);
    if (r.code === 0) {
      io.err(`worker: ${d.name} attempt ${attempt}/${d.attempts} done in ${r.seconds.toFixed(1)} s\n`);
      return { seconds: r.seconds, stdout: r.stdout, worker: name };
    }
    const reason = signal?.aborted ? `stopped on worker ${name}: ${String(signal.reason)}` : `${describeFailure(r)}`;
    io.err(`worker: ${d.name} attempt ${attempt}/${d.attempts} failed: ${reason.split('\n')[0]}\n`);
    if (!signal?.aborted && !isRetryable(r)) throw new UnrecoverableError(reason);
    throw new Error(reason);
  };

  const worker = new Worker<QueuedJob, JobResult>(target.queue, processor, {
    connection: target.connection,
    prefix: QUEUE_PREFIX,
    name,
    concurrency: options.concurrency,
    lockDuration: options.lockDuration,
    stalledInterval: options.stalledInterval,
    maxStalledCount: MAX_ATTEMPTS,
    autorun: false,
  });
  let lastError = '';
  worker.on('error', (e) => {
    if (e.message !== lastError) io.err(`worker: ${e.message}\n`);
    lastError = e.message;
  });
  worker.on('lockRenewalFailed', (ids) => {
    for (const id of ids) {
      io.err(`worker: lost the lock of job ${id} (cut off from Redis too long); stopping it, another worker runs it\n`);
      worker.cancelJob(id, 'lost the job lock');
    }
  });
  let signals = 0;
  let code = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signal === 'SIGINT') code = 130;
    if (signals === 1) {
      io.err(`worker: ${signal}: finishing the running job(s), taking no new one; send it again to stop them (their jobs go back to the queue)\n`);
      void worker.close();
    } else {
      io.err('worker: stopping the running job(s); their jobs go back to the queue\n');
      worker.cancelAllJobs('the worker was stopped');
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    io.err(
      `worker ${name}: serving ${where} (concurrency ${options.concurrency}, lock ${options.lockDuration} ms, stalled check every ${options.stalledInterval} ms); ` +
        'Ctrl-C to stop\n',
    );
    await worker.run();
    return code;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await worker.close();
  }
}
