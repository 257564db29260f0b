/**
 * Indicators that partial pooling, or the model as a whole, may be failing — facts to look at,
 * not errors. Thresholds (FAILURE_MODE_THRESHOLDS, documented in README.md):
 *
 * - `high_between_market_spread`: posterior mean of `beta_sigma[c]` > 0.7 (hierarchical). On the
 *   log scale 0.7 means the markets' effects of channel c typically differ by a factor of
 *   e^0.7 ≈ 2 from the population value, and pooling then pulls small markets towards a mean
 *   that describes none of them (the `divergent` scenario of @tributary/synthetic has 1.5).
 * - `low_shrinkage` / `high_shrinkage`: a market's mean shrinkage over channels < 0.2 (its own
 *   data dominates; pooling adds little) or > 0.9 (its data barely moves its effects: they are
 *   the group's, so its ROAS says little about that market).
 * - `residual_autocorrelation`: lag-1 autocorrelation of a market's posterior-mean residuals
 *   y − E[μ] over consecutive weeks, |r1| > max(0.3, 2/√n) (0.3, or the approximate 95% band of
 *   white noise for short markets): structure the model misses (carryover, trend, events).
 * - `ppc_extreme`: a posterior predictive p-value (mean, sd, min, max) outside [0.025, 0.975].
 * - `high_pareto_k`: observations whose Pareto k exceeds min(1 − 1/log10(S), 0.7): influential
 *   or surprising weeks; their LOO contribution is unreliable.
 */
import type { Panel } from '@tributary/data';
import type { LooResult } from './loo.js';
import { PPC_P_HIGH, PPC_P_LOW, type PpcMarket } from './ppc.js';
import type { ShrinkageRow } from './shrinkage.js';
import { shrinkageByMarket } from './shrinkage.js';
import type { SummaryRow } from '@tributary/sampler';

export const FAILURE_MODE_THRESHOLDS = Object.freeze({
  betaSigmaHigh: 0.7,
  shrinkageLow: 0.2,
  shrinkageHigh: 0.9,
  residualAutocorrelation: 0.3,
});

export type FailureModeKind = 'high_between_market_spread' | 'low_shrinkage' | 'high_shrinkage' | 'residual_autocorrelation' | 'ppc_extreme' | 'high_pareto_k';

export interface FailureIndicator {
  readonly kind: FailureModeKind;
  /** What it is about: a channel, a market, `market statistic`, or `market date`. */
  readonly subject: string;
  readonly value: number;
  readonly threshold: number;
  readonly message: string;
}

export interface ResidualAutocorrelation {
  readonly market: string;
  /** Lag-1 autocorrelation of the posterior-mean residuals over consecutive weeks. */
  readonly r1: number;
  /** Observed rows of the market. */
  readonly numObs: number;
  /** max(0.3, 2/√n). */
  readonly threshold: number;
}

/** Lag-1 autocorrelation of y − E[μ] per market (pairs of consecutive weeks only; gaps break pairs). */
export function residualAutocorrelation(panel: Panel, fittedMean: Float64Array): ResidualAutocorrelation[] {
  return panel.markets.map((market, g) => {
    const a = panel.obsOffset[g]!;
    const n = panel.marketNumObs[g]!;
    const r = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      r[i] = panel.y[a + i]! - fittedMean[a + i]!;
      sum += r[i]!;
    }
    const m = sum / n;
    let den = 0;
    let num = 0;
    for (let i = 0; i < n; i++) {
      den += (r[i]! - m) ** 2;
      if (i + 1 < n && panel.obsT[a + i + 1]! === panel.obsT[a + i]! + 1) num += (r[i]! - m) * (r[i + 1]! - m);
    }
    const threshold = Math.max(FAILURE_MODE_THRESHOLDS.residualAutocorrelation, 2 / Math.sqrt(n));
    return { market, r1: den > 0 ? num / den : NaN, numObs: n, threshold };
  });
}

export interface FailureModeInputs {
  readonly kind: 'pooled' | 'unpooled' | 'hierarchical';
  readonly summary: readonly SummaryRow[];
  readonly channels: readonly string[];
  readonly shrinkage: readonly ShrinkageRow[];
  readonly residuals: readonly ResidualAutocorrelation[];
  readonly ppc: readonly PpcMarket[];
  readonly loo?: LooResult;
  readonly panel: Panel;
}

/** All indicators that fire (see the module comment). */
export function failureModes(inputs: FailureModeInputs): FailureIndicator[] {
  const th = FAILURE_MODE_THRESHOLDS;
  const out: FailureIndicator[] = [];
  if (inputs.kind === 'hierarchical') {
    const byName = new Map(inputs.summary.map((r) => [r.name, r]));
    for (const c of inputs.channels) {
      const row = byName.get(`beta_sigma[${c}]`);
      if (row && row.mean > th.betaSigmaHigh) {
        out.push({
          kind: 'high_between_market_spread',
          subject: c,
          value: row.mean,
          threshold: th.betaSigmaHigh,
          message: `${c}: beta_sigma = ${row.mean.toFixed(2)} (> ${th.betaSigmaHigh}): markets differ strongly on this channel, so pooling may pull small markets towards a mean that fits none of them; compare with the unpooled fit`,
        });
      }
    }
  }
  for (const { market, mean } of shrinkageByMarket(inputs.shrinkage)) {
    if (mean < th.shrinkageLow) {
      out.push({
        kind: 'low_shrinkage',
        subject: market,
        value: mean,
        threshold: th.shrinkageLow,
        message: `${market}: mean shrinkage ${mean.toFixed(2)} (< ${th.shrinkageLow}): its own data determines its effects; pooling adds little there`,
      });
    } else if (mean > th.shrinkageHigh) {
      out.push({
        kind: 'high_shrinkage',
        subject: market,
        value: mean,
        threshold: th.shrinkageHigh,
        message: `${market}: mean shrinkage ${mean.toFixed(2)} (> ${th.shrinkageHigh}): its data barely moves its effects, its ROAS is essentially the group's`,
      });
    }
  }
  for (const r of inputs.residuals) {
    if (Math.abs(r.r1) > r.threshold) {
      out.push({
        kind: 'residual_autocorrelation',
        subject: r.market,
        value: r.r1,
        threshold: r.threshold,
        message: `${r.market}: lag-1 autocorrelation of the residuals ${r.r1.toFixed(2)} (|r1| > ${r.threshold.toFixed(2)}): week-to-week structure the model misses (carryover, trend, events)`,
      });
    }
  }
  for (const p of inputs.ppc) {
    for (const [stat, value] of [
      ['mean', p.pMean],
      ['sd', p.pSd],
      ['min', p.pMin],
      ['max', p.pMax],
    ] as const) {
      if (value < PPC_P_LOW || value > PPC_P_HIGH) {
        out.push({
          kind: 'ppc_extreme',
          subject: `${p.market} ${stat}`,
          value,
          threshold: value < PPC_P_LOW ? PPC_P_LOW : PPC_P_HIGH,
          message: `${p.market}: posterior predictive p-value of the ${stat} is ${value.toFixed(3)}: the model does not reproduce the ${stat} of this market's target`,
        });
      }
    }
  }
  if (inputs.loo) {
    const k = inputs.loo.pointwise.paretoK;
    const t = inputs.loo.paretoKThreshold;
    for (let n = 0; n < k.length; n++) {
      if (k[n]! > t) {
        const market = inputs.panel.markets[inputs.panel.obsMarket[n]!]!;
        const date = inputs.panel.obsDates[n]!;
        out.push({
          kind: 'high_pareto_k',
          subject: `${market} ${date}`,
          value: k[n]!,
          threshold: t,
          message: `${market} ${date}: Pareto k = ${k[n]!.toFixed(2)} (> ${t.toFixed(2)}): an influential or surprising week; its LOO term is unreliable`,
        });
      }
    }
  }
  return out;
}
