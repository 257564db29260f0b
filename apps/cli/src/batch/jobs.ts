// The job file of `tributary batch` and every check made before the first job starts.
//
//   jobs:
//     - name: hier
//       command: fit
//       args: [data.csv, --target, revenue, --model, hierarchical, --seed, "11", --out, results/a]
//
// Read with YAML's failsafe schema, so every scalar is the string as written (`--seed 011` stays
// "011", `--budget 1e6` stays "1e6"; nothing is turned into a number and back). Each job is one
// ordinary tributary command run with the job file's folder as its working directory, so relative
// paths resolve against that folder (on the batch's machine and on every worker alike).
//
// Checks, all before anything runs, each error naming the file, the job and the field or option:
// the file is a mapping with a non-empty `jobs` list; a job has exactly `name`, `command`, `args`;
// names are unique folder-like names; the command exists (and is not batch or worker); its args
// pass the command's own option parser (unknown flags, missing values, positionals); relative
// paths stay inside the job file's folder; and every output location passes the same checks the
// command makes itself (atomic.ts checkOutputLocation: Tributary's own output or nothing there,
// writable, short enough names). Two jobs may not write the same output, nor one inside
// another's: jobs run in any order and at the same time, so each must own what it writes.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { TributaryError } from '@tributary/data';
import { GROUND_TRUTH_FILE, LIFT_TESTS_FILE, MULTIPLIER_FILE, listScenarios, scenarioCsvFileName } from '@tributary/synthetic';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { CliUsageError, parseCommandArgs, type CommandSpec, type ParsedArgs } from '../command.js';
import { parseKinds } from '../commands/fit.js';
import { checkOutputLocation, type OutputKind } from '../util/atomic.js';

/** One job: an ordinary tributary command and its arguments. */
export interface BatchJob {
  name: string;
  command: string;
  args: string[];
}

export interface JobFile {
  /** Absolute path of the job file. */
  file: string;
  /** Its folder: every job's working directory. */
  dir: string;
  jobs: BatchJob[];
}

/** Commands a job may not run: a batch inside a batch, or a worker that never ends. */
const NOT_IN_A_BATCH = new Set(['batch', 'worker']);
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const JOB_KEYS = ['name', 'command', 'args'];

export class BatchFileError extends TributaryError {
  constructor(message: string) {
    super('BATCH_INVALID', message);
    this.name = 'BatchFileError';
  }
}

/** Reads and checks the structure of a job file (not yet the jobs' options: see checkJobs). */
export async function readJobFile(path: string, commands: readonly CommandSpec[]): Promise<JobFile> {
  const file = resolve(path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new BatchFileError(`cannot read the job file ${file} (${code}); check the path.`);
  }
  const doc = parseDocument(text, { schema: 'failsafe', prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new BatchFileError(`${file} is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  }
  const fail = (where: string, what: string): never => {
    throw new BatchFileError(`${file}: ${where}${what}`);
  };
  const example = 'e.g.\n  jobs:\n    - name: hier\n      command: fit\n      args: [data.csv, --model, hierarchical, --seed, "11", --out, results/a]';
  const root = doc.contents;
  if (!isMap(root)) return fail('', `expected a mapping with a list of jobs, ${example}`);
  for (const pair of root.items) {
    const key = scalarText(pair.key);
    if (key !== 'jobs') fail('', `unknown key "${key ?? '?'}" at the top; the file has one key, jobs, ${example}`);
  }
  const list = root.get('jobs', true);
  if (!isSeq(list) || list.items.length === 0) return fail('', `jobs must be a non-empty list of jobs, ${example}`);
  const names = new Map<string, number>();
  const known = commands.map((c) => c.name).filter((n) => !NOT_IN_A_BATCH.has(n));
  const jobs = list.items.map((node, i): BatchJob => {
    if (!isMap(node)) return fail(`jobs[${i}]: `, 'each job must be a mapping with name, command and args');
    const fields = new Map<string, unknown>();
    for (const pair of node.items) {
      const key = scalarText(pair.key) ?? '?';
      if (!JOB_KEYS.includes(key)) fail(`jobs[${i}]: `, `unknown key "${key}"; a job has name, command and args`);
      fields.set(key, pair.value);
    }
    const name = scalarText(fields.get('name'));
    if (name === undefined) return fail(`jobs[${i}]: `, 'name is missing (a short name used in progress, errors and the queue, e.g. name: hier)');
    const where = `jobs[${i}] (${name}): `;
    if (!NAME_PATTERN.test(name)) fail(where, "name must be 1–100 letters, digits, '.', '_' or '-', starting with a letter or digit");
    const seen = names.get(name);
    if (seen !== undefined) fail(where, `the name "${name}" is also the name of jobs[${seen}]; names must be unique`);
    names.set(name, i);
    const command = scalarText(fields.get('command'));
    if (command === undefined) return fail(where, `command is missing; one of ${known.join(', ')}`);
    if (!known.includes(command)) {
      fail(where, `command "${command}" ${NOT_IN_A_BATCH.has(command) ? 'cannot run inside a batch' : 'is not a tributary command'}; one of ${known.join(', ')}`);
    }
    const argsNode = fields.get('args');
    if (argsNode === undefined) return fail(where, "args is missing; the command's arguments as a list, e.g. args: [data.csv, --seed, \"1\"] (args: [] for none)");
    if (!isSeq(argsNode)) return fail(where, 'args must be a list of strings, e.g. args: [data.csv, --seed, "1"]');
    const args = argsNode.items.map((a, k) => scalarText(a) ?? fail(where, `args[${k}] is not a single value; write every argument as one list item`));
    return { name, command, args };
  });
  return { file, dir: dirname(file), jobs };
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/**
 * A file or folder a job writes, and (when the command checks it) the kind of output it is. A
 * generated data set is a folder others may share: its job writes only `files` in it.
 */
interface JobOutput {
  path: string;
  flag: string;
  kind?: OutputKind;
  files?: string[];
}

/** The paths a job owns: the output itself, or a data set's files. */
function ownedPaths(out: JobOutput): string[] {
  return out.files ? out.files.map((f) => join(out.path, f)) : [out.path];
}

/**
 * Checks each job's arguments as its command will, before any job runs: the command's own option
 * parser, paths inside the job file's folder, and every output location. Throws naming the job.
 */
export async function checkJobs(jobFile: JobFile, commands: readonly CommandSpec[]): Promise<void> {
  const owned: { job: BatchJob; path: string }[] = [];
  for (const job of jobFile.jobs) {
    const where = `${jobFile.file}: job ${job.name} (tributary ${job.command})`;
    const spec = commands.find((c) => c.name === job.command)!;
    if (job.args.includes('--help') || job.args.includes('-h')) throw new BatchFileError(`${where}: --help is not a job; remove it.`);
    let parsed: ParsedArgs;
    let mine: JobOutput[];
    try {
      parsed = parseCommandArgs(spec, job.args);
      mine = jobOutputs(job.command, parsed, jobFile.dir);
    } catch (e) {
      if (e instanceof CliUsageError) throw new BatchFileError(`${where}: ${e.message}`);
      throw e;
    }
    for (const [flag, value] of pathArguments(spec, parsed)) {
      if (isAbsolute(value)) continue;
      if (!contains(jobFile.dir, resolve(jobFile.dir, value))) {
        throw new BatchFileError(
          `${where}: ${flag} ${value} leaves the job file's folder ${jobFile.dir} (relative paths resolve against it, on every worker); ` +
            'use a path inside it, or an absolute path that every worker sees.',
        );
      }
    }
    for (const out of mine) {
      if (out.kind !== undefined) {
        try {
          await checkOutputLocation(out.path, out.kind, out.flag, out.files ? { files: out.files } : {});
        } catch (e) {
          if (e instanceof TributaryError) throw new BatchFileError(`${where}: ${e.message}`);
          throw e;
        }
      }
      for (const path of ownedPaths(out)) owned.push({ job, path });
    }
  }
  for (let a = 0; a < owned.length; a++) {
    for (let b = a + 1; b < owned.length; b++) {
      const x = owned[a]!;
      const y = owned[b]!;
      if (x.job === y.job) continue;
      if (contains(x.path, y.path) || contains(y.path, x.path)) {
        const same = x.path === y.path;
        throw new BatchFileError(
          `${jobFile.file}: jobs ${x.job.name} and ${y.job.name} both write ${same ? x.path : `${x.path} and ${y.path}, one inside the other`}; ` +
            'jobs run at the same time and in any order, so each needs its own output: change --out (or --name) of one of them.',
        );
      }
    }
  }
}

/** True when `inner` is `outer` or lies below it. */
function contains(outer: string, inner: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || !(rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel));
}

/**
 * The path-valued arguments of a job, as [flag, value]: every positional (all are files or
 * folders: FILE, RESULTS, DIR) and every option whose value is named FILE, DIR or a file name in
 * its command's --help.
 */
function pathArguments(spec: CommandSpec, parsed: ParsedArgs): [string, string][] {
  const out: [string, string][] = parsed.positionals.map((p, i) => [spec.positionals[i]?.name ?? 'argument', p]);
  for (const [name, option] of Object.entries(spec.options)) {
    const isPath = option.valueName === 'FILE' || option.valueName === 'DIR' || /\.(csv|json|ya?ml)$/i.test(option.valueName ?? '');
    const value = parsed.values[name];
    if (isPath && typeof value === 'string') out.push([`--${name}`, value]);
  }
  return out;
}

/**
 * What a job writes, following each command's --out (and fit's --model/--name): fit one results
 * folder per model, backtest its folder, generate the data set's files, optimize its plan (only
 * with --out), report its HTML file, demo and sbc their folders. validate, evaluate and compare only print.
 */
function jobOutputs(command: string, parsed: ParsedArgs, dir: string): JobOutput[] {
  const v = parsed.values;
  const out = typeof v.out === 'string' ? resolve(dir, v.out) : undefined;
  switch (command) {
    case 'fit': {
      const name = typeof v.name === 'string' ? v.name : undefined;
      const kinds = parseKinds(String(v.model));
      if (name !== undefined && kinds.length !== 1) throw new CliUsageError("--name needs a single --model (it names that model's folder)");
      return kinds.map((kind) => ({ path: join(out!, name ?? kind), flag: name === undefined ? '--out' : '--out/--name', kind: 'results' }));
    }
    case 'backtest':
      return [{ path: out!, flag: '--out', kind: 'backtest' }];
    case 'generate': {
      const scenario = String(v.scenario);
      if (!listScenarios().includes(scenario)) throw new CliUsageError(`--scenario "${scenario}" is not known; choose one of: ${listScenarios().join(', ')}`);
      return [{ path: out!, flag: '--out', kind: 'dataset', files: [scenarioCsvFileName(scenario), GROUND_TRUTH_FILE, LIFT_TESTS_FILE, MULTIPLIER_FILE] }];
    }
    case 'optimize':
      return out === undefined ? [] : [{ path: out, flag: '--out', kind: 'plan' }];
    case 'report':
      return [{ path: out!, flag: '--out', kind: 'report' }];
    case 'demo':
      return [{ path: out!, flag: '--out' }];
    case 'sbc':
      return [{ path: out!, flag: '--out', kind: 'sbc' }];
    default:
      return [];
  }
}
