// Section 10: the budget plan from `tributary optimize` — where the money goes (by channel and
// by market, against the historical allocation), the revenue it is expected to bring, how the
// response grows with the budget, and which allocations go beyond anything seen in the data.
// Large panels (issue 17): the by-market chart has the markets with the largest plan (ranked by
// planned spend, not revenue, unlike the other sections) plus the per-market average of the others
// (their sum would dwarf the named markets); the long tables scroll in a box.
import { groupedBarChart } from '../charts/bar.js';
import { distributionChart } from '../charts/distribution.js';
import { lineChart } from '../charts/line.js';
import { channelLabel, escapeHtml, formatEuro, formatPercent, formatRoas } from '../charts/format.js';
import { GOOD, MUTED, channelColor, modelColor } from '../charts/palette.js';
import { callout, figure, grid, section, table } from '../html.js';
import type { PlanAllocation, PlanVerdict, ReportInput } from '../types.js';
import { otherMarketsLabel } from '../build/markets.js';
import { sectionNumber } from './common.js';

export function renderPlanSection(input: ReportInput): string {
  const title = 'The budget plan';
  const plan = input.plan;
  if (!plan) {
    return section(
      'plan',
      sectionNumber(input, 'plan'),
      title,
      'No budget plan was given. Make one from the hierarchical fit and pass it with --plan.',
      callout('<p><code>tributary optimize results/hierarchical --budget 500000 --weeks 13 --out plan.json</code> then <code>tributary report results/ --plan plan.json</code>.</p>'),
    );
  }
  const weekly = plan.budget / Math.max(plan.weeks, 1);
  const up = plan.historical ? plan.response.mean - plan.historical.response.mean : NaN;
  const lead =
    `A budget of ${formatEuro(plan.budget)} over ${plan.weeks} weeks (${formatEuro(weekly)} a week), split across markets and channels to maximise ${plan.utility.replace(/_/g, ' ')} over the posterior. ` +
    `Expected media revenue: ${formatEuro(plan.response.mean)} (90%: ${formatEuro(plan.response.q05)}–${formatEuro(plan.response.q95)}).`;
  const key = plan.historical
    ? callout(
        `<p>Compared with spending the same budget the way it was spent historically, the plan is expected to add <strong>${escapeHtml(formatEuro(up))}</strong> of revenue` +
          (plan.pUplift !== undefined ? `; the chance that it does better at all is <strong>${escapeHtml(formatPercent(plan.pUplift))}</strong>` : '') +
          (plan.roas ? `. Plan ROAS: ${escapeHtml(formatRoas(plan.roas.mean))} (${escapeHtml(formatRoas(plan.roas.q05))}–${escapeHtml(formatRoas(plan.roas.q95))})` : '') +
          '.</p>',
        'key',
      )
    : '';

  const verdict = plan.source?.verdict;
  const fitWarning = verdict && verdict.status !== 'good' ? callout(planVerdictHtml(verdict, plan.source?.dir), 'warning') : '';

  const channelTotals = input.channels.map((c) => sum(plan.allocation.filter((a) => a.channel === c).map((a) => a.weeklySpend)));
  const channelHist = input.channels.map((c) => sum(plan.allocation.filter((a) => a.channel === c).map((a) => a.historicalWeeklySpend ?? NaN)));
  const hasHist = channelHist.some((v) => Number.isFinite(v) && v > 0);
  const byChannel = groupedBarChart({
    title: 'Weekly spend by channel',
    subtitle: hasHist ? 'Plan against the historical average week (same markets)' : 'Planned weekly spend, all markets',
    groups: input.channels.map(channelLabel),
    series: [
      ...(hasHist ? [{ name: 'historical', color: '#b8bec8', values: channelHist }] : []),
      { name: 'plan', color: GOOD, values: channelTotals, colors: input.channels.map((_, c) => channelColor(c)) },
    ],
    legend: hasHist ? [{ label: 'historical', color: '#b8bec8' }, { label: 'plan (channel colour)', color: GOOD }] : [],
    valueLabel: '€ per week',
    valueFormat: (v) => formatEuro(v),
    width: 520,
    height: 320,
  });
  // (indexed by market and channel: a find per bar is quadratic in the markets)
  const cellOf = new Map<string, PlanAllocation>();
  for (const a of plan.allocation) if (!cellOf.has(`${a.market}\u0000${a.channel}`)) cellOf.set(`${a.market}\u0000${a.channel}`, a);
  const planned = new Map<string, number>();
  for (const a of plan.allocation) planned.set(a.market, (planned.get(a.market) ?? 0) + a.weeklySpend);
  const allMarkets = input.markets.filter((m) => planned.has(m));
  // Large panels: the markets with the largest planned spend, then the others' per-market average
  // (their sum would dwarf every named market).
  const top = input.marketGroups ? [...allMarkets].sort((a, b) => planned.get(b)! - planned.get(a)!).slice(0, input.marketGroups.top.length) : allMarkets;
  const others = input.marketGroups ? allMarkets.filter((m) => !top.includes(m)) : [];
  const byMarket = groupedBarChart({
    title: 'Weekly spend by market and channel',
    subtitle: others.length
      ? `Planned, the ${top.length} markets with the largest plan, then the average of the ${others.length} others; hatched bars are outside the spend seen in the data`
      : 'Planned; hatched bars are outside the spend seen in the data',
    groups: [...top, ...(others.length ? [`${otherMarketsLabel(others.length)} (average)`] : [])],
    series: input.channels.map((c, ci) => {
      const rows = top.map((m) => cellOf.get(`${m}\u0000${c}`));
      const rest = others.map((m) => cellOf.get(`${m}\u0000${c}`));
      return {
        name: channelLabel(c),
        color: channelColor(ci),
        values: [...rows.map((r) => r?.weeklySpend ?? 0), ...(others.length ? [rest.reduce((a, r) => a + (r?.weeklySpend ?? 0), 0) / others.length] : [])],
        flagged: [...rows.map((r) => r?.isOutsideObservedRange === true), ...(others.length ? [rest.some((r) => r?.isOutsideObservedRange === true)] : [])],
      };
    }),
    valueLabel: '€ per week',
    valueFormat: (v) => formatEuro(v),
    width: 1040,
    height: 340,
  });
  const response = distributionChart({
    title: 'Expected media revenue over the plan period',
    subtitle: plan.responseDraws ? 'Posterior distribution' : 'Box = 90% interval, line = mean',
    groups: [
      ...(plan.historical ? [{ label: 'historical allocation', color: '#8a8f98', ...(plan.responseDraws?.historical ? { values: plan.responseDraws.historical } : { summary: plan.historical.response }) }] : []),
      { label: 'plan', color: GOOD, ...(plan.responseDraws?.plan ? { values: plan.responseDraws.plan } : { summary: plan.response }) },
    ],
    yLabel: '€ revenue from media',
    yFormat: (v) => formatEuro(v),
    width: 520,
    height: 320,
  });
  const sc = [...plan.scenarios].sort((a, b) => a.budget - b.budget);
  const scenario = sc.length
    ? lineChart({
        title: 'What more (or less) budget would bring',
        subtitle: 'Expected media revenue for each total budget, optimally allocated; band = 90%',
        series: [
          {
            name: 'expected revenue (90% band)',
            color: modelColor('hierarchical'),
            x: sc.map((s) => s.budget),
            y: sc.map((s) => s.response.mean),
            lower: sc.map((s) => s.response.q05),
            upper: sc.map((s) => s.response.q95),
            style: 'line+points',
          },
          { name: 'break-even (revenue = budget)', color: MUTED, x: sc.map((s) => s.budget), y: sc.map((s) => s.budget), style: 'dashed' },
        ],
        markers: [{ x: plan.budget, label: `this plan: ${formatEuro(plan.budget)}`, color: GOOD }],
        xLabel: 'total budget over the period (€)',
        yLabel: '€ media revenue',
        xFormat: (v) => formatEuro(v),
        yFormat: (v) => formatEuro(v),
        width: 1040,
        height: 320,
      })
    : '';
  const flagged = plan.allocation.filter((a) => a.isOutsideObservedRange);
  const flags = flagged.length
    ? callout(
        `<p><strong>${flagged.length} allocation${flagged.length > 1 ? 's go' : ' goes'} beyond the weekly spend ever observed</strong> in that market and channel. ` +
          'There the response curve is extrapolated, not measured: treat those euros as an experiment and test before committing.</p>',
        'warning',
      ) +
      table<PlanAllocation>(
        [
          { header: 'Market', value: (a) => a.market },
          { header: 'Channel', value: (a) => channelLabel(a.channel) },
          { header: 'Planned per week', value: (a) => formatEuro(a.weeklySpend), sort: (a) => a.weeklySpend, align: 'right' },
          { header: 'Historical per week', value: (a) => (a.historicalWeeklySpend !== undefined ? formatEuro(a.historicalWeeklySpend) : '–'), sort: (a) => a.historicalWeeklySpend ?? 0, align: 'right' },
          { header: 'Planned total', value: (a) => formatEuro(a.totalSpend), sort: (a) => a.totalSpend, align: 'right' },
        ],
        [...flagged].sort((a, b) => b.weeklySpend - a.weeklySpend),
        { caption: 'Extrapolation flags: allocations outside the observed spend range', ...(input.marketGroups ? { scroll: true } : {}) },
      )
    : callout('<p>Every allocation stays within the weekly spend observed in the data: no extrapolation.</p>');
  const full = table<PlanAllocation>(
    [
      { header: 'Market', value: (a) => a.market },
      { header: 'Channel', value: (a) => channelLabel(a.channel) },
      { header: 'Per week', value: (a) => formatEuro(a.weeklySpend), sort: (a) => a.weeklySpend, align: 'right' },
      { header: 'Total', value: (a) => formatEuro(a.totalSpend), sort: (a) => a.totalSpend, align: 'right' },
      { header: 'Share of budget', value: (a) => formatPercent(a.totalSpend / Math.max(plan.budget, 1)), sort: (a) => a.totalSpend, align: 'right' },
      { header: 'Outside observed range', value: (a) => (a.isOutsideObservedRange ? 'yes' : ''), sort: (a) => (a.isOutsideObservedRange ? 1 : 0) },
    ],
    [...plan.allocation].sort((a, b) => b.totalSpend - a.totalSpend),
    { caption: 'Full allocation, largest first', ...(input.marketGroups ? { scroll: true } : {}) },
  );
  return section(
    'plan',
    sectionNumber(input, 'plan'),
    title,
    lead,
    fitWarning + key + grid([figure(byChannel), figure(response)]) + figure(byMarket, undefined, { wide: true }) + (scenario ? figure(scenario, undefined, { wide: true }) : '') + `<h3>Extrapolation flags</h3>${flags}<details><summary>Full allocation table</summary>${full}</details>`,
  );
}

/** The warning about a plan made from a fit whose diagnostics are 'warning' or 'bad'. */
function planVerdictHtml(v: PlanVerdict, dir?: string): string {
  const parts = [
    Number.isFinite(v.divergences) ? `${v.divergences} divergent transition${v.divergences === 1 ? '' : 's'}` : '',
    Number.isFinite(v.maxRhat) ? `max R-hat ${v.maxRhat.toFixed(3)}` : '',
    Number.isFinite(v.minEssBulk) ? `min ESS ${Math.round(v.minEssBulk)}` : '',
  ].filter((x) => x);
  const tips = [
    Number.isFinite(v.divergences) && v.divergences > 0 ? 're-fit with --target-accept 0.95' : '',
    (Number.isFinite(v.maxRhat) && v.maxRhat > 1.01) || (Number.isFinite(v.minEssBulk) && v.minEssBulk < 400) ? 'run longer chains (--warmup 1000 --draws 1000)' : '',
  ].filter((x) => x);
  return (
    `<p><strong>Do not act on this plan before the fit is fixed: it comes from a fit whose diagnostics are ${escapeHtml(v.status)}${parts.length ? ` (${escapeHtml(parts.join(', '))})` : ''}.</strong> ` +
    escapeHtml(
      `${dir ? `The plan was made from ${dir}; its` : 'Its'} effects, and so the allocation built on them, may be wrong. ` +
        `To fix the fit, ${tips.length ? tips.join('; ') : 'see the diagnostics section'}; then run tributary optimize again.`,
    ) +
    '</p>'
  );
}

function sum(xs: number[]): number {
  const f = xs.filter((x) => Number.isFinite(x));
  return f.length ? f.reduce((a, b) => a + b, 0) : NaN;
}
