/**
 * Convergence report of a fit: divergences, R-hat, bulk and tail ESS, E-BFMI per chain and
 * tree-depth saturation, each checked against documented thresholds, with the failing
 * parameters and the remedy to try; the overall status is the worst check.
 *
 * References
 * - A. Vehtari, A. Gelman, D. Simpson, B. Carpenter, P.-C. Bürkner (2021). Rank-normalization,
 *   folding, and localization: an improved R-hat for assessing convergence of MCMC. Bayesian
 *   Analysis 16(2):667–718 (R-hat < 1.01 and ESS > 400 as the working rules; computed as
 *   `@tributary/sampler`'s `summarize`, which matches R's posterior 1.4.0, by summary.ts with one
 *   sort per parameter).
 * - M. Betancourt (2017). A Conceptual Introduction to Hamiltonian Monte Carlo,
 *   arXiv:1701.02434 (divergences, E-BFMI < 0.3, tree depth).
 * - Stan's `diagnose` utility (which flags any divergence and any transition at maximum depth).
 *
 * Thresholds (DEFAULT_DIAGNOSTIC_THRESHOLDS): R-hat > 1.01 warning, > 1.05 bad; bulk or tail
 * ESS < 400 warning, < 100 bad; any divergence warning, more than 1 % of draws bad; E-BFMI of a
 * chain < 0.3 warning; any draw at the maximum tree depth warning (an efficiency problem, not a
 * bias, so never bad). Parameters whose draws are constant (R-hat NaN) are skipped.
 */
import { ebfmi, type SummaryRow } from '@tributary/sampler';
import type { ResultsFolder } from './results.js';
import { summarizeParameters } from './summary.js';

export type DiagnosticStatus = 'good' | 'warning' | 'bad';
export type DiagnosticCheck = 'divergences' | 'rhat' | 'ess_bulk' | 'ess_tail' | 'ebfmi' | 'treedepth';

export interface DiagnosticThresholds {
  readonly rhatWarning: number;
  readonly rhatBad: number;
  readonly essWarning: number;
  readonly essBad: number;
  /** Percentage of divergent draws above which the status is bad (any divergence is a warning). */
  readonly divergentPercentBad: number;
  readonly ebfmiWarning: number;
}

export const DEFAULT_DIAGNOSTIC_THRESHOLDS: DiagnosticThresholds = Object.freeze({
  rhatWarning: 1.01,
  rhatBad: 1.05,
  essWarning: 400,
  essBad: 100,
  divergentPercentBad: 1,
  ebfmiWarning: 0.3,
});

export interface DiagnosticFailure {
  readonly check: DiagnosticCheck;
  readonly severity: 'warning' | 'bad';
  /** The worst value of the check (max R-hat, min ESS, number of divergences, min E-BFMI, hits). */
  readonly value: number;
  readonly threshold: number;
  /** Failing parameters (R-hat, ESS) or chains (`chain 2`, E-BFMI), worst first. */
  readonly subjects: readonly string[];
  readonly message: string;
  readonly remedy: string;
}

export interface DiagnosticsReport {
  readonly status: DiagnosticStatus;
  readonly numChains: number;
  readonly numDraws: number;
  readonly divergences: number;
  readonly divergentPercent: number;
  readonly maxRhat: number;
  readonly maxRhatParameter: string;
  readonly minEssBulk: number;
  readonly minEssBulkParameter: string;
  readonly minEssTail: number;
  readonly minEssTailParameter: string;
  /** E-BFMI per chain (NaN when the energy is constant or missing). */
  readonly ebfmi: readonly number[];
  readonly maxTreeDepth: number;
  readonly treedepthHits: number;
  readonly treedepthHitPercent: number;
  readonly failures: readonly DiagnosticFailure[];
  readonly thresholds: DiagnosticThresholds;
}

const REMEDY: Record<DiagnosticCheck, string> = {
  divergences:
    'raise the target acceptance (--target-accept 0.95, then 0.99); if divergences remain, reparameterize or tighten the priors, and check the data for outliers or a market with almost no signal',
  rhat: 'run more warmup and draws (--warmup, --draws); if the chains still disagree, look for multimodality or a weakly identified parameter, and check the data',
  ess_bulk: 'run more draws (--draws); for strongly correlated parameters try --metric dense or reparameterize',
  ess_tail: 'run more draws (--draws) so that the 5% and 95% quantiles are well estimated; heavy tails may need stronger priors',
  ebfmi: 'run more warmup so the metric adapts (--warmup); a persistently low E-BFMI means heavy-tailed or funnel-shaped posteriors: reparameterize or use stronger priors',
  treedepth: 'raise --max-treedepth; long trajectories point at strong correlations or very different scales: reparameterize or try --metric dense',
};

/**
 * Per-parameter summary (mean, sd, 94% HDI, MCSE, ESS, R-hat) of every parameter of the folder:
 * `@tributary/sampler`'s `summarize`, computed with one sort per parameter (summary.ts).
 */
export function summarizeResults(results: ResultsFolder): SummaryRow[] {
  return summarizeParameters(results.draws, results.names.length, results.names);
}

/** The convergence report of a results folder (see the module comment for the thresholds). */
export function diagnoseResults(
  results: ResultsFolder,
  options: { summary?: readonly SummaryRow[]; thresholds?: Partial<DiagnosticThresholds> } = {},
): DiagnosticsReport {
  const th: DiagnosticThresholds = { ...DEFAULT_DIAGNOSTIC_THRESHOLDS, ...options.thresholds };
  const summary = options.summary ?? summarizeResults(results);
  const total = results.numChains * results.numDraws;
  let divergences = 0;
  for (const d of results.sampleStats.divergent ?? []) for (const x of d) if (x > 0) divergences++;
  const divergentPercent = (100 * divergences) / Math.max(total, 1);
  const maxTreeDepth = results.manifest.options.max_treedepth;
  let hits = 0;
  for (const t of results.sampleStats.treedepth ?? []) for (const x of t) if (x >= maxTreeDepth) hits++;
  const energy = results.sampleStats.energy;
  const bfmi = energy && results.numDraws >= 2 ? Array.from(ebfmi(energy)) : [];

  const finiteRows = (key: 'rHat' | 'essBulk' | 'essTail') => summary.filter((r) => Number.isFinite(r[key]));
  const rhatRows = finiteRows('rHat').sort((a, b) => b.rHat - a.rHat);
  const bulkRows = finiteRows('essBulk').sort((a, b) => a.essBulk - b.essBulk);
  const tailRows = finiteRows('essTail').sort((a, b) => a.essTail - b.essTail);

  const failures: DiagnosticFailure[] = [];
  if (divergences > 0) {
    const bad = divergentPercent > th.divergentPercentBad;
    failures.push({
      check: 'divergences',
      severity: bad ? 'bad' : 'warning',
      value: divergences,
      threshold: bad ? th.divergentPercentBad : 0,
      subjects: [],
      message: `${divergences} divergent transitions (${divergentPercent.toFixed(2)}% of ${total} draws; > ${th.divergentPercentBad}% is bad): the sampler missed parts of the posterior, estimates may be biased`,
      remedy: REMEDY.divergences,
    });
  }
  const rhatFail = rhatRows.filter((r) => r.rHat > th.rhatWarning);
  if (rhatFail.length > 0) {
    const bad = rhatFail[0]!.rHat > th.rhatBad;
    failures.push({
      check: 'rhat',
      severity: bad ? 'bad' : 'warning',
      value: rhatFail[0]!.rHat,
      threshold: bad ? th.rhatBad : th.rhatWarning,
      subjects: rhatFail.map((r) => r.name),
      message: `${rhatFail.length} parameter(s) with R-hat > ${th.rhatWarning} (worst ${rhatFail[0]!.name}: ${rhatFail[0]!.rHat.toFixed(3)}; > ${th.rhatBad} is bad): the chains do not agree yet`,
      remedy: REMEDY.rhat,
    });
  }
  for (const [check, rows, key, label] of [
    ['ess_bulk', bulkRows, 'essBulk', 'bulk'],
    ['ess_tail', tailRows, 'essTail', 'tail'],
  ] as const) {
    const fail = rows.filter((r) => r[key] < th.essWarning);
    if (fail.length > 0) {
      const worst = fail[0]!;
      const bad = worst[key] < th.essBad;
      failures.push({
        check,
        severity: bad ? 'bad' : 'warning',
        value: worst[key],
        threshold: bad ? th.essBad : th.essWarning,
        subjects: fail.map((r) => r.name),
        message: `${fail.length} parameter(s) with ${label} ESS < ${th.essWarning} (worst ${worst.name}: ${worst[key].toFixed(0)}; < ${th.essBad} is bad): too few effective draws for reliable ${label === 'bulk' ? 'means and medians' : 'intervals'}`,
        remedy: REMEDY[check],
      });
    }
  }
  const lowBfmi = bfmi.map((v, c) => ({ v, c })).filter((x) => x.v < th.ebfmiWarning).sort((a, b) => a.v - b.v);
  if (lowBfmi.length > 0) {
    failures.push({
      check: 'ebfmi',
      severity: 'warning',
      value: lowBfmi[0]!.v,
      threshold: th.ebfmiWarning,
      subjects: lowBfmi.map((x) => `chain ${x.c + 1}`),
      message: `E-BFMI < ${th.ebfmiWarning} in ${lowBfmi.length} chain(s) (lowest ${lowBfmi[0]!.v.toFixed(2)}): the momentum resampling explores the energy distribution poorly`,
      remedy: REMEDY.ebfmi,
    });
  }
  if (hits > 0) {
    failures.push({
      check: 'treedepth',
      severity: 'warning',
      value: hits,
      threshold: maxTreeDepth,
      subjects: [],
      message: `${hits} draws (${((100 * hits) / Math.max(total, 1)).toFixed(2)}%) hit the maximum tree depth ${maxTreeDepth}: trajectories were cut short (slow, not biased)`,
      remedy: REMEDY.treedepth,
    });
  }
  const status: DiagnosticStatus = failures.some((f) => f.severity === 'bad') ? 'bad' : failures.length > 0 ? 'warning' : 'good';
  return {
    status,
    numChains: results.numChains,
    numDraws: results.numDraws,
    divergences,
    divergentPercent,
    maxRhat: rhatRows[0]?.rHat ?? NaN,
    maxRhatParameter: rhatRows[0]?.name ?? '',
    minEssBulk: bulkRows[0]?.essBulk ?? NaN,
    minEssBulkParameter: bulkRows[0]?.name ?? '',
    minEssTail: tailRows[0]?.essTail ?? NaN,
    minEssTailParameter: tailRows[0]?.name ?? '',
    ebfmi: bfmi,
    maxTreeDepth,
    treedepthHits: hits,
    treedepthHitPercent: (100 * hits) / Math.max(total, 1),
    failures,
    thresholds: th,
  };
}
