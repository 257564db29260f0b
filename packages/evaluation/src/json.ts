/**
 * The machine-readable documents of `tributary evaluate --json` and `tributary compare --json`
 * (documented field by field in README.md). Snake-case keys; NaN and ±Infinity become null.
 */
import type { ModelComparison } from './comparison.js';
import type { EvaluationReport } from './evaluate.js';

/** JSON text with NaN/±Infinity as null, 2-space indentation, trailing newline. */
export function toJsonText(doc: unknown): string {
  return JSON.stringify(doc, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}

/** The `evaluate --json` document. */
export function evaluationToJson(r: EvaluationReport): Record<string, unknown> {
  const d = r.diagnostics;
  return {
    model: r.name,
    kind: r.kind,
    dir: r.dir,
    data: { path: r.dataFile, sha256: r.dataSha256, observations: r.numObs },
    draws: { chains: r.numChains, draws_per_chain: r.numDraws },
    diagnostics: {
      status: d.status,
      divergences: d.divergences,
      divergent_percent: d.divergentPercent,
      max_rhat: d.maxRhat,
      max_rhat_parameter: d.maxRhatParameter,
      min_ess_bulk: d.minEssBulk,
      min_ess_bulk_parameter: d.minEssBulkParameter,
      min_ess_tail: d.minEssTail,
      min_ess_tail_parameter: d.minEssTailParameter,
      ebfmi: d.ebfmi,
      max_treedepth: d.maxTreeDepth,
      treedepth_hits: d.treedepthHits,
      failures: d.failures.map((f) => ({
        check: f.check,
        severity: f.severity,
        value: f.value,
        threshold: f.threshold,
        subjects: f.subjects,
        message: f.message,
        remedy: f.remedy,
      })),
    },
    roas: r.roas.map((x) => ({
      market: x.market,
      channel: x.channel,
      mean: x.mean,
      sd: x.sd,
      hdi_low: x.hdiLow,
      hdi_high: x.hdiHigh,
      marginal_mean: x.marginalMean,
      marginal_hdi_low: x.marginalHdiLow,
      marginal_hdi_high: x.marginalHdiHigh,
      spend: x.spend,
      contribution: x.contribution,
      rank: x.rank,
    })),
    contributions: r.contributions.map((c) => ({
      market: c.market,
      component: c.component,
      name: c.name,
      mean: c.mean,
      hdi_low: c.hdiLow,
      hdi_high: c.hdiHigh,
      share: c.share,
    })),
    shrinkage: r.shrinkage.map((s) => ({ market: s.market, channel: s.channel, value: s.value })),
    shrinkage_by_market: r.shrinkageByMarket.map((s) => ({ market: s.market, mean: s.mean })),
    stability: r.stability.map((s) => ({ channel: s.channel, sd: s.sd, mean: s.mean, markets: s.numMarkets })),
    ppc: r.ppc.map((p) => ({
      market: p.market,
      observations: p.numObs,
      p_mean: p.pMean,
      p_sd: p.pSd,
      p_min: p.pMin,
      p_max: p.pMax,
      coverage_50: p.coverage50,
      coverage_94: p.coverage94,
    })),
    residual_autocorrelation: r.residuals.map((x) => ({ market: x.market, r1: x.r1, threshold: x.threshold })),
    loo: {
      elpd_loo: r.loo.elpdLoo,
      se: r.loo.seElpdLoo,
      p_loo: r.loo.pLoo,
      se_p_loo: r.loo.sePLoo,
      looic: r.loo.looic,
      max_pareto_k: r.loo.maxParetoK,
      pareto_k_threshold: r.loo.paretoKThreshold,
      n_high_k: r.loo.numHighK,
      n_k_above_1: r.loo.numKAbove1,
      observations: r.loo.numObs,
      scale: 'scaled target y / y_scale[market]',
    },
    lift_tests: r.liftTests.map((t) => ({
      market: t.market,
      channel: t.channel,
      start_t: t.startT,
      end_t: t.endT,
      delta_spend: t.deltaSpend,
      lift: t.lift,
      lift_se: t.liftSe,
      implied_mean: t.implied.mean,
      implied_sd: t.implied.sd,
      implied_hdi_low: t.implied.hdiLow,
      implied_hdi_high: t.implied.hdiHigh,
      z: t.z,
    })),
    recovery: r.recovery
      ? {
          coverage: r.recovery.coverage,
          parameters_checked: r.recovery.parameters.length,
          roas_coverage: r.recovery.roasCoverage,
          mae_beta_mu: r.recovery.maeBetaMu,
          mae_roas: r.recovery.maeRoas,
          parameters: r.recovery.parameters.map((p) => ({
            name: p.name,
            true: p.trueValue,
            mean: p.mean,
            hdi_low: p.hdiLow,
            hdi_high: p.hdiHigh,
            covered: p.isCovered,
          })),
          roas: r.recovery.roas.map((p) => ({
            market: p.market,
            channel: p.channel,
            true: p.trueValue,
            mean: p.mean,
            hdi_low: p.hdiLow,
            hdi_high: p.hdiHigh,
            covered: p.isCovered,
          })),
        }
      : null,
    failure_modes: r.failureModes.map((f) => ({ kind: f.kind, subject: f.subject, value: f.value, threshold: f.threshold, message: f.message })),
  };
}

/** The `compare --json` document. */
export function comparisonToJson(c: ModelComparison): Record<string, unknown> {
  const hier = c.evaluations.find((e) => e.kind === 'hierarchical');
  const disp = new Map(c.displacement.map((d) => [`${d.market}\u0000${d.channel}`, d.value]));
  return {
    models: c.models.map((m) => ({
      name: m.name,
      kind: m.kind,
      rank: m.rank,
      elpd_loo: m.elpdLoo,
      se: m.seElpdLoo,
      p_loo: m.pLoo,
      elpd_diff: m.elpdDiff,
      se_diff: m.seDiff,
      weight: m.weight,
      max_pareto_k: m.maxParetoK,
      n_high_k: m.numHighK,
      diagnostics_status: m.diagnosticsStatus,
    })),
    best: {
      model: c.best,
      runner_up: c.runnerUp?.name ?? null,
      elpd_diff: c.runnerUp?.elpdDiff ?? null,
      se_diff: c.runnerUp?.seDiff ?? null,
      se_units: c.runnerUp?.seUnits ?? null,
    },
    stability: c.evaluations.flatMap((e) => e.stability.map((s) => ({ model: e.name, channel: s.channel, sd: s.sd, mean: s.mean }))),
    stability_mean: c.evaluations.map((e) => ({ model: e.name, mean_sd: mean(e.stability.map((s) => s.sd)) })),
    roas: c.evaluations.flatMap((e) =>
      e.roas.map((x) => ({ model: e.name, market: x.market, channel: x.channel, mean: x.mean, hdi_low: x.hdiLow, hdi_high: x.hdiHigh })),
    ),
    shrinkage: (hier?.shrinkage ?? []).map((s) => ({
      model: hier!.name,
      market: s.market,
      channel: s.channel,
      value: s.value,
      displacement: disp.get(`${s.market}\u0000${s.channel}`) ?? null,
    })),
    shrinkage_by_market: (hier?.shrinkageByMarket ?? []).map((s) => ({ market: s.market, mean: s.mean })),
  };
}

function mean(xs: readonly number[]): number {
  const f = xs.filter((x) => Number.isFinite(x));
  return f.length ? f.reduce((a, b) => a + b, 0) / f.length : NaN;
}
