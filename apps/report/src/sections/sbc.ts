// The simulation-based calibration section (only with --sbc FILE, the sbc.json of `tributary
// sbc`): does the model's fit recover the truth as often as it claims? The verdict per parameter
// (ranks uniform by the ECDF test, 50% and 90% intervals covering at their rates), the table,
// and small multiples — shared parameters first, then the per-market ones — of the rank
// histogram and the ECDF difference with their 99% bands.
import { sbcPanel } from '../charts/sbc.js';
import { escapeHtml, formatPercent } from '../charts/format.js';
import { callout, section, table } from '../html.js';
import type { ReportInput, SbcInput, SbcParameterInput } from '../types.js';
import { modelLabel, sectionNumber } from './common.js';

/** The three checks of a parameter against the file's bands. */
export function sbcVerdict(sbc: SbcInput, p: SbcParameterInput): { uniform: boolean; coverage50: boolean; coverage90: boolean; isOk: boolean } {
  const inside = (x: number, [lo, hi]: [number, number]) => x >= lo && x <= hi;
  const uniform = p.pUniform >= 1 - sbc.level;
  const coverage50 = inside(p.coverage50, sbc.coverageBand.coverage50);
  const coverage90 = inside(p.coverage90, sbc.coverageBand.coverage90);
  return { uniform, coverage50, coverage90, isOk: uniform && coverage50 && coverage90 };
}

export function renderSbcSection(input: ReportInput, sbc: SbcInput): string {
  const title = `Simulation-based calibration: ${modelLabel(sbc.model).toLowerCase()} model`;
  const level = formatPercent(sbc.level);
  const lead =
    `${sbc.replicates} data sets were simulated from the model itself — parameters drawn from its priors, revenue from those parameters — and each was fitted like real data. ` +
    `If the fitting is right, the true value of a parameter falls anywhere among the posterior draws with equal chance (its rank is uniform), and the 50% and 90% intervals contain it 50% and 90% of the time. ` +
    `A rank histogram that is ∪-shaped means intervals that are too narrow; ∩-shaped, too wide; tilted, a bias.`;
  const verdicts = sbc.parameters.map((p) => ({ p, v: sbcVerdict(sbc, p) }));
  const failing = verdicts.filter((x) => !x.v.isOk);
  const [c50lo, c50hi] = sbc.coverageBand.coverage50;
  const [c90lo, c90hi] = sbc.coverageBand.coverage90;
  const expectedByChance = (1 - sbc.level) * sbc.parameters.length * 3;
  const key = callout(
    `<p><strong>${sbc.parameters.length - failing.length} of ${sbc.parameters.length}</strong> parameters pass every check: ranks consistent with uniform (p ≥ ${escapeHtml((1 - sbc.level).toFixed(2))}) and coverage inside the ${escapeHtml(level)} binomial interval ` +
      `(50% intervals: ${escapeHtml(formatPercent(c50lo))}–${escapeHtml(formatPercent(c50hi))}; 90%: ${escapeHtml(formatPercent(c90lo))}–${escapeHtml(formatPercent(c90hi))}).` +
      (failing.length ? ` Not passing: ${failing.map((x) => `<code>${escapeHtml(x.p.name)}</code>`).join(', ')}.` : '') +
      ` Up to about ${escapeHtml(expectedByChance.toFixed(1))} failures are expected by chance alone with this many checks.</p>`,
    failing.length > Math.max(1, Math.ceil(expectedByChance)) ? 'warning' : 'key',
  );
  const fits = sbc.fits;
  const troubled =
    fits.withDivergences > 0 || fits.maxRhat > 1.05
      ? callout(
          `<p><strong>The fits themselves were not all healthy:</strong> ${fits.divergences} divergent transitions in ${fits.withDivergences} of ${sbc.replicates} fits, worst R-hat ${escapeHtml(Number.isFinite(fits.maxRhat) ? fits.maxRhat.toFixed(3) : '–')}, smallest bulk ESS ${Number.isFinite(fits.minEssBulk) ? Math.round(fits.minEssBulk) : '–'}. ` +
            `Divergences mean the sampler missed part of some posteriors; uniform ranks over ${sbc.replicates} replicates say the error is too small for this check to see, not that there is none. Longer warmup, a higher target acceptance or another parameterization may remove them.</p>`,
          'warning',
        )
      : '';
  const notes = [
    `Fits: ${sbc.settings.map((s) => `${s.label} ${s.value}`).join(', ')}; ranks among ${sbc.drawsPerFit} draws thinned evenly from each fit (0–${sbc.drawsPerFit}).`,
    `Over the ${sbc.replicates} fits: ${fits.divergences} divergent transitions (in ${fits.withDivergences} fits), worst R-hat ${Number.isFinite(fits.maxRhat) ? fits.maxRhat.toFixed(3) : '–'}, smallest bulk ESS ${Number.isFinite(fits.minEssBulk) ? Math.round(fits.minEssBulk) : '–'}.`,
    ...(sbc.failedReplicates.length ? [`${sbc.failedReplicates.length} replicate fits failed and are not counted: ${sbc.failedReplicates.join(', ')}.`] : []),
  ];
  const rows = table(
    [
      { header: 'Parameter', value: (x) => x.p.name },
      { header: 'p (uniform ranks)', value: (x) => x.p.pUniform.toFixed(3), sort: (x) => x.p.pUniform, align: 'right', title: 'ECDF test of uniformity (Säilynoja et al. 2022); small means the ranks are not uniform' },
      { header: '50% coverage', value: (x) => formatPercent(x.p.coverage50), sort: (x) => x.p.coverage50, align: 'right' },
      { header: '90% coverage', value: (x) => formatPercent(x.p.coverage90), sort: (x) => x.p.coverage90, align: 'right' },
      {
        header: 'Verdict',
        value: (x) => (x.v.isOk ? 'ok' : [x.v.uniform ? '' : 'ranks', x.v.coverage50 ? '' : '50%', x.v.coverage90 ? '' : '90%'].filter((s) => s).join(', ')),
        html: (x) => (x.v.isOk ? 'ok' : `<span class="bad-value">${escapeHtml([x.v.uniform ? '' : 'ranks not uniform', x.v.coverage50 ? '' : '50% coverage', x.v.coverage90 ? '' : '90% coverage'].filter((s) => s).join(', '))}</span>`),
        sort: (x) => (x.v.isOk ? 1 : 0),
      },
    ],
    verdicts,
    { caption: 'Calibration of every parameter (sortable)' },
  );
  const panel = (x: (typeof verdicts)[number]) =>
    `<figure class="figure">${sbcPanel({
      title: x.p.name,
      subtitle: `p ${x.p.pUniform.toFixed(3)} · 50% ${formatPercent(x.p.coverage50)} · 90% ${formatPercent(x.p.coverage90)}`,
      ranks: x.p.ranks,
      maxRank: sbc.drawsPerFit,
      edges: sbc.histogramBand.edges,
      countLower: sbc.histogramBand.lower,
      countUpper: sbc.histogramBand.upper,
      z: sbc.ecdfBand.z,
      ecdfLower: sbc.ecdfBand.lower,
      ecdfUpper: sbc.ecdfBand.upper,
      isFlagged: !x.v.isOk,
    })}</figure>`;
  const group = (heading: string, items: typeof verdicts) =>
    items.length ? `<h3>${escapeHtml(heading)}</h3><div class="sbc-grid">${items.map(panel).join('')}</div>` : '';
  const hint =
    `<p class="hint">Each panel: left, how many replicates put the true value at each rank (bars), with the ${escapeHtml(level)} range of a uniform count per bin (grey) and its expectation (dashed); ` +
    `right, the running share of ranks minus that of uniform ranks, with the band it stays inside with ${escapeHtml(level)} probability over its whole length. Red panels fail a check.</p>`;
  return section(
    'sbc',
    sectionNumber(input, 'sbc'),
    title,
    lead,
    key +
      troubled +
      `<ul>${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` +
      rows +
      hint +
      group('Shared parameters', verdicts.filter((x) => !x.p.isPerMarket)) +
      group('Per-market parameters', verdicts.filter((x) => x.p.isPerMarket)),
  );
}
