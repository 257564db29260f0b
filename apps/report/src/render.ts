// renderReport: ReportInput → one self-contained HTML page (inline CSS, inline SVG, a few lines
// of inline script for sorting tables; no external resources, so it opens offline and prints).
// Large panels (issue 17): the summary counts the sparse markets instead of naming them.
import { channelLabel, escapeHtml, formatEuro, formatPercent, formatRoas } from './charts/format.js';
import { renderComparisonSection } from './sections/comparison.js';
import { mainModel, modelLabel, presentSections, REPORT_SECTIONS } from './sections/common.js';
import { renderBacktestSection } from './sections/backtest.js';
import { LIFT_AGREEMENT_Z, renderCalibrationSection } from './sections/calibration.js';
import { renderDataSection } from './sections/data.js';
import { renderDiagnosticsSection } from './sections/diagnostics.js';
import { renderFailureSection } from './sections/failure.js';
import { renderFitSection } from './sections/fit.js';
import { renderPlanSection } from './sections/plan.js';
import { renderRoasSection } from './sections/roas.js';
import { renderSbcSection, sbcVerdict } from './sections/sbc.js';
import { renderShrinkageSection } from './sections/shrinkage.js';
import { renderTransformsSection } from './sections/transforms.js';
import { renderTruthSection } from './sections/truth.js';
import { REPORT_MARKER } from './marker.js';
import { REPORT_CSS, SORT_SCRIPT } from './style.js';
import type { ReportInput } from './types.js';

/** The ids and titles of the report's sections, in order (see sections/common.ts). */
export { REPORT_SECTIONS };

export function renderReport(input: ReportInput): string {
  // A report of an sbc.json alone (no results folder) has that one section.
  const sections = input.models.length === 0 && input.sbc ? [renderSbcSection(input, input.sbc)] : [
    renderDataSection(input),
    renderTransformsSection(input),
    renderDiagnosticsSection(input),
    renderRoasSection(input),
    input.calibration ? renderCalibrationSection(input, input.calibration) : '',
    renderShrinkageSection(input),
    renderComparisonSection(input),
    renderFitSection(input),
    input.backtest ? renderBacktestSection(input, input.backtest) : '',
    renderTruthSection(input),
    renderFailureSection(input),
    renderPlanSection(input),
    input.sbc ? renderSbcSection(input, input.sbc) : '',
  ];
  const toc = presentSections(input).map((s, i) => `<li><a href="#${s.id}">${i + 1}. ${escapeHtml(s.title)}</a></li>`).join('');
  const sources = input.sources.map((s) => `<li>${escapeHtml(s.label)}: <code>${escapeHtml(s.path)}</code></li>`).join('');
  const notes = input.notes.length ? `<p>Notes on this report:</p><ul>${input.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : '';
  return (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">' +
    // Near the top, so isTributaryReport finds it in the first bytes of the file.
    REPORT_MARKER +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    // Forbid every network request: the page must be readable offline, and nothing may leak.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">` +
    `<title>${escapeHtml(input.title)}</title><style>${REPORT_CSS}</style></head><body>` +
    `<header class="page"><div class="inner"><h1>${escapeHtml(input.title)}</h1>${input.subtitle ? `<p>${escapeHtml(input.subtitle)}</p>` : ''}</div></header>` +
    `<nav class="toc" aria-label="Sections"><div class="inner"><ol>${toc}</ol></div></nav>` +
    `<main>${renderSummary(input)}${sections.filter((x) => x).join('\n')}</main>` +
    `<footer><div class="inner"><p>Made by <code>tributary report</code>. All charts are drawn into this file; it needs no network connection and prints on A4.</p>${sources ? `<ul>${sources}</ul>` : ''}${notes}</div></footer>` +
    `<script>${SORT_SCRIPT}</script></body></html>\n`
  );
}

/** The first thing a marketing lead reads: four or five numbers with one sentence each. */
function renderSummary(input: ReportInput): string {
  const items: { k: string; v: string; d: string }[] = [];
  const main = mainModel(input);
  if (input.data) {
    const sparse = input.data.markets.filter((m) => m.tier === 'sparse');
    items.push({
      k: 'Data',
      v: `${input.markets.length} markets · ${input.channels.length} channels`,
      // (large panels: how many sparse markets, not every name)
      d: `${input.data.numRows} market-weeks; ${sparse.length ? (input.marketGroups ? `${sparse.length} markets have fewer than 40 weeks (the fewest ${Math.min(...sparse.map((m) => m.numObserved))})` : `${sparse.map((m) => m.market).join(', ')} have only ${Math.min(...sparse.map((m) => m.numObserved))} weeks`) : 'every market has 40+ weeks'}.`,
    });
  }
  if (input.comparison?.rows[0]) {
    const best = input.comparison.rows[0];
    items.push({ k: 'Best model', v: modelLabel(best.model), d: `predicts unseen weeks best (LOO weight ${formatPercent(best.weight)}).` });
  }
  if (main) {
    const ranked = input.channels
      .map((c, i) => ({ c, e: main.roasTotal[i] }))
      .filter((r) => r.e)
      .sort((a, b) => b.e!.mean - a.e!.mean);
    if (ranked[0]) {
      items.push({
        k: 'Best channel',
        v: `${channelLabel(ranked[0].c)}: €${formatRoas(ranked[0].e!.mean)} per €1`,
        d: `ROAS across all markets (94%: ${formatRoas(ranked[0].e!.lower)}–${formatRoas(ranked[0].e!.upper)}).`,
      });
    }
    items.push({
      k: 'Fit quality',
      v: main.status === 'good' ? 'trustworthy' : main.status === 'warning' ? 'usable with care' : 'not reliable',
      d: `${modelLabel(main.kind)}: ${main.divergences} divergences, R-hat ≤ ${main.maxRhat.toFixed(3)}, ESS ≥ ${Math.round(main.minEssBulk)}.`,
    });
  }
  const lifts = input.calibration?.liftTests ?? [];
  if (lifts.length) {
    const ok = (z: number | undefined) => z !== undefined && Number.isFinite(z) && Math.abs(z) <= LIFT_AGREEMENT_Z;
    const agree = lifts.filter((t) => ok(t.z)).length;
    const withU = lifts.filter((t) => t.uncalibrated);
    items.push({
      k: 'Lift tests',
      v: agree === lifts.length ? `model agrees with ${lifts.length === 1 ? 'the experiment' : `all ${lifts.length}`}` : `model disagrees with ${lifts.length - agree} of ${lifts.length}`,
      d: `agreeing = the lift the model implies is within ${LIFT_AGREEMENT_Z} standard errors of the measured one${withU.length ? `; fitted without them it agreed with ${withU.filter((t) => ok(t.uncalibrated!.z)).length} of ${withU.length}` : ''}.`,
    });
  }
  if (input.backtest) {
    const b = input.backtest;
    const weeks = b.overall.reduce((a, r) => a + r.weeks, 0);
    const avg = (f: (r: (typeof b.overall)[number]) => number) => b.overall.reduce((a, r) => a + (Number.isFinite(f(r)) ? f(r) * r.weeks : 0), 0) / Math.max(weeks, 1);
    items.push({
      k: 'Forecasts',
      v: `${avg((r) => r.mape).toFixed(1)}% error on unseen weeks`,
      d: `MAPE over ${weeks} held-out market-weeks (last week carried forward: ${avg((r) => r.naiveLastMape).toFixed(1)}%); ${formatPercent(avg((r) => r.coverage))} inside the 94% band.`,
    });
  }
  if (input.failure) {
    items.push({ k: 'Pooling', v: input.failure.status === 'good' ? 'safe here' : input.failure.status === 'warning' ? 'watch' : 'misleading', d: input.failure.verdict });
  }
  if (input.plan) {
    const p = input.plan;
    items.push({
      k: 'Budget plan',
      v: `${formatEuro(p.response.mean)} expected`,
      d:
        `from ${formatEuro(p.budget)} over ${p.weeks} weeks${p.pUplift !== undefined ? `; ${formatPercent(p.pUplift)} chance to beat the historical split` : ''}.` +
        (p.source?.verdict && p.source.verdict.status !== 'good' ? ` Made from a fit whose diagnostics are ${p.source.verdict.status}: do not act on it before the fit is fixed.` : ''),
    });
  }
  if (input.sbc) {
    const sbc = input.sbc;
    const passing = sbc.parameters.filter((p) => sbcVerdict(sbc, p).isOk).length;
    items.push({
      k: 'Calibration (SBC)',
      v: `${passing} of ${sbc.parameters.length} parameters pass`,
      d: `${modelLabel(sbc.model)} model, ${sbc.replicates} simulated data sets: ranks of the truth uniform, 50% and 90% intervals covering at their rates.`,
    });
  }
  if (items.length === 0) return '';
  return (
    `<section class="summary" id="summary"><h2>In short</h2><div class="summary-grid">` +
    items.map((i) => `<div class="summary-item"><div class="k">${escapeHtml(i.k)}</div><div class="v">${escapeHtml(i.v)}</div><div class="d">${escapeHtml(i.d)}</div></div>`).join('') +
    `</div></section>`
  );
}
