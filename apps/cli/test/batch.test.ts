// `tributary batch` on this machine: jobs run as the ordinary commands (the built CLI, a process
// each), --parallel, progress and failures by name, retries, Ctrl-C, determinism of every
// command's output, and every check of the job file made before anything runs.
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectBuiltCli, expectSameOutputs, jobsYaml, TINY_FIT, waitFor } from './batch-helpers.js';
import type { CliIo } from '../src/io.js';
import { main } from '../src/main.js';
import { run, tempDir } from './helpers.js';

let dir: string;
const CSV = 'data/volta_marketing.csv';

beforeAll(async () => {
  expectBuiltCli();
  dir = await tempDir();
  expect((await run(['generate', '--seed', '3', '--out', 'data'], dir)).code).toBe(0);
  expect((await run(['fit', CSV, '--model', 'pooled', '--seed', '1', '--out', 'base', ...TINY_FIT], dir)).code).toBe(0);
});

describe('tributary batch, local', () => {
  it('runs every kind of job, two at a time, and a second run writes byte-identical outputs (all but timing.json)', async () => {
    const folder = join(dir, 'det');
    // Unquoted numbers on purpose: the job file is read with YAML's failsafe schema (strings as written).
    const fit = TINY_FIT.join(', ');
    const yaml = [
      'jobs:',
      '  - name: pooled',
      '    command: fit',
      `    args: [${CSV}, --model, pooled, --seed, 11, ${fit}, --out, det/results]`,
      '  - name: unpooled',
      '    command: fit',
      `    args: [${CSV}, --model, unpooled, --seed, 12, ${fit}, --out, det/results, --name, u12]`,
      '  - name: bt',
      '    command: backtest',
      `    args: [${CSV}, --model, pooled, --folds, 1, --horizon, 8, --seed, 13, ${fit}, --out, det/bt]`,
      '  - name: gen',
      '    command: generate',
      '    args: [--scenario, biased, --seed, 014, --out, det/gen]',
      '  - name: plan',
      '    command: optimize',
      '    args: [base/pooled, --budget, 500000, --out, det/plan.json]',
      '  - name: report',
      '    command: report',
      '    args: [base, --out, det/report.html]',
      '',
    ].join('\n');
    await writeFile(join(dir, 'det.yaml'), yaml);
    const first = await run(['batch', 'det.yaml', '--parallel', '2'], dir);
    expect(first.stderr).toContain('batch: pooled running (attempt 1/3)');
    expect(first.stderr).toMatch(/batch: report done in \d+\.\d s \(attempt 1\/3\)/);
    expect(first.stdout).toContain(`[pooled] pooled: wrote ${join(folder, 'results', 'pooled')}`);
    expect(first.stdout).toMatch(/det\.yaml: 6 done, 0 failed, 0 not finished/);
    expect(first.code, first.stderr).toBe(0);
    const outputs = ['results', 'bt', 'gen', 'plan.json', 'report.html'];
    expect((await readdir(folder)).sort()).toEqual([...outputs].sort());
    expect((await readdir(join(folder, 'results'))).sort()).toEqual(['pooled', 'u12']);
    expect((await readFile(join(folder, 'gen', 'biased_marketing.csv'), 'utf8')).length).toBeGreaterThan(1000);
    await rename(folder, join(dir, 'det-first'));
    const second = await run(['batch', 'det.yaml', '--parallel', '2'], dir);
    expect(second.code, second.stderr).toBe(0);
    const compared = await expectSameOutputs(join(dir, 'det-first'), folder);
    expect(compared).toBeGreaterThanOrEqual(2 * 4 + 2 + 3 + 2); // 2 fits × 4 files, backtest, data set, plan, report
  });

  it('names each failed job, retries what a rerun can fix (not exit 3), and keeps the other jobs\' outputs', async () => {
    await writeFile(
      join(dir, 'fail.yaml'),
      jobsYaml([
        ['ok', 'generate', ['--seed', '5', '--out', 'fail/ok']],
        ['badcol', 'fit', [CSV, '--target', 'revenue', '--out', 'fail/badcol', ...TINY_FIT]],
        ['verdict', 'fit', [CSV, '--model', 'pooled', '--fail-on', 'warning', '--out', 'fail/verdict', ...TINY_FIT]],
      ]),
    );
    const res = await run(['batch', 'fail.yaml', '--attempts', '2', '--parallel', '3'], dir);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/batch: badcol attempt 1\/2 failed after \d+\.\d s \(exit 1: tributary fit: Invalid data: 1 problem found\.\); retrying/);
    expect(res.stderr).toMatch(/batch: badcol FAILED \(attempt 2\/2\): exit 1: tributary fit: Invalid data: 1 problem found\.\n {2} +line 1, column revenue/);
    expect(res.stderr).toMatch(/batch: verdict FAILED \(attempt 1\/2\): exit 3: tributary fit: a verdict is bad/); // not retried: the verdict of a seeded fit is what it is
    expect(res.stderr).toContain('[badcol] ');
    expect(res.stderr).toMatch(/tributary batch: 2 of 3 jobs failed: (badcol, verdict|verdict, badcol)/);
    expect(res.stdout).toMatch(/ok +done/);
    await expect(stat(join(dir, 'fail', 'ok', 'ground_truth.json'))).resolves.toBeTruthy();
    await expect(stat(join(dir, 'fail', 'verdict', 'pooled', 'manifest.json'))).resolves.toBeTruthy(); // exit 3 writes the results
    await expect(stat(join(dir, 'fail', 'badcol'))).rejects.toThrow();
  });

  it('a job whose earlier attempt died mid-write is not stopped by that attempt\'s temporary, which goes', async () => {
    // What a killed attempt leaves: its pid (a real process, now gone) in a half-written temporary.
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    const out = join(dir, 'retry', 'results');
    const stale = join(out, `.pooled.tmp-${gone}-0a1b2c3d`);
    await mkdir(stale, { recursive: true });
    await writeFile(join(stale, 'manifest.json'), '{"tributary_results_version": 1, "half');
    await writeFile(join(dir, 'retry.yaml'), jobsYaml([['again', 'fit', [CSV, '--model', 'pooled', '--out', 'retry/results', ...TINY_FIT]]]));
    const res = await run(['batch', 'retry.yaml'], dir);
    expect(res.code, res.stderr).toBe(0);
    expect(await readdir(out)).toEqual(['pooled']);
  });

  it('Ctrl-C stops the running jobs (nothing half-written) and starts no more', async () => {
    const long = ['--chains', '2', '--warmup', '3000', '--draws', '3000', '--parallel', '0', '--quiet'];
    await writeFile(
      join(dir, 'stop.yaml'),
      jobsYaml([
        ['first', 'fit', [CSV, '--model', 'hierarchical', '--out', 'stop/first', ...long]],
        ['second', 'generate', ['--out', 'stop/second']],
      ]),
    );
    let stderr = '';
    const io: CliIo = { out: () => {}, err: (t) => void (stderr += t), isTty: false, cwd: dir };
    const pending = main(['batch', 'stop.yaml'], io);
    await waitFor('the first job to start', () => (stderr.includes('batch: first running') ? true : undefined));
    await new Promise((r) => setTimeout(r, 1500)); // into the sampler
    process.emit('SIGINT');
    const res = { code: await pending, stderr };
    expect(res.code).toBe(130);
    expect(res.stderr).toContain('Interrupted: stopping 1 running job(s) (first)');
    expect(res.stderr).toMatch(/batch: first FAILED \(attempt 1\/3\): interrupted/);
    expect(res.stderr).toContain('tributary batch: interrupted; not started: second.');
    await expect(stat(join(dir, 'stop', 'second'))).rejects.toThrow();
    expect(await readdir(join(dir, 'stop', 'first')).catch(() => [])).toEqual([]); // no half-written results, no temporary
  });
});

describe('tributary batch: every check before any job runs', () => {
  let badFiles = 0;
  /** Runs a batch on `yaml` and expects exit `code` with `message` on stderr and no job started. */
  async function refused(yaml: string | undefined, extra: string[], code: number, message: string | RegExp): Promise<void> {
    const file = `bad-${++badFiles}.yaml`;
    if (yaml !== undefined) await writeFile(join(dir, file), yaml);
    const res = await run(['batch', file, ...extra], dir);
    expect(res.stderr).toMatch(message);
    expect(res.code).toBe(code);
    expect(res.stderr).not.toContain('running (attempt');
    await expect(stat(join(dir, 'never'))).rejects.toThrow();
  }
  const ok: [string, string, string[]] = ['ok', 'generate', ['--out', 'never/gen']];

  it('the file: missing, not YAML, no jobs, unknown keys', async () => {
    await refused(undefined, [], 1, /cannot read the job file .*bad-.*\.yaml \(ENOENT\); check the path/);
    await refused('jobs: [a, b', [], 1, /is not valid YAML/);
    await refused('jobs: []\n', [], 1, /jobs must be a non-empty list of jobs, e\.g\./);
    await refused('- name: a\n', [], 1, /expected a mapping with a list of jobs/);
    await refused('jobs:\n  - name: a\n    command: generate\n    args: []\ntimeout: 3\n', [], 1, /unknown key "timeout" at the top/);
    await refused('jobs:\n  - name: a\n    command: generate\n    arg: []\n', [], 1, /jobs\[0\]: unknown key "arg"; a job has name, command and args/);
  });

  it('each job: name, command and args', async () => {
    await refused('jobs:\n  - command: generate\n    args: []\n', [], 1, /jobs\[0\]: name is missing/);
    await refused(jobsYaml([ok, ['ok', 'generate', ['--out', 'never/b']]]), [], 1, /jobs\[1\] \(ok\): the name "ok" is also the name of jobs\[0\]; names must be unique/);
    await refused(jobsYaml([['a b', 'generate', []]]), [], 1, /jobs\[0\] \(a b\): name must be/);
    await refused(jobsYaml([ok, ['x', 'frobnicate', []]]), [], 1, /jobs\[1\] \(x\): command "frobnicate" is not a tributary command; one of generate, validate, fit/);
    await refused(jobsYaml([['x', 'batch', ['other.yaml']]]), [], 1, /command "batch" cannot run inside a batch/);
    await refused('jobs:\n  - name: x\n    command: generate\n', [], 1, /jobs\[0\] \(x\): args is missing/);
    await refused('jobs:\n  - name: x\n    command: generate\n    args: --seed 1\n', [], 1, /jobs\[0\] \(x\): args must be a list of strings/);
    await refused('jobs:\n  - name: x\n    command: generate\n    args: [--seed, [1]]\n', [], 1, /jobs\[0\] \(x\): args\[1\] is not a single value/);
  });

  it("each job's arguments, by its command's own parser and checks", async () => {
    await refused(jobsYaml([ok, ['f', 'fit', [CSV, '--chainz', '2']]]), [], 1, /job f \(tributary fit\): Unknown option '--chainz'/);
    await refused(jobsYaml([['f', 'fit', []]]), [], 1, /job f \(tributary fit\): missing FILE/);
    await refused(jobsYaml([['f', 'fit', [CSV, '--model', 'mixed']]]), [], 1, /job f \(tributary fit\): --model must be pooled, unpooled, hierarchical or all/);
    await refused(jobsYaml([['g', 'generate', ['--scenario', 'nope', '--out', 'never/g']]]), [], 1, /job g \(tributary generate\): --scenario "nope" is not known/);
    await refused(jobsYaml([['f', 'fit', [CSV, '--help']]]), [], 1, /job f \(tributary fit\): --help is not a job/);
    await refused(jobsYaml([['f', 'fit', ['../elsewhere.csv']]]), [], 1, /job f \(tributary fit\): FILE \.\.\/elsewhere\.csv leaves the job file's folder/);
    await refused(jobsYaml([['f', 'fit', [CSV, '--out', 'never/../../x']]]), [], 1, /--out never\/\.\.\/\.\.\/x leaves the job file's folder/);
    await mkdir(join(dir, 'foreign', 'pooled'), { recursive: true });
    await writeFile(join(dir, 'foreign', 'pooled', 'notes.txt'), 'mine');
    await refused(jobsYaml([ok, ['f', 'fit', [CSV, '--model', 'pooled', '--out', 'foreign']]]), [], 1, /job f \(tributary fit\): --out .*foreign\/pooled exists and is not a Tributary results folder/);
    expect(await readFile(join(dir, 'foreign', 'pooled', 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('two jobs may not write the same output, nor one inside the other', async () => {
    await refused(
      jobsYaml([
        ['a', 'fit', [CSV, '--model', 'pooled', '--out', 'never/r']],
        ['b', 'fit', [CSV, '--model', 'all', '--out', 'never/r']],
      ]),
      [],
      1,
      /jobs a and b both write .*never\/r\/pooled; jobs run at the same time and in any order/,
    );
    await refused(
      jobsYaml([
        ['a', 'fit', [CSV, '--model', 'pooled', '--out', 'never/r']],
        ['b', 'backtest', [CSV, '--out', 'never/r/pooled/bt']],
      ]),
      [],
      1,
      /jobs a and b both write .*never\/r\/pooled and .*never\/r\/pooled\/bt, one inside the other/,
    );
  });

  it('the options: --parallel, --attempts, --queue and Redis out of reach', async () => {
    const yaml = jobsYaml([ok]);
    await refused(yaml, ['--parallel', '0'], 2, /--parallel must be an integer from 1 to 256, got "0"/);
    await refused(yaml, ['--attempts', '11'], 2, /--attempts must be an integer from 1 to 10/);
    await refused(yaml, ['--queue', 'http://127.0.0.1:6379'], 2, /--queue "http:\/\/127\.0\.0\.1:6379" is not a Redis URL; use redis:\/\/HOST:PORT/);
    await refused(yaml, ['--queue', 'redis://127.0.0.1:6379/a:b'], 2, /the queue name "a:b" must be/);
    await refused(yaml, ['--queue', 'redis://127.0.0.1:6379', '--parallel', '2'], 2, /--parallel is for runs on this machine; with --queue, start more workers/);
    // Port 1 on this machine: nothing listens there.
    await refused(yaml, ['--queue', 'redis://127.0.0.1:1/q'], 1, /--queue redis:\/\/127\.0\.0\.1:1: cannot reach Redis \(ECONNREFUSED\); start redis-server there.*No job was queued/);
  });
});

describe('tributary worker: its options', () => {
  it('needs --queue with a queue name, and Redis in reach', async () => {
    const none = await run(['worker'], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--queue redis://HOST:PORT/QUEUE is required');
    const unnamed = await run(['worker', '--queue', 'redis://127.0.0.1:6379'], dir);
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr).toContain('names no queue');
    const lock = await run(['worker', '--queue', 'redis://127.0.0.1:6379/q', '--lock-duration', '10'], dir);
    expect(lock.code).toBe(2);
    expect(lock.stderr).toContain('--lock-duration must be an integer from 1000');
    const away = await run(['worker', '--queue', 'redis://127.0.0.1:1/q'], dir);
    expect(away.code).toBe(1);
    expect(away.stderr).toMatch(/cannot reach Redis \(ECONNREFUSED\).*The worker did not start/);
  });
});
