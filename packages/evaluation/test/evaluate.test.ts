// The evaluation pipeline on two small real fits (hierarchical and unpooled, 2 chains × 150/100)
// of a 3-market × 2-channel panel: each number checked against a direct computation from the
// draws, the data-file check, determinism of the predictive checks, and the comparison.
import { copyFile, cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareFolder, findResultsFolders, type ModelComparison } from '../src/comparison.js';
import { EvaluationError } from '../src/errors.js';
import { evaluateFolder, type EvaluationReport } from '../src/evaluate.js';
import { comparisonToJson, evaluationToJson, toJsonText } from '../src/json.js';
import { psisLoo } from '../src/loo.js';
import { mean, sd } from '../src/numerics.js';
import { posteriorPredictiveChecks } from '../src/ppc.js';
import { forEachDraw, rebuildModel } from '../src/rebuild.js';
import { recoverGroundTruth, type GroundTruth } from '../src/recovery.js';
import { loadResults, parameterDraws } from '../src/results.js';
import { formatComparisonText, formatEvaluationText, formatSignificant } from '../src/text.js';
import { fitSmall, makeCsv, removeTempDirs, tempDir } from './helpers.js';
import { pointwiseLogLikelihood } from '../src/derived.js';

let root: string;
let csvPath: string;
let hier: EvaluationReport;

beforeAll(async () => {
  root = await tempDir();
  const csv = makeCsv();
  csvPath = join(root, 'data.csv');
  await writeFile(csvPath, csv);
  await fitSmall(join(root, 'results'), csvPath, csv, 'hierarchical', { seed: 5 });
  await fitSmall(join(root, 'results'), csvPath, csv, 'unpooled', { seed: 5 });
  hier = await evaluateFolder(join(root, 'results', 'hierarchical'));
});

afterAll(removeTempDirs);

/** `r` with every ROAS (and marginal ROAS) multiplied by `f`, as at an extreme revenue/spend scale. */
function scaleRoas(r: EvaluationReport, f: number): EvaluationReport {
  return {
    ...r,
    roas: r.roas.map((x) => ({ ...x, mean: x.mean * f, sd: x.sd * f, hdiLow: x.hdiLow * f, hdiHigh: x.hdiHigh * f, marginalMean: x.marginalMean * f })),
    stability: r.stability.map((s) => ({ ...s, sd: s.sd * f, mean: s.mean * f })),
  };
}

describe('evaluateFolder', () => {
  it('summarises ROAS per market × channel from Model.roas per draw', async () => {
    const results = await loadResults(join(root, 'results', 'hierarchical'));
    const { model } = await rebuildModel(results);
    expect(hier.roas).toHaveLength(6);
    const k = 1 * 2 + 0; // market B, tv_spend
    const xs: number[] = [];
    const buf = new Float64Array(6);
    forEachDraw(results, (d) => xs.push(model.roas(d, buf)[k]!));
    const row = hier.roas.find((r) => r.market === 'B' && r.channel === 'tv_spend')!;
    expect(row.mean).toBeCloseTo(mean(xs), 12);
    expect(row.sd).toBeCloseTo(sd(xs), 12);
    expect(row.hdiLow).toBeLessThan(row.mean);
    expect(row.hdiHigh).toBeGreaterThan(row.mean);
    expect(row.marginalMean).toBeGreaterThan(0);
    for (const m of ['A', 'B', 'C']) expect(hier.roas.filter((r) => r.market === m).map((r) => r.rank).sort()).toEqual([1, 2]);
  });

  it('decomposes each market into components that add up to the fitted revenue', () => {
    for (const m of hier.markets) {
      const rows = hier.contributions.filter((c) => c.market === m);
      expect(rows.map((r) => r.name)).toEqual(['baseline', 'trend', 'seasonality', 'controls', 'tv_spend', 'search_spend']);
      expect(rows.reduce((a, r) => a + r.share, 0)).toBeCloseTo(1, 12);
      const tv = rows.find((r) => r.name === 'tv_spend')!;
      expect(tv.mean).toBeCloseTo(hier.roas.find((r) => r.market === m && r.channel === 'tv_spend')!.contribution, 6);
    }
  });

  it('computes shrinkage as min(1, posterior sd of beta_z) and stability as the cross-market sd', async () => {
    const results = await loadResults(join(root, 'results', 'hierarchical'));
    const z = parameterDraws(results, 'beta_z[C,search_spend]');
    const all = Float64Array.from(z.flatMap((c) => Array.from(c)));
    expect(hier.shrinkage.find((s) => s.market === 'C' && s.channel === 'search_spend')!.value).toBeCloseTo(Math.min(1, sd(all)), 12);
    for (const s of hier.shrinkage) expect(s.value).toBeGreaterThan(0);
    const tvMeans = hier.roas.filter((r) => r.channel === 'tv_spend').map((r) => r.mean);
    expect(hier.stability.find((s) => s.channel === 'tv_spend')!.sd).toBeCloseTo(sd(tvMeans), 12);
    const unpooled = await evaluateFolder(join(root, 'results', 'unpooled'));
    expect(unpooled.shrinkage).toEqual([]);
  });

  it('runs PSIS-LOO on the pointwise log-likelihood with r_eff from relative_eff', async () => {
    const results = await loadResults(join(root, 'results', 'hierarchical'));
    const { model } = await rebuildModel(results);
    const ll = pointwiseLogLikelihood(results, model);
    expect(ll.numDraws).toBe(200);
    expect(ll.numObs).toBe(model.numObs);
    expect(hier.loo.elpdLoo).toBeCloseTo(psisLoo(ll, { rEff: hier.loo.pointwise.rEff }).elpdLoo, 10);
    expect(Number.isFinite(hier.loo.seElpdLoo)).toBe(true);
    expect(hier.loo.paretoKThreshold).toBeCloseTo(1 - 1 / Math.log10(200), 12);
  });

  it('gives deterministic posterior predictive checks for a seed', async () => {
    const results = await loadResults(join(root, 'results', 'hierarchical'));
    const fitted = await rebuildModel(results);
    const a = posteriorPredictiveChecks(results, fitted, { seed: 11 });
    expect(posteriorPredictiveChecks(results, fitted, { seed: 11 })).toEqual(a);
    expect(posteriorPredictiveChecks(results, fitted, { seed: 12 })).not.toEqual(a);
    for (const p of a) {
      for (const v of [p.pMean, p.pSd, p.pMin, p.pMax, p.coverage50, p.coverage94]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      expect(p.coverage94).toBeGreaterThanOrEqual(p.coverage50);
    }
    expect(a.map((p) => p.numObs)).toEqual([40, 30, 19]);
  });

  it('checks the data file by sha256, with a --data override', async () => {
    const moved = join(root, 'moved.csv');
    await copyFile(csvPath, moved);
    const viaCopy = await evaluateFolder(join(root, 'results', 'hierarchical'), { dataFile: moved });
    expect(viaCopy.dataFile).toBe(moved);
    expect(viaCopy.loo.elpdLoo).toBe(hier.loo.elpdLoo);
    const edited = join(root, 'edited.csv');
    await writeFile(edited, makeCsv().replace(/\n$/, '\n\n'));
    const err = await evaluateFolder(join(root, 'results', 'hierarchical'), { dataFile: edited }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EvaluationError);
    expect((err as EvaluationError).code).toBe('DATA_MISMATCH');
    expect((err as EvaluationError).message).toMatch(/is not the file .* was fitted to.*--data FILE/s);
    const missing = await evaluateFolder(join(root, 'results', 'hierarchical'), { dataFile: join(root, 'nope.csv') }).catch((e: unknown) => e);
    expect((missing as EvaluationError).code).toBe('DATA_NOT_FOUND');
  });

  it('reports ground-truth recovery: coverage and mean absolute errors', async () => {
    const results = await loadResults(join(root, 'results', 'hierarchical'));
    const mu = hier.summary.find((r) => r.name === 'beta_mu[tv_spend]')!;
    const truth: GroundTruth = {
      parameters: { 'beta_mu[tv_spend]': mu.mean, 'sigma[A]': 1e6, 'not_a_parameter[x]': 1 },
      beta_mu: { tv_spend: mu.mean + 0.1 },
      roas: { A: { tv_spend: hier.roas[0]!.mean + 0.5, search_spend: hier.roas[1]!.mean - 0.25 } },
    };
    const rec = recoverGroundTruth(results, truth, hier.summary, hier.roas);
    expect(rec.parameters.map((p) => [p.name, p.isCovered])).toEqual([
      ['beta_mu[tv_spend]', true],
      ['sigma[A]', false],
    ]);
    expect(rec.coverage).toBe(0.5);
    expect(rec.maeBetaMu).toBeCloseTo(0.1, 12);
    expect(rec.maeRoas).toBeCloseTo(0.375, 12);
  });

  it('writes the documented JSON document (NaN as null) and a text report', () => {
    const doc = JSON.parse(toJsonText(evaluationToJson(hier))) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(
      expect.arrayContaining(['diagnostics', 'roas', 'shrinkage', 'loo', 'contributions', 'stability', 'ppc', 'failure_modes', 'recovery']),
    );
    expect(Object.keys(doc.diagnostics as object)).toEqual(expect.arrayContaining(['status', 'divergences', 'max_rhat', 'min_ess_bulk']));
    expect(Object.keys((doc.roas as object[])[0]!)).toEqual(expect.arrayContaining(['market', 'channel', 'mean', 'hdi_low', 'hdi_high']));
    expect(Object.keys((doc.shrinkage as object[])[0]!)).toEqual(['market', 'channel', 'value']);
    expect(Object.keys(doc.loo as object)).toEqual(expect.arrayContaining(['elpd_loo', 'se', 'p_loo', 'max_pareto_k']));
    expect(toJsonText({ a: NaN, b: Infinity, c: 1 })).toBe('{\n  "a": null,\n  "b": null,\n  "c": 1\n}\n');
    const text = formatEvaluationText(hier);
    for (const heading of ['Diagnostics:', 'ROAS per market', 'Contributions', 'Shrinkage', 'Stability', 'Posterior predictive checks', 'PSIS-LOO']) {
      expect(text).toContain(heading);
    }
  });
});

describe('formatEvaluationText', () => {
  /** The ROAS-table line of market A's best channel. */
  const roasLine = (text: string) => text.split('\n').find((l) => /^A +1 +\w+_spend +/.test(l))!;

  it('prints ROAS, its HDI and marginal ROAS with significant digits at extreme scales (0.000123, not 0.00)', () => {
    const tiny = scaleRoas(hier, 1e-4);
    const x = tiny.roas.find((r) => r.market === 'A' && r.rank === 1)!;
    const text = formatEvaluationText(tiny);
    const line = roasLine(text);
    expect(line).not.toMatch(/ 0\.00 /);
    expect(text).not.toMatch(/\[0\.00, 0\.00\]/);
    expect(line).toContain(` ${formatSignificant(x.mean)}  [${formatSignificant(x.hdiLow)}, ${formatSignificant(x.hdiHigh)}]`);
    expect(line).toContain(` ${formatSignificant(x.marginalMean)} `);
    expect(formatSignificant(x.mean)).toMatch(/^0\.000[1-9]\d{0,2}$/);
  });

  it('keeps the two-decimal look for ordinary ROAS', () => {
    const x = hier.roas.find((r) => r.market === 'A' && r.rank === 1)!;
    expect(x.hdiLow).toBeGreaterThanOrEqual(0.1);
    const line = roasLine(formatEvaluationText(hier));
    expect(line).toContain(` ${x.mean.toFixed(2)}  [${x.hdiLow.toFixed(2)}, ${x.hdiHigh.toFixed(2)}]`);
  });
});

describe('compareFolder', () => {
  it('ranks the models by elpd_loo with stacking weights, stability, ROAS and shrinkage displacement', async () => {
    const c = await compareFolder(join(root, 'results'));
    expect(c.models.map((m) => m.name).sort()).toEqual(['hierarchical', 'unpooled']);
    expect(c.models[0]!.elpdDiff).toBe(0);
    expect(c.models[0]!.seDiff).toBe(0);
    expect(c.models[1]!.elpdDiff).toBeLessThanOrEqual(0);
    expect(c.models[0]!.elpdLoo).toBeGreaterThanOrEqual(c.models[1]!.elpdLoo);
    expect(c.models.reduce((a, m) => a + m.weight, 0)).toBeCloseTo(1, 12);
    expect(c.runnerUp!.seUnits).toBeCloseTo(Math.abs(c.models[1]!.elpdDiff) / c.models[1]!.seDiff, 12);
    expect(c.displacement).toHaveLength(6);
    const doc = JSON.parse(toJsonText(comparisonToJson(c))) as { models: Record<string, unknown>[]; shrinkage: Record<string, unknown>[] };
    expect(Object.keys(doc.models[0]!)).toEqual(expect.arrayContaining(['name', 'elpd_loo', 'elpd_diff', 'se_diff', 'weight']));
    expect(doc.shrinkage).toHaveLength(6);
    const text = formatComparisonText(c);
    expect(text).toMatch(/Best: \w+, ahead of \w+ by/);
    expect(text).toContain('Stability across markets');
  });

  it('skips hidden and temporary folders of interrupted writes (.hierarchical.tmp-XXXXXX, .old)', async () => {
    const dir = join(root, 'interrupted');
    await cp(join(root, 'results'), dir, { recursive: true });
    // a write interrupted after the manifest: no draws yet
    await mkdir(join(dir, '.hierarchical.tmp-a1B2c3'));
    await copyFile(join(dir, 'hierarchical', 'manifest.json'), join(dir, '.hierarchical.tmp-a1B2c3', 'manifest.json'));
    // the previous folder moved aside, its removal interrupted
    await cp(join(dir, 'unpooled'), join(dir, '.unpooled.tmp-XyZ789.old'), { recursive: true });
    await rm(join(dir, '.unpooled.tmp-XyZ789.old', 'sample_stats.csv'));
    // any other hidden folder with a manifest
    await cp(join(dir, 'unpooled'), join(dir, '.backup'), { recursive: true });
    expect(await findResultsFolders(dir)).toEqual([join(dir, 'hierarchical'), join(dir, 'unpooled')]);
    const c = await compareFolder(dir);
    expect(c.models.map((m) => m.name).sort()).toEqual(['hierarchical', 'unpooled']);
  });

  it('prints ROAS with significant digits at extreme scales, and as before at ordinary ones', async () => {
    const c = await compareFolder(join(root, 'results'));
    const ordinary = formatComparisonText(c);
    const row = c.evaluations[0]!.roas[0]!;
    expect(ordinary).toContain(`${row.mean.toFixed(2)} [${row.hdiLow.toFixed(2)}, ${row.hdiHigh.toFixed(2)}]`);
    const tiny: ModelComparison = { ...c, evaluations: c.evaluations.map((e) => scaleRoas(e, 1e-4)) };
    const text = formatComparisonText(tiny);
    expect(text).not.toMatch(/0\.00 \[0\.00, 0\.00\]/);
    const x = tiny.evaluations[0]!.roas[0]!;
    expect(text).toContain(`${formatSignificant(x.mean)} [${formatSignificant(x.hdiLow)}, ${formatSignificant(x.hdiHigh)}]`);
    expect(formatSignificant(x.mean)).toMatch(/^0\.000[1-9]\d{0,2}$/);
  });

  it('needs at least two results folders', async () => {
    const err = await compareFolder(join(root, 'results', 'hierarchical')).catch((e: unknown) => e);
    expect((err as EvaluationError).code).toBe('NOT_COMPARABLE');
  });
});
