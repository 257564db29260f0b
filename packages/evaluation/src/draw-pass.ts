/**
 * One pass over the posterior draws: every draw is loaded ONCE with `Model.loadDraw` (one
 * adstock + Hill pass per channel when transforms are learned) and everything the evaluation
 * needs per draw is read from that view and stored for the summaries:
 * - `derived`: ROAS and marginal ROAS (G × C), contributions (G × (4 + C): baseline, trend,
 *   seasonality, controls, channels) and the sum of μ (money) per observed row — summed within
 *   each block of draws and the blocks' sums then added in block order (so that two threads'
 *   blocks give the same total; it differs from the plain draw-order sum by rounding);
 * - `ppc`: the replicated data y_rep (money) per observed row. The draws (chains in order) are
 *   cut into blocks of PASS_BLOCK = 32; block b's y_rep is drawn by `DrawView.yRep` from its own
 *   stream, `buildRng("${seed}/y_rep/${b}")` of `@tributary/sampler` (xor4096; block-rng.ts
 *   re-seeds one copy of it in place), consumed draw after draw within the block. So the same
 *   seed gives the same numbers whichever thread draws which block (parallel.ts). Deviation from
 *   the builds before it: y_rep was ONE stream `buildRng(seed)` over all draws, which forced one
 *   thread to draw all of it (and to compute μ a second time); the replicated data, predictive
 *   p-values and coverages are therefore other Monte Carlo draws for the same seed (as when the
 *   ziggurat came). ε is drawn by the ziggurat of normal.ts (Marsaglia & Tsang; Doornik), not by
 *   the model's default Box–Muller (`posteriorPredictive`): about a third of the cost;
 * - `logLik`: the pointwise log-likelihood of the scaled target (for PSIS-LOO);
 * - `liftTests`: the model-implied lift of every lift test.
 *
 * Storage is quantity-major (`values[q · S + s]`, draws chain after chain) so that each
 * quantity's draws are one contiguous subarray. `summarizeDerived`, `posteriorPredictiveChecks`,
 * `pointwiseLogLikelihood` and `liftTestChecks` accept a pass (option `pass`) instead of making
 * their own; `evaluateResults` makes one pass with every part and feeds all of them.
 *
 * `makePass` is the pass with the options the evaluation's own callers use (`PassSplit`): given
 * the spend totals, ROAS is the channel contribution over the spend — `DrawView.roas`'s
 * expression on the contributions the pass reads anyway (`roas` would compute them a second
 * time), bit for bit (test/draw-pass.test.ts); and parallel.ts shares one pass between two threads
 * by blocks (`PassSplit.claim`): every per-draw value is written at its draw's index, each block's
 * μ sum at the block's index (`sumBlocks`), and the predictive coverage is counted as y_rep is
 * drawn (ppc.ts `CoverageCounts`, which merge exactly) instead of storing y_rep: the few
 * observations the counts cannot decide get their y_rep drawn again (`replayYRep`). (Until this
 * change the pass kept a draw-major copy of all of y_rep for them: 1 GB at 200 markets.)
 */
import type { Model } from '@tributary/models';
import { BlockUniform } from './block-rng.js';
import { invalidArgument } from './errors.js';
import { zigguratNormal } from './normal.js';
import { sd } from './numerics.js';
import type { PassCoverage } from './ppc.js';
import { forEachDraw } from './rebuild.js';
import type { ResultsFolder } from './results.js';

export interface DrawPassParts {
  /** ROAS, marginal ROAS, contributions and the fitted mean. */
  readonly derived?: boolean;
  /** The replicated data of the posterior predictive checks. */
  readonly ppc?: boolean;
  /** The pointwise log-likelihood. */
  readonly logLik?: boolean;
  /** The model-implied lift of the lift tests. */
  readonly liftTests?: boolean;
}

export interface DrawPassOptions extends DrawPassParts {
  /** Seed of the replicated draws (default 1, as `posteriorPredictiveChecks`). */
  readonly seed?: number | string;
}

/** What a pass collected; the arrays of parts that were not asked for are absent. */
export interface DrawPass {
  /** Draws visited (all of the folder, chains in order). */
  readonly numDraws: number;
  readonly numChains: number;
  readonly parts: Required<DrawPassParts>;
  /** The seed of `yRep` (when `parts.ppc`). */
  readonly seed: number | string;
  /** (G · C) × S: ROAS of market g, channel c at `(g · C + c) · S + s`. */
  readonly roas?: Float64Array;
  /** (G · C) × S: marginal ROAS, same layout. */
  readonly marginalRoas?: Float64Array;
  /** (G · (4 + C)) × S: baseline, trend, seasonality, controls, channels of market g at `(g · (4 + C) + j) · S + s`. */
  readonly contributions?: Float64Array;
  /** N: Σ over draws of μ (money); divide by `numDraws` for the posterior mean. */
  readonly muSum?: Float64Array;
  /** N × S: y_rep (money) of observation n at `n · S + s`. */
  readonly yRep?: Float64Array;
  /**
   * (G · 4) × S: mean, sd (n − 1), min and max of market g's y_rep in draw s at
   * `(g · 4 + k) · S + s` (the test statistics of the predictive checks, `seriesStats`).
   */
  readonly yRepStats?: Float64Array;
  /** N × S: log-likelihood of the scaled target of observation n at `n · S + s`. */
  readonly logLik?: Float64Array;
  /** J × S: implied lift of test j at `j · S + s`. */
  readonly liftPredictions?: Float64Array;
}

/** Makes one pass over the draws of `results` with `model`, collecting the parts asked for. */
export function passOverDraws(results: ResultsFolder, model: Model, options: DrawPassOptions = {}): DrawPass {
  return makePass(results, model, options);
}

/** Arrays a pass fills instead of allocating its own (SharedArrayBuffer-backed ones for parallel.ts). */
export interface PassOutputs {
  readonly roas?: Float64Array;
  readonly marginalRoas?: Float64Array;
  readonly contributions?: Float64Array;
  readonly logLik?: Float64Array;
  readonly liftPredictions?: Float64Array;
  /** (G · PPC_STATS) × S: `DrawPass.yRepStats`. */
  readonly yRepStats?: Float64Array;
  /**
   * numBlocks(S) × N: block b's Σ of μ over its draws at b · N (with `muSum`); the pass then
   * leaves `DrawPass.muSum` out, and `sumBlocks` adds the blocks up in block order.
   */
  readonly blockMuSums?: Float64Array;
}

/**
 * How parallel.ts shares a pass between two threads (nothing changes a number: every per-draw
 * value is stored at its draw's index, every block's y_rep comes from the block's own stream and
 * its μ sum is added to the total in block order, whoever computes it).
 */
export interface PassSplit {
  /** Where to write the per-draw parts (default: new arrays). */
  readonly into?: PassOutputs;
  /** Whether to sum μ over the draws (default: with `derived`). Summed per block, blocks in order. */
  readonly muSum?: boolean;
  /**
   * Called at the first draw of every block of PASS_BLOCK draws, in order: whether this thread
   * computes the block (every part of it). Default: every block.
   */
  readonly claim?: (block: number) => boolean;
  /**
   * With `ppc`: count every draw of y_rep into `counts` (ppc.ts CoverageCounts) as it is drawn,
   * instead of storing the observation-major `yRep`; the pass sets `coverage.replay`, which
   * draws the y_rep of the rare observations the counts cannot decide again.
   */
  readonly coverage?: PassCoverage;
  /**
   * The spend totals of the model's data (`spendTotals(panel)`, G × C): ROAS is then computed as
   * `DrawView.roas` does — the channel contribution over the spend, NaN without spend — from the
   * contributions the pass reads anyway, instead of calling `roas`, which recomputes them.
   */
  readonly spendTotal?: Float64Array;
}

/** Draws per block: the unit of the y_rep streams, of the μ sums and of `PassSplit.claim`. */
export const PASS_BLOCK = 32;

/** Blocks of PASS_BLOCK draws in S draws. */
export function numBlocks(S: number): number {
  return Math.ceil(S / PASS_BLOCK);
}

/**
 * The seed string of block `block`'s y_rep stream (draws block·PASS_BLOCK …, chains in order):
 * its uniforms are `buildRng(yRepBlockSeed(seed, block)).uniform()` of @tributary/sampler
 * (xor4096; drawn here by block-rng.ts's re-seedable copy), so any thread can draw any block and
 * the same seed gives the same numbers.
 */
export function yRepBlockSeed(seed: number | string, block: number): string {
  return `${String(seed)}/y_rep/${block}`;
}

/** A fresh uniform stream of block `block` (tests; a pass re-seeds one `BlockUniform`). */
export function yRepBlockUniform(seed: number | string, block: number): () => number {
  return new BlockUniform(yRepBlockSeed(seed, block)).uniform;
}

/** total[n] = Σ_b blocks[b · N + n], blocks added in order (`PassOutputs.blockMuSums`). */
export function sumBlocks(blocks: Float64Array, N: number): Float64Array {
  const total = new Float64Array(N);
  for (let b = 0; b < blocks.length / N; b++) {
    const o = b * N;
    for (let n = 0; n < N; n++) total[n] = total[n]! + blocks[o + n]!;
  }
  return total;
}

/** `passOverDraws` shared as `split` says. */
export function makePass(results: ResultsFolder, model: Model, options: DrawPassOptions, split: PassSplit = {}): DrawPass {
  const parts: Required<DrawPassParts> = {
    derived: options.derived ?? false,
    ppc: options.ppc ?? false,
    logLik: options.logLik ?? false,
    liftTests: (options.liftTests ?? false) && model.liftTests.length > 0,
  };
  const G = model.markets.length;
  const C = model.channels.length;
  const N = model.numObs;
  const J = model.liftTests.length;
  const S = results.numChains * results.numDraws;
  const NC = 4 + C;
  const seed = options.seed ?? 1;
  const into = split.into ?? {};
  const array = (given: Float64Array | undefined, length: number) => {
    if (given && given.length !== length) invalidArgument(`makePass: an output array has ${given.length} values, expected ${length}`);
    return given ?? new Float64Array(length);
  };

  const roas = parts.derived ? array(into.roas, G * C * S) : undefined;
  const mroas = parts.derived ? array(into.marginalRoas, G * C * S) : undefined;
  const contrib = parts.derived ? array(into.contributions, G * NC * S) : undefined;
  const sumMu = split.muSum ?? parts.derived;
  const blockMu = sumMu && into.blockMuSums ? array(into.blockMuSums, numBlocks(S) * N) : undefined;
  const muSum = sumMu && !blockMu ? new Float64Array(N) : undefined;
  const muBlock = sumMu ? new Float64Array(N) : undefined;
  const coverage = parts.ppc ? split.coverage : undefined;
  const yRep = parts.ppc && !coverage ? new Float64Array(N * S) : undefined;
  const yRepStats = parts.ppc ? array(into.yRepStats, G * PPC_STATS * S) : undefined;
  const start = marketStarts(model);
  const logLik = parts.logLik ? array(into.logLik, N * S) : undefined;
  const lift = parts.liftTests ? array(into.liftPredictions, J * S) : undefined;

  const bufGC = new Float64Array(G * C);
  const bufN = new Float64Array(N);
  const bufJ = new Float64Array(J);
  // y_rep and the log-likelihood are stored observation-major; TILE draws are kept draw-major
  // and then written out together, so that the writes are not one cache line per value.
  const tileY = yRep ? new Float64Array(TILE * N) : null;
  const tileL = logLik ? new Float64Array(TILE * N) : null;
  const counts = coverage?.counts;
  const stream = parts.ppc ? new BlockUniform(yRepBlockSeed(seed, 0)) : null;
  const uniform = stream ? stream.uniform : () => NaN;
  const spend = split.spendTotal;
  if (spend && spend.length !== G * C) invalidArgument(`makePass: spendTotal has ${spend.length} values, expected ${G * C}`);
  let owned = true;

  forEachDraw(results, (draw, _c, _i, s) => {
    const slot = s % TILE;
    if (slot === 0) {
      if (split.claim) owned = split.claim(s / TILE);
      if (owned && stream) stream.reseed(yRepBlockSeed(seed, s / TILE));
      if (owned && muBlock) muBlock.fill(0);
    }
    if (!owned) return;
    const view = model.loadDraw(draw);
    if (roas && mroas && contrib) {
      const ct = view.contributions();
      if (spend) {
        for (let g = 0; g < G; g++) {
          const ch = ct.channels[g]!;
          for (let c = 0; c < C; c++) {
            const total = spend[g * C + c]!;
            roas[(g * C + c) * S + s] = total > 0 ? ch[c]! / total : NaN;
          }
        }
      } else {
        view.roas(bufGC);
        for (let k = 0; k < G * C; k++) roas[k * S + s] = bufGC[k]!;
      }
      view.marginalRoas(bufGC);
      for (let k = 0; k < G * C; k++) mroas[k * S + s] = bufGC[k]!;
      for (let g = 0; g < G; g++) {
        const base = g * NC;
        contrib[(base + 0) * S + s] = ct.baseline[g]!;
        contrib[(base + 1) * S + s] = ct.trend[g]!;
        contrib[(base + 2) * S + s] = ct.seasonality[g]!;
        contrib[(base + 3) * S + s] = ct.controls[g]!;
        const ch = ct.channels[g]!;
        for (let c = 0; c < C; c++) contrib[(base + 4 + c) * S + s] = ch[c]!;
      }
    }
    if (muBlock) {
      view.mean(bufN);
      for (let n = 0; n < N; n++) muBlock[n] = muBlock[n]! + bufN[n]!;
    }
    if (yRepStats) {
      view.yRep(uniform, bufN, { normal: zigguratNormal });
      if (tileY) tileY.set(bufN, slot * N);
      if (counts) counts.add(bufN);
      for (let g = 0; g < G; g++) {
        const t = seriesStats(bufN, start[g]!, start[g + 1]!);
        const at = g * PPC_STATS * S + s;
        yRepStats[at] = t.mean;
        yRepStats[at + S] = t.sd;
        yRepStats[at + 2 * S] = t.min;
        yRepStats[at + 3 * S] = t.max;
      }
    }
    if (logLik && tileL) {
      view.logLik(tileL.subarray(slot * N, (slot + 1) * N));
    }
    if (lift) {
      view.liftPredictions(bufJ);
      for (let j = 0; j < J; j++) lift[j * S + s] = bufJ[j]!;
    }
    if (slot === TILE - 1 || s === S - 1) {
      // write the tile's draws observation-major: TILE contiguous values per observation
      const s0 = s - slot;
      if (yRep && tileY) flushTile(tileY, yRep, N, S, s0, slot + 1);
      if (logLik && tileL) flushTile(tileL, logLik, N, S, s0, slot + 1);
      if (muBlock && muSum) for (let n = 0; n < N; n++) muSum[n] = muSum[n]! + muBlock[n]!;
      if (muBlock && blockMu) blockMu.set(muBlock, (s0 / TILE) * N);
    }
  });
  if (coverage) coverage.replay = (observations) => replayYRep(results, model, seed, observations);

  return {
    numDraws: S,
    numChains: results.numChains,
    parts,
    seed,
    ...(roas ? { roas } : {}),
    ...(mroas ? { marginalRoas: mroas } : {}),
    ...(contrib ? { contributions: contrib } : {}),
    ...(muSum ? { muSum } : {}),
    ...(yRep ? { yRep } : {}),
    ...(yRepStats ? { yRepStats } : {}),
    ...(logLik ? { logLik } : {}),
    ...(lift ? { liftPredictions: lift } : {}),
  };
}

/**
 * The y_rep draws (all S, in draw order) of each of `observations`, drawn again from the block
 * streams: a second pass over every draw (μ and y_rep only), for the observations whose coverage
 * the counts cannot decide (ppc.ts `CoverageCounts.inside`: y within rounding of a draw, NaN).
 */
export function replayYRep(results: ResultsFolder, model: Model, seed: number | string, observations: readonly number[]): Float64Array[] {
  const S = results.numChains * results.numDraws;
  const rows = observations.map(() => new Float64Array(S));
  if (rows.length === 0) return rows;
  const bufN = new Float64Array(model.numObs);
  const stream = new BlockUniform(yRepBlockSeed(seed, 0));
  forEachDraw(results, (draw, _c, _i, s) => {
    if (s % TILE === 0) stream.reseed(yRepBlockSeed(seed, s / TILE));
    model.loadDraw(draw).yRep(stream.uniform, bufN, { normal: zigguratNormal });
    observations.forEach((n, k) => (rows[k]![s] = bufN[n]!));
  });
  return rows;
}

/** The pass to use for `part`: `given` (checked to hold the part and the folder's draws) or a new one. */
export function passWith(
  part: keyof DrawPassParts,
  results: ResultsFolder,
  model: Model,
  given: DrawPass | undefined,
  options: { seed?: number | string } = {},
): DrawPass {
  if (given === undefined) return passOverDraws(results, model, { [part]: true, ...(options.seed === undefined ? {} : { seed: options.seed }) });
  const S = results.numChains * results.numDraws;
  if (given.numDraws !== S) invalidArgument(`the draw pass has ${given.numDraws} draws, the results folder ${S}`);
  if (!given.parts[part]) invalidArgument(`the draw pass was made without the "${part}" part`);
  if (part === 'ppc' && options.seed !== undefined && String(options.seed) !== String(given.seed)) {
    invalidArgument(`the draw pass's replicated data use seed ${String(given.seed)}, not ${String(options.seed)}`);
  }
  return given;
}

/** Draws per tile of the observation-major stores. */
const TILE = PASS_BLOCK;

/** out[n · S + s0 + k] = tile[k · N + n] for k < count. */
function flushTile(tile: Float64Array, out: Float64Array, N: number, S: number, s0: number, count: number): void {
  for (let n = 0; n < N; n++) {
    const o = n * S + s0;
    for (let k = 0; k < count; k++) out[o + k] = tile[k * N + n]!;
  }
}

/** Number of test statistics of the predictive checks per market and draw (mean, sd, min, max). */
export const PPC_STATS = 4;

/** G + 1 offsets of each market's observed rows (rows are ordered by market). */
export function marketStarts(model: Pick<Model, 'markets' | 'numObs' | 'obsMarket'>): Int32Array {
  const G = model.markets.length;
  const start = new Int32Array(G + 1);
  for (let n = 0; n < model.numObs; n++) start[model.obsMarket[n]! + 1] = start[model.obsMarket[n]! + 1]! + 1;
  for (let g = 0; g < G; g++) start[g + 1] = start[g + 1]! + start[g]!;
  return start;
}

/** Mean, sd (n − 1), min and max of x[a..b). */
export function seriesStats(x: ArrayLike<number>, a: number, b: number): { mean: number; sd: number; min: number; max: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = a; i < b; i++) {
    const v = x[i]!;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { mean: sum / (b - a), sd: sd(x, a, b), min, max };
}
