// Finds and loads the results folders under a results root (`results/<model>/`), or a single
// model folder, and pools each folder's draws for per-draw computations. The draws are moved to
// SharedArrayBuffers so that the evaluation's worker thread reads them without a copy.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadResults, type ResultsFolder } from '@tributary/evaluation';

export const MODEL_ORDER = ['pooled', 'unpooled', 'hierarchical'] as const;

/** The model folders of a results root, in the order pooled, unpooled, hierarchical, then others. */
export function findModelDirs(resultsDir: string): string[] {
  const root = resolve(resultsDir);
  if (existsSync(join(root, 'manifest.json'))) return [root];
  if (!existsSync(root)) return [];
  const dirs = readdirSync(root)
    .filter((d) => !d.startsWith('.'))
    .map((d) => join(root, d))
    .filter((d) => statSync(d).isDirectory() && existsSync(join(d, 'manifest.json')));
  const rank = (d: string) => {
    const i = (MODEL_ORDER as readonly string[]).indexOf(d.split(/[\\/]/).pop() ?? '');
    return i < 0 ? MODEL_ORDER.length : i;
  };
  return dirs.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * The sampling wall time of a fit: `timing.json` beside the manifest (since the manifest became
 * byte-reproducible), or the manifest's `timing` in folders written before; undefined when neither.
 */
export function fitWallSeconds(r: ResultsFolder): number | undefined {
  let timing: unknown = (r.manifest as { timing?: unknown }).timing;
  try {
    timing = JSON.parse(readFileSync(join(r.dir, 'timing.json'), 'utf8'));
  } catch {
    // no (readable) timing.json: keep the manifest's
  }
  const wall = (timing as { wall_seconds?: unknown } | undefined)?.wall_seconds;
  return typeof wall === 'number' ? wall : undefined;
}

export async function loadModelFolders(resultsDir: string): Promise<ResultsFolder[]> {
  const dirs = findModelDirs(resultsDir);
  return Promise.all(dirs.map(async (d) => withSharedDraws(await loadResults(d))));
}

/**
 * The folder with its draws on SharedArrayBuffers: evaluateResultsParallel's worker then reads
 * them in place instead of receiving a structured-clone copy (155 MB more, and the time to copy
 * it, at 200 markets × 4,000 draws). `evaluateFolder` loads them that way itself; the loader it
 * uses (`loadResultsInto`) is not exported, so this copies once, on this thread.
 */
function withSharedDraws(r: ResultsFolder): ResultsFolder {
  const draws = r.draws.map((d) => {
    const shared = new Float64Array(new SharedArrayBuffer(d.byteLength));
    shared.set(d);
    return shared;
  });
  return { ...r, draws };
}

/** Draws of every chain in one sequence: `draw(s)` returns row s (chain after chain). */
export interface PooledDraws {
  numDraws: number;
  dim: number;
  row(s: number): Float64Array;
  column(name: string): Float64Array;
  /** Column per chain. */
  chains(name: string): Float64Array[];
  has(name: string): boolean;
}

export function pooledDraws(r: ResultsFolder): PooledDraws {
  const dim = r.names.length;
  const index = new Map(r.names.map((n, i) => [n, i]));
  const total = r.numChains * r.numDraws;
  return {
    numDraws: total,
    dim,
    row(s) {
      const c = Math.floor(s / r.numDraws);
      const i = s % r.numDraws;
      return r.draws[c]!.subarray(i * dim, (i + 1) * dim);
    },
    column(name) {
      const j = index.get(name);
      const out = new Float64Array(total);
      if (j === undefined) return out.fill(NaN);
      for (let c = 0; c < r.numChains; c++) for (let i = 0; i < r.numDraws; i++) out[c * r.numDraws + i] = r.draws[c]![i * dim + j]!;
      return out;
    },
    chains(name) {
      const j = index.get(name);
      return r.draws.map((d) => Float64Array.from({ length: r.numDraws }, (_, i) => (j === undefined ? NaN : d[i * dim + j]!)));
    },
    has(name) {
      return index.has(name);
    },
  };
}

/** Evenly spaced draw indices, at most `max` of them (all when there are fewer). */
export function thinIndices(total: number, max: number): number[] {
  if (total <= max) return Array.from({ length: total }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.floor((i * total) / max));
}
