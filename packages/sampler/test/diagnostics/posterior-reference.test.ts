// Agreement with R's posterior (1.4.0) on the committed fixtures, to 1e-6 relative, for every
// statistic make_fixtures.R records. NA in R must be NaN here.
import { afterAll, describe, expect, it } from 'vitest';
import {
  essBasic,
  essBulk,
  essMean,
  essQuantile,
  essSd,
  essTail,
  hdi,
  mcseMean,
  mcseQuantile,
  mcseSd,
  quantile,
  rhat,
  rhatBasic,
  summarize,
} from '../../src/diagnostics/index.js';
import { mad, mean, median, sd } from '../../src/diagnostics/moments.js';
import { pool } from '../../src/diagnostics/draws.js';
import { FIXTURE_SETS, loadFixture, relativeError } from './fixtures.js';

const TOLERANCE = 1e-6;

type Stat = (x: Float64Array[]) => number;

const STATS: Record<string, Stat> = {
  sum: (x) => pool(x).reduce((a, b) => a + b, 0),
  rhat,
  rhat_basic: (x) => rhatBasic(x),
  rhat_basic_nosplit: (x) => rhatBasic(x, { split: false }),
  ess_bulk: essBulk,
  ess_tail: essTail,
  ess_basic: (x) => essBasic(x),
  ess_basic_nosplit: (x) => essBasic(x, { split: false }),
  ess_mean: essMean,
  ess_sd: essSd,
  ess_q5: (x) => essQuantile(x, 0.05),
  ess_q95: (x) => essQuantile(x, 0.95),
  ess_median: (x) => essQuantile(x, 0.5),
  mcse_mean: mcseMean,
  mcse_sd: mcseSd,
  mcse_q5: (x) => mcseQuantile(x, 0.05),
  mcse_q95: (x) => mcseQuantile(x, 0.95),
  mcse_median: (x) => mcseQuantile(x, 0.5),
  q5: (x) => quantile(x, 0.05),
  q95: (x) => quantile(x, 0.95),
};

const SUMMARISE_DRAWS: Record<string, Stat> = {
  mean: (x) => mean(pool(x)),
  median: (x) => median(pool(x)),
  sd: (x) => sd(pool(x)),
  mad: (x) => mad(pool(x)),
  q5: (x) => quantile(x, 0.05),
  q95: (x) => quantile(x, 0.95),
  rhat,
  ess_bulk: essBulk,
  ess_tail: essTail,
};

const maxError = new Map<string, number>();
function record(stat: string, err: number): void {
  maxError.set(stat, Math.max(maxError.get(stat) ?? 0, err));
}

afterAll(() => {
  const rows = [...maxError.entries()].map(([stat, err]) => `${stat.padEnd(28)} ${err.toExponential(2)}`);
  console.log(`max relative error vs posterior, over all fixtures:\n${rows.join('\n')}`);
});

for (const set of FIXTURE_SETS) {
  describe(`fixture ${set}`, () => {
    const fixture = loadFixture(set);

    it('comes from posterior 1.4.0', () => {
      expect(fixture.posteriorVersion).toBe('1.4.0');
    });

    for (const param of fixture.parameters) {
      const x = fixture.draws[param]!;
      const ref = fixture.stats[param]!;

      for (const [stat, f] of Object.entries(STATS)) {
        it(`${param}: ${stat}`, () => {
          const expected = ref[stat] as number;
          const actual = f(x);
          const err = relativeError(actual, expected);
          record(stat, err);
          expect(err, `${set}/${param}/${stat}: ours ${actual}, posterior ${expected}`).toBeLessThanOrEqual(TOLERANCE);
        });
      }

      for (const [stat, f] of Object.entries(SUMMARISE_DRAWS)) {
        it(`${param}: summarise_draws ${stat}`, () => {
          const expected = (ref.summarise_draws as Record<string, number>)[stat]!;
          const actual = f(x);
          const err = relativeError(actual, expected);
          record(`summarise_draws.${stat}`, err);
          expect(err, `${set}/${param}/summarise_draws.${stat}: ours ${actual}, R ${expected}`).toBeLessThanOrEqual(TOLERANCE);
        });
      }

      for (const [key, prob] of [['hdi_94', 0.94], ['hdi_50', 0.5]] as const) {
        it(`${param}: ${key} (ArviZ definition, recomputed in R)`, () => {
          const [lower, upper] = ref[key] as [number, number];
          const interval = hdi(x, prob);
          expect(interval.lower).toBe(lower);
          expect(interval.upper).toBe(upper);
        });
      }
    }

    it('summarize() rows agree with the reference statistics', () => {
      const rows = summarize(fixture.rowMajor, fixture.parameters.length, fixture.parameters);
      rows.forEach((row, j) => {
        const param = fixture.parameters[j]!;
        const ref = fixture.stats[param]!;
        const pairs: [string, number, number][] = [
          ['mean', row.mean, (ref.summarise_draws as Record<string, number>).mean!],
          ['sd', row.sd, (ref.summarise_draws as Record<string, number>).sd!],
          ['hdi_3%', row.hdiLower, (ref.hdi_94 as [number, number])[0]],
          ['hdi_97%', row.hdiUpper, (ref.hdi_94 as [number, number])[1]],
          ['mcse_mean', row.mcseMean, ref.mcse_mean as number],
          ['mcse_sd', row.mcseSd, ref.mcse_sd as number],
          ['ess_bulk', row.essBulk, ref.ess_bulk as number],
          ['ess_tail', row.essTail, ref.ess_tail as number],
          ['r_hat', row.rHat, ref.rhat as number],
        ];
        expect(row.name).toBe(param);
        for (const [col, actual, expected] of pairs) {
          expect(relativeError(actual, expected), `${set}/${param}/${col}: ${actual} vs ${expected}`).toBeLessThanOrEqual(TOLERANCE);
        }
      });
    });
  });
}
