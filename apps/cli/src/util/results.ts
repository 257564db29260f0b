// Reads back a results folder written by `tributary fit` (manifest.json + draws.csv).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TributaryError } from '@tributary/data';

export interface LoadedResults {
  manifest: Record<string, unknown> & { model: string; parameter_names: string[] };
  names: string[];
  /** Constrained draws per chain, numDraws × names.length row-major. */
  chains: Float64Array[];
}

/** Splits one CSV header line, honouring RFC 4180 quotes (names like "beta[DE,meta_spend]"). */
function splitHeader(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      out.push(field);
      field = '';
    } else {
      field += ch;
    }
  }
  out.push(field);
  return out;
}

export async function readResults(dir: string): Promise<LoadedResults> {
  let manifestText: string;
  let drawsText: string;
  try {
    manifestText = await readFile(join(dir, 'manifest.json'), 'utf8');
    drawsText = await readFile(join(dir, 'draws.csv'), 'utf8');
  } catch (e) {
    throw new TributaryError('RESULTS_NOT_FOUND', `${dir} is not a results folder of "tributary fit" (${(e as Error).message}); run tributary fit first.`);
  }
  const manifest = JSON.parse(manifestText) as LoadedResults['manifest'];
  const lines = drawsText.trimEnd().split('\n');
  const header = splitHeader(lines[0] ?? '');
  if (header[0] !== '.chain' || header[1] !== '.iteration') {
    throw new TributaryError('RESULTS_INVALID', `${join(dir, 'draws.csv')}: line 1 must start with .chain,.iteration`);
  }
  const names = header.slice(2);
  const dim = names.length;
  const byChain = new Map<number, number[]>();
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i]!.split(',');
    if (cells.length !== dim + 2) {
      throw new TributaryError('RESULTS_INVALID', `${join(dir, 'draws.csv')}: line ${i + 1} has ${cells.length} fields, expected ${dim + 2}`);
    }
    const chain = Number(cells[0]);
    let rows = byChain.get(chain);
    if (!rows) byChain.set(chain, (rows = []));
    for (let j = 0; j < dim; j++) {
      const c = cells[j + 2]!;
      rows.push(c === 'NA' ? NaN : c === 'Inf' ? Infinity : c === '-Inf' ? -Infinity : Number(c));
    }
  }
  const chains = [...byChain.keys()].sort((a, b) => a - b).map((k) => Float64Array.from(byChain.get(k)!));
  return { manifest, names, chains };
}
