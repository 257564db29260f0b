import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sample, SamplerError, SamplingAbortedError, MAX_INIT_TRIES, type LogDensity, type Posterior, type ProgressEvent, type TargetSpec } from '../src/index.js';
import { buildNowhereFinite, buildStdNormal } from './fixtures/targets.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/targets.ts', import.meta.url));
const stdNormalSpec = (dim: number): TargetSpec => ({ module: FIXTURE, export: 'buildStdNormal', args: [dim] });

function bytes(a: Float64Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Everything in a Posterior that must be reproducible (not the timings). */
function expectIdentical(a: Posterior, b: Posterior): void {
  expect(a.numChains).toBe(b.numChains);
  expect(a.parameterNames).toEqual(b.parameterNames);
  for (let c = 0; c < a.numChains; c++) {
    expect(bytes(a.draws[c]!).equals(bytes(b.draws[c]!))).toBe(true);
    for (const key of ['stepsize', 'treedepth', 'n_leapfrog', 'divergent', 'energy', 'accept_stat', 'lp'] as const) {
      expect(bytes(a.sampleStats[key][c]!).equals(bytes(b.sampleStats[key][c]!))).toBe(true);
    }
    expect(bytes(a.metric[c]!).equals(bytes(b.metric[c]!))).toBe(true);
    expect(a.stepSize[c]).toBe(b.stepSize[c]);
    expect(a.numGradientEvaluations[c]).toBe(b.numGradientEvaluations[c]);
  }
}

async function rejection(promise: Promise<unknown>): Promise<SamplerError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SamplerError);
    return error as SamplerError;
  }
  throw new Error('expected a rejection');
}

const small = { chains: 3, warmup: 150, draws: 100, seed: 42 } as const;

describe('reproducibility', () => {
  it('gives byte-identical draws for the same seed (in this thread, twice)', async () => {
    const a = await sample(buildStdNormal(10), { ...small, parallel: false });
    const b = await sample(buildStdNormal(10), { ...small, parallel: false });
    expectIdentical(a, b);
    expect(a.seed).toBe(42);
  });

  it('gives byte-identical draws in worker threads and in this thread', async () => {
    const inThread = await sample(buildStdNormal(10), { ...small, metric: 'dense' });
    const inWorkers = await sample(stdNormalSpec(10), { ...small, metric: 'dense', parallel: 2 });
    const specInThread = await sample(stdNormalSpec(10), { ...small, metric: 'dense', parallel: false });
    expectIdentical(inThread, inWorkers);
    expectIdentical(inThread, specInThread);
    expect(inWorkers.metricKind).toBe('dense');
    expect(inWorkers.metric[0]!.length).toBe(100);
  }, 120_000);

  it('differs between seeds and between chains', async () => {
    const a = await sample(buildStdNormal(10), { ...small, parallel: false });
    const b = await sample(buildStdNormal(10), { ...small, seed: 43, parallel: false });
    expect(bytes(a.draws[0]!).equals(bytes(b.draws[0]!))).toBe(false);
    expect(bytes(a.draws[0]!).equals(bytes(a.draws[1]!))).toBe(false);
    const s = await sample(buildStdNormal(10), { ...small, seed: '42', parallel: false });
    expectIdentical(a, s); // the seed enters as the string `${seed}:${chain}`
  });
});

describe('Posterior shape', () => {
  it('has Stan-named stats per chain, timings and default parameter names', async () => {
    const post = await sample(buildStdNormal(3), { chains: 2, warmup: 50, draws: 20, seed: 1, parallel: false });
    expect(post).toMatchObject({ numChains: 2, numDraws: 20, numWarmup: 50, dim: 3, metricKind: 'diag' });
    expect(post.parameterNames).toEqual(['theta[1]', 'theta[2]', 'theta[3]']);
    expect(post.draws.map((d) => d.length)).toEqual([60, 60]);
    expect(Object.keys(post.sampleStats).sort()).toEqual(['accept_stat', 'divergent', 'energy', 'lp', 'n_leapfrog', 'stepsize', 'treedepth']);
    for (const v of Object.values(post.sampleStats)) expect(v.map((x: Float64Array) => x.length)).toEqual([20, 20]);
    expect(post.warmupSeconds).toHaveLength(2);
    expect(post.samplingSeconds.every((s) => s >= 0)).toBe(true);
    expect(post.wallSeconds).toBeGreaterThan(0);
    expect(post.numGradientEvaluations.every((n) => n > 70)).toBe(true);
  });

  it('uses the target parameter names and draws a seed when none is given', async () => {
    const target: LogDensity = { ...buildStdNormal(2), parameterNames: ['alpha', 'beta[1]'] };
    const post = await sample(target, { chains: 1, warmup: 20, draws: 5 });
    expect(post.parameterNames).toEqual(['alpha', 'beta[1]']);
    expect(typeof post.seed).toBe('number');
  });
});

describe('initial points', () => {
  it('fails after 100 attempts on a target that is -Infinity everywhere', async () => {
    let calls = 0;
    const inner = buildNowhereFinite(4);
    const target: LogDensity = { dim: 4, logDensityAndGradient: (t, g) => (calls++, inner.logDensityAndGradient(t, g)) };
    const error = await rejection(sample(target, { chains: 1, seed: 1, parallel: false }));
    expect(error.code).toBe('INIT_FAILED');
    expect(error.message).toMatch(/100 attempts/);
    expect(error.message).toMatch(/log density = -Infinity/);
    expect(calls).toBe(MAX_INIT_TRIES);
  });

  it('reports the init failure from a worker with its code', async () => {
    const error = await rejection(sample({ module: FIXTURE, export: 'buildNowhereFinite', args: [2] }, { chains: 2, seed: 1, parallel: 2 }));
    expect(error.code).toBe('INIT_FAILED');
  }, 120_000);

  it('starts from a user init (one for all chains, or one per chain)', async () => {
    const firstPoints: number[][] = [];
    const inner = buildStdNormal(2);
    let fresh = true;
    const target: LogDensity = {
      dim: 2,
      logDensityAndGradient(theta, grad) {
        if (fresh) firstPoints.push(Array.from(theta));
        fresh = false;
        return inner.logDensityAndGradient(theta, grad);
      },
    };
    await sample(target, { chains: 1, warmup: 5, draws: 5, seed: 1, init: [0.25, -0.5], parallel: false });
    expect(firstPoints[0]).toEqual([0.25, -0.5]);
    const error = await rejection(sample(target, { chains: 2, warmup: 5, draws: 5, init: [[1, 2]], parallel: false }));
    expect(error.message).toMatch(/init.*one per chain \(2\)/);
    const wrongDim = await rejection(sample(target, { chains: 1, warmup: 5, draws: 5, init: [1, 2, 3], parallel: false }));
    expect(wrongDim.code).toBe('INVALID_OPTION');
    expect(wrongDim.message).toMatch(/3 entries but the target has dim 2/);
    const outside = await rejection(sample(buildNowhereFinite(2), { chains: 1, init: [0, 0], parallel: false }));
    expect(outside.code).toBe('INIT_FAILED');
  });
});

describe('progress and abort', () => {
  it('reports throttled progress through warmup and sampling for every chain', async () => {
    const events: ProgressEvent[] = [];
    await sample(buildStdNormal(5), { chains: 2, warmup: 1000, draws: 1000, seed: 3, parallel: false, onProgress: (e) => events.push(e) });
    for (const chain of [0, 1]) {
      const mine = events.filter((e) => e.chain === chain);
      expect(mine.length).toBeGreaterThanOrEqual(50);
      expect(mine.length).toBeLessThan(250);
      expect(mine.at(-1)).toMatchObject({ iteration: 2000, numIterations: 2000, phase: 'sampling' });
      expect(mine[0]!.phase).toBe('warmup');
      for (let k = 1; k < mine.length; k++) expect(mine[k]!.iteration).toBeGreaterThan(mine[k - 1]!.iteration);
      expect(mine.every((e) => e.stepSize > 0 && e.treedepth >= 0 && e.divergences >= 0)).toBe(true);
    }
  });

  it('aborts in this thread with SamplingAbortedError', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const error = await rejection(
      sample(buildStdNormal(50), {
        chains: 2,
        warmup: 100_000,
        draws: 100_000,
        seed: 1,
        parallel: false,
        signal: controller.signal,
        onProgress: (e) => {
          if (e.iteration > 100) controller.abort();
        },
      }),
    );
    expect(error).toBeInstanceOf(SamplingAbortedError);
    expect(error.code).toBe('ABORTED');
    expect(performance.now() - started).toBeLessThan(20_000);
  }, 120_000);

  it('aborts worker threads with SamplingAbortedError', async () => {
    const controller = new AbortController();
    const error = await rejection(
      sample(stdNormalSpec(50), {
        chains: 2,
        warmup: 1_000_000,
        draws: 1_000_000,
        seed: 1,
        parallel: 2,
        signal: controller.signal,
        onProgress: () => controller.abort(),
      }),
    );
    expect(error.code).toBe('ABORTED');
  }, 120_000);

  it('rejects at once when the signal is already aborted', async () => {
    const error = await rejection(sample(buildStdNormal(2), { signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(SamplingAbortedError);
  });
});

describe('configuration errors', () => {
  const target = buildStdNormal(2);
  it.each([
    [{ targetAccept: 1.2 }, /Invalid option targetAccept: 1\.2\. Expected a number strictly between 0 and 1/],
    [{ chains: 0 }, /Invalid option chains: 0\. Expected an integer from 1 to/],
    [{ warmup: -1 }, /Invalid option warmup: -1/],
    [{ draws: 2.5 }, /Invalid option draws: 2\.5/],
    [{ maxTreeDepth: 0 }, /Invalid option maxTreeDepth: 0\. Expected an integer from 1 to 20/],
    [{ metric: 'full' }, /Invalid option metric: "full"\. Expected 'diag' or 'dense'/],
    [{ parallel: 0 }, /Invalid option parallel: 0/],
    [{ seed: Number.NaN }, /Invalid option seed: NaN/],
  ])('rejects %o', async (options, message) => {
    const error = await rejection(sample(target, options as never));
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toMatch(message);
  });

  it('rejects malformed targets with INVALID_TARGET', async () => {
    expect((await rejection(sample({ dim: 0, logDensityAndGradient: () => 0 }))).code).toBe('INVALID_TARGET');
    expect((await rejection(sample({ dim: 2 } as never))).message).toMatch(/logDensityAndGradient is not a function/);
    expect((await rejection(sample({ module: 'relative/path.js', export: 'x', args: [] }))).message).toMatch(/relative path/);
    const missing = await rejection(sample({ module: FIXTURE, export: 'buildNothing', args: [] }, { parallel: false }));
    expect(missing.code).toBe('INVALID_TARGET');
    expect(missing.message).toMatch(/no exported function "buildNothing".*buildStdNormal/);
  });

  it('wraps an exception thrown by the target inside a worker', async () => {
    const error = await rejection(sample({ module: FIXTURE, export: 'buildThrowing', args: [2] }, { chains: 1, parallel: 1 }));
    expect(error.code).toBe('WORKER_FAILED');
    expect(error.message).toMatch(/boom from the test target/);
  }, 120_000);
});
