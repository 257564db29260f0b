// Section 6: which model predicts best (PSIS-LOO), and how stable each model's ROAS is across
// markets.
import { groupedBarChart } from '../charts/bar.js';
import { channelLabel, escapeHtml, formatFixed, formatPercent, formatRoas } from '../charts/format.js';
import { modelColor } from '../charts/palette.js';
import { callout, figure, section, table } from '../html.js';
import type { ComparisonRow, ReportInput } from '../types.js';
import { modelLabel, sectionNumber } from './common.js';

export function renderComparisonSection(input: ReportInput): string {
  const lead =
    'Which model would have predicted each week best had it not seen that week? Leave-one-out cross-validation (PSIS-LOO) answers this without re-fitting: ' +
    'a higher expected log predictive density (elpd) is better. A difference smaller than about twice its standard error is not a real difference.';
  const rows = input.comparison?.rows ?? [];
  let body = '';
  if (rows.length) {
    const best = rows[0]!;
    const second = rows[1];
    const clear = second ? -second.elpdDiff > 2 * second.seDiff : true;
    body += callout(
      `<p>The <strong>${escapeHtml(best.model)}</strong> model predicts best${second ? (clear ? `, clearly ahead of ${escapeHtml(second.model)} (${formatFixed(second.elpdDiff, 1)} ± ${formatFixed(second.seDiff, 1)})` : `, but ${escapeHtml(second.model)} is within noise of it (${formatFixed(second.elpdDiff, 1)} ± ${formatFixed(second.seDiff, 1)})`) : ''}. ` +
        `Stacking weights: ${rows.map((r) => `${escapeHtml(r.model)} ${formatPercent(r.weight)}`).join(', ')}.</p>`,
      'key',
    );
    body += table<ComparisonRow>(
      [
        { header: 'Rank', value: (r) => rows.indexOf(r) + 1, align: 'right' },
        { header: 'Model', value: (r) => modelLabel(r.model) },
        { header: 'elpd (LOO)', value: (r) => formatFixed(r.elpd, 1), sort: (r) => r.elpd, align: 'right' },
        { header: 'SE', value: (r) => formatFixed(r.se, 1), sort: (r) => r.se, align: 'right' },
        { header: 'Diff. to best', value: (r) => formatFixed(r.elpdDiff, 1), sort: (r) => r.elpdDiff, align: 'right' },
        { header: 'SE of diff.', value: (r) => formatFixed(r.seDiff, 1), sort: (r) => r.seDiff, align: 'right' },
        { header: 'p_loo', value: (r) => formatFixed(r.pLoo, 1), sort: (r) => r.pLoo, align: 'right', title: 'effective number of parameters' },
        { header: 'Weight', value: (r) => formatPercent(r.weight), sort: (r) => r.weight, align: 'right' },
        { header: 'Pareto k > 0.7', value: (r) => r.numHighK, align: 'right', title: 'weeks where the LOO approximation is unreliable' },
      ],
      rows,
      { caption: 'Model comparison by PSIS-LOO, best first' },
    );
  } else {
    body += callout('<p>No LOO comparison is available: fit at least two models into the same results folder (<code>--model all</code>).</p>', 'warning');
  }
  if (input.models.length) {
    const chart = groupedBarChart({
      title: 'Stability: how much ROAS differs between markets',
      subtitle: 'Standard deviation across markets of the estimated ROAS; lower = more consistent story',
      groups: input.channels.map(channelLabel),
      series: input.models.map((m) => ({ name: modelLabel(m.kind), color: modelColor(m.kind), values: m.stability })),
      valueLabel: 'sd of ROAS across markets (€ per €1)',
      valueFormat: formatRoas,
      width: 1040,
      height: 320,
    });
    body +=
      figure(chart, undefined, { wide: true }) +
      '<p class="hint">The pooled model gives every market the same effect, so its spread comes only from differences in spend patterns. The unpooled model lets sparse markets swing to extreme values on little evidence. ' +
      'A good hierarchical fit lands in between: real differences remain, noise is damped.</p>';
  }
  return section('comparison', sectionNumber(input, 'comparison'), 'Comparing the three models', lead, body);
}
