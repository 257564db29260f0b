import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../src/command.js';
import type { CliIo } from '../src/io.js';
import { reportCommand } from '../src/commands/report.js';
import { run, tempDir } from './helpers.js';

let dir: string;
const small = ['--chains', '2', '--warmup', '150', '--draws', '100', '--parallel', '0', '--quiet'];

// The lead registers the command in main.ts; until then it is driven directly.
async function report(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), isTty: false, cwd: dir };
  try {
    const code = await reportCommand.run(parseCommandArgs(reportCommand, argv), io);
    return { code, stdout, stderr };
  } catch (e) {
    return { code: (e as { code?: string }).code === 'CLI_USAGE' ? 2 : 1, stdout, stderr: stderr + (e as Error).message };
  }
}

beforeAll(async () => {
  dir = await tempDir();
  expect((await run(['generate', '--seed', '3', '--out', 'data'], dir)).code).toBe(0);
  for (const model of ['unpooled', 'hierarchical']) {
    const fit = await run(['fit', 'data/volta_marketing.csv', '--model', model, '--seed', '5', ...small], dir);
    expect(fit.code).toBe(0);
  }
});

describe('tributary report', () => {
  it('writes one self-contained HTML file with every section', async () => {
    const res = await report(['results', '--out', 'out/report.html']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Wrote .*report\.html/);
    const html = await readFile(join(dir, 'out', 'report.html'), 'utf8');
    for (const id of ['data', 'transforms', 'diagnostics', 'roas', 'shrinkage', 'comparison', 'fit', 'truth', 'failure', 'plan']) {
      expect(html).toContain(`id="${id}"`);
    }
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/src="http|href="http|<link\b/);
    expect(html).not.toContain('id="backtest"');
  });

  it('adds the backtest section with --backtest', async () => {
    const tiny = ['--folds', '1', '--horizon', '8', '--chains', '1', '--warmup', '60', '--draws', '40', '--parallel', '0', '--quiet'];
    expect((await run(['backtest', 'data/volta_marketing.csv', '--out', 'bt', ...tiny], dir)).code).toBe(0);
    const res = await report(['results', '--backtest', 'bt', '--out', 'out/with-backtest.html']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(', backtest)');
    const html = await readFile(join(dir, 'out', 'with-backtest.html'), 'utf8');
    expect(html).toContain('id="backtest"');
    expect(html).toContain('Forecast error per market');
    const missing = await report(['results', '--backtest', 'nowhere', '--out', 'out/x.html']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nowhere.*tributary backtest/);
  });

  it('names the problem for a folder without results', async () => {
    const res = await report(['nowhere']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/nowhere.*tributary fit/);
  });

  it('rejects unknown flags', () => {
    expect(() => parseCommandArgs(reportCommand, ['results', '--colour', 'red'])).toThrow(/colour/);
  });
});
