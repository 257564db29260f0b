// Reads plan.json written by `tributary optimize` (format: @tributary/optimizer's planToJson;
// validated with zod, a boundary) into the report's PlanInput. The historical weekly spend per
// market and channel is the plan's own `historical.allocation`, or else the same budget split as
// the whole data history.
import { readFile } from 'node:fs/promises';
import { TributaryError, type Panel } from '@tributary/data';
import * as z from 'zod';
import type { PlanInput } from '../types.js';

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
  };
}

function pick(b: { mean: number; q05: number; q95: number }): { mean: number; q05: number; q95: number } {
  return { mean: b.mean, q05: b.q05, q95: b.q95 };
}
