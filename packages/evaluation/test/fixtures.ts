// Readers for the committed fixtures (test/fixtures/make_loo_fixtures.R writes them with R's loo 2.5.1).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildLogLikelihoodMatrix, type LogLikelihoodMatrix } from '../src/loo.js';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

/** A `.chain,obs_1,…` CSV (gzip) as a column-major log-likelihood matrix. */
export function readLogLik(file: string): LogLikelihoodMatrix {
  const text = gunzipSync(readFileSync(join(FIXTURES, 'loo', file))).toString('utf8');
  const lines = text.trimEnd().split('\n');
  const numObs = lines[0]!.split(',').length - 1;
  const numDraws = lines.length - 1;
  const values = new Float64Array(numDraws * numObs);
  const chains = new Set<string>();
  for (let s = 0; s < numDraws; s++) {
    const cells = lines[s + 1]!.split(',');
    chains.add(cells[0]!);
    for (let i = 0; i < numObs; i++) values[i * numDraws + s] = Number(cells[i + 1]);
  }
  return buildLogLikelihoodMatrix(values, numDraws, numObs, chains.size);
}

export function readJson<T = Record<string, unknown>>(file: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, 'loo', file), 'utf8')) as T;
}

export interface RLoo {
  elpd_loo: number;
  se_elpd_loo: number;
  p_loo: number;
  se_p_loo: number;
  looic: number;
  se_looic: number;
  pointwise: { elpd_loo: number[]; mcse_elpd_loo: number[]; p_loo: number[]; looic: number[]; pareto_k: number[] };
  n_eff: number[];
}
