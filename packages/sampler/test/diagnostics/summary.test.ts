import { describe, expect, it } from 'vitest';
import * as diagnostics from '../../src/diagnostics/index.js';
import {
  DiagnosticsError,
  essBulk,
  essTail,
  extractColumn,
  formatSummaryCsv,
  hdi,
  mcseMean,
  mcseSd,
  rhat,
  summarize,
  summaryColumnNames,
} from '../../src/diagnostics/index.js';
import type { SummaryRow } from '../../src/diagnostics/index.js';
import { iidNormalChains } from './random.js';

/** Row-major chain draws (numDraws × dim) from per-parameter chains. */
function rowMajor(params: Float64Array[][]): Float64Array[] {
  const dim = params.length;
  const numChains = params[0]!.length;
  const numDraws = params[0]![0]!.length;
  return Array.from({ length: numChains }, (_, c) => {
    const out = new Float64Array(numDraws * dim);
    for (let i = 0; i < numDraws; i++) for (let j = 0; j < dim; j++) out[i * dim + j] = params[j]![c]![i]!;
    return out;
  });
}

describe('extractColumn', () => {
  it('takes one parameter out of row-major chain draws', () => {
    const draws = [Float64Array.of(1, 2, 3, 4, 5, 6), Float64Array.of(7, 8, 9, 10, 11, 12)];
    expect(extractColumn(draws, 3, 1).map((c) => [...c])).toEqual([
      [2, 5],
      [8, 11],
    ]);
    expect(extractColumn(draws, 2, 0).map((c) => [...c])).toEqual([
      [1, 3, 5],
      [7, 9, 11],
    ]);
  });

  it('rejects a dim that does not fit, an index out of range and ragged chains', () => {
    const draws = [new Float64Array(6), new Float64Array(6)];
    expect(() => extractColumn(draws, 4, 0)).toThrow(/not a multiple of dim = 4/);
    expect(() => extractColumn(draws, 3, 3)).toThrow(/outside 0 … 2/);
    expect(() => extractColumn(draws, 0, 0)).toThrow(DiagnosticsError);
    expect(() => extractColumn([new Float64Array(6), new Float64Array(3)], 3, 0)).toThrow(/chain 1 has 3/);
  });
});

describe('summarize', () => {
  const a = iidNormalChains(1, 4, 200);
  const b = iidNormalChains(2, 4, 200).map((c) => c.map((v) => 10 + 3 * v));
  const draws = rowMajor([a, b]);
  const rows = summarize(draws, 2, ['alpha', 'beta[DE,meta_spend]']);

  it('has one row per parameter with the per-parameter statistics', () => {
    expect(rows.map((r) => r.name)).toEqual(['alpha', 'beta[DE,meta_spend]']);
    const row = rows[1]!;
    const interval = hdi(b, 0.94);
    expect(row.hdiLower).toBe(interval.lower);
    expect(row.hdiUpper).toBe(interval.upper);
    expect(row.hdiProb).toBe(0.94);
    expect(row.mcseMean).toBe(mcseMean(b));
    expect(row.mcseSd).toBe(mcseSd(b));
    expect(row.essBulk).toBe(essBulk(b));
    expect(row.essTail).toBe(essTail(b));
    expect(row.rHat).toBe(rhat(b));
    expect(row.mean).toBeCloseTo(10, 0);
    expect(row.sd).toBeCloseTo(3, 0);
  });

  it('uses hdiProb', () => {
    const [row] = summarize(rowMajor([a]), 1, ['alpha'], { hdiProb: 0.5 });
    expect(row!.hdiLower).toBe(hdi(a, 0.5).lower);
    expect(row!.hdiProb).toBe(0.5);
  });

  it('rejects mismatched names and bad options', () => {
    expect(() => summarize(draws, 2, ['alpha'])).toThrow(/1 parameter names for dim = 2/);
    expect(() => summarize(draws, 2, ['a', 'b'], { hdiProb: 1 })).toThrow(DiagnosticsError);
    expect(() => summarize(draws, 3, ['a', 'b', 'c'])).toThrow(/not a multiple of dim = 3/);
  });

  it('formats ArviZ-named CSV columns, quotes Stan-style names, writes NaN', () => {
    const csv = formatSummaryCsv(rows);
    const lines = csv.split('\n');
    expect(lines[0]).toBe('name,mean,sd,hdi_3%,hdi_97%,mcse_mean,mcse_sd,ess_bulk,ess_tail,r_hat');
    expect(lines[2]!.startsWith('"beta[DE,meta_spend]",')).toBe(true);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    // full precision: every number round-trips
    const cells = lines[1]!.split(',');
    const r = rows[0]!;
    expect(cells.slice(1).map(Number)).toEqual([r.mean, r.sd, r.hdiLower, r.hdiUpper, r.mcseMean, r.mcseSd, r.essBulk, r.essTail, r.rHat]);

    const constant: SummaryRow = { ...r, name: 'say "hi"', mcseMean: NaN, rHat: Infinity };
    expect(formatSummaryCsv([constant]).split('\n')[1]).toMatch(/^"say ""hi""",.*,NaN,.*,Infinity$/);
    expect(formatSummaryCsv([])).toBe('name,mean,sd,hdi_3%,hdi_97%,mcse_mean,mcse_sd,ess_bulk,ess_tail,r_hat\n');
    expect(() => formatSummaryCsv([r, { ...r, hdiProb: 0.9 }])).toThrow(/one hdiProb/);
  });

  it('names the HDI columns as ArviZ does', () => {
    const hdiColumns = (p: number) => summaryColumnNames(p).slice(3, 5);
    expect(hdiColumns(0.94)).toEqual(['hdi_3%', 'hdi_97%']);
    expect(hdiColumns(0.95)).toEqual(['hdi_2.5%', 'hdi_97.5%']);
    expect(hdiColumns(0.89)).toEqual(['hdi_5.5%', 'hdi_94.5%']);
    expect(hdiColumns(0.5)).toEqual(['hdi_25%', 'hdi_75%']);
    expect(hdiColumns(0.9)).toEqual(['hdi_5%', 'hdi_95%']);
    expect(hdiColumns(0.8)).toEqual(['hdi_10%', 'hdi_90%']);
    // Python's :g switches to exponent form below 1e-4 (checked with python3)
    expect(hdiColumns(0.999999)).toEqual(['hdi_5e-05%', 'hdi_99.9999%']);
  });

  it('summarizes constant draws as NaN diagnostics', () => {
    const constant = [new Float64Array(100).fill(2), new Float64Array(100).fill(2)];
    const [row] = summarize(constant, 1, ['c']);
    expect(row!.mean).toBe(2);
    expect(row!.sd).toBe(0);
    expect(row!.hdiLower).toBe(2);
    expect(row!.hdiUpper).toBe(2);
    for (const v of [row!.mcseMean, row!.mcseSd, row!.essBulk, row!.essTail, row!.rHat]) expect(v).toBeNaN();
  });
});

describe('public surface of src/diagnostics', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(diagnostics).sort()).toEqual([
      'DEFAULT_HDI_PROB',
      'DiagnosticsError',
      'autocovariance',
      'ebfmi',
      'essBasic',
      'essBulk',
      'essMean',
      'essQuantile',
      'essSd',
      'essTail',
      'extractColumn',
      'formatSummaryCsv',
      'hdi',
      'mcseMean',
      'mcseQuantile',
      'mcseSd',
      'qnorm',
      'quantile',
      'rhat',
      'rhatBasic',
      'summarize',
      'summaryColumnNames',
    ]);
  });
});
