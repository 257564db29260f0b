// Per-parameter summary table with ArviZ's columns (az.summary, stat_focus = "mean"):
// mean, sd, hdi_<lo>%, hdi_<hi>%, mcse_mean, mcse_sd, ess_bulk, ess_tail, r_hat.
//
// The column names and the HDI definition follow ArviZ; the numbers follow R's posterior 1.4.0
// (see convergence.ts), so mcse_sd and the ESS columns can differ slightly from what a given
// ArviZ version prints. `sd` has denominator n - 1 (ArviZ: ddof = 1). Nothing is rounded
// (ArviZ rounds to 2 decimals by default).

import { DiagnosticsError } from './errors.js';
import { checkRowMajor, extractColumn, pool } from './draws.js';
import { essBulk, essTail, mcseMean, mcseSd, rhat } from './convergence.js';
import { DEFAULT_HDI_PROB, checkHdiProb, hdi } from './hdi.js';
import { mean, sd } from './moments.js';

export interface SummaryRow {
  /** Parameter name, e.g. `beta[DE,meta_spend]`. */
  readonly name: string;
  readonly mean: number;
  /** Standard deviation of the pooled draws (denominator n - 1). */
  readonly sd: number;
  /** Lower end of the `hdiProb` highest density interval (column `hdi_3%` for 0.94). */
  readonly hdiLower: number;
  /** Upper end of the `hdiProb` highest density interval (column `hdi_97%` for 0.94). */
  readonly hdiUpper: number;
  readonly hdiProb: number;
  readonly mcseMean: number;
  readonly mcseSd: number;
  readonly essBulk: number;
  readonly essTail: number;
  /** Rank-normalized split R-hat (max of bulk and folded); column `r_hat`. */
  readonly rHat: number;
}

export interface SummarizeOptions {
  /** Probability mass of the HDI columns (default 0.94, as ArviZ). */
  readonly hdiProb?: number;
}

/**
 * One summary row per parameter from row-major chain draws (`draws[c]` holds numDraws × dim
 * values, as `Posterior.draws`). `names[i]` names parameter i.
 */
export function summarize(
  draws: readonly Float64Array[],
  dim: number,
  names: readonly string[],
  options: SummarizeOptions = {},
): SummaryRow[] {
  const hdiProb = options.hdiProb ?? DEFAULT_HDI_PROB;
  checkHdiProb(hdiProb, 'summarize');
  checkRowMajor(draws, dim, 'summarize');
  if (names.length !== dim) {
    throw new DiagnosticsError(
      'INVALID_ARGUMENT',
      `summarize: got ${names.length} parameter names for dim = ${dim}; pass exactly one name per parameter.`,
    );
  }
  const rows: SummaryRow[] = [];
  for (let j = 0; j < dim; j++) {
    const x = extractColumn(draws, dim, j);
    const pooled = pool(x);
    const interval = hdi(x, hdiProb);
    rows.push({
      name: names[j]!,
      mean: mean(pooled),
      sd: sd(pooled),
      hdiLower: interval.lower,
      hdiUpper: interval.upper,
      hdiProb,
      mcseMean: mcseMean(x),
      mcseSd: mcseSd(x),
      essBulk: essBulk(x),
      essTail: essTail(x),
      rHat: rhat(x),
    });
  }
  return rows;
}

/** ArviZ's column names for a given HDI probability, e.g. 0.94 → hdi_3%, hdi_97%. */
export function summaryColumnNames(hdiProb: number = DEFAULT_HDI_PROB): string[] {
  checkHdiProb(hdiProb, 'summaryColumnNames');
  const alpha = 1 - hdiProb;
  return [
    'name',
    'mean',
    'sd',
    `hdi_${formatG((100 * alpha) / 2)}%`,
    `hdi_${formatG(100 * (1 - alpha / 2))}%`,
    'mcse_mean',
    'mcse_sd',
    'ess_bulk',
    'ess_tail',
    'r_hat',
  ];
}

/**
 * The rows as CSV (header from `summaryColumnNames`, "\n" line ends, trailing newline). Numbers
 * are written in full (shortest round-trip form); NaN as `NaN`, infinities as `Infinity` /
 * `-Infinity`. Names with a comma, quote or line break are quoted (RFC 4180), which Stan-style
 * names such as `beta[DE,meta_spend]` need. All rows must share one hdiProb.
 */
export function formatSummaryCsv(rows: readonly SummaryRow[]): string {
  const hdiProb = rows[0]?.hdiProb ?? DEFAULT_HDI_PROB;
  for (const row of rows) {
    if (row.hdiProb !== hdiProb) {
      throw new DiagnosticsError(
        'INVALID_ARGUMENT',
        `formatSummaryCsv: row "${row.name}" has hdiProb ${row.hdiProb} but the first row has ${hdiProb}; summarize all parameters with one hdiProb.`,
      );
    }
  }
  const lines = [summaryColumnNames(hdiProb).map(csvField).join(',')];
  for (const r of rows) {
    lines.push(
      [
        csvField(r.name),
        ...[r.mean, r.sd, r.hdiLower, r.hdiUpper, r.mcseMean, r.mcseSd, r.essBulk, r.essTail, r.rHat].map(
          (v) => String(v),
        ),
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Python's `format(x, "g")`: 6 significant digits, trailing zeros dropped. */
function formatG(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const exponent = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(6)))));
  if (exponent < -4 || exponent >= 6) {
    const [mantissa, exp] = x.toExponential(5).split('e') as [string, string];
    const m = mantissa.replace(/\.?0+$/, '');
    const e = Number(exp);
    return `${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return String(Number(x.toPrecision(6)));
}
