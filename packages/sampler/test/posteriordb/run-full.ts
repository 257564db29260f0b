// Full-size posteriordb comparison, for the bench (too slow for CI):
//
//   pnpm --filter @tributary/sampler exec tsx test/posteriordb/run-full.ts [name ...]
//       [--warmup 1000] [--draws 1000] [--seed 20240611] [--chains 4] [--metric diag|dense]
//       [--parallel] [--json results.json]
//
// --parallel runs the chains in worker threads (TargetSpec path); under the tsx CLI on Node 20
// this currently fails (see CheckOptions.parallel in check.ts), so the default is in-thread.
//
// Without names it runs every posterior in test/fixtures/posteriordb. Prints one table per
// posterior (failed checks marked with *) and exits with status 1 if any posterior fails.

import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { checkPosteriordb, describeRun, type CheckResult } from './check.js';
import { formatComparison } from './compare.js';
import { POSTERIORDB_NAMES, type PosteriordbName } from './targets.js';

export const FULL_SIZE = { warmup: 1000, draws: 1000, seed: 20240611 } as const;

export async function runFull(
  names: readonly PosteriordbName[],
  options: { warmup: number; draws: number; seed: number | string; chains?: number; metric?: 'diag' | 'dense'; parallel?: boolean },
  log: (line: string) => void = console.log,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const name of names) {
    const result = await checkPosteriordb(name, options);
    log(describeRun(result));
    log(formatComparison(result));
    log('');
    results.push(result);
  }
  return results;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      warmup: { type: 'string', default: String(FULL_SIZE.warmup) },
      draws: { type: 'string', default: String(FULL_SIZE.draws) },
      seed: { type: 'string', default: String(FULL_SIZE.seed) },
      chains: { type: 'string', default: '4' },
      metric: { type: 'string', default: 'diag' },
      parallel: { type: 'boolean', default: false },
      json: { type: 'string' },
    },
  });
  const unknown = positionals.filter((p) => !(POSTERIORDB_NAMES as readonly string[]).includes(p));
  if (unknown.length > 0) {
    throw new Error(`Unknown posterior(s) ${unknown.join(', ')}; expected some of: ${POSTERIORDB_NAMES.join(', ')}.`);
  }
  if (values.metric !== 'diag' && values.metric !== 'dense') throw new Error(`--metric must be diag or dense, got ${values.metric}.`);
  const names = positionals.length > 0 ? (positionals as PosteriordbName[]) : POSTERIORDB_NAMES;
  const seed = /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  const results = await runFull(names, {
    warmup: Number(values.warmup),
    draws: Number(values.draws),
    seed,
    chains: Number(values.chains),
    metric: values.metric,
    parallel: values.parallel,
  });
  if (values.json !== undefined) writeFileSync(values.json, JSON.stringify(results, null, 1));
  const failed = results.filter((r) => !r.passed).map((r) => r.name);
  console.log(failed.length === 0 ? 'all posteriors PASS' : `FAILED: ${failed.join(', ')}`);
  process.exitCode = failed.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
