// Shared by the batch tests: the built CLI the jobs run, job files, and comparing output trees.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
/** The built command line: what every job runs, in a process of its own. */
export const BIN = resolve(here, '..', 'dist', 'bin.js');

/** Fails (with what to do) unless dist/bin.js is built and has the batch and worker commands. */
export function expectBuiltCli(): void {
  expect(existsSync(BIN), `${BIN} is missing: run pnpm build first (the jobs run the built CLI)`).toBe(true);
  const help = execFileSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
  expect(help, `${BIN} is an old build without batch/worker: run pnpm build`).toMatch(/\n {2}batch\b[\s\S]*\n {2}worker\b/);
}

/** Run length of every fit in these tests: small, and the same in every run that is compared. */
export const TINY_FIT = ['--chains', '2', '--warmup', '60', '--draws', '40', '--parallel', '0', '--quiet'];

/** A job file from [name, command, args] triples, in YAML (flow lists, every argument quoted). */
export function jobsYaml(jobs: [string, string, string[]][]): string {
  return `jobs:\n${jobs.map(([name, command, args]) => `  - name: ${name}\n    command: ${command}\n    args: [${args.map((a) => JSON.stringify(a)).join(', ')}]\n`).join('')}`;
}

/** Every file below `root`, as paths relative to it, sorted. */
export async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const name of await readdir(dir)) {
      const path = join(dir, name);
      if ((await stat(path)).isDirectory()) await walk(path);
      else out.push(relative(root, path));
    }
  };
  await walk(root);
  return out.sort();
}

/**
 * Expects the trees `a` and `b` to hold the same files with the same bytes, except `timing.json`
 * (the fit's wall-clock seconds, the one file that differs between runs); returns how many files
 * were compared.
 */
export async function expectSameOutputs(a: string, b: string): Promise<number> {
  const files = await listFiles(a);
  expect(await listFiles(b), `${b} holds other files than ${a}`).toEqual(files);
  let compared = 0;
  for (const f of files) {
    if (f.endsWith('timing.json')) continue;
    const x = await readFile(join(a, f));
    const y = await readFile(join(b, f));
    expect(x.equals(y), `${f} differs between ${a} and ${b}`).toBe(true);
    compared++;
  }
  return compared;
}

/** Waits until `check` returns a value (polling every 50 ms), failing after `ms`. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** True while process `pid` runs (a zombie, ended but not yet reaped, counts as ended). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
