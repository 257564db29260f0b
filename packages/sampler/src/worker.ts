// Worker-thread entry: rebuilds the target from a TargetSpec (once per worker) and runs the
// chains the main thread sends, one at a time, posting throttled progress and the results
// (Float64Array buffers transferred, not copied).
//
// Deviation from Stan: Stan runs chains as separate processes (CmdStan) or threads sharing one
// model instance; here each worker rebuilds the target from its TargetSpec, and a chain's draws
// depend only on (seed, chain), never on which worker ran it.

import { parentPort, workerData } from 'node:worker_threads';
import { runChain, type ChainConfig, type ChainResult } from './chain.js';
import { SamplerError } from './errors.js';
import { loadTarget } from './target-spec.js';
import type { LogDensity, ProgressEvent, TargetSpec } from './types.js';

export type WorkerRequest = { readonly type: 'run'; readonly config: ChainConfig };

export type WorkerResponse =
  | { readonly type: 'progress'; readonly event: ProgressEvent }
  | { readonly type: 'done'; readonly result: ChainResult }
  | {
      readonly type: 'error';
      readonly chain: number;
      readonly error: { readonly name: string; readonly message: string; readonly code?: string; readonly stack?: string };
    };

const port = parentPort;
if (port !== null) {
  const spec = (workerData as { spec: TargetSpec }).spec;
  let targetPromise: Promise<LogDensity> | null = null;
  port.on('message', (request: WorkerRequest) => {
    void (async () => {
      const chain = request.config.chain;
      try {
        targetPromise ??= loadTarget(spec);
        const target = await targetPromise;
        const result = runChain(target, request.config, (event) => port.postMessage({ type: 'progress', event } satisfies WorkerResponse));
        const s = result.stats;
        const transfer = [result.draws, result.metric, s.stepsize, s.treedepth, s.n_leapfrog, s.divergent, s.energy, s.accept_stat, s.lp].map(
          (a) => a.buffer as ArrayBuffer,
        );
        port.postMessage({ type: 'done', result } satisfies WorkerResponse, transfer);
      } catch (error) {
        const e = error instanceof Error ? error : new Error(String(error));
        const code = e instanceof SamplerError ? e.code : undefined;
        port.postMessage({
          type: 'error',
          chain,
          error: { name: e.name, message: e.message, ...(code === undefined ? {} : { code }), ...(e.stack === undefined ? {} : { stack: e.stack }) },
        } satisfies WorkerResponse);
      }
    })();
  });
}
