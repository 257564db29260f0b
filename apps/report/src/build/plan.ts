// Reads plan.json written by `tributary optimize` (format: @tributary/optimizer's planToJson;
// validated with zod, a boundary) into the report's PlanInput. The historical weekly spend per
// market and channel is the plan's own `historical.allocation`, or else the same budget split as
// the whole data history. checkPlanSource makes sure the plan was made from one of the model
// folders being reported (and, when the plan records it, from that folder's current manifest).
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { TributaryError, type Panel } from '@tributary/data';
import * as z from 'zod';
import type { PlanInput, PlanVerdict } from '../types.js';

const band = z.looseObject({ mean: z.number(), q05: z.number(), q95: z.number() });

export const planFileSchema = z.looseObject({
  budget: z.number().positive(),
  weeks: z.number().int().positive(),
  utility: z.union([z.string(), z.looseObject({})]).optional(),
  allocation: z
    .array(
      z.looseObject({
        market: z.string(),
        channel: z.string(),
        weekly_spend: z.number(),
        total_spend: z.number(),
        outside_observed_range: z.boolean().optional(),
      }),
    )
    .min(1),
  response: band,
  roas: band.optional(),
  historical: z
    .looseObject({
      response: band,
      budget: z.number().optional(),
      basis: z.string().optional(),
      allocation: z.array(z.looseObject({ market: z.string(), channel: z.string(), weekly_spend: z.number() })).optional(),
    })
    .optional(),
  p_uplift: z.number().min(0).max(1).optional(),
  // A scenario whose optimization failed carries `error` instead of a response.
  scenarios: z.array(z.looseObject({ budget: z.number(), response: band.optional(), error: z.string().optional() })).optional(),
  // The results folder the plan was made from (tributary optimize). manifest_sha256 and verdict
  // were added later: older plans have only dir, model and draws.
  results: z
    .looseObject({
      dir: z.string().min(1),
      model: z.string().optional(),
      draws: z.number().optional(),
      manifest_sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be the 64 hex digits of a sha256').optional(),
      verdict: z
        .looseObject({
          status: z.enum(['good', 'warning', 'bad']),
          divergences: z.number().nullable().optional(),
          max_rhat: z.number().nullable().optional(),
          min_ess_bulk: z.number().nullable().optional(),
        })
        .optional(),
    })
    .optional(),
});

export type PlanFile = z.infer<typeof planFileSchema>;

export async function readPlan(file: string): Promise<PlanFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new TributaryError('PLAN_NOT_FOUND', `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)}); write a plan with tributary optimize ... --out plan.json.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new TributaryError('PLAN_INVALID', `${file} is not valid JSON (${(e as Error).message}).`);
  }
  const parsed = planFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TributaryError('PLAN_INVALID', `${file}: field "${issue.path.join('.') || '(root)'}" ${issue.message}; is this a plan.json of tributary optimize?`);
  }
  return parsed.data;
}

/** What the report is of, for checkPlanSource. */
export interface PlanSourceContext {
  /** The plan file (absolute), for the messages. */
  planFile: string;
  /** The results root (or model folder) being reported, absolute. */
  resultsDir: string;
  /** Its model folders (findModelDirs), absolute; at least one. */
  modelDirs: readonly string[];
}

/**
 * Checks that the plan was made from one of the model folders being reported: the real path of
 * the plan's `results.dir` must be one of theirs and, when the plan records `manifest_sha256`,
 * that folder's manifest.json must still have it. Throws PLAN_MISMATCH otherwise. Returns notes
 * for the report (a plan that records no folder, or no manifest hash, is checked less).
 */
export async function checkPlanSource(plan: PlanFile, context: PlanSourceContext): Promise<string[]> {
  const { planFile, resultsDir } = context;
  const source = plan.results;
  if (!source) {
    return [`${planFile} does not record the results folder it was made from, so the report cannot check that the plan belongs to these results.`];
  }
  const planDir = resolve(dirname(planFile), source.dir);
  const folders = context.modelDirs.map((d) => ({ dir: d, real: realPath(d) ?? d }));
  const advice = (folder: string, where = ` (${dirname(planDir)})`) => `run tributary optimize on ${folder} again, or pass the matching results folder${where}`;
  const suggested = suggestFolder(folders.map((f) => f.dir), planDir, source.model);
  const real = realPath(planDir);
  if (real === undefined) {
    throw new TributaryError('PLAN_MISMATCH', `${planFile} was made from the results in ${planDir}, which no longer exists; the report is of ${resultsDir}. To use a plan here, ${advice(suggested, '')}.`);
  }
  const match = folders.find((f) => f.real === real);
  if (!match) {
    throw new TributaryError('PLAN_MISMATCH', `${planFile} was made from the results in ${planDir}, not from ${resultsDir} that the report is of; ${advice(suggested)}.`);
  }
  if (source.manifest_sha256 === undefined) {
    return [`${planFile} records no manifest sha256 (written by an older tributary optimize), so it was checked only by its folder, ${planDir}; if that folder was fitted again since, run tributary optimize again.`];
  }
  const manifestFile = join(match.dir, 'manifest.json');
  let actual: string;
  try {
    actual = createHash('sha256').update(await readFile(manifestFile)).digest('hex');
  } catch (e) {
    throw new TributaryError('PLAN_MISMATCH', `cannot read ${manifestFile} to check ${planFile} against it (${(e as NodeJS.ErrnoException).code ?? String(e)}).`);
  }
  const recorded = source.manifest_sha256.toLowerCase();
  if (actual !== recorded) {
    throw new TributaryError(
      'PLAN_MISMATCH',
      `${planFile} was made from the results in ${planDir} before that folder was fitted again (its manifest.json has sha256 ${actual.slice(0, 12)}…, the plan records ${recorded.slice(0, 12)}…), so it does not belong to the results of ${resultsDir} that the report is of; ${advice(match.dir)}.`,
    );
  }
  return [];
}

function realPath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/** The model folder to run optimize on: the one named like the plan's folder, else like its model kind, else hierarchical, else the first. */
function suggestFolder(dirs: readonly string[], planDir: string, model: string | undefined): string {
  const named = (name: string | undefined) => (name ? dirs.find((d) => basename(d) === name) : undefined);
  return named(basename(planDir)) ?? named(model) ?? named('hierarchical') ?? dirs[0] ?? planDir;
}

export function buildPlanInput(plan: PlanFile, panel: Panel | undefined): PlanInput {
  const weekly = plan.budget / plan.weeks;
  let historicalShare: ((m: string, c: string) => number) | undefined;
  if (panel) {
    const C = panel.channels.length;
    const totals = new Float64Array(panel.markets.length * C);
    let all = 0;
    for (let n = 0; n < panel.numObs; n++) {
      const g = panel.obsMarket[n]!;
      for (let c = 0; c < C; c++) {
        totals[g * C + c]! += panel.spend[n * C + c]!;
        all += panel.spend[n * C + c]!;
      }
    }
    historicalShare = (m, c) => {
      const g = panel.markets.indexOf(m);
      const j = panel.channels.indexOf(c);
      return g < 0 || j < 0 || all <= 0 ? NaN : totals[g * C + j]! / all;
    };
  }
  const utility = typeof plan.utility === 'string' ? plan.utility : plan.utility ? JSON.stringify(plan.utility) : 'expected revenue';
  const hist = new Map((plan.historical?.allocation ?? []).map((a) => [`${a.market}\u0000${a.channel}`, a.weekly_spend]));
  return {
    budget: plan.budget,
    weeks: plan.weeks,
    utility,
    allocation: plan.allocation.map((a) => {
      const share = historicalShare?.(a.market, a.channel);
      const recorded = hist.get(`${a.market}\u0000${a.channel}`);
      const historicalWeekly = recorded ?? (share !== undefined && Number.isFinite(share) ? share * weekly : undefined);
      return {
        market: a.market,
        channel: a.channel,
        weeklySpend: a.weekly_spend,
        totalSpend: a.total_spend,
        ...(historicalWeekly !== undefined ? { historicalWeeklySpend: historicalWeekly } : {}),
        isOutsideObservedRange: a.outside_observed_range === true,
      };
    }),
    response: pick(plan.response),
    ...(plan.roas ? { roas: pick(plan.roas) } : {}),
    ...(plan.historical ? { historical: { response: pick(plan.historical.response), ...(plan.historical.budget !== undefined ? { budget: plan.historical.budget } : {}) } } : {}),
    ...(plan.p_uplift !== undefined ? { pUplift: plan.p_uplift } : {}),
    scenarios: (plan.scenarios ?? []).flatMap((s) => (s.response ? [{ budget: s.budget, response: pick(s.response) }] : [])),
    ...(plan.results ? { source: planSource(plan.results) } : {}),
  };
}

function planSource(r: NonNullable<PlanFile['results']>): NonNullable<PlanInput['source']> {
  const v = r.verdict;
  const num = (x: number | null | undefined) => (typeof x === 'number' ? x : NaN);
  const verdict: PlanVerdict | undefined = v ? { status: v.status, divergences: num(v.divergences), maxRhat: num(v.max_rhat), minEssBulk: num(v.min_ess_bulk) } : undefined;
  return { dir: r.dir, ...(r.model !== undefined ? { model: r.model } : {}), ...(verdict ? { verdict } : {}) };
}

function pick(b: { mean: number; q05: number; q95: number }): { mean: number; q05: number; q95: number } {
  return { mean: b.mean, q05: b.q05, q95: b.q95 };
}
