// Section 9: when hierarchical modelling fails — the failure indicators in plain words for the
// main results and, when a second results folder is given (--divergent), side by side in one
// table (one row per indicator, one column per results folder) with a verdict card for each.
// With more than 24 markets the example forest plot shows the 12 markets the hierarchical model
// moved furthest from their own (unpooled) estimate, not one row per market.
import { COMPACT_ABOVE, TOP_MARKETS } from '../build/markets.js';
import { forestPlot } from '../charts/forest.js';
import { channelLabel, escapeHtml, formatRoas } from '../charts/format.js';
import { modelColor } from '../charts/palette.js';
import { badge, callout, figure } from '../html.js';
import type { FailureIndicator, FailureInput, ReportInput } from '../types.js';
import { sectionNumber } from './common.js';

const VERDICT_LABEL = { good: 'pooling is safe', warning: 'watch', bad: 'pooling misleads' } as const;
const INDICATOR_LABEL = { good: 'ok', warning: 'watch', bad: 'problem' } as const;

export function renderFailureSection(input: ReportInput): string {
  const title = 'When hierarchical modelling fails';
  const lead =
    'Partial pooling assumes the markets are alike enough that one can learn from another. When the true effects differ wildly between markets, ' +
    'the group average describes none of them and the sparse markets are pulled towards a wrong answer. These indicators watch for that.';
  const panels = [input.failure, input.divergent].filter((f): f is FailureInput => f !== undefined);
  const open = `<section id="failure" class="report-section" data-section="failure"><h2><span class="num">${sectionNumber(input, 'failure')}</span>${escapeHtml(title)}</h2><p class="lead">${escapeHtml(lead)}</p>`;
  if (panels.length === 0) {
    return `${open}${callout('<p>The failure indicators need the hierarchical model in the results folder (and the unpooled one for the comparisons).</p>', 'warning')}</section>`;
  }
  const hint = input.divergent
    ? ''
    : callout(
        '<p>To see what failure looks like, generate the divergent scenario, fit it and pass its results folder with <code>--divergent</code>: ' +
          '<code>tributary generate --scenario divergent --out data/divergent</code>, <code>tributary fit data/divergent/divergent_marketing.csv --model all --out results-divergent</code>, ' +
          '<code>tributary report results/ --divergent results-divergent/</code>.</p>',
      );
  const verdicts = `<div class="failure-grid cols-${panels.length}">${panels
    .map(
      (f) =>
        `<article class="failure-panel status-${f.status}"><h3>${escapeHtml(f.label)} ${badge(f.status, VERDICT_LABEL[f.status])}</h3><p class="verdict">${escapeHtml(f.verdict)}</p></article>`,
    )
    .join('')}</div>`;
  // One row per indicator id, in the order of the first panel (then any others).
  const ids: string[] = [];
  const byId = new Map<string, FailureIndicator>();
  for (const f of panels) {
    for (const i of f.indicators) {
      if (!byId.has(i.id)) {
        ids.push(i.id);
        byId.set(i.id, i);
      }
    }
  }
  const head = `<tr><th>Indicator — what it means</th>${panels.map((f) => `<th>${escapeHtml(f.label)}</th>`).join('')}</tr>`;
  const rows = ids
    .map((id) => {
      const ref = byId.get(id)!;
      const cells = panels
        .map((f) => {
          const i = f.indicators.find((x) => x.id === id);
          return i
            ? `<td class="indicator-value status-${i.status}" data-indicator="${escapeHtml(id)}">${badge(i.status, INDICATOR_LABEL[i.status])}<div>${escapeHtml(i.value)}</div></td>`
            : '<td class="hint">not available</td>';
        })
        .join('');
      return `<tr class="indicator"><td><strong>${escapeHtml(ref.name)}</strong><div class="hint">${escapeHtml(ref.explanation)}</div></td>${cells}</tr>`;
    })
    .join('');
  const table = `<div class="table-wrap"><table class="indicators cols-${panels.length}"><thead>${head}</thead><tbody>${rows}</tbody></table></div>`;
  const charts = panels.filter((f) => f.example).map((f) => exampleChart(f));
  const chartGrid = charts.length ? `<div class="failure-grid cols-${charts.length}">${charts.join('')}</div>` : '';
  return `${open}${verdicts}${table}${chartGrid}${hint}</section>`;
}

function exampleChart(f: FailureInput): string {
  const full = f.example!;
  // Large panels: the markets the hierarchical model moved furthest from their own data (the
  // ones this chart is about), not one row per market.
  const moved = (r: (typeof full.rows)[number]) => (r.unpooled && r.hierarchical ? Math.abs(r.hierarchical.mean - r.unpooled.mean) : -1);
  const isCompact = full.rows.length > COMPACT_ABOVE;
  const ex = isCompact ? { ...full, rows: [...full.rows].sort((a, b) => moved(b) - moved(a)).slice(0, TOP_MARKETS) } : full;
  return figure(
    forestPlot({
      title: `${f.label}: ${channelLabel(ex.channel)} ROAS per market`,
      subtitle: isCompact
        ? `The channel whose effect differs most between markets; the ${ex.rows.length} of ${full.rows.length} markets moved furthest from their own data`
        : 'The channel whose effect differs most between markets',
      rows: ex.rows.map((r) => ({ label: r.market, highlight: r.tier === 'sparse' })),
      series: [
        { name: 'Unpooled', color: modelColor('unpooled'), estimates: ex.rows.map((r) => r.unpooled) },
        { name: 'Hierarchical', color: modelColor('hierarchical'), estimates: ex.rows.map((r) => r.hierarchical) },
      ],
      ...(ex.rows.some((r) => r.truth !== undefined) ? { truth: ex.rows.map((r) => r.truth ?? null) } : {}),
      xLabel: '€ per €1 (94% interval)',
      xFormat: formatRoas,
      highlightLabel: 'sparse market',
      width: 500,
    }),
    'When the hierarchical dots of sparse markets sit far from both their own data (unpooled) and the truth, pooling is hurting.',
  );
}
