// `tributary batch --queue` with two `tributary worker`s on a real Redis (Debian's redis-server on a
// free local port): one worker is killed with SIGKILL during a job; the job is handed to the other
// worker, every job finishes, and every output is byte-identical to running its command by hand.
//
// redis-server must be installed (scripts/ensure-redis.sh does it in CI): without it this file
// fails, unless TRIBUTARY_SKIP_REDIS=1 says to skip it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../src/io.js';
import { main } from '../src/main.js';
import { BIN, expectBuiltCli, expectSameOutputs, isRunning, jobsYaml, TINY_FIT, waitFor } from './batch-helpers.js';
import { run, tempDir } from './helpers.js';

const CSV = 'data/volta_marketing.csv';
const REDIS_SERVER = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin']
  .map((d) => join(d, 'redis-server'))
  .find((p) => existsSync(p));
const SKIP = REDIS_SERVER === undefined && process.env.TRIBUTARY_SKIP_REDIS === '1';

interface Proc {
  name: string;
  proc: ChildProcess;
  output: string;
  exited: Promise<number | null>;
}

function start(name: string, command: string, args: string[], cwd: string): Proc {
  const proc = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const p: Proc = { name, proc, output: '', exited: new Promise((resolve) => proc.on('exit', (code) => resolve(code))) };
  proc.stdout!.on('data', (d: Buffer) => void (p.output += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => void (p.output += d.toString()));
  return p;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let dir: string;
let port: number;
let redis: Proc | undefined;
const workers: Proc[] = [];

describe.skipIf(SKIP)('tributary batch --queue and tributary worker, on Redis', () => {
  beforeAll(async () => {
    if (REDIS_SERVER === undefined) {
      throw new Error(
        'redis-server is not installed: install it (bash scripts/ensure-redis.sh, or apt-get install redis-server), or set TRIBUTARY_SKIP_REDIS=1 to skip the queue tests',
      );
    }
    expectBuiltCli();
    dir = await tempDir();
    expect((await run(['generate', '--seed', '3', '--out', 'data'], dir)).code).toBe(0);
    port = await freePort();
    redis = start('redis', REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], dir);
    await waitFor('redis-server to accept connections', () => (redis!.output.includes('Ready to accept connections') ? true : undefined), 15_000);
  });

  afterAll(async () => {
    for (const p of [...workers, redis]) if (p && p.proc.exitCode === null && p.proc.signalCode === null) p.proc.kill('SIGKILL');
  });

  it('a worker killed mid-job loses nothing: the job runs again on the other worker, and every output equals a run by hand', async () => {
    const url = `redis://127.0.0.1:${port}/q-kill`;
    // The first two jobs (the ones the workers take first) run a few seconds, so the kill lands mid-job.
    const longer = ['--chains', '2', '--warmup', '250', '--draws', '100', '--parallel', '0', '--quiet'];
    const jobs: [string, string, string[]][] = [
      ['p1', 'fit', [CSV, '--model', 'pooled', '--seed', '21', ...longer, '--out', 'q/results']],
      ['u2', 'fit', [CSV, '--model', 'unpooled', '--seed', '22', ...longer, '--out', 'q/results']],
      ['p3', 'fit', [CSV, '--model', 'pooled', '--seed', '23', ...TINY_FIT, '--out', 'q/results', '--name', 'p3']],
      ['bt', 'backtest', [CSV, '--model', 'pooled', '--folds', '1', '--horizon', '8', '--seed', '24', ...TINY_FIT, '--out', 'q/bt']],
    ];
    await writeFile(join(dir, 'q.yaml'), jobsYaml(jobs));
    for (const name of ['wA', 'wB']) {
      // Short lock and stalled check, so a lost job is handed on within seconds (defaults: 30 s each).
      workers.push(start(name, process.execPath, [BIN, 'worker', '--queue', url, '--lock-duration', '3000', '--stalled-interval', '500', '--name', name], dir));
    }
    await waitFor('both workers to serve the queue', () => (workers.every((w) => w.output.includes(`worker ${w.name}: serving ${url}`)) ? true : undefined));
    const pending = run(['batch', 'q.yaml', '--queue', url], dir);

    // The first worker to start a job is killed with SIGKILL (only the worker, not its command).
    const victim = await waitFor('a worker to start a job', () => workers.find((w) => /started, pid \d+/.test(w.output)));
    const survivor = workers.find((w) => w !== victim)!;
    const [, job, pid] = /worker: (\S+) attempt 1\/3 started, pid (\d+)/.exec(victim.output)!;
    expect(isRunning(Number(pid)), `${job} had already finished: the kill would not land mid-job`).toBe(true);
    victim.proc.kill('SIGKILL');
    // Its command sees its parent gone and stops, so it cannot race the rerun for the same output.
    await waitFor(`the command of the killed worker (pid ${pid}) to stop`, () => (isRunning(Number(pid)) ? undefined : true), 10_000);

    const res = await pending;
    expect(res.code, `${res.stderr}\n--- ${survivor.name}:\n${survivor.output}`).toBe(0);
    expect(res.stderr).toContain(`batch: ${job} running (attempt 1/3, on ${victim.name})`);
    expect(res.stderr).toContain(`batch: ${job} attempt 1/3 lost: its worker stopped renewing the job's lock`);
    expect(res.stderr).toContain(`batch: ${job} running (attempt 2/3, on ${survivor.name})`);
    expect(res.stderr).toMatch(new RegExp(`batch: ${job} done in \\d+\\.\\d s \\(attempt 2/3\\)`));
    expect(res.stdout).toMatch(/q\.yaml on redis:\/\/127\.0\.0\.1:\d+\/q-kill: 4 done, 0 failed, 0 not finished/);
    expect(res.stdout).toContain(`[p1] pooled: wrote ${join(dir, 'q', 'results', 'pooled')}`); // each job's own output, passed on

    // The reference: each command run by hand (all at once) in the same folder, into the same places.
    await rename(join(dir, 'q'), join(dir, 'q-queued'));
    await Promise.all(
      jobs.map(async ([name, command, args]) => {
        const local = start(name, process.execPath, [BIN, command, ...args], dir);
        expect(await local.exited, `${name}: ${local.output}`).toBe(0);
      }),
    );
    const compared = await expectSameOutputs(join(dir, 'q-queued'), join(dir, 'q'));
    expect(compared).toBe(3 * 4 + 2); // three fits × 4 files (timing.json apart), backtest.json and scores.csv

    // The other worker stops cleanly on SIGTERM (it takes no new job, its running ones finish).
    survivor.proc.kill('SIGTERM');
    expect(await survivor.exited).toBe(0);
  });

  it('--attempts bounds every run of a job, lost ones too: a job whose only allowed run died with its worker fails, named', async () => {
    const url = `redis://127.0.0.1:${port}/q-bound`;
    const longer = ['--chains', '2', '--warmup', '250', '--draws', '100', '--parallel', '0', '--quiet'];
    await writeFile(join(dir, 'bound.yaml'), jobsYaml([['once', 'fit', [CSV, '--model', 'pooled', ...longer, '--out', 'bound']]]));
    const pair = ['wC', 'wD'].map((name) =>
      start(name, process.execPath, [BIN, 'worker', '--queue', url, '--lock-duration', '3000', '--stalled-interval', '500', '--name', name], dir),
    );
    workers.push(...pair);
    await waitFor('both workers to serve the queue', () => (pair.every((w) => w.output.includes(`worker ${w.name}: serving ${url}`)) ? true : undefined));
    const pending = run(['batch', 'bound.yaml', '--queue', url, '--attempts', '1'], dir);
    const victim = await waitFor('a worker to start the job', () => pair.find((w) => /started, pid \d+/.test(w.output)));
    victim.proc.kill('SIGKILL');
    const res = await pending;
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('batch: once attempt 1/1 lost');
    expect(res.stderr).toMatch(/batch: once FAILED \(attempt 1\/1\): ran 1 time, the last run lost with its worker \(killed, or cut off from Redis\); --attempts 1 allows no more/);
    expect(res.stderr).toContain('tributary batch: 1 of 1 jobs failed: once');
    const other = pair.find((w) => w !== victim)!;
    other.proc.kill('SIGTERM');
    expect(await other.exited).toBe(0);
  });

  it('a failing job is retried up to --attempts, then named; exit 3 is not retried; the other jobs finish', async () => {
    const url = `redis://127.0.0.1:${port}/q-fail`;
    await writeFile(
      join(dir, 'qfail.yaml'),
      jobsYaml([
        ['badcol', 'fit', [CSV, '--target', 'revenue', '--out', 'qfail/badcol', ...TINY_FIT]],
        ['verdict', 'fit', [CSV, '--model', 'pooled', '--fail-on', 'warning', '--out', 'qfail/verdict', ...TINY_FIT]],
        ['ok', 'generate', ['--out', 'qfail/ok']],
      ]),
    );
    const worker = start('wF', process.execPath, [BIN, 'worker', '--queue', url, '--name', 'wF'], dir);
    workers.push(worker);
    const res = await run(['batch', 'qfail.yaml', '--queue', url, '--attempts', '2'], dir);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/batch: badcol attempt 1\/2 failed after \d+\.\d s \(exit 1: tributary fit: Invalid data: 1 problem found\.\); retrying/);
    expect(res.stderr).toContain('batch: badcol running (attempt 2/2, on wF)');
    expect(res.stderr).toMatch(/batch: badcol FAILED \(attempt 2\/2\): exit 1: tributary fit: Invalid data: 1 problem found\.\n {2} +line 1, column revenue/);
    expect(res.stderr).toMatch(/batch: verdict FAILED \(attempt 1\/2\): exit 3: tributary fit: a verdict is bad/);
    expect(res.stderr).toMatch(/tributary batch: 2 of 3 jobs failed: (badcol, verdict|verdict, badcol)/);
    expect(res.stdout).toMatch(/ok +done/);
    worker.proc.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  });

  it('Ctrl-C removes the jobs not running on a worker; a queue with unfinished jobs is refused; the default queue is named after the file', async () => {
    const url = `redis://127.0.0.1:${port}`;
    await writeFile(join(dir, 'lonely.yaml'), jobsYaml([['g1', 'generate', ['--out', 'lonely/g1']], ['g2', 'generate', ['--out', 'lonely/g2']]]));
    let stderr = '';
    const io: CliIo = { out: () => {}, err: (t) => void (stderr += t), isTty: false, cwd: dir };
    const pending = main(['batch', 'lonely.yaml', '--queue', url], io);
    // No worker serves this file's queue: the batch says so, and how to start one.
    const queue = await waitFor('the batch to ask for a worker', () => /no worker is serving redis:\/\/127\.0\.0\.1:\d+\/(tributary-lonely-[0-9a-f]{8}) yet/.exec(stderr)?.[1]);
    expect(stderr).toContain(`tributary worker --queue ${url}/${queue}`);

    const busy = await run(['batch', 'lonely.yaml', '--queue', url], dir);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain(`--queue ${url}/${queue} still holds 2 unfinished job(s) (2 waiting) of another batch, or of an earlier run of this one`);
    expect(busy.stderr).not.toContain('batch: queued');

    process.emit('SIGINT');
    expect(await pending).toBe(130);
    expect(stderr).toContain('Interrupted: stopped waiting. Removed from the queue (not running on a worker): g1, g2.');
    const q = new Queue(queue, { connection: { host: '127.0.0.1', port }, prefix: 'tributary' });
    try {
      expect(await q.getWaitingCount()).toBe(0);
    } finally {
      await q.close();
    }
  });
});
