// Ground truth from ground_truth.json (written by `tributary generate`, loaded by
// @tributary/evaluation): the true population effects, per-market effects and ROAS in the report's
// order, and the coverage of each model's 94% intervals from evaluation's recovery report.
import { TributaryError } from '@tributary/data';
import * as z from 'zod';
import type { CoverageRow, TruthInput } from '../types.js';
import type { ModelComputation } from './model.js';

const byChannel = z.record(z.string(), z.number());
const byMarketChannel = z.record(z.string(), byChannel);

/** The fields of ground_truth.json that the report reads (the file has more). */
export const groundTruthFileSchema = z.looseObject({
  scenario: z.string().optional(),
  markets: z.array(z.string()),
  channels: z.array(z.string()),
  beta_mu: byChannel,
  beta_sigma: byChannel,
  beta: byMarketChannel,
  roas: byMarketChannel,
  scale_ratio: z.record(z.string(), z.number()).optional(),
  /** Global first date (t = 0) of the simulated data. */
  first_date: z.string().optional(),
  /** `biased`-style scenarios: the simulated lift tests with their true lifts. */
  lift_tests: z.array(z.looseObject({ market: z.string(), channel: z.string(), start: z.string(), end: z.string(), true_lift: z.number() })).optional(),
  /** `drift`-style scenarios: the true effect multiplier m(t) of one channel for t = 0..t_max. */
  drift: z.looseObject({ channel: z.string(), multiplier: z.array(z.number()) }).optional(),
});

export type GroundTruthFile = z.infer<typeof groundTruthFileSchema>;

/** The report's view of a ground truth loaded by @tributary/evaluation's loadGroundTruth. */
export function parseGroundTruth(json: unknown, file: string): GroundTruthFile {
  const parsed = groundTruthFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TributaryError('TRUTH_INVALID', `${file}: field "${issue.path.join('.')}" ${issue.message}; is this a ground_truth.json of tributary generate?`);
  }
  return parsed.data;
}

export function buildTruthInput(gt: GroundTruthFile, markets: readonly string[], channels: readonly string[], models: readonly ModelComputation[]): TruthInput {
  const val = (rec: Record<string, number> | undefined, k: string) => (rec && Object.hasOwn(rec, k) ? rec[k]! : NaN);
  const betaMu = channels.map((c) => val(gt.beta_mu, c));
  const betaSigma = channels.map((c) => val(gt.beta_sigma, c));
  // beta on the fitted scale: generating-scale beta × scale_ratio[g] (synthetic README).
  const beta = markets.map((g) => channels.map((c) => val(gt.beta[g], c) * (gt.scale_ratio?.[g] ?? 1)));
  const roas = markets.map((g) => channels.map((c) => val(gt.roas[g], c)));
  // Coverage of the 94% HDIs, as @tributary/evaluation's recovery report counts it.
  const coverage: CoverageRow[] = [];
  for (const m of models) {
    const rec = m.report.recovery;
    if (!rec) continue;
    const roasRows = rec.roas.filter((r) => Number.isFinite(r.trueValue));
    if (roasRows.length) coverage.push({ model: m.kind, quantity: 'ROAS per market and channel', covered: roasRows.filter((r) => r.isCovered).length, total: roasRows.length });
    const groups = new Map<string, { covered: number; total: number }>();
    for (const p of rec.parameters) {
      const base = p.name.replace(/\[.*$/, '');
      const g = groups.get(base) ?? { covered: 0, total: 0 };
      g.total++;
      if (p.isCovered) g.covered++;
      groups.set(base, g);
    }
    for (const key of ['beta_mu', 'beta_sigma', 'beta', 'sigma', 'alpha']) {
      const g = groups.get(key);
      if (g) coverage.push({ model: m.kind, quantity: QUANTITY[key] ?? key, covered: g.covered, total: g.total });
    }
  }
  return { betaMu, betaSigma, beta, roas, coverage };
}

const QUANTITY: Record<string, string> = {
  beta_mu: 'beta_mu: population effect per channel',
  beta_sigma: 'beta_sigma: spread between markets',
  beta: 'beta: effect per market and channel',
  sigma: 'sigma: noise per market',
  alpha: 'alpha: baseline per market',
};
