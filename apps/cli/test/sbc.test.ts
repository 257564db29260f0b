// `tributary sbc` end to end on a tiny run (pooled, 2 markets × 20 weeks × 2 channels, 4
// replicates, short chains): sbc.json has the documented shape, the same seed gives the same
// bytes (one at a time or two at a time), the replicates folder is kept on request, `tributary
// report --sbc` draws it; and the refusals, each before anything runs.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectBuiltCli } from './batch-helpers.js';
import { run, tempDir } from './helpers.js';

const TINY = ['--model', 'pooled', '--markets', '2', '--weeks', '20', '--channels', '2', '--replicates', '4', '--chains', '2', '--warmup', '40', '--draws', '40', '--draws-per-fit', '19', '--seed', '9'];

let dir: string;

beforeAll(async () => {
  expectBuiltCli();
  dir = await tempDir();
});

describe('tributary sbc', () => {
  it('writes sbc.json with ranks, p-values and coverage; the same seed gives the same file, one or two fits at a time', async () => {
    const first = await run(['sbc', ...TINY, '--out', 'a'], dir);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/SBC of the pooled model: 4 replicates, ranks among 19 thinned draws/);
    expect(first.stdout).toMatch(/^sigma\s+\d\.\d{3}\s+\d+%\s+\d+%/m);
    expect(await readdir(join(dir, 'a'))).toEqual(['sbc.json']);
    const text = await readFile(join(dir, 'a', 'sbc.json'), 'utf8');
    const doc = JSON.parse(text) as {
      model: string;
      replicates: number;
      draws_per_fit: number;
      parameters: { name: string; ranks: number[]; p_uniform: number; coverage50: number; coverage90: number }[];
      replicate_details: { name: string; simulation_ess: number }[];
      failed_replicates: string[];
    };
    expect(doc.model).toBe('pooled');
    expect(doc.replicates).toBe(4);
    expect(doc.draws_per_fit).toBe(19);
    expect(doc.parameters.map((p) => p.name)).toEqual([
      'alpha', 'delta', 'gamma[1]', 'gamma[2]', 'gamma[3]', 'gamma[4]', 'beta[spotify_ads_spend]', 'beta[meta_spend]', 'sigma',
    ]);
    for (const p of doc.parameters) {
      expect(p.ranks).toHaveLength(4);
      expect(p.ranks.every((r) => Number.isInteger(r) && r >= 0 && r <= 19), p.name).toBe(true);
      expect(p.p_uniform).toBeGreaterThan(0);
      expect(p.p_uniform).toBeLessThanOrEqual(1);
      expect([0, 0.25, 0.5, 0.75, 1]).toContain(p.coverage50);
      expect(p.coverage90).toBeGreaterThanOrEqual(p.coverage50);
    }
    expect(doc.replicate_details.map((r) => r.name)).toEqual(['r0001', 'r0002', 'r0003', 'r0004']);
    expect(doc.failed_replicates).toEqual([]);

    // Two at a time, replicates kept, into the same folder (an earlier sbc output is replaced).
    const second = await run(['sbc', ...TINY, '--out', 'a', '--parallel', '2', '--keep-replicates'], dir);
    expect(second.code, second.stderr).toBe(0);
    expect(await readFile(join(dir, 'a', 'sbc.json'), 'utf8')).toBe(text);
    const kept = join(dir, 'a', 'replicates');
    expect((await readdir(join(kept, 'data'))).sort()).toEqual(['r0001.csv', 'r0002.csv', 'r0003.csv', 'r0004.csv']);
    expect(existsSync(join(kept, 'jobs.yaml'))).toBe(true);
    expect(existsSync(join(kept, 'fits', 'r0003', 'pooled', 'draws.csv'))).toBe(true);
    const truth = JSON.parse(await readFile(join(kept, 'truth', 'r0001.json'), 'utf8')) as { parameters: Record<string, number> };
    expect(Object.keys(truth.parameters)).toContain('sigma');
    // A replicate is an ordinary data set: validate accepts it, and its market means are the sizes.
    const csv = await readFile(join(kept, 'data', 'r0001.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('date,country,spotify_ads_spend,meta_spend,revenue');
    expect((await run(['validate', join(kept, 'data', 'r0001.csv'), '--target', 'revenue'], dir)).code).toBe(0);
    // No temporary is left next to the output.
    expect((await readdir(dir)).filter((n) => n.includes('.tmp-'))).toEqual([]);

    // The report of the sbc.json alone: the SBC section and nothing else.
    const report = await run(['report', '--sbc', 'a/sbc.json', '--out', 'sbc.html'], dir);
    expect(report.code, report.stderr).toBe(0);
    const html = await readFile(join(dir, 'sbc.html'), 'utf8');
    expect(html).toContain('id="sbc"');
    expect(html).not.toContain('id="data"');
    expect(html.match(/class="chart chart-sbc"/g)).toHaveLength(9);
    expect(html).toContain('Simulation-based calibration');
  });

  it('refuses bad options before anything runs (exit 2)', async () => {
    const cases: [string[], RegExp][] = [
      [['--model', 'all'], /--model must be pooled, unpooled or hierarchical, got "all"/],
      [['--model', 'nested'], /--model must be pooled, unpooled or hierarchical/],
      [['--replicates', '0'], /--replicates must be an integer from 1 to 10000, got "0"/],
      [['--draws-per-fit', '200', '--chains', '2', '--draws', '50'], /--draws-per-fit 200 needs at least as many post-warmup draws per fit, but --chains × --draws is 100/],
      [['--target-accept', '1.5'], /--target-accept must be a number in \(0, 1\)/],
      [['--parallel', '2', '--queue', 'redis://127.0.0.1:6379'], /--parallel is for fits on this machine/],
      [['--queue', 'http://x'], /is not a Redis URL/],
    ];
    for (const [args, message] of cases) {
      const r = await run(['sbc', ...args, '--out', 'refused'], dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(join(dir, 'refused')), args.join(' ')).toBe(false);
    }
    expect((await run(['report', '--out', 'x.html'], dir)).code).toBe(2);
  });

  it("refuses an output that is not an earlier sbc output, and an unreachable queue, before simulating (exit 1)", async () => {
    await mkdir(join(dir, 'mine'));
    await writeFile(join(dir, 'mine', 'notes.txt'), 'keep me');
    const foreign = await run(['sbc', ...TINY, '--out', 'mine'], dir);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toMatch(/--out .*mine exists and is not a Tributary sbc folder \(it has no sbc\.json of tributary sbc\)/);
    expect(await readdir(join(dir, 'mine'))).toEqual(['notes.txt']);
    await writeFile(join(dir, 'file'), 'x');
    const file = await run(['sbc', ...TINY, '--out', 'file'], dir);
    expect(file.code).toBe(1);
    expect(file.stderr).toMatch(/is a file, not a folder/);
    const queue = await run(['sbc', ...TINY, '--out', 'q', '--queue', 'redis://127.0.0.1:1/sbc'], dir);
    expect(queue.code).toBe(1);
    expect(queue.stderr).toMatch(/cannot reach Redis.*Nothing was simulated/);
    expect(queue.stderr).not.toMatch(/simulated \d/);
    expect(existsSync(join(dir, 'q'))).toBe(false);
  });
});
