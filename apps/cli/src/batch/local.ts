// `tributary batch` without --queue: up to `parallel` jobs at a time on this machine, each the
// ordinary command in its own process (child.ts), retried up to `attempts` times unless it failed
// in a way a rerun cannot fix. Each line a job prints is passed on with its name in front: its
// stdout to stdout, its stderr to stderr. Ctrl-C stops the running jobs (each gets one SIGINT and
// leaves no half-written output) and starts no more.
import type { CliIo } from '../io.js';
import { describeFailure, isRetryable, startJob, type JobProcess } from './child.js';
import type { BatchJob, JobFile } from './jobs.js';
import { BatchProgress } from './progress.js';

export async function runLocal(jobFile: JobFile, options: { parallel: number; attempts: number; io: CliIo }): Promise<number> {
  const { io, attempts } = options;
  const progress = new BatchProgress(io, jobFile.jobs.map((j) => j.name), attempts);
  const pending = [...jobFile.jobs];
  const running = new Map<string, JobProcess>();
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
    io.err(`\nInterrupted: stopping ${running.size} running job(s) (${[...running.keys()].join(', ') || 'none'}); their outputs are not written, and no other job starts.\n`);
    for (const p of running.values()) p.stop();
  };
  process.on('SIGINT', onSigint);

  const runJob = async (job: BatchJob) => {
    for (let attempt = 1; ; attempt++) {
      progress.running(job.name, attempt);
      const child = startJob(job, jobFile.dir, (stream, line) => (stream === 'stdout' ? io.out : io.err)(`[${job.name}] ${line}\n`));
      running.set(job.name, child);
      const r = await child.done;
      running.delete(job.name);
      if (r.code === 0) return progress.done(job.name, attempt, r.seconds);
      if (interrupted) return progress.failed(job.name, attempt, 'interrupted (Ctrl-C)');
      const reason = describeFailure(r);
      if (attempt >= attempts || !isRetryable(r)) return progress.failed(job.name, attempt, reason);
      progress.retrying(job.name, attempt, reason);
    }
  };
  const lane = async () => {
    for (let job = pending.shift(); job !== undefined && !interrupted; job = pending.shift()) await runJob(job);
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.parallel, pending.length) }, lane));
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  return progress.finish(`Batch ${jobFile.file}`, interrupted, 'not started');
}
