import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CliUsageError, parseCommandArgs } from '../src/command.js';
import { optimizeCommand } from '../src/commands/optimize.js';
import type { CliIo } from '../src/io.js';
import { run, tempDir, type RunResult } from './helpers.js';

/** Runs `tributary optimize` in-process with main()'s error mapping (2: usage, 1: typed error). */
async function optimize(argv: string[], cwd: string): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), isTty: false, cwd };
  let code: number;
  try {
    code = await optimizeCommand.run(parseCommandArgs(optimizeCommand, argv), io);
  } catch (e) {
    if (e instanceof CliUsageError) {
      stderr += `tributary optimize: ${e.message}\n`;
      code = 2;
    } else if (e instanceof Error && typeof (e as { code?: unknown }).code === 'string') {
      stderr += `tributary optimize: ${e.message}\n`;
      code = 1;
    } else throw e;
  }
  return { code, stdout, stderr };
}

/** The small test fit never has a clean verdict; optimize warns about it (tested in output-safety.test.ts). */
const withoutVerdictWarning = (stderr: string): string => stderr.replace(/^warning: the fit in .* has a (warning|bad) verdict .*\n/m, '');

let dir: string;
const results = 'results/hierarchical';

beforeAll(async () => {
  dir = await tempDir();
  expect((await run(['generate', '--seed', '3', '--out', 'data'], dir)).code).toBe(0);
  const fit = await run(['fit', 'data/volta_marketing.csv', '--model', 'hierarchical', '--chains', '2', '--warmup', '150', '--draws', '100', '--parallel', '0', '--quiet', '--seed', '5'], dir);
  expect(fit.code).toBe(0);
});

interface PlanJson {
  budget: number;
  spend: number;
  weeks: number;
  utility: string;
  allocation: { market: string; channel: string; weekly_spend: number; total_spend: number; outside_observed_range: boolean; fixed: boolean }[];
  response: { mean: number; q05: number; q95: number };
  roas: { mean: number; q05: number; q95: number };
  historical: { response: { mean: number; q05: number; q95: number } };
  p_uplift: number;
  scenarios?: { multiplier: number; budget: number; response?: { mean: number; q05: number; q95: number }; error?: string }[];
  target?: { kind: string; budget: number; max_budget?: number };
  extrapolation: unknown[];
}

const cents = (plan: PlanJson): number => plan.allocation.reduce((a, c) => a + Math.round(c.total_spend * 100), 0);

describe('tributary optimize', () => {
  it('optimizes a €500k quarter: prints the allocation, writes plan.json atomically, spends the budget to the cent', async () => {
    const res = await optimize([results, '--budget', '500000', '--out', 'plan.json'], dir);
    expect(withoutVerdictWarning(res.stderr)).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Weekly spend (market × channel)');
    expect(res.stdout).toMatch(/Historical: +response/);
    expect(res.stdout).toMatch(/P\(uplift > 0\) = /);
    const plan = JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8')) as PlanJson;
    expect(plan.budget).toBe(500000);
    expect(plan.weeks).toBe(13);
    expect(plan.utility).toBe('mean');
    expect(cents(plan)).toBe(50_000_000);
    expect(plan.allocation).toHaveLength(48);
    expect(plan.response.mean).toBeGreaterThan(plan.historical.response.mean);
    expect(plan.p_uplift).toBeGreaterThan(0.5);
    expect(plan.roas.q05).toBeLessThan(plan.roas.q95);
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('prints plan.json with --json, with scenarios and a risk-aware utility', async () => {
    const res = await optimize([results, '--budget', '500000', '--utility', 'cvar:0.05', '--scenarios', '0.6,1,1.8', '--weeks', '8', '--json'], dir);
    expect(res.code).toBe(0);
    const plan = JSON.parse(res.stdout) as PlanJson;
    expect(plan.utility).toBe('cvar:0.05');
    expect(plan.weeks).toBe(8);
    expect(plan.scenarios!.map((s) => s.budget)).toEqual([300000, 500000, 900000]);
    expect(plan.scenarios![0]!.response!.mean).toBeLessThan(plan.scenarios![2]!.response!.mean);
    expect(cents(plan)).toBe(50_000_000);
  });

  it('applies a bounds file, fixed cells and a flexible budget', async () => {
    await writeFile(join(dir, 'bounds.csv'), 'market,channel,lower,upper\n*,spotify_ads_spend,,1000\nDE,meta_spend,2000,3000\n');
    const res = await optimize([results, '--budget', '500000', '--bounds', 'bounds.csv', '--fix', 'SE:radio_spend', '--flexible', '--json'], dir);
    expect(withoutVerdictWarning(res.stderr)).toBe('');
    expect(res.code).toBe(0);
    const plan = JSON.parse(res.stdout) as PlanJson;
    const at = (m: string, c: string) => plan.allocation.find((a) => a.market === m && a.channel === c)!;
    for (const a of plan.allocation.filter((x) => x.channel === 'spotify_ads_spend')) expect(a.weekly_spend).toBeLessThanOrEqual(1000);
    expect(at('DE', 'meta_spend').weekly_spend).toBeGreaterThanOrEqual(2000);
    expect(at('SE', 'radio_spend').fixed).toBe(true);
    expect(plan.spend).toBeLessThanOrEqual(500000);
    expect(cents(plan)).toBe(Math.round(plan.spend * 100));
  });

  it('finds target budgets', async () => {
    const rev = await optimize([results, '--target-revenue', '1000000', '--json'], dir);
    expect(withoutVerdictWarning(rev.stderr)).toBe('');
    const plan = JSON.parse(rev.stdout) as PlanJson;
    expect(plan.target!.kind).toBe('revenue');
    expect(plan.response.mean).toBeGreaterThanOrEqual(1_000_000);
    expect(plan.budget).toBe(plan.target!.budget);
    const roas = await optimize([results, '--target-roas', '2', '--min-prob', '0.8', '--json'], dir);
    expect(withoutVerdictWarning(roas.stderr)).toBe('');
    const rplan = JSON.parse(roas.stdout) as PlanJson;
    expect(rplan.target).toMatchObject({ kind: 'roas' });
    expect(rplan.utility).toBe('p-roas:2');
  });

  it('names the flag on bad flags (exit code 2)', async () => {
    for (const [argv, flag] of [
      [['--budget', 'lots'], '--budget'],
      [['--budget', '-5'], '--budget'],
      [[], '--budget'],
      [['--budget', '1000', '--weeks', '0'], '--weeks'],
      [['--budget', '1000', '--utility', 'cvar:2'], '--utility'],
      [['--budget', '1000', '--utility', 'median'], '--utility'],
      [['--budget', '1000', '--scenarios', '1,x'], '--scenarios'],
      [['--target-roas', '3'], '--min-prob'],
      [['--target-roas', '3', '--min-prob', '1.5'], '--min-prob'],
      [['--min-prob', '0.5', '--budget', '1000'], '--min-prob'],
      [['--target-revenue', '1e6', '--target-roas', '2', '--min-prob', '0.5'], '--target-revenue'],
      [['--target-revenue', '1e6', '--utility', 'cvar:0.05'], '--utility'],
      [['--budget', '1000', '--history', 'old'], '--history'],
      [['--budget', '1000', '--max-multiple', '0'], '--max-multiple'],
      [['--budget', '1000', '--fix', 'DE:'], '--fix'],
      [['--budget', '1000', '--fix', 'tv_spend'], '--fix'],
      [['--budget', '1000', '--bogus'], '--bogus'],
    ] as const) {
      const res = await optimize([results, ...argv], dir);
      expect(res.code, argv.join(' ')).toBe(2);
      expect(res.stderr, argv.join(' ')).toContain(flag);
    }
  });

  it('explains infeasible budgets and bad bounds files (exit code 1)', async () => {
    const big = await optimize([results, '--budget', '1e9'], dir);
    expect(big.code).toBe(1);
    expect(big.stderr).toMatch(/above the sum of the upper bounds/);
    await writeFile(join(dir, 'bad.csv'), 'market,channel,lower,upper\nDE,meta_spend,abc,\n');
    const bad = await optimize([results, '--budget', '1000', '--bounds', 'bad.csv'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.csv line 2, column lower: "abc"/);
    const missing = await optimize([results, '--budget', '1000', '--bounds', 'nope.csv'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.csv/);
  });

  it('refuses a changed data file, and accepts --data with the original', async () => {
    await copyFile(join(dir, 'data', 'volta_marketing.csv'), join(dir, 'original.csv'));
    const text = await readFile(join(dir, 'data', 'volta_marketing.csv'), 'utf8');
    await writeFile(join(dir, 'data', 'volta_marketing.csv'), text + '\n');
    const changed = await optimize([results, '--budget', '500000'], dir);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/sha256/);
    expect(changed.stderr).toContain('--data');
    const ok = await optimize([results, '--budget', '500000', '--data', 'original.csv', '--json'], dir);
    expect(withoutVerdictWarning(ok.stderr)).toBe('');
    expect(ok.code).toBe(0);
    await writeFile(join(dir, 'data', 'volta_marketing.csv'), text);
  });

  it('reports a missing results folder', async () => {
    const res = await optimize(['results/none', '--budget', '1000'], dir);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/results\/none/);
  });
});
