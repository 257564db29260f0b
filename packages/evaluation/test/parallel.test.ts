// The two-thread evaluation (parallel.ts: this thread and a worker) gives the single-threaded
// report exactly — every number of the summary, PSIS-LOO (pointwise included), predictive
// checks, ROAS and contributions — for any seed, with lift tests, and through evaluateFolder and
// evaluateResultsParallel; a failing worker is reported, not hung on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateFolder, evaluateResults, evaluateResultsParallel, type EvaluationReport } from '../src/evaluate.js';
import { evaluationToJson } from '../src/json.js';
import type { FittedModel } from '../src/rebuild.js';
import type { ResultsFolder } from '../src/results.js';
import { fitAndLoad, removeTempDirs } from './helpers.js';

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
  });

  it('evaluateResultsParallel equals evaluateResults for the default seed', async () => {
    expectSameReport(await evaluateResultsParallel(results, fitted, { threads: 2 }), evaluateResults(results, fitted));
  });

  it('rejects a thread count that is not a positive integer', async () => {
    await expect(evaluateFolder(dir, { threads: 0 })).rejects.toThrow(/threads must be a positive integer/);
    await expect(evaluateResultsParallel(results, fitted, { threads: 1.5 })).rejects.toThrow(/threads must be a positive integer/);
  });

  it('reports a PSIS-LOO error of the log-likelihood as one thread does', async () => {
    // a non-finite log-likelihood: the error names the first bad observation whichever thread met it
    const bad: FittedModel = {
      ...fitted,
      model: new Proxy(fitted.model, {
        get(target, key, receiver) {
          if (key !== 'loadDraw') return Reflect.get(target, key, receiver) as unknown;
          return (draw: Float64Array) => {
            const view = target.loadDraw(draw);
            return new Proxy(view, {
              get(v, k, r) {
                if (k !== 'logLik') {
                  const f = Reflect.get(v, k, r) as unknown;
                  return typeof f === 'function' ? (f as (...a: unknown[]) => unknown).bind(v) : f;
                }
                return (out: Float64Array) => {
                  v.logLik(out);
                  out[100] = NaN;
                  out[7] = -Infinity;
                  return out;
                };
              },
            });
          };
        },
      }),
    };
    const single = (() => {
      try {
        evaluateResults(results, bad);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(single?.message).toMatch(/observation 8 is -Infinity/);
    await expect(evaluateResultsParallel(results, bad, { threads: 2 })).rejects.toThrow(single!.message);
  });
});
