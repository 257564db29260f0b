// `tributary batch --queue redis://HOST:PORT[/QUEUE]`: the jobs go on a BullMQ queue in Redis and
// `tributary worker`s (serve.ts), on any machines that see the job file's folder at the same path,
// run them. The batch waits, prints each job's progress, and exits non-zero naming each failed
// job.
//
// What follows BullMQ's documented patterns (docs.bullmq.io: guide/queues, guide/retrying-failing-
// jobs, guide/events, guide/jobs/stalled, guide/workers/graceful-shutdown):
// - one Queue per batch queue name, jobs added with addBulk, each with a custom jobId, `attempts`
//   and an exponential `backoff` (retries of failed attempts are BullMQ's, not ours);
// - progress from QueueEvents (active, delayed = an attempt failed and waits for its retry,
//   stalled, completed, failed = final), the documented way to follow jobs from another process;
// - keys under their own prefix (`tributary:`) instead of BullMQ's default `bull:`, so the batch
//   queues are easy to find and never mix with other BullMQ users of the same Redis.
// Where it deviates, and why:
// - no Job.waitUntilFinished per job: one QueueEvents listener settles every job (one Redis stream
//   reader instead of a listener per job), and its `lastEventId` is the events stream's last id
//   read *before* the jobs are added, so no event between adding and listening can be missed;
// - attempts bound every start of a job, not only failed ones: BullMQ counts a stalled job (its
//   worker was killed) apart from failed attempts (maxStalledCount, a worker option). The job
//   carries its bound and the worker refuses a start beyond it (serve.ts), so `--attempts N` means
//   "run at most N times", whatever ended the earlier runs;
// - the queue name is derived from the job file unless given: two batches never share a queue
//   unless told to, and a batch refuses a queue that still holds unfinished jobs;
// - Ctrl-C does not leave the batch's jobs behind for nobody: the jobs that have not started are
//   removed; the ones running on workers finish (their outputs appear atomically), and are named.
import { createHash, randomBytes } from 'node:crypto';
import { basename, extname } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { TributaryError } from '@tributary/data';
import { CliUsageError } from '../command.js';
import type { CliIo } from '../io.js';
import { cliVersion } from '../util/versions.js';
import type { JobFile } from './jobs.js';
import { BatchProgress } from './progress.js';

/** Prefix of every Redis key of a batch queue. */
export const QUEUE_PREFIX = 'tributary';
/** Upper bound of --attempts (and the worker's maxStalledCount, so BullMQ never fails a job before our bound does). */
export const MAX_ATTEMPTS = 10;
const QUEUE_NAME = /^[A-Za-z0-9._-]{1,100}$/;
const KEEP_SECONDS = 7 * 24 * 3600;

/** What a queued job carries: the command, where to run it, its bound, and the versions that ran the checks. */
export interface QueuedJob {
  batch: string;
  name: string;
  command: string;
  args: string[];
  cwd: string;
  attempts: number;
  tributary: string;
  node: string;
}

/** What a worker returns for a job that exited 0. */
export interface JobResult {
  seconds: number;
  stdout: string[];
  worker: string;
}

/** A parsed --queue: where Redis is, and the queue name (the URL's path) when given. */
export interface QueueTarget {
  /** redis://HOST:PORT (no password), for messages. */
  url: string;
  connection: { host: string; port: number; username?: string; password?: string; tls?: object };
  queue?: string;
}

/** Parses `redis://[USER:PASSWORD@]HOST[:PORT][/QUEUE]` (or rediss:// for TLS). */
export function parseQueueUrl(value: string, flag = '--queue'): QueueTarget {
  const usage = `use redis://HOST:PORT or redis://HOST:PORT/QUEUE-NAME (rediss:// for TLS), e.g. ${flag} redis://127.0.0.1:6379`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliUsageError(`${flag} "${value}" is not a URL; ${usage}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new CliUsageError(`${flag} "${value}" is not a Redis URL; ${usage}`);
  if (url.hostname === '') throw new CliUsageError(`${flag} "${value}" names no host; ${usage}`);
  if (url.search !== '' || url.hash !== '') throw new CliUsageError(`${flag} "${value}": no ?query or #fragment here; ${usage}`);
  const port = url.port === '' ? 6379 : Number(url.port);
  const path = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, ''));
  if (path !== '' && !QUEUE_NAME.test(path)) {
    throw new CliUsageError(`${flag} "${value}": the queue name "${path}" must be 1–100 letters, digits, '.', '_' or '-'; ${usage}`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return {
    url: `${url.protocol}//${url.host}`,
    connection: {
      host,
      port,
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    },
    ...(path !== '' ? { queue: path } : {}),
  };
}

/** The queue of a job file when --queue names none: `tributary-<file stem>-<8 hex of its absolute path>`. */
export function defaultQueueName(file: string): string {
  const stem = basename(file, extname(file)).replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 40);
  return `tributary-${stem}-${createHash('sha256').update(file).digest('hex').slice(0, 8)}`;
}

/** A plain connection, proved by a PING within 5 s; throws QUEUE_UNREACHABLE with what to do. */
export async function openRedis(target: QueueTarget, flag: string, consequence: string): Promise<Redis> {
  const redis = new Redis({ ...target.connection, lazyConnect: true, connectTimeout: 5000, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  let lastError: Error | undefined;
  redis.on('error', (e: Error) => void (lastError = e));
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (e) {
    redis.disconnect();
    const err = (lastError ?? e) as NodeJS.ErrnoException;
    throw new TributaryError(
      'QUEUE_UNREACHABLE',
      `${flag} ${target.url}: cannot reach Redis (${err.code ?? err.message}); start redis-server there (Debian: apt-get install redis-server), or check the host and port. ${consequence}`,
    );
  }
}

/** Runs the job file's jobs through the queue and waits for all of them. */
export async function runQueued(jobFile: JobFile, options: { target: QueueTarget; attempts: number; io: CliIo }): Promise<number> {
  const { target, attempts, io } = options;
  const name = target.queue ?? defaultQueueName(jobFile.file);
  const where = `${target.url}/${name}`;
  const redis = await openRedis(target, '--queue', 'No job was queued.');
  const queue = new Queue<QueuedJob, JobResult>(name, { connection: target.connection, prefix: QUEUE_PREFIX });
  let events: QueueEvents | undefined;
  try {
    const counts = await queue.getJobCounts('active', 'waiting', 'delayed', 'prioritized', 'waiting-children');
    const unfinished = Object.values(counts).reduce((a, b) => a + b, 0);
    if (unfinished > 0) {
      throw new TributaryError(
        'QUEUE_BUSY',
        `--queue ${where} still holds ${unfinished} unfinished job(s) (${Object.entries(counts).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(', ')}) of another batch, ` +
          `or of an earlier run of this one; two batches on one queue would mix. Let its workers finish them, or give this batch its own queue: --queue ${target.url}/OTHER-NAME. No job was queued.`,
      );
    }
    const last = await redis.xrevrange(`${QUEUE_PREFIX}:${name}:events`, '+', '-', 'COUNT', 1);
    events = new QueueEvents(name, { connection: target.connection, prefix: QUEUE_PREFIX, lastEventId: last[0]?.[0] ?? '0-0' });
    await events.waitUntilReady();

    const run = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    const jobIds = new Map(jobFile.jobs.map((j) => [`${run}.${j.name}`, j.name]));
    const progress = new BatchProgress(io, jobFile.jobs.map((j) => j.name), attempts);
    let interrupted = false;
    let wake = () => {};
    const settled = new Promise<void>((resolve) => (wake = resolve));
    // Events are handled one after another (each may read the job first), in the order they came.
    let chain = Promise.resolve();
    const on = (event: string, handle: (jobName: string, jobId: string, args: Record<string, unknown>) => Promise<void> | void) => {
      events!.on(event as 'active', (args: Record<string, unknown>) => {
        const jobId = String(args.jobId);
        const jobName = jobIds.get(jobId);
        if (jobName === undefined) return;
        chain = chain
          .then(() => handle(jobName, jobId, args))
          .catch((e: unknown) => io.err(`batch: reading ${jobName} from the queue: ${(e as Error).message}\n`))
          .then(() => {
            if (progress.finished) wake();
          });
      });
    };
    on('active', async (jobName, jobId) => {
      const job = await queue.getJob(jobId);
      progress.running(jobName, job?.attemptsStarted ?? 1, job?.processedBy);
    });
    on('stalled', (jobName) => progress.lost(jobName));
    on('delayed', async (jobName, jobId) => {
      const job = await queue.getJob(jobId);
      progress.retrying(jobName, job?.attemptsStarted ?? 1, job?.failedReason ?? 'failed');
    });
    on('completed', (jobName, _jobId, args) => {
      const result = (typeof args.returnvalue === 'string' ? JSON.parse(args.returnvalue) : args.returnvalue) as JobResult | null;
      for (const line of result?.stdout ?? []) io.out(`[${jobName}] ${line}\n`);
      progress.done(jobName, progress.attempt(jobName), result?.seconds);
    });
    on('failed', (jobName, _jobId, args) => progress.failed(jobName, progress.attempt(jobName), String(args.failedReason ?? 'failed')));

    await queue.addBulk(
      jobFile.jobs.map((j) => ({
        name: j.name,
        data: { batch: run, name: j.name, command: j.command, args: j.args, cwd: jobFile.dir, attempts, tributary: cliVersion(), node: process.version },
        opts: {
          jobId: `${run}.${j.name}`,
          attempts,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: { age: KEEP_SECONDS },
          removeOnFail: { age: KEEP_SECONDS },
        },
      })),
    );
    io.err(`batch: queued ${jobFile.jobs.length} job(s) on ${where}; workers run them: tributary worker --queue ${where}\n`);
    const workerCheck = async () => {
      if (!progress.finished && !interrupted && (await queue.getWorkersCount()) === 0) {
        io.err(`batch: no worker is serving ${where} yet; start one (or more) on machines that see ${jobFile.dir}: tributary worker --queue ${where}\n`);
      }
    };
    await workerCheck();
    const workerTimer = setInterval(() => void workerCheck().catch(() => {}), 30_000);
    workerTimer.unref();
    const onSigint = () => {
      interrupted = true;
      wake();
    };
    process.once('SIGINT', onSigint);
    try {
      await settled;
    } finally {
      clearInterval(workerTimer);
      process.removeListener('SIGINT', onSigint);
    }
    if (interrupted) {
      const removed: string[] = [];
      const left: string[] = [];
      for (const [jobId, jobName] of jobIds) {
        const state = await queue.getJobState(jobId);
        if (state === 'completed' || state === 'failed' || state === 'unknown') continue;
        const gone = state !== 'active' && (await queue.remove(jobId).catch(() => 0)) === 1;
        (gone ? removed : left).push(jobName);
      }
      io.err(
        `\nInterrupted: stopped waiting.${removed.length ? ` Removed from the queue (never started): ${removed.join(', ')}.` : ''}` +
          `${left.length ? ` Still running on workers, which finish them and write their outputs: ${left.join(', ')}.` : ''}\n`,
      );
    }
    return progress.finish(`Batch ${jobFile.file} on ${where}`, interrupted, 'not finished');
  } finally {
    await events?.close();
    await queue.close();
    redis.disconnect();
  }
}
