/**
 * Posterior predictive checks per market (Gelman, Carlin, Stern, Dunson, Vehtari & Rubin 2013,
 * Bayesian Data Analysis, 3rd ed., ch. 6; Gabry et al. 2019, Visualization in Bayesian
 * workflow, JRSS A 182:389–402).
 *
 * For every posterior draw, a replicated data set y_rep is drawn with `Model.posteriorPredictive`
 * (money scale) from a seeded random stream (`buildRng(seed)` of `@tributary/sampler`, so the
 * same seed gives the same numbers). Per market:
 * - Bayesian p-values p = Pr(T(y_rep) ≥ T(y)) for T = mean, sd (n − 1), min and max of the
 *   market's observed target; values near 0 or 1 (outside [0.025, 0.975]) mean the model does
 *   not reproduce that feature of the data;
 * - the share of observations inside their central 50% and 94% posterior predictive intervals
 *   (equal-tailed, R's type-7 quantiles of the y_rep draws of that observation); a calibrated
 *   model gives about 0.50 and 0.94.
 */
import type { Panel } from '@tributary/data';
import type { Model } from '@tributary/models';
import { buildRng } from '@tributary/sampler';
import { quantileSorted, sd } from './numerics.js';
import { forEachDraw } from './rebuild.js';
import type { ResultsFolder } from './results.js';

export interface PpcMarket {
  readonly market: string;
  readonly numObs: number;
  readonly pMean: number;
  readonly pSd: number;
  readonly pMin: number;
  readonly pMax: number;
  readonly coverage50: number;
  readonly coverage94: number;
}

export interface PpcOptions {
  /** Seed of the replicated draws (default 1). */
  readonly seed?: number | string;
}

/** p-values outside [PPC_P_LOW, PPC_P_HIGH] are flagged. */
export const PPC_P_LOW = 0.025;
export const PPC_P_HIGH = 0.975;

export function posteriorPredictiveChecks(results: ResultsFolder, fitted: { model: Model; panel: Panel }, options: PpcOptions = {}): PpcMarket[] {
  const { model, panel } = fitted;
  const rng = buildRng(options.seed ?? 1);
  const uniform = () => rng.uniform();
  const G = model.markets.length;
  const N = model.numObs;
  const S = results.numChains * results.numDraws;
  const yrep = new Float64Array(N * S); // observation-major
  const buf = new Float64Array(N);
  const start = new Int32Array(G + 1);
  for (let n = 0; n < N; n++) start[model.obsMarket[n]! + 1] = start[model.obsMarket[n]! + 1]! + 1;
  for (let g = 0; g < G; g++) start[g + 1] = start[g + 1]! + start[g]!;
  const stats = (x: ArrayLike<number>, a: number, b: number) => {
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = a; i < b; i++) {
      const v = x[i]!;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return { mean: sum / (b - a), sd: sd(x, a, b), min, max };
  };
  const observed = Array.from({ length: G }, (_, g) => stats(panel.y, start[g]!, start[g + 1]!));
  const countGe = Array.from({ length: G }, () => ({ mean: 0, sd: 0, min: 0, max: 0 }));
  forEachDraw(results, (draw, _c, _i, s) => {
    model.posteriorPredictive(draw, uniform, buf);
    for (let n = 0; n < N; n++) yrep[n * S + s] = buf[n]!;
    for (let g = 0; g < G; g++) {
      const t = stats(buf, start[g]!, start[g + 1]!);
      const o = observed[g]!;
      const cnt = countGe[g]!;
      if (t.mean >= o.mean) cnt.mean++;
      if (t.sd >= o.sd) cnt.sd++;
      if (t.min >= o.min) cnt.min++;
      if (t.max >= o.max) cnt.max++;
    }
  });
  const inside50 = new Float64Array(G);
  const inside94 = new Float64Array(G);
  for (let n = 0; n < N; n++) {
    const g = model.obsMarket[n]!;
    const col = yrep.subarray(n * S, (n + 1) * S).sort();
    const y = panel.y[n]!;
    if (quantileSorted(col, 0.25) <= y && y <= quantileSorted(col, 0.75)) inside50[g] = inside50[g]! + 1;
    if (quantileSorted(col, 0.03) <= y && y <= quantileSorted(col, 0.97)) inside94[g] = inside94[g]! + 1;
  }
  return model.markets.map((market, g) => {
    const n = start[g + 1]! - start[g]!;
    const c = countGe[g]!;
    return {
      market,
      numObs: n,
      pMean: c.mean / S,
      pSd: c.sd / S,
      pMin: c.min / S,
      pMax: c.max / S,
      coverage50: inside50[g]! / n,
      coverage94: inside94[g]! / n,
    };
  });
}
