// The two-thread evaluation (parallel.ts: this thread and a worker) gives the single-threaded
// report exactly — every number of the summary, PSIS-LOO (pointwise included), predictive
// checks, ROAS and contributions — for any seed, with lift tests, and through evaluateFolder and
// evaluateResultsParallel; an error is the single-threaded run's, a damaged draws.csv (parsed in
// halves on two threads) included.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateFolder, evaluateResults, evaluateResultsParallel, type EvaluationReport } from '../src/evaluate.js';
import { EvaluationError } from '../src/errors.js';
import { evaluationToJson } from '../src/json.js';
import { EvaluationWorker, type WorkerStart } from '../src/parallel.js';
import { posteriorPredictiveChecks } from '../src/ppc.js';
import type { FittedModel } from '../src/rebuild.js';
import { splitCsvLine, type ResultsFolder } from '../src/results.js';
import { fitAndLoad, removeTempDirs, tempDir } from './helpers.js';

let dir: string;
let results: ResultsFolder;
let fitted: FittedModel;

beforeAll(async () => {
  ({ dir, results, fitted } = await fitAndLoad({ seed: 11, warmup: 100, draws: 80 }));
});

afterAll(removeTempDirs);

/** Every number of two reports, typed arrays included, compared exactly (NaN equal to NaN). */
function expectSameReport(a: EvaluationReport, b: EvaluationReport): void {
  const plain = (r: EvaluationReport) => {
    const { results: _results, loo, ...rest } = r;
    const { pointwise, ...totals } = loo;
    return { rest, totals, pointwise: Object.fromEntries(Object.entries(pointwise).map(([k, v]) => [k, Array.from(v as ArrayLike<number>)])) };
  };
  expect(plain(a)).toEqual(plain(b));
  expect(JSON.stringify(evaluationToJson(a))).toBe(JSON.stringify(evaluationToJson(b)));
}

describe('two-thread evaluation', () => {
  it('evaluateFolder on two threads equals one thread, bit for bit', async () => {
    const two = await evaluateFolder(dir, { threads: 2, seed: 3 });
    const one = await evaluateFolder(dir, { threads: 1, seed: 3 });
    expectSameReport(two, one);
    expectSameReport(one, evaluateResults(results, fitted, { seed: 3 }));
    // the predictive checks counted in the pass are those of the observation-major y_rep
    expect(one.ppc).toEqual(posteriorPredictiveChecks(results, fitted, { seed: 3 }));
  });

  it('evaluateResultsParallel equals evaluateResults for the default seed', async () => {
    expectSameReport(await evaluateResultsParallel(results, fitted, { threads: 2 }), evaluateResults(results, fitted));
  });

  it('rejects a thread count that is not a positive integer', async () => {
    await expect(evaluateFolder(dir, { threads: 0 })).rejects.toThrow(/threads must be a positive integer/);
    await expect(evaluateResultsParallel(results, fitted, { threads: 1.5 })).rejects.toThrow(/threads must be a positive integer/);
  });

  it("passes the worker's own error on with its class and code, and names a worker that stopped", async () => {
    const lost = new EvaluationWorker({ dir: join(dir, 'no-such-folder'), dataFile: undefined });
    const shared = { control: new Int32Array(new SharedArrayBuffer(8)) } as unknown as WorkerStart['work'];
    try {
      const replies = lost.start({ type: 'start', numChains: 1, numDraws: 1, draws: [], seed: undefined, work: shared });
      const e = await replies.pass.then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(EvaluationError);
      expect((e as EvaluationError).code).toBe('RESULTS_NOT_FOUND');
    } finally {
      await lost.terminate();
    }
    const stopped = new EvaluationWorker({ dir, dataFile: undefined });
    await stopped.terminate();
    await expect(stopped.start({ type: 'start', numChains: 1, numDraws: 1, draws: [], seed: undefined, work: shared }).pass).rejects.toMatchObject({ code: 'WORKER_FAILED' });
  });

  it('reports a PSIS-LOO error of the log-likelihood as one thread does', async () => {
    // a draw with σ = 1e-300 makes the log-likelihood −Infinity in whichever thread computes it
    const copy = join(await tempDir(), 'hierarchical');
    await cp(dir, copy, { recursive: true });
    const lines = (await readFile(join(copy, 'draws.csv'), 'utf8')).split('\n');
    const column = splitCsvLine(lines[0]!).findIndex((name) => name.startsWith('sigma'));
    expect(column).toBeGreaterThan(1);
    for (const row of [37, 150]) {
      const cells = lines[row]!.split(',');
      cells[column] = '1e-300';
      lines[row] = cells.join(',');
    }
    await writeFile(join(copy, 'draws.csv'), lines.join('\n'));
    const single = await evaluateFolder(copy, { threads: 1 }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(single?.message).toMatch(/psisLoo: log-likelihood of draw \d+, observation \d+ is -Infinity/);
    await expect(evaluateFolder(copy, { threads: 2 })).rejects.toThrow(single!.message);
  });

  it('reads draws.csv on two threads as one thread does, and names its damage the same way', async () => {
    const original = (await readFile(join(dir, 'draws.csv'), 'utf8')).split('\n');
    const last = original.length - 2; // the file ends with a newline
    const damage: [string, (lines: string[]) => void][] = [
      ['a word in the second half', (lines) => (lines[last] = lines[last]!.replace(/,[^,]*$/, ',abc'))],
      ['a word in the first half, Inf in the second', (lines) => {
        lines[5] = lines[5]!.replace(/,[^,]*$/, ',abc');
        lines[last] = lines[last]!.replace(/,[^,]*$/, ',Inf');
      }],
      ['a missing field in the second half', (lines) => (lines[last - 3] = lines[last - 3]!.replace(/,[^,]*$/, ''))],
      ['an iteration out of order in the second half', (lines) => (lines[last - 1] = lines[last - 1]!.replace(/^(\d+),\d+,/, '$1,1,'))],
      ['a blank line in the second half', (lines) => (lines[last - 2] = '')],
    ];
    for (const [what, edit] of damage) {
      const copy = join(await tempDir(), 'hierarchical');
      await cp(dir, copy, { recursive: true });
      const lines = [...original];
      edit(lines);
      await writeFile(join(copy, 'draws.csv'), lines.join('\n'));
      const single = await evaluateFolder(copy, { threads: 1 }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(single, what).toBeInstanceOf(EvaluationError);
      await expect(evaluateFolder(copy, { threads: 2 }), what).rejects.toThrow(single!.message);
    }
  });
});
