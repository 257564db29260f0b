// Where the CLI writes, and how. Three rules (README "Output locations"):
//
// 1. Nothing half-written. Results are filled into a temporary sibling
//    (`.<name>.tmp-<pid>-<random>`, made with mkdir so it gets the umask's permissions, not
//    mkdtemp's 0700), then renamed into place. On any error or interrupt the temporary is removed
//    and the destination is left as it was.
// 2. Never replace what Tributary did not write. An existing destination is replaced only when it
//    is Tributary's own earlier output of the same kind: a results folder holds its manifest.json,
//    a backtest folder its backtest.json, a report the generator marker, a plan its
//    `tributary_plan_version`, a generated data set its ground_truth.json, an sbc folder its
//    sbc.json. Anything else is refused
//    (exit 1, naming the path) before any work starts, and nothing is touched.
// 3. Every output problem is found before the sampling starts: `checkOutput*` probes the location
//    (creates and removes a probe named like the real temporary, so unwritable folders, files in
//    the way and names too long for the file system all fail now, with advice) and refuses foreign
//    destinations. The writers repeat the ownership check just before the rename.
//
// A SIGKILL during step 1 can still leave a temporary behind: readers skip dot-folders, and the
// next write into the same folder removes stale temporaries — those whose process is gone, or that
// are older than the live process now holding that pid (a reused pid). Temporaries in the
// pre-pid form (`.<name>.tmp-XXXXXX`, from earlier versions) are removed when older than an hour.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { TributaryError } from '@tributary/data';
import { BACKTEST_FILE, MANIFEST_FILE } from '@tributary/evaluation';
import { isTributaryReport } from '@tributary/report';
import { GROUND_TRUTH_FILE } from '@tributary/synthetic';

/** The file of `tributary sbc` that marks its output folder. */
export const SBC_FILE = 'sbc.json';

/** What a destination holds when Tributary wrote it. */
export type OutputKind = 'results' | 'backtest' | 'report' | 'plan' | 'dataset' | 'sbc';

const KIND_LABEL: Record<OutputKind, string> = {
  results: 'results folder (it has no manifest.json of tributary fit)',
  backtest: 'backtest folder (it has no backtest.json of tributary backtest)',
  report: 'report (it has no tributary report marker)',
  plan: 'plan (it is not a plan.json of tributary optimize)',
  dataset: 'generated data folder (it has no ground_truth.json of tributary generate)',
  sbc: 'sbc folder (it has no sbc.json of tributary sbc)',
};

/** Longest name component most file systems take (ext4, xfs, apfs, ntfs: 255 bytes). */
const NAME_MAX = 255;
/** What the temporary adds to a name: `.` + `.tmp-<pid>-<8 hex>` + `.old`. */
const TMP_OVERHEAD = 1 + '.tmp-'.length + 10 + 1 + 8 + '.old'.length;
const LEGACY_STALE_MS = 60 * 60 * 1000;

export class OutputLocationError extends TributaryError {
  constructor(message: string) {
    super('OUTPUT_LOCATION', message);
    this.name = 'OutputLocationError';
  }
}

function tmpName(finalPath: string): string {
  return `.${basename(finalPath)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
}

async function readHead(path: string, bytes: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

async function jsonHasKey(path: string, key: string): Promise<boolean> {
  try {
    const json = JSON.parse(await readFile(path, 'utf8')) as unknown;
    return typeof json === 'object' && json !== null && key in json;
  } catch {
    return false;
  }
}

/** True when `path` (which exists) is Tributary's own output of `kind`. */
export async function isOwnOutput(path: string, kind: OutputKind): Promise<boolean> {
  const s = await statOrUndefined(path);
  if (s === undefined) return false;
  switch (kind) {
    case 'results':
      return s.isDirectory() && (await jsonHasKey(join(path, MANIFEST_FILE), 'tributary_results_version'));
    case 'backtest':
      return s.isDirectory() && (await jsonHasKey(join(path, BACKTEST_FILE), 'tributary_backtest_version'));
    case 'dataset':
      return s.isDirectory() && (await jsonHasKey(join(path, GROUND_TRUTH_FILE), 'scenario'));
    case 'sbc':
      return s.isDirectory() && (await jsonHasKey(join(path, SBC_FILE), 'tributary_sbc_version'));
    case 'plan':
      return s.isFile() && (await jsonHasKey(path, 'tributary_plan_version'));
    case 'report':
      return s.isFile() && isTributaryReport(await readHead(path, 4096));
  }
}

/**
 * Checks before any work that `path` can be written as output of `kind`: an existing
 * destination must be Tributary's own output of that kind (or, for `dataset`, a folder none of
 * whose `files` exist yet), the name must fit the file system, and the folder it goes into must
 * be a writable folder (proved by creating and removing a probe). Throws OutputLocationError
 * naming `flag` and the path, with what to do.
 */
export async function checkOutputLocation(
  path: string,
  kind: OutputKind,
  flag: string,
  options: { files?: readonly string[] } = {},
): Promise<void> {
  const isDir = kind === 'results' || kind === 'backtest' || kind === 'dataset' || kind === 'sbc';
  const where = `${flag} ${path}`;
  for (const part of path.split(/[\\/]/)) {
    if (Buffer.byteLength(part) + TMP_OVERHEAD > NAME_MAX) {
      throw new OutputLocationError(
        `${where}: the name "${part.length > 40 ? `${part.slice(0, 40)}…` : part}" is ${Buffer.byteLength(part)} bytes; ` +
          `names must be at most ${NAME_MAX - TMP_OVERHEAD} bytes here (the file system's limit is ${NAME_MAX}, less room for the temporary); choose a shorter name.`,
      );
    }
  }
  const existing = await statOrUndefined(path);
  if (existing !== undefined) {
    if (isDir && !existing.isDirectory()) {
      throw new OutputLocationError(`${where} is a file, not a folder; name a folder (it will be created), or move the file away.`);
    }
    if (!isDir && existing.isDirectory()) {
      throw new OutputLocationError(`${where} is a folder; name a file inside it, e.g. ${join(path, kind === 'report' ? 'report.html' : 'plan.json')}.`);
    }
    if (kind === 'dataset') {
      const clashes: string[] = [];
      for (const f of options.files ?? []) if ((await statOrUndefined(join(path, f))) !== undefined) clashes.push(f);
      if (clashes.length > 0 && !(await isOwnOutput(path, kind))) {
        throw new OutputLocationError(
          `${where} already holds ${clashes.join(', ')}, and it is not a ${KIND_LABEL[kind]}; Tributary replaces only its own earlier output. ` +
            'Choose another --out, or move those files away.',
        );
      }
    } else if (!(await isOwnOutput(path, kind))) {
      throw new OutputLocationError(
        `${where} exists and is not a Tributary ${KIND_LABEL[kind]}; Tributary replaces only its own earlier output. ` +
          `Choose another ${flag}${flag === '--out' && kind === 'results' ? ' or --name' : ''}, or move it away. Nothing was written.`,
      );
    }
  }
  // The folder the temporary goes into: the parent, or (not created yet) its nearest existing ancestor.
  const parent = kind === 'dataset' && existing !== undefined ? path : dirname(path);
  let probeDir = parent;
  for (;;) {
    const s = await statOrUndefined(probeDir);
    if (s !== undefined) {
      if (!s.isDirectory()) throw new OutputLocationError(`${where}: ${probeDir} is a file, so nothing can be written below it; choose another ${flag}.`);
      break;
    }
    const up = dirname(probeDir);
    if (up === probeDir) break;
    probeDir = up;
  }
  const probe = join(probeDir, probeDir === parent ? tmpName(path) : `.tributary-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(probe);
    await rmdir(probe);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    const advice =
      code === 'EACCES' || code === 'EPERM'
        ? `you may not write to ${probeDir}; choose a folder you own for ${flag}, or fix its permissions.`
        : code === 'EROFS'
          ? `${probeDir} is on a read-only file system; choose another ${flag}.`
          : code === 'ENAMETOOLONG'
            ? `the path is too long for the file system; choose a shorter ${flag}.`
            : code === 'ENOSPC'
              ? `the disk holding ${probeDir} is full.`
              : `check ${flag}.`;
    throw new OutputLocationError(`${where}: cannot write in ${probeDir} (${code}); ${advice}`);
  }
}

/** The start time (ms since the epoch) of live process `pid`, undefined when it is gone. */
async function processStart(pid: number): Promise<number | undefined> {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return undefined;
  }
  try {
    return (await stat(`/proc/${pid}`)).mtimeMs;
  } catch {
    return 0; // alive, start unknown (no /proc): never older than its process
  }
}

const TMP_PATTERN = /^\..+\.tmp-(?:(\d+)-[0-9a-f]{8}|[A-Za-z0-9]{6})(?:\.old)?$/;

/** Removes stale temporaries (see the header) from `folder`; returns the names removed. */
export async function removeStaleTemporaries(folder: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of entries) {
    const m = TMP_PATTERN.exec(name);
    if (!m) continue;
    const path = join(folder, name);
    const s = await statOrUndefined(path);
    if (s === undefined) continue;
    let stale: boolean;
    if (m[1] !== undefined) {
      const pid = Number(m[1]);
      if (pid === process.pid) continue;
      const started = await processStart(pid);
      stale = started === undefined || s.birthtimeMs + 1000 < started || s.mtimeMs + 1000 < started;
    } else {
      stale = Date.now() - s.mtimeMs > LEGACY_STALE_MS;
    }
    if (stale) {
      await rm(path, { recursive: true, force: true });
      removed.push(name);
    }
  }
  return removed;
}

/**
 * Runs `fill(tmpDir)` and then atomically replaces `finalDir` with the filled folder. On any
 * error (or abort) the temporary folder is removed and `finalDir` is left as it was. An existing
 * `finalDir` must be Tributary's own output of `kind` (checked again just before the swap).
 */
export async function writeDirAtomic(finalDir: string, kind: OutputKind, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  const parent = dirname(finalDir);
  await mkdir(parent, { recursive: true });
  await removeStaleTemporaries(parent);
  const tmp = join(parent, tmpName(finalDir));
  await mkdir(tmp);
  try {
    await fill(tmp);
    const old = `${tmp}.old`;
    let hadOld = false;
    if ((await statOrUndefined(finalDir)) !== undefined) {
      if (!(await isOwnOutput(finalDir, kind))) {
        throw new OutputLocationError(`${finalDir} appeared while working and is not a Tributary ${KIND_LABEL[kind]}; it was left as it was and nothing was written.`);
      }
      await rename(finalDir, old);
      hadOld = true;
    }
    await rename(tmp, finalDir);
    if (hadOld) await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Writes `text` to a temporary sibling file, then renames it over `file` (which, if it exists, must be Tributary's own `kind`). */
export async function writeFileAtomic(file: string, kind: OutputKind, text: string): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  await removeStaleTemporaries(dir);
  const tmp = join(dir, tmpName(file));
  try {
    await writeFile(tmp, text);
    if ((await statOrUndefined(file)) !== undefined && !(await isOwnOutput(file, kind))) {
      throw new OutputLocationError(`${file} appeared while working and is not a Tributary ${KIND_LABEL[kind]}; it was left as it was.`);
    }
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
