import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run, tempDir } from './helpers.js';

let dir: string;
const small = ['--chains', '2', '--warmup', '150', '--draws', '100', '--parallel', '0', '--quiet'];

beforeAll(async () => {
  dir = await tempDir();
  const gen = await run(['generate', '--seed', '3', '--out', 'data'], dir);
  expect(gen.code).toBe(0);
});

describe('tributary fit', () => {
  it('writes manifest, draws, sample stats and summary for the hierarchical model', async () => {
    const res = await run(['fit', 'data/volta_marketing.csv', '--model', 'hierarchical', '--seed', '5', ...small], dir);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('divergences');
    const out = join(dir, 'results', 'hierarchical');
    expect((await readdir(out)).sort()).toEqual(['draws.csv', 'manifest.json', 'sample_stats.csv', 'summary.csv', 'timing.json']);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.model).toBe('hierarchical');
    expect(manifest.data.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.markets).toEqual(['DE', 'UK', 'FR', 'NL', 'ES', 'IT', 'PL', 'SE']);
    expect(manifest.timing).toBeUndefined();
    const timing = JSON.parse(await readFile(join(out, 'timing.json'), 'utf8'));
    expect(timing.wall_seconds).toBeGreaterThan(0);
    const draws = (await readFile(join(out, 'draws.csv'), 'utf8')).trimEnd().split('\n');
    expect(draws).toHaveLength(1 + 2 * 100);
    const header = draws[0]!;
    expect(header.startsWith('.chain,.iteration,')).toBe(true);
    for (const name of ['alpha_mu', 'alpha[DE]', 'delta[PL]', 'gamma[1]', 'beta_mu[meta_spend]', 'beta_sigma[tiktok_spend]', '"beta[SE,radio_spend]"', 'sigma[UK]']) {
      expect(header).toContain(name);
    }
    const stats = (await readFile(join(out, 'sample_stats.csv'), 'utf8')).split('\n')[0];
    expect(stats).toBe('.chain,.iteration,stepsize,treedepth,n_leapfrog,divergent,energy,accept_stat,lp');
    const summary = (await readFile(join(out, 'summary.csv'), 'utf8')).split('\n')[0];
    expect(summary).toBe('name,mean,sd,hdi_3%,hdi_97%,mcse_mean,mcse_sd,ess_bulk,ess_tail,r_hat');
  });

  it('gives byte-identical files for the same seed (all but timing.json)', async () => {
    await run(['fit', 'data/volta_marketing.csv', '--model', 'pooled', '--seed', '9', '--out', 'r1', ...small], dir);
    await run(['fit', 'data/volta_marketing.csv', '--model', 'pooled', '--seed', '9', '--out', 'r2', ...small], dir);
    for (const file of ['manifest.json', 'draws.csv', 'sample_stats.csv', 'summary.csv']) {
      const a = await readFile(join(dir, 'r1', 'pooled', file), 'utf8');
      const b = await readFile(join(dir, 'r2', 'pooled', file), 'utf8');
      expect(a, file).toBe(b);
    }
  });

  it("samples in the model's own coordinates with Stan's warmup on request: same posterior, recorded in the manifest", async () => {
    const opts = ['--model', 'hierarchical', '--chains', '2', '--warmup', '300', '--draws', '300', '--seed', '4'];
    await run(['fit', 'data/volta_marketing.csv', ...opts, '--out', 'psi'], dir);
    const res = await run(['fit', 'data/volta_marketing.csv', ...opts, '--coordinates', 'model', '--warmup-start', 'stan', '--out', 'theta'], dir);
    expect(res.code).toBe(0);
    const a = JSON.parse(await readFile(join(dir, 'psi', 'hierarchical', 'manifest.json'), 'utf8'));
    const b = JSON.parse(await readFile(join(dir, 'theta', 'hierarchical', 'manifest.json'), 'utf8'));
    expect([a.options.coordinates, a.options.warmup_start]).toEqual(['sampling', 'optimized']);
    expect([b.options.coordinates, b.options.warmup_start]).toEqual(['model', 'stan']);
    expect(a.unconstrained_names).toContain('alpha_level[DE]');
    expect(b.unconstrained_names).toContain('alpha_z[DE]');
    // Same posterior: the population means of the media effects agree within Monte Carlo error.
    const means = async (folder: string) => {
      const rows = (await readFile(join(dir, folder, 'hierarchical', 'summary.csv'), 'utf8')).trim().split('\n').slice(1).map((l) => l.split(','));
      return new Map(rows.filter((r) => r[0]!.startsWith('beta_mu[')).map((r) => [r[0]!, [Number(r[1]), Number(r[2])] as const]));
    };
    const [ma, mb] = [await means('psi'), await means('theta')];
    expect(ma.size).toBe(6);
    for (const [name, [mean, sd]] of ma) expect(Math.abs(mean - mb.get(name)![0]), name).toBeLessThan(0.5 * sd);
  });

  it('validates before sampling and writes nothing on bad data', async () => {
    const res = await run(['fit', 'data/volta_marketing.csv', '--target', 'revenue', '--out', 'bad', ...small], dir);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/line 1\b.*revenue/);
    await expect(readdir(join(dir, 'bad'))).rejects.toThrow();
  });

  it('names the option on bad flags', async () => {
    for (const [flag, value] of [
      ['--model', 'mixed'],
      ['--chains', '0'],
      ['--target-accept', '1.5'],
      ['--metric', 'full'],
      ['--coordinates', 'theta'],
      ['--warmup-start', 'random'],
      ['--time-varying', 'billboards'],
      ['--knot-every', '0'],
      ['--knot-every', '200'],
    ] as const) {
      const extra = flag === '--knot-every' ? ['--time-varying', 'meta'] : [];
      const res = await run(['fit', 'data/volta_marketing.csv', flag, value, ...extra], dir);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain(flag);
    }
  });

  it('fits with lift tests and a time-varying channel; the manifest lets evaluate rebuild the model', async () => {
    const lifts = ['market,channel,start,end,delta_spend,lift,lift_se', 'DE,tiktok,2025-03-03,2025-03-24,2000,5000,800', ''].join('\n');
    await writeFile(join(dir, 'lift.csv'), lifts);
    const res = await run(
      ['fit', 'data/volta_marketing.csv', '--model', 'hierarchical', '--lift-tests', 'lift.csv', '--time-varying', 'meta_spend', '--knot-every', '8', '--out', 'cal', ...small],
      dir,
    );
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const manifest = JSON.parse(await readFile(join(dir, 'cal', 'hierarchical', 'manifest.json'), 'utf8'));
    expect(manifest.options.time_varying).toEqual({ channels: ['meta_spend'], knot_every: 8 });
    expect(manifest.lift_tests).toEqual([
      { market: 'DE', channel: 'tiktok_spend', start: '2025-03-03', end: '2025-03-24', start_t: expect.any(Number), end_t: expect.any(Number), delta_spend: 2000, lift: 5000, lift_se: 800 },
    ]);
    expect(manifest.lift_tests[0].end_t - manifest.lift_tests[0].start_t).toBe(3);
    const header = (await readFile(join(dir, 'cal', 'hierarchical', 'draws.csv'), 'utf8')).split('\n')[0]!;
    expect(header).toContain('tv_sigma[meta_spend]');
    expect(header).toContain('"tv_multiplier[meta_spend,1]"');
    const ev = await run(['evaluate', join('cal', 'hierarchical')], dir);
    expect(ev.code).toBe(0);
    expect(ev.stdout).toContain('ROAS');
    expect(ev.stdout).toMatch(/Lift tests: the model agrees with [01] of 1/);
    expect(ev.stdout).toMatch(/Time-varying meta_spend: effect multiplier ×[\d.]+ \(knot \d+\) to ×[\d.]+ \(knot \d+\) over \d+ knots; random-walk step sd/);
    const evJson = JSON.parse((await run(['evaluate', join('cal', 'hierarchical'), '--json'], dir)).stdout);
    expect(evJson.lift_tests).toHaveLength(1);
    const check = evJson.lift_tests[0];
    expect(check).toMatchObject({ market: 'DE', channel: 'tiktok_spend', lift: 5000, lift_se: 800 });
    expect(check.implied_hdi_low).toBeLessThan(check.implied_mean);
    expect(check.z).toBeCloseTo((check.implied_mean - 5000) / Math.sqrt(800 ** 2 + check.implied_sd ** 2), 9);
  });

  it('refuses a bad lift-test file before sampling, naming line and column', async () => {
    await writeFile(join(dir, 'bad-lift.csv'), 'market,channel,start,end,delta_spend,lift,lift_se\nXX,tiktok,2025-03-03,2025-03-24,2000,5000,800\n');
    const res = await run(['fit', 'data/volta_marketing.csv', '--lift-tests', 'bad-lift.csv', '--out', 'nope', ...small], dir);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/line 2/);
    expect(res.stderr).toContain('market');
    await expect(readdir(join(dir, 'nope'))).rejects.toThrow();
  });
});
