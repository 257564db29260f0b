/**
 * Standard normal variates for the replicated data of the predictive checks: the ziggurat method
 * of Marsaglia & Tsang with Doornik's correction, from a seeded uniform generator.
 *
 * References
 * - G. Marsaglia, W. W. Tsang (2000). The ziggurat method for generating random variables.
 *   Journal of Statistical Software 5(8).
 * - J. A. Doornik (2005). An improved ziggurat method to generate normal random samples.
 *   University of Oxford (ZIGNOR: 128 blocks, r = 3.442619855899, v = 9.91256303526217e-3;
 *   the rectangle test on |u| < x[i+1] / x[i], the wedge test with f(x) evaluated exactly, the
 *   tail by Marsaglia's 1964 method). The tables and the three paths below are ZIGNOR's.
 *
 * Where this deviates from ZIGNOR: Doornik draws the block index from a second, independent
 * integer so that it is not correlated with u. Here both come from ONE 53-bit uniform t (the
 * `Rng` of @tributary/models): the block is its top 7 bits, u = 2·frac(128·t) − 1 its other 46 —
 * disjoint bits of the generator, so the two are still independent. The wedge and tail tests
 * take further uniforms. The method is exact (the variates have the normal distribution up to
 * the uniforms' resolution); it only replaces `standardNormal`'s Box–Muller (a log, a sqrt and a
 * cos per variate) because it needs about one uniform and one multiply per variate.
 *
 * Determinism: a variate is a function of the uniforms it consumes, so the same seeded stream
 * gives the same variates (test/normal.test.ts). The numbers differ from Box–Muller's for the
 * same seed: `tributary evaluate`'s predictive p-values and coverages are therefore other Monte
 * Carlo draws of the same quantities than before this generator was used.
 */
import type { Rng } from '@tributary/models';

const BLOCKS = 128;
const R = 3.442619855899;
const V = 9.91256303526217e-3;

/** x[0 … 128] of the blocks (x[0] = v / f(r), the base's width; x[128] = 0), and x[i+1] / x[i]. */
const X = new Float64Array(BLOCKS + 1);
const RATIO = new Float64Array(BLOCKS);
{
  let f = Math.exp(-0.5 * R * R);
  X[0] = V / f;
  X[1] = R;
  X[BLOCKS] = 0;
  for (let i = 2; i < BLOCKS; i++) {
    X[i] = Math.sqrt(-2 * Math.log(V / X[i - 1]! + f));
    f = Math.exp(-0.5 * X[i]! * X[i]!);
  }
  for (let i = 0; i < BLOCKS; i++) RATIO[i] = X[i + 1]! / X[i]!;
}

/** One standard normal variate from `rng` (uniform on [0, 1)); about 1.02 uniforms per variate. */
export function zigguratNormal(rng: Rng): number {
  for (;;) {
    const t = rng() * BLOCKS;
    const i = Math.floor(t);
    const u = 2 * (t - i) - 1;
    // inside the block's rectangle (≈ 98.8 % of the draws)
    if (Math.abs(u) < RATIO[i]!) return u * X[i]!;
    // the base block: beyond r, Marsaglia's tail method
    if (i === 0) return normalTail(rng, u < 0);
    // the wedge between the rectangle and the density
    const x = u * X[i]!;
    const f0 = Math.exp(-0.5 * (X[i]! * X[i]! - x * x));
    const f1 = Math.exp(-0.5 * (X[i + 1]! * X[i + 1]! - x * x));
    if (f1 + rng() * (f0 - f1) < 1) return x;
  }
}

/** A normal variate conditioned on |x| > r, with the sign given (Marsaglia 1964). */
function normalTail(rng: Rng, negative: boolean): number {
  let x: number;
  let y: number;
  do {
    x = Math.log(1 - rng()) / R; // 1 − u ∈ (0, 1]: no log(0)
    y = Math.log(1 - rng());
  } while (-2 * y < x * x);
  return negative ? x - R : R - x;
}
