/**
 * Derived quantities of model-spec.md §6, per posterior draw and then summarised: ROAS and
 * marginal ROAS per market × channel (`DrawView.roas`, `DrawView.marginalRoas`) with mean, sd and
 * the 94% HDI, the contribution decomposition per market (`DrawView.contributions`: baseline,
 * trend, seasonality, controls and each channel, in money over the market's observed weeks), the
 * posterior-mean fitted values, the pointwise log-likelihood for PSIS-LOO and the lift tests'
 * implied lifts. The per-draw values are read from ONE `model.loadDraw` per draw
 * (draw-pass.ts); every function here takes an existing pass (`options.pass`) so that
 * `evaluateResults` visits the draws once for all of them.
 *
 * HDIs are `@tributary/sampler`'s `hdi` (ArviZ's definition: the narrowest interval holding 94%
 * of the pooled draws), computed on draws sorted by summary.ts's radix argsort (the same sorted
 * values, so the same interval). A market-channel without spend has NaN ROAS (no HDI).
 */
import type { Panel } from '@tributary/data';
import type { Model } from '@tributary/models';
import { DEFAULT_HDI_PROB } from '@tributary/sampler';
import { buildLogLikelihoodMatrix, type LogLikelihoodMatrix } from './loo.js';
import { mean, sd } from './numerics.js';
import { passWith, type DrawPass } from './draw-pass.js';
import { hdiOfSorted, sortAscending } from './summary.js';
import type { FittedModel } from './rebuild.js';
import type { ResultsFolder } from './results.js';

export interface IntervalSummary {
  readonly mean: number;
  readonly sd: number;
  readonly hdiLow: number;
  readonly hdiHigh: number;
}

/** Mean, sd (n − 1) and HDI of one quantity's pooled draws (NaN for non-finite draws). */
export function summarizeDraws(x: Float64Array, prob = DEFAULT_HDI_PROB): IntervalSummary {
  let finite = true;
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) finite = false;
  if (!finite || x.length === 0) return { mean: NaN, sd: NaN, hdiLow: NaN, hdiHigh: NaN };
  const h = hdiOfSorted(sortAscending(x), prob);
  return { mean: mean(x), sd: sd(x), hdiLow: h.lower, hdiHigh: h.upper };
}

export interface RoasRow extends IntervalSummary {
  readonly market: string;
  readonly channel: string;
  /** Total spend of the market-channel over its observed weeks (money). */
  readonly spend: number;
  /** Posterior mean contribution (money) = ROAS · spend. */
  readonly contribution: number;
  readonly marginalMean: number;
  readonly marginalHdiLow: number;
  readonly marginalHdiHigh: number;
  /** 1 = highest posterior-mean ROAS in its market. */
  readonly rank: number;
}

export type ContributionComponent = 'baseline' | 'trend' | 'seasonality' | 'controls' | 'channel';

export interface ContributionRow extends IntervalSummary {
  readonly market: string;
  /** `baseline`, `trend`, `seasonality`, `controls` or the channel's column name. */
  readonly name: string;
  readonly component: ContributionComponent;
  /** Posterior mean as a share of the market's posterior-mean fitted total (0–1). */
  readonly share: number;
}

export interface DerivedSummary {
  readonly roas: readonly RoasRow[];
  readonly contributions: readonly ContributionRow[];
  /** Posterior mean of μ per observed row (money). */
  readonly fittedMean: Float64Array;
}

export interface SummarizeDerivedOptions {
  readonly hdiProb?: number;
  /** A pass over the draws with the `derived` part (default: one is made). */
  readonly pass?: DrawPass;
}

/**
 * ROAS, marginal ROAS and contributions of every draw, summarised. The per-draw values come from
 * one `DrawView` per draw (`passOverDraws` with `derived`, or the pass given).
 */
export function summarizeDerived(results: ResultsFolder, fitted: FittedModel, options: SummarizeDerivedOptions = {}): DerivedSummary {
  const { model, panel } = fitted;
  const prob = options.hdiProb ?? DEFAULT_HDI_PROB;
  const G = model.markets.length;
  const C = model.channels.length;
  const pass = passWith('derived', results, model, options.pass);
  const S = pass.numDraws;
  const NC = 4 + C; // baseline, trend, seasonality, controls, channels
  const roas = pass.roas!;
  const mroas = pass.marginalRoas!;
  const contrib = pass.contributions!;
  const fittedMean = pass.muSum!.map((v) => v / S);

  const roasRows: RoasRow[] = [];
  const spendTotal = spendTotals(panel);
  for (let g = 0; g < G; g++) {
    const rows: Omit<RoasRow, 'rank'>[] = [];
    for (let c = 0; c < C; c++) {
      const k = g * C + c;
      const r = summarizeDraws(roas.subarray(k * S, (k + 1) * S), prob);
      const m = summarizeDraws(mroas.subarray(k * S, (k + 1) * S), prob);
      const cm = mean(contrib.subarray((g * NC + 4 + c) * S, (g * NC + 5 + c) * S));
      rows.push({
        market: model.markets[g]!,
        channel: model.channels[c]!,
        spend: spendTotal[k]!,
        contribution: cm,
        ...r,
        marginalMean: m.mean,
        marginalHdiLow: m.hdiLow,
        marginalHdiHigh: m.hdiHigh,
      });
    }
    const order = rows.map((r, i) => ({ r, i })).sort((a, b) => rankValue(b.r.mean) - rankValue(a.r.mean) || a.i - b.i);
    const ranks = new Array<number>(C);
    order.forEach((o, pos) => (ranks[o.i] = pos + 1));
    rows.forEach((r, i) => roasRows.push({ ...r, rank: ranks[i]! }));
  }

  const contributions: ContributionRow[] = [];
  const names: [string, ContributionComponent][] = [
    ['baseline', 'baseline'],
    ['trend', 'trend'],
    ['seasonality', 'seasonality'],
    ['controls', 'controls'],
    ...model.channels.map((c): [string, ContributionComponent] => [c, 'channel']),
  ];
  for (let g = 0; g < G; g++) {
    const summaries = names.map((_, j) => summarizeDraws(contrib.subarray((g * NC + j) * S, (g * NC + j + 1) * S), prob));
    const total = summaries.reduce((acc, x) => acc + x.mean, 0);
    names.forEach(([name, component], j) => {
      contributions.push({ market: model.markets[g]!, name, component, ...summaries[j]!, share: summaries[j]!.mean / total });
    });
  }
  return { roas: roasRows, contributions, fittedMean };
}

function rankValue(x: number): number {
  return Number.isFinite(x) ? x : -Infinity;
}

/** Σ observed spend per market-channel (money), G × C row-major. */
export function spendTotals(panel: Panel): Float64Array {
  const C = panel.channels.length;
  const out = new Float64Array(panel.markets.length * C);
  for (let n = 0; n < panel.numObs; n++) {
    const g = panel.obsMarket[n]!;
    for (let c = 0; c < C; c++) out[g * C + c] = out[g * C + c]! + panel.spend[n * C + c]!;
  }
  return out;
}

/**
 * Pointwise log-likelihood of every draw (column-major: `values[n · S + s]`), on the scale of
 * the scaled target y / y_scale[g] (`DrawView.logLik`'s default); chains in order. With
 * `options.pass` (made with `logLik`) its values are used as they are (not copied).
 */
export function pointwiseLogLikelihood(results: ResultsFolder, model: Model, options: { pass?: DrawPass } = {}): LogLikelihoodMatrix {
  const pass = passWith('logLik', results, model, options.pass);
  return buildLogLikelihoodMatrix(pass.logLik!, pass.numDraws, model.numObs, results.numChains);
}

export interface LiftTestCheck {
  readonly market: string;
  readonly channel: string;
  /** Global week indices of the test window (inclusive). */
  readonly startT: number;
  readonly endT: number;
  readonly deltaSpend: number;
  /** Measured lift and its standard error (money). */
  readonly lift: number;
  readonly liftSe: number;
  /** The model-implied lift of the test over the draws (money): `DrawView.liftPredictions`. */
  readonly implied: IntervalSummary;
  /** (implied mean − measured) / √(se² + implied sd²); |z| ≤ 2 is agreement. */
  readonly z: number;
}

/**
 * Measured vs model-implied lift of every lift test the model was fitted with (empty without).
 * For a model fitted with the tests this checks consistency, not an out-of-sample prediction.
 */
export function liftTestChecks(results: ResultsFolder, model: Model, options: { pass?: DrawPass } = {}): LiftTestCheck[] {
  const J = model.liftTests.length;
  if (J === 0) return [];
  const pass = passWith('liftTests', results, model, options.pass);
  const S = pass.numDraws;
  const values = Array.from({ length: J }, (_, j) => pass.liftPredictions!.subarray(j * S, (j + 1) * S));
  return model.liftTests.map((t, j) => {
    const implied = summarizeDraws(values[j]!);
    return {
      market: t.market,
      channel: t.channel,
      startT: t.startT,
      endT: t.endT,
      deltaSpend: t.deltaSpend,
      lift: t.lift,
      liftSe: t.liftSe,
      implied,
      z: (implied.mean - t.lift) / Math.sqrt(t.liftSe * t.liftSe + implied.sd * implied.sd),
    };
  });
}
