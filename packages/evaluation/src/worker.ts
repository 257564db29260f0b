/**
 * Worker-thread entry of the two-thread evaluation (parallel.ts): rebuilds the fitted model from
 * the folder's manifest and data file as soon as it starts, parses the half of draws.csv's
 * lines it is asked for (results.ts `parseRowsInto`, into the shared array), then — given the
 * draws — makes its share of the pass (every draw's y_rep, coverage counts and μ; the main
 * thread computes the rest), the predictive checks, and takes chunks of the summary and PSIS-LOO
 * work.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { makePass } from './draw-pass.js';
import { runChunks, serializeError, waitForMainPass, type WorkerInit, type WorkerParse, type WorkerReply, type WorkerStart } from './parallel.js';
import { countedPredictiveChecks, passCoverage } from './ppc.js';
import { rebuildModel, type FittedModel } from './rebuild.js';
import { DRAWS_FILE, folderName, loadManifest, parseRowsInto, splitLines, type ResultsFolder, type ResultsManifest } from './results.js';

/** Its half of draws.csv (read here: a string cannot be shared): whether all were numbers. */
async function parseDraws(m: WorkerParse): Promise<WorkerReply> {
  const init = workerData as WorkerInit;
  try {
    const lines = splitLines(await readFile(join(init.dir, DRAWS_FILE), 'utf8'));
    const ok = lines.length === m.to && parseRowsInto(lines, m.from, m.to, m.width, m.values);
    return { type: 'parsed', ok, lines: lines.length };
  } catch {
    return { type: 'parsed', ok: false, lines: -1 }; // the main thread's sequential parse says why
  }
}

const port = parentPort;
if (port !== null) {
  const init = workerData as WorkerInit;
  // the model, while the main thread parses draws.csv (rebuildModel reads only the manifest, the
  // folder and the parameter names of a results folder)
  const ready = (async (): Promise<{ manifest: ResultsManifest; fitted: FittedModel }> => {
    const manifest = await loadManifest(init.dir);
    const bare: ResultsFolder = { dir: init.dir, name: folderName(init.dir), manifest, names: manifest.parameter_names, numChains: 0, numDraws: 0, draws: [], sampleStats: {} };
    const fitted = await rebuildModel(bare, init.dataFile === undefined ? {} : { dataFile: init.dataFile });
    return { manifest, fitted };
  })();
  ready.catch(() => undefined); // reported when the work arrives
  port.on('message', (message: WorkerStart | WorkerParse) => {
    if (message.type === 'parse') {
      void parseDraws(message).then((reply) => port.postMessage(reply));
      return;
    }
    const start = message;
    void (async () => {
      let reply: WorkerReply;
      try {
        const { manifest, fitted } = await ready;
        const results: ResultsFolder = {
          dir: init.dir,
          name: folderName(init.dir),
          manifest,
          names: manifest.parameter_names,
          numChains: start.numChains,
          numDraws: start.numDraws,
          draws: start.draws,
          sampleStats: {},
        };
        const seed = start.seed === undefined ? {} : { seed: start.seed };
        const { work } = start;
        const coverage = passCoverage(fitted.panel);
        const pass = makePass(results, fitted.model, { ppc: true, ...seed }, { muSum: true, coverage });
        port.postMessage({ type: 'pass', muSum: pass.muSum! } satisfies WorkerReply);
        const ppc = countedPredictiveChecks(fitted, pass, coverage);
        const outcome = await runChunks(work, start.draws, start.numChains, () => waitForMainPass(work.control));
        reply = { type: 'done', ppc, outcome: { rows: outcome.rows, error: outcome.error && { chunk: outcome.error.chunk, error: serializeError(outcome.error.error) } } };
      } catch (error) {
        reply = { type: 'error', error: serializeError(error) };
      }
      port.postMessage(reply);
    })();
  });
}
