// Section 3: can the numbers be trusted? Per model: a status badge, the key convergence
// numbers, R-hat and ESS of the global parameters, and rank plots of a few of them.
import { rankPlot } from '../charts/rank.js';
import { escapeHtml, formatFixed, formatNumber, formatPercent } from '../charts/format.js';
import { badge, callout, figure, section, table } from '../html.js';
import type { ModelInput, ParameterRow, ReportInput } from '../types.js';
import { MODEL_PLAIN, modelLabel, sectionNumber } from './common.js';

const CHAIN_COLORS = ['#1a5fb4', '#e8710a', '#2ca02c', '#c2185b', '#7b4fb5', '#8c6d31', '#17becf', '#7f7f7f'];

export function renderDiagnosticsSection(input: ReportInput): string {
  if (input.models.length === 0) {
    return section('diagnostics', sectionNumber(input, 'diagnostics'), 'Can we trust the fits? Diagnostics', 'No fitted model was found in the results folder.', '');
  }
  const lead =
    'Each model was fitted by drawing thousands of plausible parameter values (several independent chains). ' +
    'The fit can be trusted when the chains agree (R-hat close to 1.00, at most 1.01), when there are enough effectively independent draws (ESS of 400 or more) ' +
    'and when the sampler reported no divergent transitions (places where it could not follow the model).';
  const cards = input.models.map((m) => modelCard(m)).join('');
  return section('diagnostics', sectionNumber(input, 'diagnostics'), 'Can we trust the fits? Diagnostics', lead, `<div class="model-cards">${cards}</div>`);
}

function modelCard(m: ModelInput): string {
  const numbers = [
    ['Divergent transitions', `${m.divergences} (${formatPercent(m.divergentPercent / 100, 1)})`, m.divergences > 0],
    ['Largest R-hat', formatFixed(m.maxRhat, 3), m.maxRhat > 1.01],
    ['Smallest ESS (bulk / tail)', `${formatNumber(Math.round(m.minEssBulk))} / ${formatNumber(Math.round(m.minEssTail))}`, m.minEssBulk < 400 || m.minEssTail < 400],
    ['Max tree depth hits', String(m.treedepthHits), m.treedepthHits > 0],
    ['Chains × draws', `${m.numChains} × ${m.numDraws}`, false],
    ...(m.wallSeconds !== undefined ? [['Sampling time', `${formatNumber(m.wallSeconds, 2)} s`, false] as const] : []),
  ] as const;
  const kv = numbers
    .map(([k, v, bad]) => `<div class="kv${bad ? ' kv-bad' : ''}"><span class="k">${escapeHtml(k)}</span><span class="v">${escapeHtml(v)}</span></div>`)
    .join('');
  const reasons = m.statusReasons.length ? `<ul class="reasons">${m.statusReasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>` : '';
  const params = table<ParameterRow>(
    [
      { header: 'Parameter', value: (r) => r.name, html: (r) => `<code>${escapeHtml(r.name)}</code>` },
      { header: 'Mean', value: (r) => formatNumber(r.mean, 3), sort: (r) => r.mean, align: 'right' },
      { header: 'sd', value: (r) => formatNumber(r.sd, 2), sort: (r) => r.sd, align: 'right' },
      { header: '94% interval', value: (r) => `${formatNumber(r.lower, 3)} – ${formatNumber(r.upper, 3)}`, sort: (r) => r.lower, align: 'right' },
      { header: 'R-hat', value: (r) => formatFixed(r.rhat, 3), sort: (r) => r.rhat, align: 'right', html: (r) => flag(formatFixed(r.rhat, 3), r.rhat > 1.01) },
      { header: 'ESS bulk', value: (r) => Math.round(r.essBulk), align: 'right', html: (r) => flag(String(Math.round(r.essBulk)), r.essBulk < 400) },
      { header: 'ESS tail', value: (r) => Math.round(r.essTail), align: 'right', html: (r) => flag(String(Math.round(r.essTail)), r.essTail < 400) },
    ],
    m.globalParameters,
    { caption: `Global parameters of the ${m.kind} model` },
  );
  const ranks = m.rankDraws.length
    ? `<div class="rank-grid">${m.rankDraws
        .map((r) => figure(rankPlot({ title: r.name, chains: r.chains, colors: CHAIN_COLORS, width: 250, height: 170, showLegend: true })))
        .join('')}</div><p class="hint">Rank plots: if the chains explored the same distribution, every line stays close to the dashed level. A chain that sits high in some bins and low in others has not mixed.</p>`
    : '';
  return (
    `<article class="model-card" id="diagnostics-${escapeHtml(m.kind)}"><header><h3>${escapeHtml(modelLabel(m.kind))} model ${badge(m.status)}</h3>` +
    `<p class="hint">${escapeHtml(MODEL_PLAIN[m.kind] ?? '')}</p></header>` +
    `<div class="kv-grid">${kv}</div>${reasons}${m.status !== 'good' ? callout(`<p>${escapeHtml(advice(m))}</p>`, 'warning') : ''}${params}${ranks}</article>`
  );
}

function flag(text: string, bad: boolean): string {
  return bad ? `<span class="bad-value">${escapeHtml(text)}</span>` : escapeHtml(text);
}

function advice(m: ModelInput): string {
  const tips: string[] = [];
  if (m.divergences > 0) tips.push('re-fit with --target-accept 0.95');
  if (m.maxRhat > 1.01 || m.minEssBulk < 400) tips.push('run longer chains (--warmup 1000 --draws 1000)');
  if (m.treedepthHits > 0) tips.push('raise --max-treedepth');
  return `Read this model's numbers with care. To improve: ${tips.join('; ') || 'run longer chains'}.`;
}
