// The simulation-based calibration section (--sbc FILE): verdicts against the file's bands, one
// small multiple per parameter (shared ones first), flagged panels, the summary line, a report
// of the sbc.json alone, and refusing a file that is not an sbc.json.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReportInput, renderReport, type ReportInput, type SbcInput } from '../src/index.js';

/** An sbc.json as `tributary sbc` writes it: 4 replicates of a 2-market pooled-like model, ranks 0 … 9. */
function sbcJson(): Record<string, unknown> {
  const p = (name: string, ranks: number[], pUniform: number, c50: number, c90: number) => ({ name, ranks, p_uniform: pUniform, coverage50: c50, coverage90: c90 });
  return {
    tributary_sbc_version: 1,
    created_by: 'tributary 0.1.0',
    model: 'hierarchical',
    replicates: 4,
    draws_per_fit: 9,
    settings: { markets: 2, weeks: 20, channels: 1, chains: 2, warmup: 40, draws: 40, seed: 9 },
    markets: ['DE', 'UK'],
    channels: ['meta_spend'],
    level: 0.99,
    uniformity_test: 'ECDF test',
    parameters: [
      p('alpha_mu', [1, 4, 6, 9], 0.8, 0.5, 1),
      p('alpha[DE]', [0, 9, 0, 9], 0.004, 0, 0.5),
      p('beta_mu[meta_spend]', [2, 5, 7, 3], 0.6, 0.5, 0.75),
      p('sigma[UK]', [3, 6, 2, 8], 0.7, 0.5, 1),
    ],
    ecdf_band: { z: Array.from({ length: 9 }, (_, k) => (k + 1) / 10), gamma: 0.01, lower: new Array(9).fill(-0.5), upper: new Array(9).fill(0.5) },
    histogram_band: { edges: [0, 5, 10], lower: [0, 0], upper: [4, 4] },
    coverage_band: { coverage50: [0.25, 1], coverage90: [0.5, 1] },
    replicate_details: [
      { name: 'r1', divergences: 0, max_rhat: 1.01, min_ess_bulk: 150 },
      { name: 'r2', divergences: 3, max_rhat: 1.04, min_ess_bulk: 90 },
      { name: 'r3', divergences: 0, max_rhat: 1.0, min_ess_bulk: 200 },
      { name: 'r4', divergences: 0, max_rhat: null, min_ess_bulk: 120 },
    ],
    failed_replicates: ['r5'],
  };
}

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function sbcInputFrom(doc: unknown): Promise<{ input: ReportInput; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-report-sbc-'));
  dirs.push(dir);
  const file = join(dir, 'sbc.json');
  await writeFile(file, JSON.stringify(doc));
  return { input: await buildReportInput({ sbcFile: file, cwd: dir }), file };
}

describe('SBC section', () => {
  it('reads sbc.json: shared and per-market parameters, the fits over the replicates', async () => {
    const { input } = await sbcInputFrom(sbcJson());
    const sbc = input.sbc as SbcInput;
    expect(sbc.parameters.map((p) => [p.name, p.isPerMarket])).toEqual([
      ['alpha_mu', false],
      ['alpha[DE]', true],
      ['beta_mu[meta_spend]', false],
      ['sigma[UK]', true],
    ]);
    expect(sbc.fits).toEqual({ divergences: 3, withDivergences: 1, maxRhat: 1.04, minEssBulk: 90 });
    expect(input.models).toEqual([]);
  });

  it('a report of the sbc.json alone: one section, a panel per parameter, the failing one flagged and named', async () => {
    const { input } = await sbcInputFrom(sbcJson());
    const html = renderReport(input);
    expect(html).toContain('id="sbc"');
    expect(html).not.toContain('id="data"');
    expect(html).toContain('href="#sbc"');
    expect(html.match(/class="chart chart-sbc"/g)).toHaveLength(4);
    expect(html).toContain('3 of 4</strong> parameters pass');
    expect(html).toContain('Not passing: <code>alpha[DE]</code>');
    expect(html).toContain('ranks not uniform, 50% coverage');
    expect(html).toContain('r5');
    expect(html).toContain('3 divergent transitions (in 1 fits)');
    expect(html).toContain('The fits themselves were not all healthy:</strong> 3 divergent transitions in 1 of 4 fits');
    // Shared parameters come first, then the per-market ones.
    expect(html.indexOf('Shared parameters')).toBeLessThan(html.indexOf('Per-market parameters'));
    expect(html.indexOf('>beta_mu[meta_spend]<')).toBeLessThan(html.indexOf('>alpha[DE]<', html.indexOf('Per-market parameters')));
    // The flagged panel is drawn in the alarm colour, the others in ink.
    const panels = html.split('class="chart chart-sbc"').slice(1);
    expect(panels.filter((s) => s.includes('#c92a2a'))).toHaveLength(1);
    expect(html).toContain('Calibration (SBC)');
  });

  it('refuses a file that is not an sbc.json, naming what is wrong', async () => {
    const bad = { ...sbcJson(), tributary_sbc_version: 2 };
    await expect(sbcInputFrom(bad)).rejects.toThrow(/is not an sbc\.json of tributary sbc: tributary_sbc_version/);
    await expect(buildReportInput({ cwd: tmpdir() })).rejects.toThrow(/nothing to report/);
  });
});
