// The posteriordb comparison rule (../shared/reference/posteriordb/README.md), as a pure function
// of constrained draws and per-parameter diagnostics, so that the CI test and the full-size bench
// run apply exactly the same rule.
//
// For each reference parameter, with ESS = our bulk ESS:
//   mean:      |mean - mean_ref| <= 4 sqrt(sd_ref^2 / ESS + pdb_mcse_mean^2) + 1e-6 max(1, |mean_ref|)
//   sd:        |sd / sd_ref - 1| <= 0.10 if ESS >= 1000, else 0.20 (the README's "a few hundred");
//              below MIN_ESS the sd rule is not informative and the row fails (`isEssOk`).
//   quantiles: |q5 - q5_ref| <= 0.25 sd_ref and |q95 - q95_ref| <= 0.25 sd_ref (R type 7)
//   R-hat:     < 1.01
// and no divergent transitions in the whole run.

import type { Reference } from './fixtures.js';

/** Bulk ESS below which the README's sd tolerance ("a few hundred") no longer applies. */
export const MIN_ESS = 200;

export interface ParameterDiagnostics {
  essBulk: number;
  rhat: number;
}

export interface ComparisonRow {
  parameter: string;
  mean: number;
  refMean: number;
  meanTolerance: number;
  isMeanOk: boolean;
  sd: number;
  refSd: number;
  sdTolerance: number;
  isSdOk: boolean;
  q5: number;
  refQ5: number;
  q95: number;
  refQ95: number;
  quantileTolerance: number;
  isQ5Ok: boolean;
  isQ95Ok: boolean;
  essBulk: number;
  isEssOk: boolean;
  rhat: number;
  isRhatOk: boolean;
  passed: boolean;
}

export interface Comparison {
  passed: boolean;
  numDivergent: number;
  rows: ComparisonRow[];
}

/** Quantile of sorted values, linear interpolation (numpy's default, R type 7). */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Applies the rule. `chainsByParameter[name]` holds one Float64Array of draws per chain (constrained
 * scale); `diagnostics[name]` our bulk ESS and R-hat for that parameter.
 */
export function compareToReference(
  reference: Reference,
  chainsByParameter: Record<string, Float64Array[]>,
  diagnostics: Record<string, ParameterDiagnostics>,
  numDivergent: number,
): Comparison {
  const rows: ComparisonRow[] = [];
  for (const parameter of reference.parameter_names) {
    const ref = reference.parameters[parameter]!;
    const chains = chainsByParameter[parameter];
    const diag = diagnostics[parameter];
    if (!chains || !diag) throw new Error(`posteriordb comparison: no draws for reference parameter "${parameter}".`);
    const total = chains.reduce((n, c) => n + c.length, 0);
    const flat = new Float64Array(total);
    let offset = 0;
    for (const c of chains) {
      flat.set(c, offset);
      offset += c.length;
    }
    let sum = 0;
    for (const v of flat) sum += v;
    const mean = sum / total;
    let ss = 0;
    for (const v of flat) ss += (v - mean) ** 2;
    const sd = Math.sqrt(ss / (total - 1));
    flat.sort();
    const q5 = quantileSorted(flat, 0.05);
    const q95 = quantileSorted(flat, 0.95);

    const ess = diag.essBulk;
    const meanTolerance =
      4 * Math.sqrt((ref.sd * ref.sd) / ess + ref.pdb_mcse_mean * ref.pdb_mcse_mean) + 1e-6 * Math.max(1, Math.abs(ref.mean));
    const sdTolerance = ess >= 1000 ? 0.1 : 0.2;
    const quantileTolerance = 0.25 * ref.sd;
    const row: ComparisonRow = {
      parameter,
      mean,
      refMean: ref.mean,
      meanTolerance,
      isMeanOk: Math.abs(mean - ref.mean) <= meanTolerance,
      sd,
      refSd: ref.sd,
      sdTolerance,
      isSdOk: Math.abs(sd / ref.sd - 1) <= sdTolerance,
      q5,
      refQ5: ref.q5,
      q95,
      refQ95: ref.q95,
      quantileTolerance,
      isQ5Ok: Math.abs(q5 - ref.q5) <= quantileTolerance,
      isQ95Ok: Math.abs(q95 - ref.q95) <= quantileTolerance,
      essBulk: ess,
      isEssOk: ess >= MIN_ESS,
      rhat: diag.rhat,
      isRhatOk: diag.rhat < 1.01,
      passed: false,
    };
    row.passed = row.isMeanOk && row.isSdOk && row.isQ5Ok && row.isQ95Ok && row.isEssOk && row.isRhatOk;
    rows.push(row);
  }
  return { passed: numDivergent === 0 && rows.every((r) => r.passed), numDivergent, rows };
}

const mark = (ok: boolean): string => (ok ? ' ' : '*');

/** A fixed-width table of the comparison; failed checks are marked with `*`. */
export function formatComparison(comparison: Comparison): string {
  const fmt = (v: number): string => v.toPrecision(5).padStart(11);
  const lines = [
    `${'parameter'.padEnd(12)}${'mean'.padStart(11)}${'ref'.padStart(11)}${'|d|/tol'.padStart(9)}  ` +
      `${'sd/ref'.padStart(7)}${'tol'.padStart(6)}  ${'q5'.padStart(11)}${'ref'.padStart(11)}  ` +
      `${'q95'.padStart(11)}${'ref'.padStart(11)}${'qtol'.padStart(11)}  ${'ess'.padStart(7)} ${'rhat'.padStart(7)}`,
  ];
  for (const r of comparison.rows) {
    lines.push(
      `${r.parameter.padEnd(12)}${fmt(r.mean)}${fmt(r.refMean)}${(Math.abs(r.mean - r.refMean) / r.meanTolerance).toFixed(2).padStart(8)}${mark(r.isMeanOk)} ` +
        `${(r.sd / r.refSd).toFixed(3).padStart(7)}${r.sdTolerance.toFixed(2).padStart(5)}${mark(r.isSdOk)} ` +
        `${fmt(r.q5)}${fmt(r.refQ5)}${mark(r.isQ5Ok)} ${fmt(r.q95)}${fmt(r.refQ95)}${mark(r.isQ95Ok)}${fmt(r.quantileTolerance)}  ` +
        `${r.essBulk.toFixed(0).padStart(7)}${mark(r.isEssOk)}${r.rhat.toFixed(4).padStart(7)}${mark(r.isRhatOk)}`,
    );
  }
  lines.push(`divergent transitions: ${comparison.numDivergent}${mark(comparison.numDivergent === 0)}   overall: ${comparison.passed ? 'PASS' : 'FAIL'}`);
  return lines.join('\n');
}
