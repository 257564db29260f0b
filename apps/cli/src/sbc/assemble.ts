// sbc.json: the ranks and interval coverage of every parameter over the replicates whose fits
// finished, the uniformity p-values and the bands the report draws (stats.ts), the settings and a
// line per replicate. Numbers only from the fits' files and fixed seeds, no paths or timings: the
// same seed gives the same file.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { formatTable, loadResults, MANIFEST_FILE } from '@tributary/evaluation';
import { uniformRng } from './simulate.js';
import { binomialInterval, histogramBand, isCovered, rankOf, thinIndices, UniformityTest } from './stats.js';

/** Version of the sbc.json layout (also its marker: atomic.ts's 'sbc' output kind). */
export const SBC_VERSION = 1;
/** Level of the bands and of the "consistent with uniform / nominal" verdicts. */
export const SBC_LEVEL = 0.99;
/** Bins of the rank histogram (Talts et al. use about 20). */
export const HISTOGRAM_BINS = 20;

/** One replicate as the sbc command made it. */
export interface ReplicateRecord {
  name: string;
  /** The fit's --seed. */
  seed: number;
  /** The true parameters by constrained name. */
  truth: Float64Array;
  /** Simulation diagnostics (simulate.ts). */
  ess: number;
  proposals: number;
  discarded: number;
  /** The fit's results folder. */
  dir: string;
}

export interface SbcParameter {
  name: string;
  ranks: number[];
  p_uniform: number;
  coverage50: number;
  coverage90: number;
}

export interface SbcDocument {
  tributary_sbc_version: number;
  created_by: string;
  model: string;
  replicates: number;
  draws_per_fit: number;
  settings: Record<string, unknown>;
  markets: string[];
  channels: string[];
  level: number;
  uniformity_test: string;
  parameters: SbcParameter[];
  ecdf_band: { z: number[]; gamma: number; lower: number[]; upper: number[] };
  histogram_band: { edges: number[]; lower: number[]; upper: number[] };
  coverage_band: { coverage50: [number, number]; coverage90: [number, number] };
  replicate_details: Record<string, number | string>[];
  failed_replicates: string[];
}

/** The folder of a replicate's fit holds a finished results folder. */
export function isFinished(record: ReplicateRecord): boolean {
  return existsSync(join(record.dir, MANIFEST_FILE));
}

/**
 * Reads every finished replicate's draws and builds sbc.json. `names` are the model's
 * constrained names (each fit's must be the same); `tieSeed` seeds the rare tie-breaking.
 */
export async function assembleSbc(options: {
  model: string;
  names: readonly string[];
  drawsPerFit: number;
  records: readonly ReplicateRecord[];
  failed: readonly string[];
  settings: Record<string, unknown>;
  markets: readonly string[];
  channels: readonly string[];
  createdBy: string;
  tieSeed: string;
}): Promise<SbcDocument> {
  const { names, drawsPerFit: L, records } = options;
  const P = names.length;
  const ranks: number[][] = names.map(() => []);
  const covered50: number[] = new Array<number>(P).fill(0);
  const covered90: number[] = new Array<number>(P).fill(0);
  const details: Record<string, number | string>[] = [];
  for (const r of records) {
    const fit = await loadResults(r.dir);
    if (fit.names.join('\n') !== names.join('\n')) throw new Error(`${r.dir}: the fit's parameters are not the simulated model's`);
    const total = fit.numChains * fit.numDraws;
    const thin = thinIndices(total, L);
    const ties = uniformRng(`${options.tieSeed}:${r.name}`);
    const all = new Float64Array(total);
    const thinned = new Float64Array(L);
    for (let j = 0; j < P; j++) {
      let at = 0;
      for (const chain of fit.draws) for (let i = 0; i < fit.numDraws; i++) all[at++] = chain[i * P + j]!;
      thin.forEach((i, k) => (thinned[k] = all[i]!));
      const truth = r.truth[j]!;
      ranks[j]!.push(rankOf(truth, thinned, ties()));
      all.sort();
      if (isCovered(all, truth, 0.5)) covered50[j]!++;
      if (isCovered(all, truth, 0.9)) covered90[j]!++;
    }
    const d = fit.manifest.diagnostics as Record<string, number> | undefined;
    details.push({
      name: r.name,
      seed: r.seed,
      simulation_ess: Math.round(r.ess),
      simulation_proposals: r.proposals,
      simulation_discarded: r.discarded,
      divergences: d?.divergences ?? NaN,
      max_rhat: d?.max_rhat ?? NaN,
      min_ess_bulk: d?.min_ess_bulk ?? NaN,
    });
  }
  const N = records.length;
  const test = new UniformityTest(N, L);
  const band = test.band(SBC_LEVEL);
  const interval = (p: number): [number, number] => {
    const [lo, hi] = binomialInterval(N, p, SBC_LEVEL);
    return [lo / N, hi / N];
  };
  return {
    tributary_sbc_version: SBC_VERSION,
    created_by: options.createdBy,
    model: options.model,
    replicates: N,
    draws_per_fit: L,
    settings: options.settings,
    markets: [...options.markets],
    channels: [...options.channels],
    level: SBC_LEVEL,
    uniformity_test:
      'ECDF test of Säilynoja, Bürkner & Vehtari (2022): min over z_k = (k+1)/(L+1) of the two-sided binomial tail probability of the count of ranks ≤ k; p-value from 4999 simulated sets of uniform ranks',
    parameters: names.map((name, j) => ({
      name,
      ranks: ranks[j]!,
      p_uniform: test.pValue(ranks[j]!),
      coverage50: covered50[j]! / N,
      coverage90: covered90[j]! / N,
    })),
    ecdf_band: { z: Array.from(test.z), gamma: band.gamma, lower: band.lower, upper: band.upper },
    histogram_band: histogramBand(N, L, HISTOGRAM_BINS, SBC_LEVEL),
    coverage_band: { coverage50: interval(0.5), coverage90: interval(0.9) },
    replicate_details: details,
    failed_replicates: [...options.failed],
  };
}

/** sbc.json text: two-space JSON with every array of numbers on one line. */
export function formatSbcJson(doc: SbcDocument): string {
  const text = JSON.stringify(doc, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
  return text.replace(/": \[\s*(-?[\d.e+-]+(?:,\s*-?[\d.e+-]+)*)\s*\]/g, (_m, items: string) => `": [${items.split(/,\s*/).join(', ')}]`) + '\n';
}

/** Whether a parameter passes: ranks consistent with uniform and both coverages inside their bands. */
export function verdictOf(doc: SbcDocument, p: SbcParameter): { uniform: boolean; coverage50: boolean; coverage90: boolean } {
  const inside = (x: number, [lo, hi]: [number, number]) => x >= lo && x <= hi;
  return {
    uniform: p.p_uniform >= 1 - doc.level,
    coverage50: inside(p.coverage50, doc.coverage_band.coverage50),
    coverage90: inside(p.coverage90, doc.coverage_band.coverage90),
  };
}

/** The terminal summary: one row per parameter and a closing count. */
export function formatSbcSummary(doc: SbcDocument): string {
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  const rows = doc.parameters.map((p) => {
    const v = verdictOf(doc, p);
    const flags = [v.uniform ? '' : 'ranks not uniform', v.coverage50 ? '' : '50% coverage', v.coverage90 ? '' : '90% coverage'].filter((f) => f);
    return [p.name, p.p_uniform.toFixed(3), pct(p.coverage50), pct(p.coverage90), flags.length ? `FAIL: ${flags.join(', ')}` : 'ok'];
  });
  const passing = doc.parameters.filter((p) => Object.values(verdictOf(doc, p)).every((x) => x)).length;
  const d = doc.replicate_details;
  const finite = (k: string) => d.map((r) => Number(r[k])).filter(Number.isFinite);
  const divergences = finite('divergences');
  const fits =
    `Fits: ${divergences.reduce((a, b) => a + b, 0)} divergent transitions in ${divergences.filter((x) => x > 0).length} of ${d.length} fits, ` +
    `worst R-hat ${Math.max(...finite('max_rhat')).toFixed(3)}, smallest bulk ESS ${Math.round(Math.min(...finite('min_ess_bulk')))}.\n`;
  const [c50lo, c50hi] = doc.coverage_band.coverage50;
  const [c90lo, c90hi] = doc.coverage_band.coverage90;
  return (
    `SBC of the ${doc.model} model: ${doc.replicates} replicates, ranks among ${doc.draws_per_fit} thinned draws (0–${doc.draws_per_fit})\n` +
    formatTable(['parameter', 'p_uniform', 'cov. 50%', 'cov. 90%', 'verdict'], rows, [1, 2, 3]) +
    `\n${passing} of ${doc.parameters.length} parameters pass: p_uniform ≥ ${(1 - doc.level).toFixed(2)} and coverage inside the ${pct(doc.level)} binomial interval ` +
    `(50%: ${pct(c50lo)}–${pct(c50hi)}, 90%: ${pct(c90lo)}–${pct(c90hi)}). With ${doc.parameters.length} parameters and three checks each at ${pct(1 - doc.level)}, up to about ${((1 - doc.level) * doc.parameters.length * 3).toFixed(1)} failures are expected by chance alone.\n` +
    fits
  );
}
