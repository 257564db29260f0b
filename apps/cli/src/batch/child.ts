// Runs one job as the ordinary command in its own process: `node <this CLI's bin.js> COMMAND
// ARGS...` with the job file's folder as working directory, so what it writes is exactly what the
// command writes when typed by hand. Used by the local runner and by `tributary worker`.
//
// - The child gets its own process group (detached), so a Ctrl-C on the terminal reaches only the
//   batch or worker, which then stops each child once with SIGINT (the commands clean up their
//   temporaries on SIGINT) and, if a child is still there after STOP_GRACE_MS, with SIGKILL.
// - A child must not outlive its parent: a worker killed with SIGKILL cannot stop its child, and a
//   child left running would finish the job that BullMQ has meanwhile given to another worker. A
//   preloaded module (node --import, below) checks every 500 ms whether the child was re-parented
//   (its parent is gone) and then interrupts it like a Ctrl-C.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TributaryError } from '@tributary/data';

export const STOP_GRACE_MS = 10_000;
const TAIL_LINES = 200;

/** Preloaded into every job process (main thread only; the sampler's worker threads inherit execArgv). */
const WATCH_PARENT = [
  "import { isMainThread } from 'node:worker_threads';",
  'if (isMainThread) {',
  '  const parent = process.ppid;',
  '  const timer = setInterval(() => {',
  '    if (process.ppid === parent) return;',
  '    clearInterval(timer);',
  "    process.stderr.write('tributary: the batch or worker that started this job is gone; stopping.\\n');",
  "    process.kill(process.pid, 'SIGINT');",
  `    setTimeout(() => process.exit(130), ${STOP_GRACE_MS}).unref();`,
  '  }, 500);',
  '  timer.unref();',
  '}',
].join('\n');

/** This CLI's bin.js: the bundle this module is part of, or (run from source, in tests) the built one. */
export function cliBin(): string {
  const self = fileURLToPath(import.meta.url);
  const bin = basename(dirname(self)) === 'dist' ? join(dirname(self), 'bin.js') : resolve(dirname(self), '..', '..', 'dist', 'bin.js');
  if (!existsSync(bin)) throw new TributaryError('CLI_NOT_BUILT', `${bin} does not exist: the jobs run the built command line; run pnpm build first.`);
  return bin;
}

export interface JobProcessResult {
  /** Exit code; null when the process ended by a signal or could not start. */
  code: number | null;
  signal: NodeJS.Signals | null;
  seconds: number;
  /** The last lines of its stdout and stderr. */
  stdout: string[];
  stderr: string[];
  /** Why it could not start (spawn error), if so. */
  error?: string;
}

export interface JobProcess {
  pid: number | undefined;
  done: Promise<JobProcessResult>;
  /** Interrupts it (SIGINT, then SIGKILL after STOP_GRACE_MS). */
  stop(): void;
}

/** Starts `tributary COMMAND ARGS` in `cwd`; each line it prints is passed to onLine as it comes. */
export function startJob(
  job: { command: string; args: readonly string[] },
  cwd: string,
  onLine: (stream: 'stdout' | 'stderr', line: string) => void,
): JobProcess {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(WATCH_PARENT)}`, cliBin(), job.command, ...job.args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const tails: Record<'stdout' | 'stderr', string[]> = { stdout: [], stderr: [] };
  const streamsClosed = (['stdout', 'stderr'] as const).map(
    (stream) =>
      new Promise<void>((done) => {
        const lines = createInterface({ input: child[stream], crlfDelay: Infinity });
        lines.on('line', (line) => {
          const tail = tails[stream];
          tail.push(line);
          if (tail.length > TAIL_LINES) tail.shift();
          onLine(stream, line);
        });
        lines.on('close', done);
      }),
  );
  let killTimer: NodeJS.Timeout | undefined;
  const done = new Promise<JobProcessResult>((resolveDone) => {
    let spawnError: string | undefined;
    let settled = false;
    const settle = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(killTimer);
      if (!settled) resolveDone(result(code, signal));
      settled = true;
    };
    child.on('error', (e) => {
      spawnError = e.message;
      if (child.pid === undefined) settle(null, null);
    });
    child.on('close', (code, signal) => void Promise.all(streamsClosed).then(() => settle(code, signal)));
    const result = (code: number | null, signal: NodeJS.Signals | null): JobProcessResult => ({
      code,
      signal,
      seconds: (performance.now() - started) / 1000,
      stdout: tails.stdout,
      stderr: tails.stderr,
      ...(spawnError !== undefined ? { error: spawnError } : {}),
    });
  });
  return {
    pid: child.pid,
    done,
    stop() {
      if (child.exitCode !== null || child.signalCode !== null || killTimer !== undefined) return;
      child.kill('SIGINT');
      killTimer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      killTimer.unref();
    },
  };
}

/**
 * Why a run failed: "exit 1", "killed by SIGKILL" or the spawn error, then the command's own error
 * line (the `tributary COMMAND: ...` line its main prints, else its last line on stderr), then the
 * other last lines of its stderr, one a line.
 */
export function describeFailure(r: JobProcessResult, lines = 20): string {
  const how = r.error !== undefined ? `could not start (${r.error})` : r.signal !== null ? `killed by ${r.signal}` : `exit ${r.code}`;
  const tail = r.stderr.slice(-lines).filter((l) => l.trim() !== '');
  const headline = tail.find((l) => l.startsWith('tributary ')) ?? tail[tail.length - 1];
  if (headline === undefined) return how;
  return [`${how}: ${headline}`, ...tail.filter((l) => l !== headline)].join('\n');
}

/**
 * Whether running the job again could end differently. Not after exit 2 (the call was wrong) or 3
 * (fit --fail-on: the verdict of a seeded fit is what it is); after anything else (exit 1 can be
 * a full disk or a lost file system, a signal an out-of-memory kill) it may.
 */
export function isRetryable(r: JobProcessResult): boolean {
  return r.code !== 2 && r.code !== 3;
}
