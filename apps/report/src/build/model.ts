// Everything the report needs from one fitted model: the numbers of @tributary/evaluation's
// report (diagnostics, ROAS and marginal ROAS with 94% HDIs, contributions, shrinkage, stability,
// predictive checks) mapped into the report's input, plus what only the charts need, computed
// over (at most `maxDraws`) posterior draws, one model.loadDraw each: all-market ROAS per
// channel, the weekly predictive band, the posterior mean of the weekly contributions, and the
// transform curves. Spend totals are @tributary/evaluation's `spendTotals`.
// Large panels (issue 17, `options.groups`): the same pass also sums the rest markets per draw —
// their ROAS (Σ contribution / Σ spend) and marginal ROAS (spend-weighted), y_rep summed per week
// for the band of their summed revenue — and keeps y_rep (and sorts bands) for the top markets'
// weeks only (N × S doubles were 250 MB at 200 markets). The y_rep stream is unchanged, so the top
// markets' bands are those of the full computation. Per market-channel lookups in the evaluation's
// rows go through maps (a find per cell was quadratic in the markets). Deviation: this pass is
// still a second one over the draws after the evaluation's; its μ and contributions per draw are
// not exposed by @tributary/evaluation, so they cannot be reused yet.
import { spendTotals, type EvaluationReport, type FittedModel, type ResultsFolder } from '@tributary/evaluation';
import { transformSpecs, type ChannelTransform, type Model } from '@tributary/models';
import { buildRng, type SummaryRow } from '@tributary/sampler';
import { adstockWeights, saturationScalarWithGradient, type SaturationSpec } from '@tributary/transforms';
import type { ContributionSeries, Estimate, FitSeries, MarketGroups, ModelInput, ParameterRow, RestOfMarkets, Status, TransformInput } from '../types.js';
import { fitWallSeconds, pooledDraws, thinIndices, type PooledDraws } from './results.js';
import { HDI_PROB, estimate, mean, quantileSorted } from './stats.js';

export interface ModelComputation {
  input: ModelInput;
  kind: string;
  /** The evaluation of this folder by @tributary/evaluation. */
  report: EvaluationReport;
  /** Transform curves (learned: posterior bands). */
  transforms: TransformInput[];
}

export interface ComputeOptions {
  maxDraws: number;
  seed: number;
  /**
   * Large panels (build/markets.ts): the rest markets are summarised as one group (ROAS per draw
   * of their sums, their summed weekly revenue and contributions) and only the top markets get
   * per-week series, so y_rep is kept for the top markets' weeks only.
   */
  groups?: MarketGroups;
}

/** Everything for one fitted model: evaluation's report plus the per-week series the charts need. */
export function computeModel(r: ResultsFolder, fitted: FittedModel, report: EvaluationReport, options: ComputeOptions): ModelComputation {
  const m = r.manifest;
  const { model, panel } = fitted;
  const draws = pooledDraws(r);
  const names = model.constrainedNames;
  // The draw columns in the model's constrained order (identical for folders written by fit).
  const same = names.length === r.names.length && names.every((n, i) => n === r.names[i]);
  const colIndex = same ? null : names.map((n) => r.names.indexOf(n));
  const constrained = new Float64Array(model.constrainedDim);
  const drawAt = (s: number): Float64Array => {
    const row = draws.row(s);
    if (!colIndex) return row;
    colIndex.forEach((j, i) => (constrained[i] = j >= 0 ? row[j]! : NaN));
    return constrained;
  };

  const G = model.markets.length;
  const C = model.channels.length;
  const N = model.numObs;
  const idx = thinIndices(draws.numDraws, options.maxDraws);
  const S = idx.length;
  const spend = spendTotals(panel);
  // Which observations keep their y_rep draws (every one, or the top markets' with groups), and
  // for the rest markets the index of each observation's date among the group's dates.
  const isRest = new Uint8Array(G);
  for (const g of options.groups?.rest ?? []) isRest[g] = 1;
  const slot = new Int32Array(N).fill(-1);
  const restDay = new Int32Array(N).fill(-1);
  let kept = 0;
  const restDateSet = new Set<string>();
  for (let g = 0; g < G; g++) {
    for (let n = panel.obsOffset[g]!; n < panel.obsOffset[g]! + panel.marketNumObs[g]!; n++) {
      if (isRest[g]) restDateSet.add(panel.obsDates[n]!);
      else slot[n] = kept++;
    }
  }
  const restDates = [...restDateSet].sort();
  const D = restDates.length;
  if (D) {
    const day = new Map(restDates.map((d, i) => [d, i]));
    for (let n = 0; n < N; n++) if (slot[n]! < 0) restDay[n] = day.get(panel.obsDates[n]!)!;
  }
  const restRoas = new Float64Array(D ? S * C : 0);
  const restMroas = new Float64Array(D ? S * C : 0);
  const restRep = new Float64Array(D * S);
  // Per draw, from ONE model.loadDraw: all-market ROAS and marginal ROAS per channel, expected
  // revenue, replicated data and the weekly channel contributions (their posterior mean).
  const roasTot = new Float64Array(S * C);
  const mroasTot = new Float64Array(S * C);
  const muSum = new Float64Array(N);
  const weeklySum = new Float64Array(N * C);
  const yrep = new Float64Array(kept * S);
  const bufGC = new Float64Array(G * C);
  const bufN = new Float64Array(N);
  const bufNC = new Float64Array(N * C);
  const rng0 = buildRng(`report:${options.seed}:${m.model}`);
  const rng = () => rng0.uniform();
  idx.forEach((s, k) => {
    const view = model.loadDraw(drawAt(s));
    view.marginalRoas(bufGC);
    const parts = view.contributions();
    for (let ch = 0; ch < C; ch++) {
      let num = 0;
      let den = 0;
      let mnum = 0;
      let rnum = 0;
      let rden = 0;
      let rmnum = 0;
      for (let g = 0; g < G; g++) {
        const sp = spend[g * C + ch]!;
        if (sp > 0) {
          const v = parts.channels[g]![ch]!;
          const mr = bufGC[g * C + ch]!;
          num += v;
          den += sp;
          if (Number.isFinite(mr)) mnum += mr * sp;
          if (isRest[g]) {
            rnum += v;
            rden += sp;
            if (Number.isFinite(mr)) rmnum += mr * sp;
          }
        }
      }
      roasTot[k * C + ch] = den > 0 ? num / den : NaN;
      mroasTot[k * C + ch] = den > 0 ? mnum / den : NaN;
      if (D) {
        restRoas[k * C + ch] = rden > 0 ? rnum / rden : NaN;
        restMroas[k * C + ch] = rden > 0 ? rmnum / rden : NaN;
      }
    }
    view.mean(bufN);
    for (let n = 0; n < N; n++) muSum[n]! += bufN[n]!;
    view.yRep(rng, bufN);
    for (let n = 0; n < N; n++) {
      const j = slot[n]!;
      if (j >= 0) yrep[j * S + k] = bufN[n]!;
      else restRep[restDay[n]! * S + k]! += bufN[n]!;
    }
    view.weeklyContributions(bufNC);
    for (let i = 0; i < N * C; i++) weeklySum[i]! += bufNC[i]!;
  });
  const column = (arr: Float64Array, stride: number, j: number) => Float64Array.from({ length: S }, (_, k) => arr[k * stride + j]!);
  const roasTotal = Array.from({ length: C }, (_, ch) => estimate(column(roasTot, C, ch)));
  const marginalRoasTotal = Array.from({ length: C }, (_, ch) => estimate(column(mroasTot, C, ch)));

  // Per market and channel, from the evaluation report.
  // (looked up by market and channel: a find per cell is quadratic in the markets)
  const key = (market: string, channel: string) => `${market}\u0000${channel}`;
  const roasRow = new Map<string, (typeof report.roas)[number]>();
  for (const x of report.roas) if (!roasRow.has(key(x.market, x.channel))) roasRow.set(key(x.market, x.channel), x);
  const cell = <T>(f: (row: (typeof report.roas)[number]) => T): (T | null)[][] =>
    model.markets.map((mk) =>
      model.channels.map((ch) => {
        const row = roasRow.get(key(mk, ch));
        return row ? f(row) : null;
      }),
    );
  const ok = (e: Estimate) => (Number.isFinite(e.mean) ? e : null);
  const roas = cell((x) => ok({ mean: x.mean, lower: x.hdiLow, upper: x.hdiHigh })).map((r) => r.map((e) => e ?? null));
  const marginalRoas = cell((x) => ok({ mean: x.marginalMean, lower: x.marginalHdiLow, upper: x.marginalHdiHigh })).map((r) => r.map((e) => e ?? null));
  const contribution = cell((x) => x.contribution).map((r) => r.map((v) => v ?? 0));
  const stability = model.channels.map((ch) => report.stability.find((x) => x.channel === ch)?.sd ?? NaN);
  const shrinkRow = new Map<string, number>();
  for (const x of report.shrinkage) if (!shrinkRow.has(key(x.market, x.channel))) shrinkRow.set(key(x.market, x.channel), x.value);
  const shrinkage = report.shrinkage.length ? model.markets.map((mk) => model.channels.map((ch) => shrinkRow.get(key(mk, ch)) ?? NaN)) : undefined;
  const ppcRow = new Map<string, number>();
  for (const p of report.ppc) if (!ppcRow.has(p.market)) ppcRow.set(p.market, p.coverage94);
  const ppcCoverage = model.markets.map((mk) => ppcRow.get(mk) ?? NaN);

  // Posterior predictive band per observed week (equal-tailed 94%), of the markets that keep y_rep.
  const fit: FitSeries[] = [];
  const sorted = new Float64Array(S);
  const band = (draws: Float64Array, row: number, into: { lower: number[]; upper: number[] }) => {
    for (let k = 0; k < S; k++) sorted[k] = draws[row * S + k]!;
    sorted.sort();
    into.lower.push(quantileSorted(sorted, (1 - HDI_PROB) / 2));
    into.upper.push(quantileSorted(sorted, 1 - (1 - HDI_PROB) / 2));
  };
  for (let g = 0; g < G; g++) {
    if (isRest[g]) continue;
    const start = panel.obsOffset[g]!;
    const count = panel.marketNumObs[g]!;
    const f: FitSeries = { market: model.markets[g]!, dates: [], observed: [], mean: [], lower: [], upper: [] };
    for (let n = start; n < start + count; n++) {
      band(yrep, slot[n]!, f);
      f.dates.push(panel.obsDates[n]!);
      f.observed.push(panel.y[n]!);
      f.mean.push(muSum[n]! / S);
    }
    fit.push(f);
  }

  // Parameters: beta per market and channel, population effects.
  const summaryOf = new Map(report.summary.map((x) => [x.name, x]));
  const betaName = (g: number, ch: number) => (m.model === 'pooled' ? `beta[${model.channels[ch]}]` : `beta[${model.markets[g]},${model.channels[ch]}]`);
  const beta = model.markets.map((_, g) =>
    model.channels.map((__, ch) => {
      const x = summaryOf.get(betaName(g, ch));
      return { mean: x?.mean ?? NaN, sd: x?.sd ?? NaN, lower: x?.hdiLower ?? NaN, upper: x?.hdiUpper ?? NaN };
    }),
  );
  let betaMu: { mean: number; sd: number }[] | undefined;
  let betaSigma: Estimate[] | undefined;
  if (m.model === 'hierarchical') {
    betaMu = model.channels.map((ch) => ({ mean: summaryOf.get(`beta_mu[${ch}]`)?.mean ?? NaN, sd: summaryOf.get(`beta_mu[${ch}]`)?.sd ?? NaN }));
    betaSigma = model.channels.map((ch) => {
      const x = summaryOf.get(`beta_sigma[${ch}]`);
      return { mean: x?.mean ?? NaN, lower: x?.hdiLower ?? NaN, upper: x?.hdiUpper ?? NaN };
    });
  } else if (m.model === 'pooled') {
    betaMu = model.channels.map((_, ch) => ({ mean: beta[0]![ch]!.mean, sd: beta[0]![ch]!.sd }));
  }

  // Contributions over time: the posterior mean of each channel's weekly contribution
  // beta[g,c]·m_c(t)·H[n,c]·y_scale[g] (DrawView.weeklyContributions, with the draw's own
  // transforms when learned); the baseline is the posterior-mean expected revenue minus the media part.
  const transforms = transformCurves(model, draws, idx);
  const contributionsOverTime: ContributionSeries[] = [];
  for (let g = 0; g < G; g++) {
    if (isRest[g]) continue;
    const start = panel.obsOffset[g]!;
    const count = panel.marketNumObs[g]!;
    const s: ContributionSeries = { market: model.markets[g]!, dates: [], base: [], channels: model.channels.map(() => []) };
    for (let n = start; n < start + count; n++) {
      let media = 0;
      for (let ch = 0; ch < C; ch++) {
        const v = weeklySum[n * C + ch]! / S;
        s.channels[ch]!.push(v);
        media += v;
      }
      s.dates.push(panel.obsDates[n]!);
      s.base.push(muSum[n]! / S - media);
    }
    contributionsOverTime.push(s);
  }
  const rest = options.groups && D ? restOfMarkets(options.groups.label, restDates, restDay) : undefined;

  const input: ModelInput = {
    ...diagnosticsPart(r, draws, report, model.markets),
    roas,
    marginalRoas,
    roasTotal,
    marginalRoasTotal,
    contribution,
    stability,
    beta,
    ...(betaMu ? { betaMu } : {}),
    ...(betaSigma ? { betaSigma } : {}),
    ...(shrinkage ? { shrinkage } : {}),
    fit,
    ppcCoverage,
    contributionsOverTime,
    ...(rest ? { rest } : {}),
  };
  return { input, kind: m.model, report, transforms };

  /** The rest markets together: ROAS per draw of their sums, summed weekly revenue and contributions. */
  function restOfMarkets(label: string, dates: string[], day: Int32Array): RestOfMarkets {
    const observed = new Float64Array(D);
    const mu = new Float64Array(D);
    const weekly = new Float64Array(D * C);
    for (let n = 0; n < N; n++) {
      const d = day[n]!;
      if (d < 0) continue;
      observed[d]! += panel.y[n]!;
      mu[d]! += muSum[n]! / S;
      for (let ch = 0; ch < C; ch++) weekly[d * C + ch]! += weeklySum[n * C + ch]! / S;
    }
    const f: FitSeries = { market: label, dates, observed: Array.from(observed), mean: Array.from(mu), lower: [], upper: [] };
    for (let d = 0; d < D; d++) band(restRep, d, f);
    const inside = f.observed.filter((y, d) => y >= f.lower[d]! && y <= f.upper[d]!).length;
    const channels = model.channels.map((_, ch) => Array.from({ length: D }, (__, d) => weekly[d * C + ch]!));
    const base = Array.from({ length: D }, (_, d) => mu[d]! - channels.reduce((a, c) => a + c[d]!, 0));
    return {
      roas: Array.from({ length: C }, (_, ch) => estimate(column(restRoas, C, ch))),
      marginalRoas: Array.from({ length: C }, (_, ch) => estimate(column(restMroas, C, ch))),
      fit: f,
      fitCoverage: inside / D,
      contributions: { market: label, dates, base, channels },
    };
  }
}

export const SAT_X = Array.from({ length: 61 }, (_, i) => (i * 1.5) / 60);

const SAT_OUT = new Float64Array(4);

/** "logistic (λ 2.60)" — a saturation spec for the settings table. */
function saturationText(spec: SaturationSpec): string {
  switch (spec.kind) {
    case 'hill':
      return `Hill (K ${spec.K.toFixed(2)}, S ${spec.S.toFixed(2)})`;
    case 'logistic':
      return `logistic (λ ${spec.lam.toFixed(2)})`;
    case 'michaelis_menten':
      return `Michaelis–Menten (λ ${spec.lam.toFixed(2)})`;
    case 'tanh':
      return `tanh (b ${spec.b.toFixed(2)}, c ${spec.c.toFixed(2)})`;
  }
}

/**
 * Adstock weights and the saturation curve on SAT_X of one channel, any kind (the model's
 * `transformSpecs`): at its fixed values, or at a draw's through `lookup` (parameter name → value).
 */
export function channelCurves(t: ChannelTransform, channel: string, lookup?: (name: string) => number | undefined): { weights: number[]; y: number[]; spec: ReturnType<typeof transformSpecs> } {
  const spec = transformSpecs(t, channel, lookup);
  return {
    weights: Array.from(adstockWeights(spec.adstock)),
    y: SAT_X.map((v) => saturationScalarWithGradient(spec.saturation, v, SAT_OUT)),
    spec,
  };
}

/** The table fields of a channel's transform: kind names, α (geometric/delayed), K and S (Hill). */
export function transformFieldsOf(t: ChannelTransform, spec: ReturnType<typeof transformSpecs>) {
  const a = spec.adstock;
  const sat = spec.saturation;
  return {
    adstock: t.adstock as string,
    alpha: a.kind === 'geometric' || a.kind === 'delayed' ? a.alpha : NaN,
    theta: t.theta,
    K: sat.kind === 'hill' ? sat.K : NaN,
    S: sat.kind === 'hill' ? sat.S : NaN,
    lMax: t.lMax,
    saturationKind: sat.kind as string,
    saturationText: saturationText(sat),
  };
}

/** Adstock weights and saturation curves per channel: fixed, or posterior mean and 94% band when learned. */
function transformCurves(model: Model, draws: PooledDraws, idx: number[]): TransformInput[] {
  return model.channels.map((ch, c) => {
    const base: ChannelTransform = model.transforms[c]!;
    if (!model.isLearnedTransforms) {
      const fixed = channelCurves(base, ch);
      return { channel: ch, ...transformFieldsOf(base, fixed.spec), isLearned: false, weights: fixed.weights, saturation: { x: SAT_X, y: fixed.y } };
    }
    const lookupAt = (s: number) => (name: string) => (draws.has(name) ? draws.column(name)[s] : undefined);
    const curves = idx.map((s) => channelCurves(base, ch, lookupAt(s)));
    const W = curves.map((k) => k.weights);
    const Y = curves.map((k) => k.y);
    const band = (rows: number[][], j: number) => {
      const col = Float64Array.from(rows.map((r) => r[j]!)).sort();
      return [mean(col), quantileSorted(col, 0.03), quantileSorted(col, 0.97)] as const;
    };
    const wb = base.lMax ? Array.from({ length: base.lMax }, (_, j) => band(W, j)) : [];
    const yb = SAT_X.map((_, j) => band(Y, j));
    // Table values: the posterior mean of each learned parameter.
    const meanOf = (name: string) => (draws.has(name) ? mean(draws.column(name)) : undefined);
    const atMean = channelCurves(base, ch, meanOf);
    return {
      channel: ch,
      ...transformFieldsOf(base, atMean.spec),
      isLearned: true,
      weights: wb.map((b) => b[0]),
      weightsLower: wb.map((b) => b[1]),
      weightsUpper: wb.map((b) => b[2]),
      saturation: { x: SAT_X, y: yb.map((b) => b[0]), lower: yb.map((b) => b[1]), upper: yb.map((b) => b[2]) },
    };
  });
}

type DiagnosticsPart = Pick<
  ModelInput,
  | 'kind'
  | 'status'
  | 'statusReasons'
  | 'numChains'
  | 'numDraws'
  | 'wallSeconds'
  | 'divergences'
  | 'divergentPercent'
  | 'maxRhat'
  | 'minEssBulk'
  | 'minEssTail'
  | 'treedepthHits'
  | 'globalParameters'
  | 'rankDraws'
>;

function diagnosticsPart(r: ResultsFolder, draws: PooledDraws, report: EvaluationReport, markets: readonly string[]): DiagnosticsPart {
  const d = report.diagnostics;
  const summary = report.summary;
  const marketSet = new Set(markets);
  const isGlobal = (name: string) => {
    if (name.startsWith('beta_log_mu') || name.startsWith('beta_z') || name.startsWith('alpha_z')) return false;
    const inside = /\[(.*)\]$/.exec(name)?.[1];
    if (inside === undefined) return true;
    return !inside.split(',').some((p) => marketSet.has(p));
  };
  const toRow = (s: SummaryRow): ParameterRow => ({
    name: s.name,
    mean: s.mean,
    sd: s.sd,
    lower: s.hdiLower,
    upper: s.hdiUpper,
    essBulk: s.essBulk,
    essTail: s.essTail,
    rhat: s.rHat,
  });
  const byRhat = (a: SummaryRow, b: SummaryRow) => (Number.isFinite(b.rHat) ? b.rHat : 0) - (Number.isFinite(a.rHat) ? a.rHat : 0);
  let globals = summary.filter((s) => isGlobal(s.name));
  if (globals.length < 3) globals = [...summary].sort(byRhat).slice(0, 8);
  const worst = [...globals].sort(byRhat).slice(0, 3).map((s) => s.name);
  const rankDraws: { name: string; chains: number[][] }[] = [];
  if (r.sampleStats.lp) rankDraws.push({ name: 'lp (log density)', chains: r.sampleStats.lp.map((c) => Array.from(c)) });
  for (const name of worst) rankDraws.push({ name, chains: draws.chains(name).map((c) => Array.from(c)) });
  const reasons = d.failures.length
    ? d.failures.map((f) => `${f.message}${f.remedy ? ` — try: ${f.remedy}` : ''}`)
    : ['No divergences, R-hat ≤ 1.01 and ESS ≥ 400 everywhere.'];
  const wall = fitWallSeconds(r);
  return {
    kind: r.manifest.model,
    status: d.status as Status,
    statusReasons: reasons,
    numChains: r.numChains,
    numDraws: r.numDraws,
    ...(wall !== undefined ? { wallSeconds: wall } : {}),
    divergences: d.divergences,
    divergentPercent: d.divergentPercent,
    maxRhat: d.maxRhat,
    minEssBulk: d.minEssBulk,
    minEssTail: d.minEssTail,
    treedepthHits: d.treedepthHits,
    globalParameters: globals.map(toRow),
    rankDraws,
  };
}
