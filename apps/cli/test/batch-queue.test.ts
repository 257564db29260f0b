// `tributary batch --queue` with two `tributary worker`s on a real Redis (Debian's redis-server on a
// free local port): one worker is killed with SIGKILL during a job; the job is handed to the other
// worker, every job finishes, and every output is byte-identical to running its command by hand.
//
// redis-server must be installed (scripts/ensure-redis.sh does it in CI): without it this file
// fails, unless TRIBUTARY_SKIP_REDIS=1 says to skip it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
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
    const jobs: [string, string, string[]][] = [
      ['p1', 'fit', [CSV, '--model', 'pooled', '--seed', '21', ...TINY_FIT, '--out', 'q/results']],
      ['u2', 'fit', [CSV, '--model', 'unpooled', '--seed', '22', ...TINY_FIT, '--out', 'q/results']],
      ['p3', 'fit', [CSV, '--model', 'pooled', '--seed', '23', ...TINY_FIT, '--out', 'q/results', '--name', 'p3']],
      ['bt', 'backtest', [CSV, '--model', 'pooled', '--folds', '1', '--horizon', '8', '--seed', '24', ...TINY_FIT, '--out', 'q/bt']],
    ];
    await writeFile(join(dir, 'q.yaml'), jobsYaml(jobs));
    for (const name of ['wA', 'wB']) {
      // Short lock and stalled check, so a lost job is handed on within seconds (defaults: 30 s each).
      workers.push(start(name, process.execPath, [BIN, 'worker', '--queue', url, '--lock-duration', '2000', '--stalled-interval', '500', '--name', name], dir));
    }
    await waitFor('both workers to serve the queue', () => (workers.every((w) => w.output.includes(`worker ${w.name}: serving ${url}`)) ? true : undefined));
    const pending = run(['batch', 'q.yaml', '--queue', url], dir);

    // The first worker to start a job is killed with SIGKILL (only the worker, not its command).
    const victim = await waitFor('a worker to start a job', () => workers.find((w) => /started, pid \d+/.test(w.output)));
    const survivor = workers.find((w) => w !== victim)!;
    const [, job, pid] = /worker: (\S+) attempt 1\/3 started, pid (\d+)/.exec(victim.output)!;
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

    // The reference: each command run by hand in the same folder, into the same places.
    await rename(join(dir, 'q'), join(dir, 'q-queued'));
    for (const [name, command, args] of jobs) {
      const local = spawnSync(process.execPath, [BIN, command, ...args], { cwd: dir, encoding: 'utf8' });
      expect(local.status, `${name}: ${local.stderr}`).toBe(0);
    }
    const compared = await expectSameOutputs(join(dir, 'q-queued'), join(dir, 'q'));
    expect(compared).toBe(3 * 4 + 2); // three fits × 4 files (timing.json apart), backtest.json and scores.csv

    // The other worker stops cleanly on SIGTERM (it takes no new job, its running ones finish).
    survivor.proc.kill('SIGTERM');
    expect(await survivor.exited).toBe(0);
  });

  it('Ctrl-C removes the jobs no worker has started; a queue with unfinished jobs is refused; the default queue is named after the file', async () => {
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
    expect(stderr).toContain('Interrupted: stopped waiting. Removed from the queue (never started): g1, g2.');
    const q = new Queue(queue, { connection: { host: '127.0.0.1', port }, prefix: 'tributary' });
    try {
      expect(await q.getWaitingCount()).toBe(0);
    } finally {
      await q.close();
    }
  });
});
