/**
 * Ground-truth recovery for simulated data (`ground_truth.json` of `@tributary/synthetic`, whose
 * parameters are on the fitted scale, model-spec.md §7): per parameter the true value, the
 * posterior mean, the 94% HDI and whether it covers the truth; the coverage rate; the mean
 * absolute error of `beta_mu` and of ROAS.
 *
 * Parameters are matched by Stan-style name (`beta[DE,meta_spend]`, `sigma[PL]`, …); names the
 * model does not have (e.g. `alpha[DE]` in a pooled fit) are skipped. For `beta_mu` the
 * hierarchical `beta_mu[c]` is used, or the pooled fit's shared `beta[c]` (the effect every
 * market gets); an unpooled fit has no population effect, so its MAE of `beta_mu` is NaN.
 */
import { readFile } from 'node:fs/promises';
import type { SummaryRow } from '@tributary/sampler';
import * as z from 'zod';
import type { RoasRow } from './derived.js';
import { EvaluationError } from './errors.js';
import { mean } from './numerics.js';
import type { ResultsFolder } from './results.js';

export const groundTruthSchema = z.looseObject({
  parameters: z.record(z.string(), z.number()),
  beta_mu: z.record(z.string(), z.number()),
  roas: z.record(z.string(), z.record(z.string(), z.number())),
});

export type GroundTruth = z.infer<typeof groundTruthSchema>;

/** Reads and validates a ground_truth.json. Throws `TRUTH_INVALID` naming the file and field. */
export async function loadGroundTruth(file: string): Promise<GroundTruth> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new EvaluationError('TRUTH_INVALID', `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)}); check the --truth path.`, { file });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new EvaluationError('TRUTH_INVALID', `${file} is not valid JSON (${(e as Error).message}).`, { file });
  }
  const res = groundTruthSchema.safeParse(json);
  if (!res.success) {
    const issues = res.error.issues.slice(0, 5).map((i) => `  ${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new EvaluationError(
      'TRUTH_INVALID',
      `${file} is not a ground_truth.json of @tributary/synthetic (needs "parameters", "beta_mu" and "roas"):\n${issues.join('\n')}`,
      { file },
    );
  }
  return res.data;
}

export interface RecoveredParameter {
  readonly name: string;
  readonly trueValue: number;
  readonly mean: number;
  readonly hdiLow: number;
  readonly hdiHigh: number;
  readonly isCovered: boolean;
}

export interface RecoveredRoas {
  readonly market: string;
  readonly channel: string;
  readonly trueValue: number;
  readonly mean: number;
  readonly hdiLow: number;
  readonly hdiHigh: number;
  readonly isCovered: boolean;
}

export interface RecoveryReport {
  readonly parameters: readonly RecoveredParameter[];
  /** Share of `parameters` whose 94% HDI covers the truth. */
  readonly coverage: number;
  readonly roas: readonly RecoveredRoas[];
  readonly roasCoverage: number;
  /** Mean |posterior mean − truth| of beta_mu over channels (NaN for unpooled fits). */
  readonly maeBetaMu: number;
  readonly maeRoas: number;
}

/** Compares a fit with the truth (see the module comment). */
export function recoverGroundTruth(results: ResultsFolder, truth: GroundTruth, summary: readonly SummaryRow[], roas: readonly RoasRow[]): RecoveryReport {
  const byName = new Map(summary.map((r) => [r.name, r]));
  const parameters: RecoveredParameter[] = [];
  for (const [name, trueValue] of Object.entries(truth.parameters)) {
    const row = byName.get(name);
    if (!row || !Number.isFinite(row.mean)) continue;
    parameters.push({
      name,
      trueValue,
      mean: row.mean,
      hdiLow: row.hdiLower,
      hdiHigh: row.hdiUpper,
      isCovered: row.hdiLower <= trueValue && trueValue <= row.hdiUpper,
    });
  }
  const recoveredRoas: RecoveredRoas[] = [];
  for (const r of roas) {
    const t = truth.roas[r.market]?.[r.channel];
    if (t === undefined || !Number.isFinite(r.mean)) continue;
    recoveredRoas.push({ market: r.market, channel: r.channel, trueValue: t, mean: r.mean, hdiLow: r.hdiLow, hdiHigh: r.hdiHigh, isCovered: r.hdiLow <= t && t <= r.hdiHigh });
  }
  const kind = results.manifest.model;
  const betaMuErrors: number[] = [];
  for (const [channel, t] of Object.entries(truth.beta_mu)) {
    const name = kind === 'hierarchical' ? `beta_mu[${channel}]` : kind === 'pooled' ? `beta[${channel}]` : undefined;
    const row = name === undefined ? undefined : byName.get(name);
    if (row) betaMuErrors.push(Math.abs(row.mean - t));
  }
  const share = (xs: readonly { isCovered: boolean }[]) => (xs.length ? xs.filter((x) => x.isCovered).length / xs.length : NaN);
  return {
    parameters,
    coverage: share(parameters),
    roas: recoveredRoas,
    roasCoverage: share(recoveredRoas),
    maeBetaMu: betaMuErrors.length ? mean(betaMuErrors) : NaN,
    maeRoas: recoveredRoas.length ? mean(recoveredRoas.map((r) => Math.abs(r.mean - r.trueValue))) : NaN,
  };
}
