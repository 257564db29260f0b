/**
 * Partial pooling measures (model-spec.md §6).
 *
 * - Shrinkage (hierarchical fits only): `shrinkage[g,c] = min(1, posterior sd of beta_z[g,c])`.
 *   beta_z has a standard normal prior, so its posterior sd is the share of the prior's spread of
 *   the market's deviation that the data did not remove: 1 = the estimate is the group's,
 *   0 = the market's own data pins it down.
 * - Displacement (when an unpooled fit of the same data sits beside the hierarchical one), on the
 *   log scale: `(mean_unpooled − mean_hier) / (mean_unpooled − beta_mu)` with
 *   `mean_unpooled = E[log beta[g,c]]` of the unpooled fit, `mean_hier = E[log beta[g,c]]` of the
 *   hierarchical fit and `beta_mu = E[beta_log_mu[c]]` (the hierarchical population location on
 *   the log scale). 0 = the hierarchical estimate stays at the market's own (unpooled) estimate,
 *   1 = it moved all the way to the population mean. It is NaN when |mean_unpooled − beta_mu| <
 *   0.1 (the unpooled estimate sits within about 10% of the population value: there is almost
 *   nothing to shrink, and the ratio of two small, noisy differences means nothing).
 * - Stability across markets: per channel, the cross-market standard deviation (n − 1) of the
 *   posterior-mean ROAS (market-channels without spend are left out).
 */
import type { RoasRow } from './derived.js';
import { EvaluationError } from './errors.js';
import { mean, sd } from './numerics.js';
import type { ResultsFolder } from './results.js';

export interface ShrinkageRow {
  readonly market: string;
  readonly channel: string;
  /** min(1, posterior sd of beta_z[g,c]). */
  readonly value: number;
}

export interface DisplacementRow {
  readonly market: string;
  readonly channel: string;
  /** E[log beta[g,c]] in the unpooled fit. */
  readonly unpooledLogMean: number;
  /** E[log beta[g,c]] in the hierarchical fit. */
  readonly hierarchicalLogMean: number;
  /** E[beta_log_mu[c]] in the hierarchical fit. */
  readonly populationLogMean: number;
  readonly value: number;
}

export interface StabilityRow {
  readonly channel: string;
  /** Cross-market sd of the posterior-mean ROAS. */
  readonly sd: number;
  /** Cross-market mean of the posterior-mean ROAS. */
  readonly mean: number;
  readonly numMarkets: number;
}

/** Minimum |mean_unpooled − beta_mu| (log scale) for the displacement to be reported. */
export const DISPLACEMENT_MIN_GAP = 0.1;

function columnOf(results: ResultsFolder, name: string): Float64Array {
  const j = results.names.indexOf(name);
  if (j < 0) throw new EvaluationError('INVALID_ARGUMENT', `parameter "${name}" is not in ${results.dir}/draws.csv.`);
  const dim = results.names.length;
  const out = new Float64Array(results.numChains * results.numDraws);
  let k = 0;
  for (const chain of results.draws) for (let i = 0; i < results.numDraws; i++) out[k++] = chain[i * dim + j]!;
  return out;
}

/** Shrinkage per market × channel of a hierarchical fit; [] for pooled and unpooled fits. */
export function computeShrinkage(results: ResultsFolder): ShrinkageRow[] {
  if (results.manifest.model !== 'hierarchical') return [];
  const rows: ShrinkageRow[] = [];
  for (const market of results.manifest.markets) {
    for (const channel of results.manifest.channels) {
      const z = columnOf(results, `beta_z[${market},${channel}]`);
      rows.push({ market, channel, value: Math.min(1, sd(z)) });
    }
  }
  return rows;
}

/** Mean shrinkage over the channels of each market. */
export function shrinkageByMarket(rows: readonly ShrinkageRow[]): { market: string; mean: number }[] {
  const markets = [...new Set(rows.map((r) => r.market))];
  return markets.map((market) => ({ market, mean: mean(rows.filter((r) => r.market === market).map((r) => r.value)) }));
}

/** The displacement form of shrinkage from a hierarchical and an unpooled fit of the same data. */
export function shrinkageDisplacement(hierarchical: ResultsFolder, unpooled: ResultsFolder): DisplacementRow[] {
  if (hierarchical.manifest.model !== 'hierarchical' || unpooled.manifest.model !== 'unpooled') {
    throw new EvaluationError(
      'NOT_COMPARABLE',
      `shrinkage displacement needs a hierarchical and an unpooled fit, got ${hierarchical.manifest.model} (${hierarchical.dir}) and ${unpooled.manifest.model} (${unpooled.dir}).`,
    );
  }
  if (hierarchical.manifest.data.sha256 !== unpooled.manifest.data.sha256) {
    throw new EvaluationError('NOT_COMPARABLE', `${hierarchical.dir} and ${unpooled.dir} were fitted to different data files (sha256 differs); displacement needs fits of the same data.`);
  }
  const logMean = (r: ResultsFolder, name: string) => mean(columnOf(r, name).map((v) => Math.log(v)));
  const rows: DisplacementRow[] = [];
  for (const channel of hierarchical.manifest.channels) {
    const populationLogMean = mean(columnOf(hierarchical, `beta_log_mu[${channel}]`));
    for (const market of hierarchical.manifest.markets) {
      const name = `beta[${market},${channel}]`;
      const u = logMean(unpooled, name);
      const h = logMean(hierarchical, name);
      const gap = u - populationLogMean;
      rows.push({
        market,
        channel,
        unpooledLogMean: u,
        hierarchicalLogMean: h,
        populationLogMean,
        value: Math.abs(gap) < DISPLACEMENT_MIN_GAP ? NaN : (u - h) / gap,
      });
    }
  }
  return rows;
}

/** Cross-market sd of the posterior-mean ROAS, per channel (channel order of the rows). */
export function roasStability(roas: readonly RoasRow[]): StabilityRow[] {
  const channels = [...new Set(roas.map((r) => r.channel))];
  return channels.map((channel) => {
    const means = roas.filter((r) => r.channel === channel && Number.isFinite(r.mean)).map((r) => r.mean);
    return { channel, sd: sd(means), mean: mean(means), numMarkets: means.length };
  });
}
