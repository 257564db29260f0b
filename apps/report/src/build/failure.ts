// Failure indicators of partial pooling, in plain words: is there common ground to borrow
// from, does pooling override what rich markets clearly say, how far are sparse markets moved,
// does the hierarchical model still predict better, and did the sampler cope. (The share of
// surprising weeks divides by the evaluation's numObs: with large panels `fit` has the top
// markets only.)
import { channelLabel } from '../charts/format.js';
import { FAILURE_MODE_THRESHOLDS, type FailureModeKind } from '@tributary/evaluation';
import type { ComparisonInput, Estimate, FailureIndicator, FailureInput, Status, Tier } from '../types.js';
import type { ModelComputation } from './model.js';

export interface FailureContext {
  label: string;
  markets: string[];
  channels: string[];
  tiers: Tier[];
  hierarchical?: ModelComputation;
  unpooled?: ModelComputation;
  comparison?: ComparisonInput;
  /** True ROAS [g][c] when known. */
  truthRoas?: number[][];
}

export function buildFailureInput(ctx: FailureContext): FailureInput | undefined {
  if (!ctx.hierarchical) return undefined;
  const h = ctx.hierarchical.input;
  const u = ctx.unpooled?.input;
  const modes = ctx.hierarchical.report.failureModes;
  const indicators: FailureIndicator[] = [];
  const G = ctx.markets.length;
  const C = ctx.channels.length;

  // 1. Spread of the channel effects between markets.
  let spreadChannel = -1;
  if (h.betaSigma?.length) {
    spreadChannel = h.betaSigma.reduce((best, e, c) => (e.mean > (h.betaSigma![best]?.mean ?? -Infinity) ? c : best), 0);
    const s = h.betaSigma[spreadChannel]!.mean;
    indicators.push({
      id: 'population_spread',
      name: 'How differently channels work between markets',
      value: `${s.toFixed(2)} (${channelLabel(ctx.channels[spreadChannel]!)}) ≈ ×${Math.exp(s).toFixed(1)}`,
      status: s > SPREAD ? 'warning' : 'good',
      explanation:
        `The largest market-to-market spread of a channel’s effect (beta_sigma, log scale): a typical market’s effect is ×${Math.exp(s).toFixed(1)} or ÷${Math.exp(s).toFixed(1)} the group’s. ` +
        `Up to ${SPREAD} (about ×${Math.exp(SPREAD).toFixed(1)}) the markets are alike enough to learn from each other; far above it the group average describes hardly any market.` +
        listSubjects(modes, 'high_between_market_spread', (x) => channelLabel(x)),
    });
  }

  // 2. Rich markets moved away from what their own data say.
  if (u) {
    let moved = 0;
    let total = 0;
    for (let g = 0; g < G; g++) {
      if (ctx.tiers[g] !== 'rich') continue;
      for (let c = 0; c < C; c++) {
        const he = h.roas[g]?.[c];
        const ue = u.roas[g]?.[c];
        if (!he || !ue) continue;
        total++;
        if (he.mean < ue.lower || he.mean > ue.upper) moved++;
      }
    }
    if (total > 0) {
      const share = moved / total;
      indicators.push({
        id: 'rich_markets_overridden',
        name: 'Rich markets overridden by the group',
        value: `${moved} of ${total} channel estimates`,
        status: share >= 0.25 ? 'bad' : share >= 0.1 ? 'warning' : 'good',
        explanation:
          'Markets with long history should keep their own answer. This counts the channel estimates of rich markets that pooling pushed outside the range their own data allow (the unpooled 94% interval).',
      });
    }

    // 3. How far sparse markets are moved.
    const logRatios: number[] = [];
    for (let g = 0; g < G; g++) {
      if (ctx.tiers[g] !== 'sparse') continue;
      for (let c = 0; c < C; c++) {
        const he = h.roas[g]?.[c];
        const ue = u.roas[g]?.[c];
        if (he && ue && he.mean > 0 && ue.mean > 0) logRatios.push(Math.abs(Math.log(he.mean / ue.mean)));
      }
    }
    if (logRatios.length) {
      const m = logRatios.reduce((a, b) => a + b, 0) / logRatios.length;
      const spread = spreadChannel >= 0 ? h.betaSigma![spreadChannel]!.mean : 0;
      indicators.push({
        id: 'sparse_markets_moved',
        name: 'How far sparse markets are pulled',
        value: `×${Math.exp(m).toFixed(2)} on average`,
        status: m >= 0.7 && spread > SPREAD ? 'bad' : m >= 0.35 ? 'warning' : 'good',
        explanation:
          'The typical factor between a sparse market’s ROAS with pooling and on its own data. Being pulled is the point of pooling when markets are alike; combined with a large spread it means their answer is borrowed from markets that are not like them.',
      });
    }
  }

  // 4. Does pooling still predict better?
  const rows = ctx.comparison?.rows ?? [];
  const hr = rows.find((r) => r.model === 'hierarchical');
  const ur = rows.find((r) => r.model === 'unpooled');
  if (hr && ur) {
    const diff = hr.elpd - ur.elpd;
    const se = Math.max(hr.model === rows[0]!.model ? ur.seDiff : hr.seDiff, 1e-9);
    indicators.push({
      id: 'loo_vs_unpooled',
      name: 'Predictive accuracy against the unpooled model',
      value: `${diff >= 0 ? '+' : '−'}${Math.abs(diff).toFixed(1)} ± ${se.toFixed(1)} elpd`,
      status: diff < -2 * se ? 'bad' : diff < 0 ? 'warning' : 'good',
      explanation:
        'Leave-one-out prediction of the hierarchical model minus that of the unpooled model. Positive: pooling helps predict unseen weeks. Clearly negative: pooling hurts, the markets should be modelled separately (or grouped differently).',
    });
  }
  if (hr && hr.numHighK > 0) {
    const n = ctx.hierarchical.report.numObs;
    const share = n ? hr.numHighK / n : 0;
    indicators.push({
      id: 'pareto_k',
      name: 'Weeks the model finds surprising',
      value: `${hr.numHighK} weeks with Pareto k > 0.7`,
      status: share > 0.05 ? 'bad' : 'warning',
      explanation: 'Single weeks that change the fit a lot when left out. A few are normal; many point to outliers or a model that does not fit some markets.',
    });
  }

  // Facts from @tributary/evaluation's failure modes: shrinkage extremes and residual structure.
  const high = modes.filter((f) => f.kind === 'high_shrinkage');
  const low = modes.filter((f) => f.kind === 'low_shrinkage');
  indicators.push({
    id: 'shrinkage_extremes',
    name: 'Markets whose own data barely count',
    value: high.length ? high.map((f) => f.subject).join(', ') : 'none',
    status: high.length > 0 ? 'warning' : 'good',
    explanation:
      `Markets whose effects are more than ${Math.round(100 * FAILURE_MODE_THRESHOLDS.shrinkageHigh)}% borrowed from the group: their ROAS says little about that market itself.` +
      (low.length ? ` At the other end, ${low.map((f) => f.subject).join(', ')} hardly borrow at all (their own data decide).` : ''),
  });
  const auto = modes.filter((f) => f.kind === 'residual_autocorrelation');
  indicators.push({
    id: 'residual_autocorrelation',
    name: 'Patterns the model misses',
    value: auto.length ? auto.map((f) => `${f.subject} (${f.value.toFixed(2)})`).join(', ') : 'none',
    status: auto.length > ctx.markets.length / 2 ? 'bad' : auto.length > 0 ? 'warning' : 'good',
    explanation:
      'When the misses of one week predict the misses of the next, something systematic (a campaign, an event, a carry-over the model does not allow) is not captured. Markets listed with the week-to-week correlation of their misses.',
  });

  // 5. Sampler trouble.
  indicators.push({
    id: 'divergences',
    name: 'Sampler trouble (divergent transitions)',
    value: `${h.divergences} (${h.divergentPercent.toFixed(2)}%)`,
    status: h.divergentPercent > 1 ? 'bad' : h.divergences > 0 ? 'warning' : 'good',
    explanation:
      'Divergences in a hierarchical model often mean the data pull the markets apart while the model tries to hold them together (a “funnel”). Any divergence means parts of the answer may be missing.',
  });

  // 6. Fit per market.
  if (h.ppcCoverage?.length) {
    const worst = h.ppcCoverage.reduce((w, v, g) => (v < (h.ppcCoverage![w] ?? Infinity) ? g : w), 0);
    const v = h.ppcCoverage[worst]!;
    indicators.push({
      id: 'ppc_coverage',
      name: 'Worst-fitting market',
      value: `${ctx.markets[worst]}: ${(100 * v).toFixed(0)}% of weeks in the 94% band`,
      status: v < 0.6 ? 'bad' : v < 0.8 ? 'warning' : 'good',
      explanation: 'If pooling forces a market into the group’s mould, its weeks fall outside the predicted band. About 94% inside is right.',
    });
  }

  // Markets that differ a lot AND sparse markets moved a lot: pooling is borrowing from markets
  // that are not alike — the failure this section is about.
  const spreadInd = indicators.find((i) => i.id === 'population_spread');
  const movedInd = indicators.find((i) => i.id === 'sparse_markets_moved');
  if (spreadInd?.status !== 'good' && spreadInd && movedInd && movedInd.status !== 'good') {
    spreadInd.status = 'bad';
    movedInd.status = 'bad';
  }
  const order: Record<Status, number> = { good: 0, warning: 1, bad: 2 };
  const status = indicators.reduce<Status>((s, i) => (order[i.status] > order[s] ? i.status : s), 'good');
  const numBad = indicators.filter((i) => i.status === 'bad').length;
  const verdict =
    status === 'good'
      ? `${ctx.label}: the markets are alike enough, and the hierarchical model uses that without overriding what the data say. Its numbers can be used.`
      : status === 'warning'
        ? `${ctx.label}: pooling works, but some indicators need a look before the numbers of sparse markets are used.`
        : `${ctx.label}: ${numBad} indicator${numBad > 1 ? 's' : ''} show${numBad > 1 ? '' : 's'} that the markets differ too much for one group. Do not trust the hierarchical ROAS of sparse markets; model them separately or group similar markets.`;

  let example: FailureInput['example'];
  if (u && spreadChannel >= 0) {
    const order2 = ctx.markets.map((_, g) => g);
    example = {
      channel: ctx.channels[spreadChannel]!,
      rows: order2.map((g) => ({
        market: ctx.markets[g]!,
        tier: ctx.tiers[g]!,
        unpooled: (u.roas[g]?.[spreadChannel] ?? null) as Estimate | null,
        hierarchical: (h.roas[g]?.[spreadChannel] ?? null) as Estimate | null,
        ...(ctx.truthRoas?.[g]?.[spreadChannel] !== undefined ? { truth: ctx.truthRoas[g]![spreadChannel]! } : {}),
      })),
    };
  }
  return { label: ctx.label, verdict, status, indicators, ...(example ? { example } : {}) };
}

const SPREAD = FAILURE_MODE_THRESHOLDS.betaSigmaHigh;

function listSubjects(modes: readonly { kind: FailureModeKind; subject: string }[], kind: FailureModeKind, label: (s: string) => string): string {
  const subjects = modes.filter((m) => m.kind === kind).map((m) => label(m.subject));
  return subjects.length ? ` Above it here: ${subjects.join(', ')}.` : '';
}
