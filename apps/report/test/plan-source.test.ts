// The budget plan must come from the results being reported: plan.json's `results.dir` must be
// one of the report's model folders (by real path) and, when the plan records it, that folder's
// manifest.json must still have `results.manifest_sha256`. The check runs before any results
// are loaded, so these tests use folders with a placeholder manifest.json (no fit needed).
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlanInput, checkPlanSource, readPlan } from '../src/build/plan.js';
import { findModelDirs } from '../src/build/results.js';
import { buildReportInput, renderReport, type PlanInput, type ReportInput } from '../src/index.js';

let dir: string;
const MANIFEST = '{"model": "hierarchical", "placeholder": true}\n';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A minimal valid plan.json made from `results`. */
function planJson(results?: Record<string, unknown>): string {
  const plan = {
    budget: 1000,
    weeks: 4,
    allocation: [{ market: 'DE', channel: 'meta_spend', weekly_spend: 250, total_spend: 1000 }],
    response: { mean: 3000, q05: 2000, q95: 4000 },
    ...(results ? { results } : {}),
  };
  return JSON.stringify(plan, null, 2) + '\n';
}

async function writePlan(name: string, results?: Record<string, unknown>): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, planJson(results));
  return file;
}

async function reportError(resultsDir: string, planFile: string): Promise<{ code?: unknown; message: string }> {
  try {
    await buildReportInput({ resultsDir, planFile });
  } catch (e) {
    return { code: (e as { code?: unknown }).code, message: (e as Error).message };
  }
  throw new Error('buildReportInput did not throw');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tributary-report-plan-'));
  for (const root of ['results', 'other']) {
    for (const model of ['pooled', 'hierarchical']) {
      await mkdir(join(dir, root, model), { recursive: true });
      await writeFile(join(dir, root, model, 'manifest.json'), MANIFEST);
    }
  }
  await symlink(join(dir, 'results'), join(dir, 'results-link'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('budget plan of other results', () => {
  it('is refused when it was made from another results folder, naming both folders and what to do', async () => {
    const other = join(dir, 'other', 'hierarchical');
    const plan = await writePlan('plan-other.json', { dir: other, model: 'hierarchical', draws: 200, manifest_sha256: sha256(MANIFEST) });
    const results = join(dir, 'results');
    const e = await reportError(results, plan);
    expect(e.code).toBe('PLAN_MISMATCH');
    expect(e.message).toBe(
      `${plan} was made from the results in ${other}, not from ${results} that the report is of; ` +
        `run tributary optimize on ${join(results, 'hierarchical')} again, or pass the matching results folder (${join(dir, 'other')}).`,
    );
  });

  it('checks plans written before manifest_sha256 by their folder', async () => {
    const plan = await writePlan('plan-old.json', { dir: join(dir, 'other', 'pooled'), model: 'pooled', draws: 200 });
    const e = await reportError(join(dir, 'results'), plan);
    expect(e.code).toBe('PLAN_MISMATCH');
    expect(e.message).toContain(`${plan} was made from the results in ${join(dir, 'other', 'pooled')}, not from ${join(dir, 'results')}`);
    expect(e.message).toContain(`run tributary optimize on ${join(dir, 'results', 'pooled')} again, or pass the matching results folder`);
  });

  it('is refused when the folder it was made from no longer exists', async () => {
    const gone = join(dir, 'deleted', 'hierarchical');
    const plan = await writePlan('plan-gone.json', { dir: gone, model: 'hierarchical', draws: 200, manifest_sha256: sha256(MANIFEST) });
    const e = await reportError(join(dir, 'results'), plan);
    expect(e.code).toBe('PLAN_MISMATCH');
    expect(e.message).toBe(
      `${plan} was made from the results in ${gone}, which no longer exists; the report is of ${join(dir, 'results')}. ` +
        `To use a plan here, run tributary optimize on ${join(dir, 'results', 'hierarchical')} again, or pass the matching results folder.`,
    );
  });

  it('is refused when its folder was fitted again since (manifest.json changed)', async () => {
    const folder = join(dir, 'results', 'hierarchical');
    const plan = await writePlan('plan-stale.json', { dir: folder, model: 'hierarchical', draws: 200, manifest_sha256: sha256('{"an": "earlier fit"}\n') });
    const e = await reportError(join(dir, 'results'), plan);
    expect(e.code).toBe('PLAN_MISMATCH');
    expect(e.message).toContain(`${plan} was made from the results in ${folder} before that folder was fitted again`);
    expect(e.message).toContain(`so it does not belong to the results of ${join(dir, 'results')} that the report is of; run tributary optimize on ${folder} again, or pass the matching results folder`);
  });

  it('accepts a plan of one of the model folders, compared by real path and manifest sha256', async () => {
    const context = (resultsDir: string, planFile: string) => ({ planFile, resultsDir, modelDirs: findModelDirs(resultsDir) });
    const planFile = join(dir, 'plan.json');
    const results = { dir: join(dir, 'results', 'hierarchical'), model: 'hierarchical', draws: 200, manifest_sha256: sha256(MANIFEST) };
    await writeFile(planFile, planJson(results));
    const plan = await readPlan(planFile);
    // The results root, one model folder, and the root through a symbolic link.
    expect(await checkPlanSource(plan, context(join(dir, 'results'), planFile))).toEqual([]);
    expect(await checkPlanSource(plan, context(join(dir, 'results', 'hierarchical'), planFile))).toEqual([]);
    expect(await checkPlanSource(plan, context(join(dir, 'results-link'), planFile))).toEqual([]);
    // Only that model folder: the pooled one alone is other results.
    await expect(checkPlanSource(plan, context(join(dir, 'results', 'pooled'), planFile))).rejects.toMatchObject({ code: 'PLAN_MISMATCH' });
    // A plan made through the link is accepted for the real folder too.
    const viaLink = await readPlan(await writePlan('plan-link.json', { ...results, dir: join(dir, 'results-link', 'hierarchical') }));
    expect(await checkPlanSource(viaLink, context(join(dir, 'results'), planFile))).toEqual([]);
    // A plan before manifest_sha256: checked by folder, with a note; one without `results`: a note.
    const { manifest_sha256: _, ...old } = results;
    const notes = await checkPlanSource(await readPlan(await writePlan('plan-old-ok.json', old)), context(join(dir, 'results'), planFile));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('checked only by its folder');
    const none = await checkPlanSource(await readPlan(await writePlan('plan-none.json')), context(join(dir, 'results'), planFile));
    expect(none[0]).toContain('does not record the results folder it was made from');
  });

  it('rejects a malformed manifest_sha256 as an invalid plan', async () => {
    const plan = await writePlan('plan-badsha.json', { dir: join(dir, 'results', 'hierarchical'), manifest_sha256: 'abc' });
    await expect(readPlan(plan)).rejects.toMatchObject({ code: 'PLAN_INVALID', message: expect.stringContaining('results.manifest_sha256') });
  });
});

describe("the fit's verdict in the budget-plan section", () => {
  async function planInput(verdict?: Record<string, unknown>): Promise<PlanInput> {
    const file = await writePlan(`plan-verdict-${String(verdict?.status)}.json`, { dir: join(dir, 'results', 'hierarchical'), ...(verdict ? { verdict } : {}) });
    return buildPlanInput(await readPlan(file), undefined);
  }
  const input = (plan: PlanInput): ReportInput => ({
    title: 'Plan',
    target: 'revenue',
    markets: ['DE'],
    channels: ['meta_spend'],
    marketWeeks: [104],
    marketTiers: ['rich'],
    sources: [],
    notes: [],
    transforms: [],
    models: [],
    plan,
  });
  const planSection = (html: string) => html.slice(html.indexOf('<section id="plan"'));

  it('warns not to act on a plan from a fit whose diagnostics are bad or warning', async () => {
    const bad = await planInput({ status: 'bad', divergences: 12, max_rhat: 1.084, min_ess_bulk: 38.6 });
    expect(bad.source?.verdict).toEqual({ status: 'bad', divergences: 12, maxRhat: 1.084, minEssBulk: 38.6 });
    const html = renderReport(input(bad));
    const section = planSection(html);
    expect(section).toContain('<div class="callout callout-warning"><p><strong>Do not act on this plan before the fit is fixed: it comes from a fit whose diagnostics are bad (12 divergent transitions, max R-hat 1.084, min ESS 39).</strong>');
    expect(section).toContain('To fix the fit, re-fit with --target-accept 0.95; run longer chains (--warmup 1000 --draws 1000); then run tributary optimize again.');
    expect(html).toContain('Made from a fit whose diagnostics are bad'); // the summary
    const warning = planSection(renderReport(input(await planInput({ status: 'warning', divergences: 0, max_rhat: 1.02, min_ess_bulk: 310 }))));
    expect(warning).toContain('it comes from a fit whose diagnostics are warning (0 divergent transitions, max R-hat 1.020, min ESS 310)');
  });

  it('says nothing more for a good fit or a plan that records no verdict', async () => {
    const ok = await planInput({ status: 'good', divergences: 0, max_rhat: 1.003, min_ess_bulk: 900 });
    expect(ok.source?.verdict?.status).toBe('good');
    for (const plan of [ok, await planInput()]) {
      const html = renderReport(input(plan));
      expect(html).not.toContain('Do not act on this plan');
      expect(html).not.toContain('Made from a fit whose diagnostics');
    }
  });
});
