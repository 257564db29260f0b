// Reads the sbc.json of `tributary sbc` (checked with zod at this boundary) into the report's
// SbcInput. The statistics (p-values, bands) are the file's: the report only draws them.
import { readFile } from 'node:fs/promises';
import { TributaryError } from '@tributary/data';
import { z } from 'zod';
import type { SbcInput } from '../types.js';

const num = z.number().nullable().transform((x) => x ?? NaN);
const pair = z.tuple([z.number(), z.number()]);

const sbcSchema = z.looseObject({
  tributary_sbc_version: z.literal(1),
  model: z.string(),
  replicates: z.number().int().positive(),
  draws_per_fit: z.number().int().positive(),
  level: z.number().gt(0).lt(1),
  settings: z.record(z.string(), z.unknown()),
  markets: z.array(z.string()),
  parameters: z.array(z.looseObject({ name: z.string(), ranks: z.array(z.number().int().nonnegative()), p_uniform: num, coverage50: num, coverage90: num })),
  ecdf_band: z.looseObject({ z: z.array(z.number()), lower: z.array(z.number()), upper: z.array(z.number()) }),
  histogram_band: z.looseObject({ edges: z.array(z.number()), lower: z.array(z.number()), upper: z.array(z.number()) }),
  coverage_band: z.looseObject({ coverage50: pair, coverage90: pair }),
  replicate_details: z.array(z.looseObject({ divergences: num, max_rhat: num, min_ess_bulk: num })),
  failed_replicates: z.array(z.string()),
});

const SETTING_LABELS: Readonly<Record<string, string>> = {
  markets: 'markets',
  weeks: 'weeks per market',
  channels: 'channels',
  chains: 'chains',
  warmup: 'warmup iterations',
  draws: 'draws per chain',
  target_accept: 'target acceptance',
  seed: 'seed',
  likelihood: 'likelihood',
  transforms: 'transforms',
};

export async function readSbcInput(path: string): Promise<SbcInput> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new TributaryError('SBC_INVALID', `cannot read ${path} as JSON (${why}); pass the sbc.json written by tributary sbc.`);
  }
  const parsed = sbcSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TributaryError('SBC_INVALID', `${path} is not an sbc.json of tributary sbc: ${issue.path.join('.') || 'the file'}: ${issue.message}.`);
  }
  return buildSbcInput(parsed.data);
}

export function buildSbcInput(doc: z.output<typeof sbcSchema>): SbcInput {
  const marketPattern = new RegExp(`\\[(?:${doc.markets.map(escapeRegExp).join('|')})[,\\]]`);
  const details = doc.replicate_details;
  return {
    model: doc.model,
    replicates: doc.replicates,
    drawsPerFit: doc.draws_per_fit,
    level: doc.level,
    settings: Object.entries(doc.settings).map(([k, v]) => ({ label: SETTING_LABELS[k] ?? k, value: String(v) })),
    parameters: doc.parameters.map((p) => ({
      name: p.name,
      ranks: p.ranks,
      pUniform: p.p_uniform,
      coverage50: p.coverage50,
      coverage90: p.coverage90,
      isPerMarket: marketPattern.test(p.name),
    })),
    ecdfBand: { z: doc.ecdf_band.z, lower: doc.ecdf_band.lower, upper: doc.ecdf_band.upper },
    histogramBand: { edges: doc.histogram_band.edges, lower: doc.histogram_band.lower, upper: doc.histogram_band.upper },
    coverageBand: { coverage50: doc.coverage_band.coverage50, coverage90: doc.coverage_band.coverage90 },
    failedReplicates: doc.failed_replicates,
    fits: {
      divergences: details.reduce((a, d) => a + (Number.isFinite(d.divergences) ? d.divergences : 0), 0),
      withDivergences: details.filter((d) => d.divergences > 0).length,
      maxRhat: Math.max(...details.map((d) => d.max_rhat).filter(Number.isFinite)),
      minEssBulk: Math.min(...details.map((d) => d.min_ess_bulk).filter(Number.isFinite)),
    },
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
