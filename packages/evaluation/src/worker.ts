/**
 * Worker-thread entry of the two-thread evaluation (parallel.ts): rebuilds the fitted model from
 * the folder's manifest and data file as soon as it starts, parses the half of draws.csv's
 * lines it is asked for (results.ts `parseRowsInto`, into the shared array), then — given the
 * draws — makes its share of the pass (the blocks of draws it claims, every part of them; its
 * coverage counts go back to the main thread, which makes the predictive checks), and takes
 * chunks of the summary and PSIS-LOO work.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { spendTotals } from './derived.js';
import { makePass } from './draw-pass.js';
import { claimFrom, markWorkerPass, runChunks, serializeError, waitForMainPass, type WorkerInit, type WorkerParse, type WorkerReply, type WorkerStart } from './parallel.js';
import { passCoverage } from './ppc.js';
import { rebuildFromManifest } from './rebuild.js';
import { DRAWS_FILE, folderName, parseRowsInto, splitLines, type ResultsFolder } from './results.js';

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
  const ready = rebuildFromManifest(init.dir, init.dataFile === undefined ? {} : { dataFile: init.dataFile });
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
        const fitted = await ready;
        const { manifest } = fitted;
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
        makePass(
          results,
          fitted.model,
          { derived: true, ppc: true, logLik: true, liftTests: true, ...seed },
          { into: work.outputs, muSum: true, coverage, claim: claimFrom(work.blocks), spendTotal: spendTotals(fitted.panel) },
        );
        markWorkerPass(work.control);
        port.postMessage({ type: 'pass', coverage: coverage.counts.state() } satisfies WorkerReply);
        const outcome = await runChunks(work, start.draws, start.numChains, () => waitForMainPass(work.control));
        reply = { type: 'done', outcome: { rows: outcome.rows, error: outcome.error && { chunk: outcome.error.chunk, error: serializeError(outcome.error.error) } } };
      } catch (error) {
        reply = { type: 'error', error: serializeError(error) };
      }
      port.postMessage(reply);
    })();
  });
}
