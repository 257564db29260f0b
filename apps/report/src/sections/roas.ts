// Section 4: return on ad spend — per channel a forest plot (markets as rows, all models,
// sparse markets highlighted), the all-market ROAS next to the marginal ROAS, and the marginal
// ROAS per market. Large panels (issue 17): the heatmap and forest plots have the top markets by
// revenue plus one "other N markets" row — that group's ROAS is Σ contribution / Σ spend per draw
// (build/model.ts), not an average of the markets' ROAS, and there is no true value for it — and a
// sortable table lists every market's ROAS per channel (main model).
import { forestPlot, type Estimate as ChartEstimate } from '../charts/forest.js';
import { heatmap } from '../charts/heatmap.js';
import { channelLabel, escapeHtml, formatRoas } from '../charts/format.js';
import { modelColor } from '../charts/palette.js';
import { callout, figure, grid, section, table } from '../html.js';
import type { Estimate, ModelInput, ReportInput } from '../types.js';
import { chartMarkets, compactNote, mainModel, marketColumns, modelLabel, weeksNote, sectionNumber } from './common.js';

export function renderRoasSection(input: ReportInput): string {
  const main = mainModel(input);
  if (!main) return section('roas', sectionNumber(input, 'roas'), 'Return on ad spend (ROAS)', 'No fitted model was found.', '');
  const { markets: order, rest } = chartMarkets(input);
  const restNote = rest ? `${rest.rest.length} mkts` : '';
  const lead =
    'ROAS is the revenue a channel brought per euro spent on it, over the weeks observed: a ROAS of 2.00 means every €1 came back as €2 of revenue. ' +
    'Each dot is the best estimate; the line around it is the 94% interval (the range the model considers plausible). Markets with little data are shaded.';

  // Headline: channels ranked by the main model's all-market ROAS.
  const ranked = input.channels
    .map((c, i) => ({ c, e: main.roasTotal[i] ?? null, m: main.marginalRoasTotal[i] ?? null }))
    .filter((r): r is { c: string; e: Estimate; m: Estimate | null } => r.e !== null)
    .sort((a, b) => b.e.mean - a.e.mean);
  const best = ranked[0];
  const worst = ranked[ranked.length - 1];
  const headline =
    best && worst
      ? callout(
          `<p><strong>${escapeHtml(channelLabel(best.c))}</strong> returns the most: about €${escapeHtml(formatRoas(best.e.mean))} per €1 across all markets (${escapeHtml(formatRoas(best.e.lower))}–${escapeHtml(formatRoas(best.e.upper))}). ` +
            `<strong>${escapeHtml(channelLabel(worst.c))}</strong> returns the least: €${escapeHtml(formatRoas(worst.e.mean))} per €1. ` +
            `Estimates from the ${escapeHtml(main.kind)} model.</p>`,
          'key',
        )
      : '';

  const totals = forestPlot({
    title: 'ROAS and marginal ROAS per channel, all markets together',
    subtitle: `${modelLabel(main.kind)} model; marginal = return on the next euro (+1% spend)`,
    rows: input.channels.map((c) => ({ label: channelLabel(c) })),
    series: [
      { name: 'average ROAS', color: modelColor(main.kind), estimates: main.roasTotal },
      { name: 'marginal ROAS', color: '#e8710a', estimates: main.marginalRoasTotal },
    ],
    xLabel: '€ revenue per €1 spent',
    xFormat: formatRoas,
    reference: { value: 1, label: 'break-even' },
    width: 520,
  });
  const marginalMap = heatmap({
    title: 'Marginal ROAS per market and channel',
    subtitle: `${modelLabel(main.kind)} model, posterior mean; below 1 the next euro loses money`,
    rows: [...order.map((g) => input.markets[g]!), ...(rest ? [rest.label] : [])],
    rowNotes: [...order.map((g) => weeksNote(input.marketWeeks[g] ?? 0)), ...(rest ? [restNote] : [])],
    columns: input.channels.map(channelLabel),
    values: [
      ...order.map((g) => input.channels.map((_, c) => main.marginalRoas[g]?.[c]?.mean ?? null)),
      ...(rest ? [input.channels.map((_, c) => main.rest?.marginalRoas[c]?.mean ?? null)] : []),
    ],
    format: formatRoas,
    scaleLabel: '€ per extra €1',
    width: 520,
  });

  const forests = input.channels.map((c, ci) => {
    const rows = order.map((g) => ({
      label: input.markets[g]!,
      note: weeksNote(input.marketWeeks[g] ?? 0),
      highlight: input.marketTiers[g] === 'sparse',
    }));
    if (rest) rows.push({ label: rest.label, note: restNote, highlight: false });
    const series = input.models.map((m) => ({
      name: modelLabel(m.kind),
      color: modelColor(m.kind),
      estimates: [...order.map((g) => m.roas[g]?.[ci] ?? null), ...(rest ? [m.rest?.roas[ci] ?? null] : [])],
    }));
    // (no true ROAS of the group: the ground truth has it per market only)
    const truth = input.truth ? [...order.map((g) => input.truth!.roas[g]?.[ci] ?? null), ...(rest ? [null] : [])] : undefined;
    return figure(
      forestPlot({
        title: `${channelLabel(c)}: ROAS per market`,
        rows,
        series,
        ...(truth ? { truth } : {}),
        xLabel: '€ revenue per €1 spent (94% interval)',
        xFormat: formatRoas,
        reference: { value: 1, label: 'break-even' },
        highlightLabel: 'sparse market',
        xDomain: clipDomain(series.flatMap((s) => s.estimates), truth),
        width: 520,
      }),
    );
  });
  const explain =
    (rest
      ? `<p>${escapeHtml(compactNote(input, 'the heatmap and the forest plots'))} The group’s ROAS is its media revenue divided by its spend, per posterior draw — not an average of the markets’ ROAS.</p><p>For`
      : '<p>Read the forest plots top to bottom: markets with the longest history are at the top. For') +
    ' a sparse market, the unpooled model (on its own data) gives a wide interval; ' +
    'the pooled model ignores the market and gives everyone the same answer; the hierarchical model sits in between — it keeps what the market’s own data says and fills in the rest from the other markets. ' +
    'Intervals that run off the right edge are clipped.</p>';
  const everyMarket = rest ? marketRoasTable(input, main) : '';
  return section('roas', sectionNumber(input, 'roas'), 'Return on ad spend (ROAS)', lead, headline + grid([figure(totals), figure(marginalMap)]) + explain + grid(forests) + everyMarket);
}

/** Large panels: every market's ROAS per channel (main model), sortable; the charts show the top markets only. */
function marketRoasTable(input: ReportInput, main: ModelInput): string {
  const cellHtml = (e: Estimate | null | undefined) =>
    e ? `${escapeHtml(formatRoas(e.mean))} <span class="hint">${escapeHtml(formatRoas(e.lower))}–${escapeHtml(formatRoas(e.upper))}</span>` : '–';
  return table<number>(
    [
      ...marketColumns(input),
      ...input.channels.map((c, ci) => ({
        header: channelLabel(c),
        value: (g: number) => (main.roas[g]?.[ci] ? formatRoas(main.roas[g]![ci]!.mean) : '–'),
        html: (g: number) => cellHtml(main.roas[g]?.[ci]),
        sort: (g: number) => main.roas[g]?.[ci]?.mean ?? -1,
        align: 'right' as const,
      })),
    ],
    input.markets.map((_, g) => g),
    { caption: `ROAS per market and channel, ${modelLabel(main.kind)} model: mean and 94% interval, every market (click a column to sort)`, scroll: true },
  );
}

/** A shared domain for one channel that is not blown up by one enormous unpooled interval. */
export function clipDomain(estimates: readonly (ChartEstimate | null)[], truth?: readonly (number | null)[]): [number, number] {
  const means = estimates.filter((e): e is ChartEstimate => e !== null && Number.isFinite(e.mean)).map((e) => e.mean);
  const uppers = estimates.filter((e): e is ChartEstimate => e !== null && Number.isFinite(e.upper)).map((e) => e.upper);
  const t = (truth ?? []).filter((v): v is number => v !== null && Number.isFinite(v));
  const maxMean = Math.max(1, ...means, ...t);
  const cap = maxMean * 2;
  const hi = Math.min(Math.max(...uppers, maxMean), cap);
  const step = hi > 10 ? 5 : hi > 4 ? 1 : 0.5;
  return [0, Math.ceil(hi / step) * step];
}
