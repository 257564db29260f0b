/**
 * Plain-text reports for the terminal: compact aligned tables a marketer can read (numbers
 * right-aligned, text left-aligned, money in k/M, shares in %, ROAS with `formatSignificant` so
 * that extreme scales do not print as 0.00).
 */
import type { ModelComparison } from './comparison.js';
import type { EvaluationReport } from './evaluate.js';
import type { SummaryRow } from '@tributary/sampler';

/** Aligns rows under a header; columns listed in `right` are right-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], right: readonly number[] = []): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, j) => (right.includes(j) ? c.padStart(widths[j]!) : c.padEnd(widths[j]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const num = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
const pct = (x: number, digits = 0) => (Number.isFinite(x) ? `${(100 * x).toFixed(digits)}%` : '–');

/**
 * A ratio such as ROAS for the text tables, readable at every scale: ordinary magnitudes
 * (0.1 ≤ |x| < 1e6) keep the fixed two-decimal look (2.35, 0.85, 1234.57); smaller ones show
 * `digits` significant digits in decimal form down to 1e-4 (0.0523, 0.000123; trailing zeros
 * trimmed to two decimals, so 0.05 stays 0.05), and exponent notation below 1e-4 or from 1e6 on
 * (1.23e-7, 4.56e+9). 0 → "0.00"; NaN and ±Infinity → "–".
 */
export function formatSignificant(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  if (a === 0) return '0.00';
  if (a < 1e-4 || Math.abs(Number(x.toFixed(2))) >= 1e6) return x.toExponential(Math.max(0, digits - 1));
  if (a >= 0.1) return x.toFixed(2);
  const s = x.toPrecision(Math.max(1, digits));
  return s.replace(/(\.\d\d\d*?)0+$/, '$1');
}

/** 1234567 → "1.23M", 45600 → "45.6k". */
export function formatMoney(x: number): string {
  if (!Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toFixed(2)}B`;
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (a >= 1e3) return `${(x / 1e3).toFixed(1)}k`;
  return x.toFixed(0);
}

/** Channel column names without the `_spend` suffix. */
const short = (c: string) => c.replace(/_spend$/, '');

function range(lo: number, hi: number, digits = 2): string {
  return Number.isFinite(lo) && Number.isFinite(hi) ? `[${lo.toFixed(digits)}, ${hi.toFixed(digits)}]` : '–';
}

/** An interval of ratios (ROAS, marginal ROAS) with `formatSignificant`: "[0.000101, 0.000145]". */
function ratioRange(lo: number, hi: number): string {
  return Number.isFinite(lo) && Number.isFinite(hi) ? `[${formatSignificant(lo)}, ${formatSignificant(hi)}]` : '–';
}

function diagnosticsText(r: EvaluationReport): string[] {
  const d = r.diagnostics;
  const total = d.numChains * d.numDraws;
  const lines = [
    `Diagnostics: ${d.status.toUpperCase()}`,
    `  divergences   ${d.divergences} of ${total} draws (${d.divergentPercent.toFixed(2)}%)`,
    `  max R-hat     ${num(d.maxRhat, 3)}${d.maxRhatParameter ? ` (${d.maxRhatParameter})` : ''}`,
    `  min ESS       bulk ${num(d.minEssBulk, 0)}${d.minEssBulkParameter ? ` (${d.minEssBulkParameter})` : ''}, tail ${num(d.minEssTail, 0)}${d.minEssTailParameter ? ` (${d.minEssTailParameter})` : ''}`,
    `  E-BFMI        ${d.ebfmi.length ? d.ebfmi.map((v) => num(v)).join(' ') : '–'} (per chain)`,
    `  tree depth    ${d.treedepthHits} draws at the maximum ${d.maxTreeDepth}`,
  ];
  for (const f of d.failures) {
    lines.push(`  ${f.severity === 'bad' ? 'BAD' : 'warning'}: ${f.message}`);
    if (f.subjects.length) lines.push(`    affected: ${f.subjects.slice(0, 8).join(', ')}${f.subjects.length > 8 ? `, … (${f.subjects.length} in all)` : ''}`);
    lines.push(`    try: ${f.remedy}`);
  }
  return lines;
}

/** The text report of `tributary evaluate`. */
export function formatEvaluationText(r: EvaluationReport): string {
  const out: string[] = [];
  out.push(`${r.name} (${r.kind}) — ${r.dir}`);
  out.push(`${r.numChains} chains × ${r.numDraws} draws, ${r.numObs} observations, ${r.markets.length} markets, ${r.channels.length} channels`, '');
  out.push(...diagnosticsText(r), '');

  out.push('ROAS per market, best channel first (posterior mean and 94% HDI; mROAS = return on 1% more spend)');
  out.push(
    formatTable(
      ['market', '#', 'channel', 'ROAS', '94% HDI', 'mROAS', 'spend', 'revenue'],
      [...r.roas]
        .sort((a, b) => r.markets.indexOf(a.market) - r.markets.indexOf(b.market) || a.rank - b.rank)
        .map((x) => [
          x.market,
          String(x.rank),
          x.channel,
          formatSignificant(x.mean),
          ratioRange(x.hdiLow, x.hdiHigh),
          formatSignificant(x.marginalMean),
          formatMoney(x.spend),
          formatMoney(x.contribution),
        ]),
      [1, 3, 5, 6, 7],
    ),
    '',
  );

  out.push('Contributions: share of fitted revenue over the observed weeks (posterior means)');
  const hasControls = r.contributions.some((c) => c.component === 'controls' && c.mean !== 0);
  const comps = ['baseline', 'trend', 'seasonality', ...(hasControls ? ['controls'] : []), ...r.channels];
  out.push(
    formatTable(
      ['market', 'revenue', ...comps.map((c) => short(c).replace('seasonality', 'season'))],
      r.markets.map((m) => {
        const rows = r.contributions.filter((c) => c.market === m);
        const total = rows.reduce((a, c) => a + c.mean, 0);
        return [m, formatMoney(total), ...comps.map((name) => pct(rows.find((c) => c.name === name)?.share ?? NaN, 1))];
      }),
      comps.map((_, j) => j + 2).concat([1]),
    ),
    '',
  );

  if (r.shrinkage.length) {
    out.push('Shrinkage toward the group: min(1, posterior sd of beta_z) — 1 = the group\'s estimate, 0 = the market\'s own');
    out.push(
      formatTable(
        ['market', ...r.channels.map(short), 'mean'],
        r.markets.map((m) => [
          m,
          ...r.channels.map((c) => num(r.shrinkage.find((s) => s.market === m && s.channel === c)?.value ?? NaN)),
          num(r.shrinkageByMarket.find((s) => s.market === m)?.mean ?? NaN),
        ]),
        r.channels.map((_, j) => j + 1).concat([r.channels.length + 1]),
      ),
      '',
    );
  }

  out.push('Stability across markets: sd of the posterior-mean ROAS between markets');
  out.push(
    formatTable(
      ['channel', 'sd', 'mean ROAS'],
      r.stability.map((s) => [s.channel, formatSignificant(s.sd), formatSignificant(s.mean)]),
      [1, 2],
    ),
    '',
  );

  out.push('Posterior predictive checks: p-values Pr(T(y_rep) ≥ T(y)); share of weeks inside the 50% / 94% intervals; residual lag-1 autocorrelation');
  out.push(
    formatTable(
      ['market', 'weeks', 'p(mean)', 'p(sd)', 'p(min)', 'p(max)', 'in 50%', 'in 94%', 'resid r1'],
      r.ppc.map((p) => {
        const res = r.residuals.find((x) => x.market === p.market);
        return [p.market, String(p.numObs), num(p.pMean), num(p.pSd), num(p.pMin), num(p.pMax), pct(p.coverage50), pct(p.coverage94), num(res?.r1 ?? NaN)];
      }),
      [1, 2, 3, 4, 5, 6, 7, 8],
    ),
    '',
  );

  const l = r.loo;
  out.push(
    `PSIS-LOO: elpd_loo ${num(l.elpdLoo, 1)} (se ${num(l.seElpdLoo, 1)}), p_loo ${num(l.pLoo, 1)}; Pareto k max ${num(l.maxParetoK)}, ${l.numHighK} of ${l.numObs} above ${num(l.paretoKThreshold)}`,
    '',
  );

  if (r.recovery) {
    const rec = r.recovery;
    const covered = rec.parameters.filter((p) => p.isCovered).length;
    out.push(
      `Ground truth: 94% HDI covers ${covered} of ${rec.parameters.length} parameters (${pct(rec.coverage)}), ROAS ${pct(rec.roasCoverage)}; MAE beta_mu ${num(rec.maeBetaMu, 4)}, MAE ROAS ${num(rec.maeRoas, 3)}`,
    );
    const missed = rec.parameters.filter((p) => !p.isCovered);
    if (missed.length) {
      out.push(
        formatTable(
          ['not covered', 'true', 'mean', '94% HDI'],
          missed.slice(0, 15).map((p) => [p.name, num(p.trueValue, 3), num(p.mean, 3), range(p.hdiLow, p.hdiHigh, 3)]),
          [1, 2],
        ),
      );
      if (missed.length > 15) out.push(`… and ${missed.length - 15} more`);
    }
    out.push('');
  }

  const tv = timeVaryingText(r);
  if (tv.length > 0) out.push(...tv, '');

  if (r.liftTests.length > 0) {
    const agree = r.liftTests.filter((t) => Math.abs(t.z) <= 2).length;
    out.push(`Lift tests: the model agrees with ${agree} of ${r.liftTests.length} (|z| ≤ 2; the tests are part of this fit, so this checks consistency)`);
    out.push(
      formatTable(
        ['market', 'channel', 'weeks', 'extra spend/wk', 'measured lift', 'implied lift', '94% HDI', 'z'],
        r.liftTests.map((t) => [
          t.market,
          t.channel,
          `${t.startT}–${t.endT}`,
          formatMoney(t.deltaSpend),
          `${formatMoney(t.lift)} ± ${formatMoney(t.liftSe)}`,
          formatMoney(t.implied.mean),
          `[${formatMoney(t.implied.hdiLow)}, ${formatMoney(t.implied.hdiHigh)}]`,
          num(t.z, 1),
        ]),
        [3, 4, 5, 6, 7],
      ),
      '',
    );
  }

  out.push(r.failureModes.length ? 'Things to look at:' : 'Things to look at: none flagged.');
  for (const f of r.failureModes.slice(0, 20)) out.push(`  - ${f.message}`);
  if (r.failureModes.length > 20) out.push(`  … and ${r.failureModes.length - 20} more (see --json)`);
  return out.join('\n') + '\n';
}

/** The text report of `tributary compare`. */
export function formatComparisonText(c: ModelComparison): string {
  const out: string[] = [];
  const first = c.evaluations[0]!;
  out.push(`Model comparison: ${c.evaluations.length} models of ${first.dataFile} (${first.numObs} observations)`, '');
  out.push('PSIS-LOO, best first (higher elpd is better; weight = stacking weight)');
  out.push(
    formatTable(
      ['#', 'model', 'elpd_loo', 'se', 'elpd_diff', 'se_diff', 'weight', 'p_loo', 'max k', 'diagnostics'],
      c.models.map((m) => [String(m.rank), m.name, num(m.elpdLoo, 1), num(m.seElpdLoo, 1), num(m.elpdDiff, 1), num(m.seDiff, 1), num(m.weight), num(m.pLoo, 1), num(m.maxParetoK), m.diagnosticsStatus]),
      [0, 2, 3, 4, 5, 6, 7, 8],
    ),
  );
  if (c.runnerUp) {
    const ru = c.runnerUp;
    const verdict = ru.seUnits < 2 ? 'within 2 se: not clearly better' : ru.seUnits < 4 ? 'a moderate difference' : 'a clear difference';
    out.push(`Best: ${c.best}, ahead of ${ru.name} by ${num(-ru.elpdDiff, 1)} elpd = ${num(ru.seUnits, 1)} se (${verdict}).`);
  }
  out.push('');

  const names = c.evaluations.map((e) => e.name);
  const channels = first.channels;
  out.push('Stability across markets: sd of the posterior-mean ROAS between markets (lower = markets look more alike)');
  out.push(
    formatTable(
      ['channel', ...names],
      [
        ...channels.map((ch) => [ch, ...c.evaluations.map((e) => formatSignificant(e.stability.find((s) => s.channel === ch)?.sd ?? NaN))]),
        ['mean', ...c.evaluations.map((e) => formatSignificant(meanOf(e.stability.map((s) => s.sd))))],
      ],
      names.map((_, j) => j + 1),
    ),
    '',
  );

  out.push('ROAS side by side (posterior mean [94% HDI])');
  out.push(
    formatTable(
      ['market', 'channel', ...names],
      first.markets.flatMap((m) =>
        channels.map((ch) => [
          m,
          short(ch),
          ...c.evaluations.map((e) => {
            const x = e.roas.find((r) => r.market === m && r.channel === ch);
            return x ? `${formatSignificant(x.mean)} ${ratioRange(x.hdiLow, x.hdiHigh)}` : '–';
          }),
        ]),
      ),
      names.map((_, j) => j + 2),
    ),
    '',
  );

  const hier = c.evaluations.find((e) => e.kind === 'hierarchical');
  if (hier) {
    const disp = c.displacement;
    out.push(
      `Shrinkage (${hier.name}): min(1, sd of beta_z)${disp.length ? '; in parentheses the displacement from the unpooled estimate toward beta_mu (log scale, 0 = none, 1 = all the way)' : ''}`,
    );
    out.push(
      formatTable(
        ['market', ...channels.map(short), 'mean'],
        hier.markets.map((m) => [
          m,
          ...channels.map((ch) => {
            const s = hier.shrinkage.find((x) => x.market === m && x.channel === ch)?.value ?? NaN;
            const d = disp.find((x) => x.market === m && x.channel === ch)?.value;
            return d === undefined ? num(s) : `${num(s)} (${num(d)})`;
          }),
          num(hier.shrinkageByMarket.find((x) => x.market === m)?.mean ?? NaN),
        ]),
        channels.map((_, j) => j + 1).concat([channels.length + 1]),
      ),
    );
  }
  return out.join('\n') + '\n';
}

function meanOf(xs: readonly number[]): number {
  const f = xs.filter((x) => Number.isFinite(x));
  return f.length ? f.reduce((a, b) => a + b, 0) / f.length : NaN;
}

/** One line per time-varying channel: the range of its multiplier over the knots, and tv_sigma. */
function timeVaryingText(r: EvaluationReport): string[] {
  const knots = new Map<string, SummaryRow[]>();
  for (const row of r.summary) {
    const m = /^tv_multiplier\[(.+),(\d+)\]$/.exec(row.name);
    if (!m) continue;
    const list = knots.get(m[1]!) ?? [];
    list[Number(m[2]) - 1] = row;
    knots.set(m[1]!, list);
  }
  const lines: string[] = [];
  for (const [channel, rows] of knots) {
    const lo = rows.reduce((a, b) => (b.mean < a.mean ? b : a));
    const hi = rows.reduce((a, b) => (b.mean > a.mean ? b : a));
    const sigma = r.summary.find((x) => x.name === `tv_sigma[${channel}]`);
    lines.push(
      `Time-varying ${channel}: effect multiplier ×${num(lo.mean)} (knot ${rows.indexOf(lo) + 1}) to ×${num(hi.mean)} (knot ${rows.indexOf(hi) + 1}) over ${rows.length} knots` +
        (sigma ? `; random-walk step sd ${num(sigma.mean, 3)} ${range(sigma.hdiLower, sigma.hdiUpper, 3)}` : ''),
    );
  }
  if (lines.length > 0) lines.unshift('Time-varying effects (posterior mean multiplier at the knots; 1 = the average effect):');
  return lines;
}
