// Issue 12: paths, versions, exit codes, and output locations — no command deletes or replaces
// what it did not write, every output problem is found before the sampling starts, interrupted
// output never strands a reader.
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { run, tempDir } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..', '..');
const version = (JSON.parse(readFileSync(join(here, '..', 'package.json'), 'utf8')) as { version: string }).version;
const small = ['--chains', '2', '--warmup', '150', '--draws', '100', '--parallel', '0', '--quiet'];
const tiny = ['--chains', '2', '--warmup', '20', '--draws', '20', '--parallel', '0', '--quiet'];

let dir: string;

beforeAll(async () => {
  dir = await tempDir();
  expect((await run(['generate', '--seed', '3', '--out', 'data'], dir)).code).toBe(0);
});

/** Makes `path` unwritable even for root (chattr +i) or, failing that, by mode; undefined when neither works here. */
async function makeUnwritable(path: string): Promise<(() => Promise<void>) | undefined> {
  try {
    execFileSync('chattr', ['+i', path], { stdio: 'ignore' });
    return async () => void execFileSync('chattr', ['-i', path], { stdio: 'ignore' });
  } catch {
    if (process.getuid?.() === 0) return undefined;
    await chmod(path, 0o555);
    return () => chmod(path, 0o755);
  }
}

describe('versions', () => {
  it('--version and -V print "tributary X.Y.Z"', async () => {
    for (const flag of ['--version', '-V']) {
      const res = await run([flag], dir);
      expect(res.code).toBe(0);
      expect(res.stdout).toBe(`tributary ${version}\n`);
    }
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('the manifest records the real versions, never "unknown"', async () => {
    const res = await run(['fit', 'data/volta_marketing.csv', '--model', 'pooled', '--out', 'versions', ...tiny], dir);
    expect(res.code).toBe(0);
    const manifest = JSON.parse(await readFile(join(dir, 'versions', 'pooled', 'manifest.json'), 'utf8'));
    expect(manifest.created_by).toBe(`tributary ${version}`);
    for (const [name, v] of Object.entries(manifest.package_versions as Record<string, string>)) {
      expect(v, name).toMatch(/^\d+\.\d+\.\d+/);
    }
  });
});

describe('paths resolve against the folder the user is in', () => {
  it('`pnpm tributary validate RELATIVE` run from a subfolder of the repo', async () => {
    const bin = join(repo, 'apps', 'cli', 'dist', 'bin.js');
    await expect(stat(bin), 'build the CLI first (pnpm build)').resolves.toBeTruthy();
    // A subfolder of the repo (no package.json of its own, so pnpm runs the root's script).
    const sub = await mkdtemp(join(repo, '.tributary-path-test-'));
    try {
      await copyFile(join(dir, 'data', 'volta_marketing.csv'), join(sub, 'sales.csv'));
      await expect(stat(join(repo, 'sales.csv'))).rejects.toThrow(); // from the root the path names nothing
      const { stdout } = await promisify(execFile)('pnpm', ['--silent', 'tributary', 'validate', 'sales.csv'], { cwd: sub });
      expect(stdout).toContain('DE');
      // Output paths too: generate --out here writes here.
      await promisify(execFile)('pnpm', ['--silent', 'tributary', 'generate', '--out', 'gen'], { cwd: sub });
      await expect(stat(join(sub, 'gen', 'ground_truth.json'))).resolves.toBeTruthy();
    } finally {
      await rm(sub, { recursive: true, force: true });
    }
  });
});

describe('fit --fail-on and usage errors', () => {
  it('exits 3 when the verdict reaches --fail-on, after writing the results', async () => {
    const res = await run(['fit', 'data/volta_marketing.csv', '--model', 'hierarchical', '--out', 'failon', '--fail-on', 'warning', ...tiny], dir);
    expect(res.stdout).toMatch(/status:\s+(warning|bad)/);
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('--fail-on warning');
    await expect(stat(join(dir, 'failon', 'hierarchical', 'manifest.json'))).resolves.toBeTruthy();
    const lenient = await run(['fit', 'data/volta_marketing.csv', '--model', 'hierarchical', '--out', 'failon', ...tiny], dir);
    expect(lenient.code).toBe(0);
  });

  it('rejects a bad --fail-on level and --knot-every without --time-varying (exit 2)', async () => {
    const a = await run(['fit', 'data/volta_marketing.csv', '--fail-on', 'sometimes', ...tiny], dir);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--fail-on must be warning or bad');
    for (const command of ['fit', 'backtest']) {
      const b = await run([command, 'data/volta_marketing.csv', '--knot-every', '4', '--out', `knots-${command}`, ...tiny], dir);
      expect(b.code).toBe(2);
      expect(b.stderr).toContain('--knot-every needs --time-varying');
      await expect(stat(join(dir, `knots-${command}`))).rejects.toThrow();
    }
  });
});

describe('no command deletes or replaces what it did not write', () => {
  it('backtest --out refuses a folder of the user, before sampling, and leaves it as it was', async () => {
    const mine = join(dir, 'mine');
    await mkdir(mine);
    await writeFile(join(mine, 'notes.txt'), 'keep me');
    const res = await run(['backtest', 'data/volta_marketing.csv', '--out', 'mine', '--folds', '1', '--horizon', '4', ...tiny.filter((x) => x !== '--quiet')], dir);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(mine);
    expect(res.stderr).toMatch(/not a Tributary backtest folder/);
    expect(res.stderr).not.toContain('chain');
    expect(await readdir(mine)).toEqual(['notes.txt']);
    // --out . : the input CSV's own folder
    const dot = await run(['backtest', 'volta_marketing.csv', '--out', '.', '--folds', '1', '--horizon', '4', ...tiny], join(dir, 'data'));
    expect(dot.code).toBe(1);
    expect((await readdir(join(dir, 'data'))).sort()).toEqual(['ground_truth.json', 'volta_marketing.csv']);
  });

  it('fit --out ~ --name Documents refuses the user\'s folder; its own earlier results are replaced', async () => {
    const home = join(dir, 'home');
    await mkdir(join(home, 'Documents'), { recursive: true });
    await writeFile(join(home, 'Documents', 'thesis.tex'), 'years of work');
    const res = await run(['fit', 'data/volta_marketing.csv', '--model', 'pooled', '--out', 'home', '--name', 'Documents', ...tiny.filter((x) => x !== '--quiet')], dir);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(join(home, 'Documents'));
    expect(res.stderr).toMatch(/not a Tributary results folder/);
    expect(res.stderr).not.toContain('chain');
    expect(await readFile(join(home, 'Documents', 'thesis.tex'), 'utf8')).toBe('years of work');
    expect(await readdir(home)).toEqual(['Documents']);
    // Tributary's own earlier output is replaced.
    expect((await run(['fit', 'data/volta_marketing.csv', '--model', 'pooled', '--out', 'home', '--name', 'mine', ...tiny], dir)).code).toBe(0);
    expect((await run(['fit', 'data/volta_marketing.csv', '--model', 'pooled', '--out', 'home', '--name', 'mine', '--seed', '8', ...tiny], dir)).code).toBe(0);
    expect(JSON.parse(await readFile(join(home, 'mine', 'manifest.json'), 'utf8')).seed).toBe(8);
  });

  it('generate --out refuses to replace files of the same names in a folder it did not write', async () => {
    const theirs = join(dir, 'theirs');
    await mkdir(theirs);
    await writeFile(join(theirs, 'volta_marketing.csv'), 'their,own\n');
    const res = await run(['generate', '--out', 'theirs'], dir);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('volta_marketing.csv');
    expect(await readFile(join(theirs, 'volta_marketing.csv'), 'utf8')).toBe('their,own\n');
    // A generated folder is regenerated.
    expect((await run(['generate', '--out', 'data', '--seed', '3'], dir)).code).toBe(0);
  });
});

describe('every output problem is found before the sampling starts', () => {
  const fitOut = (out: string, extra: string[] = []) => run(['fit', 'data/volta_marketing.csv', '--model', 'pooled', '--out', out, ...extra, ...small.filter((x) => x !== '--quiet')], dir);

  it('--out naming an existing file', async () => {
    await writeFile(join(dir, 'a-file'), 'x');
    const res = await fitOut('a-file');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/a-file is a file/);
    expect(res.stderr).not.toContain('chain');
    expect(await readFile(join(dir, 'a-file'), 'utf8')).toBe('x');
  });

  it('a --name too long for the file system', async () => {
    const res = await fitOut('long', ['--name', 'n'.repeat(250)]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/choose a shorter name/);
    expect(res.stderr).not.toContain('chain');
    await expect(stat(join(dir, 'long'))).rejects.toThrow();
  });

  it('an unwritable --out', async () => {
    const locked = join(dir, 'locked');
    await mkdir(locked);
    const undo = await makeUnwritable(locked);
    if (undo === undefined) return void console.warn('skipped: cannot make a folder unwritable here');
    try {
      const res = await fitOut('locked');
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/cannot write in .*locked/);
      expect(res.stderr).not.toContain('chain');
    } finally {
      await undo();
    }
    expect(await readdir(locked)).toEqual([]);
  });

  it('report --out naming a folder leaves no temporary file beside it; a foreign HTML file is not replaced', async () => {
    expect((await run(['fit', 'data/volta_marketing.csv', '--model', 'pooled', '--out', 'rep', ...tiny], dir)).code).toBe(0);
    await mkdir(join(dir, 'a-folder'));
    const res = await run(['report', 'rep', '--out', 'a-folder'], dir);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/a-folder is a folder; name a file inside it/);
    expect((await readdir(dir)).filter((n) => n.includes('.tmp'))).toEqual([]);
    await writeFile(join(dir, 'index.html'), '<html><body>my homepage</body></html>');
    const foreign = await run(['report', 'rep', '--out', 'index.html'], dir);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toMatch(/not a Tributary report/);
    expect(await readFile(join(dir, 'index.html'), 'utf8')).toContain('my homepage');
    // Its own report is replaced.
    expect((await run(['report', 'rep', '--out', 'r.html'], dir)).code).toBe(0);
    expect((await run(['report', 'rep', '--out', 'r.html'], dir)).code).toBe(0);
  });
});

describe('interrupted and partial output', () => {
  it('results folders get the umask\'s permissions, not 0700', async () => {
    const res = await run(['fit', 'data/volta_marketing.csv', '--model', 'pooled', '--out', 'perm', ...tiny], dir);
    expect(res.code).toBe(0);
    const umask = process.umask();
    expect((await stat(join(dir, 'perm', 'pooled'))).mode & 0o777).toBe(0o777 & ~umask);
  });

  it('stale temporaries of dead processes are removed by the next write, and compare skips them', async () => {
    const root = join(dir, 'stale');
    expect((await run(['fit', 'data/volta_marketing.csv', '--model', 'pooled', '--out', 'stale', ...tiny], dir)).code).toBe(0);
    // What a SIGKILL during the write leaves: a pid that no longer runs (beyond pid_max) and the pre-pid form.
    const dead = join(root, '.hierarchical.tmp-4194399-0a1b2c3d');
    await mkdir(dead);
    await writeFile(join(dead, 'manifest.json'), '{"half":');
    const live = join(root, `.unpooled.tmp-${process.pid}-0a1b2c3d`);
    await mkdir(live);
    const compare = await run(['fit', 'data/volta_marketing.csv', '--model', 'unpooled', '--out', 'stale', ...tiny], dir);
    expect(compare.code).toBe(0);
    const names = await readdir(root);
    expect(names).not.toContain('.hierarchical.tmp-4194399-0a1b2c3d');
    expect(names).toContain(`.unpooled.tmp-${process.pid}-0a1b2c3d`); // a live process's own temporary stays
    const cmp = await run(['compare', 'stale'], dir);
    expect(cmp.stderr).not.toMatch(/tmp/);
    expect(cmp.code).toBe(0);
  });

  it('Ctrl-C during fit --model all says exactly which models were kept', async () => {
    const out = join(dir, 'interrupted');
    const pending = run(['fit', 'data/volta_marketing.csv', '--model', 'all', '--out', 'interrupted', '--chains', '2', '--warmup', '150', '--draws', '100', '--parallel', '1'], dir);
    for (let i = 0; i < 2400; i++) {
      try {
        await stat(join(out, 'pooled', 'manifest.json'));
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    process.emit('SIGINT');
    const res = await pending;
    expect(res.code).toBe(130);
    expect(res.stderr).toContain(`kept (finished before the interrupt): ${join(out, 'pooled')}`);
    expect(res.stderr).toContain(`${join(out, 'unpooled')} is not written`);
    expect((await readdir(out)).filter((n) => !n.startsWith('.'))).toEqual(['pooled']);
  });
});

describe('optimize: verdict, source and usage', () => {
  beforeAll(async () => {
    expect((await run(['fit', 'data/volta_marketing.csv', '--model', 'hierarchical', '--out', 'opt', ...tiny], dir)).code).toBe(0);
  });

  it('--budget with --target-revenue is a usage error; --budget 5e16 names the real limit', async () => {
    const both = await run(['optimize', 'opt/hierarchical', '--budget', '500000', '--target-revenue', '2000000'], dir);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--budget and --target-revenue are alternatives');
    const huge = await run(['optimize', 'opt/hierarchical', '--budget', '5e16'], dir);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toContain('from 0.01 to 1e+15');
  });

  it('warns about a fit with a bad verdict and records the verdict and the source in plan.json', async () => {
    const manifest = JSON.parse(await readFile(join(dir, 'opt', 'hierarchical', 'manifest.json'), 'utf8'));
    const res = await run(['optimize', 'opt/hierarchical', '--budget', '500000', '--out', 'plan.json'], dir);
    expect(res.code).toBe(0);
    const plan = JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8'));
    expect(plan.results.verdict.status).toBe(manifest.diagnostics.status);
    expect(plan.results.manifest_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.diagnostics.status).not.toBe('good'); // 20 draws: never a clean verdict
    expect(res.stderr).toMatch(/warning: the fit in .* has a (warning|bad) verdict/);
    // plan.json of its own is replaced; a foreign file is not.
    expect((await run(['optimize', 'opt/hierarchical', '--budget', '400000', '--out', 'plan.json'], dir)).code).toBe(0);
    await writeFile(join(dir, 'budget.json'), '{"my":"budget"}');
    const foreign = await run(['optimize', 'opt/hierarchical', '--budget', '400000', '--out', 'budget.json'], dir);
    expect(foreign.code).toBe(1);
    expect(await readFile(join(dir, 'budget.json'), 'utf8')).toBe('{"my":"budget"}');
  });
});
