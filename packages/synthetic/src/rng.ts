// Seeded random streams for the scenario generator. Every random quantity is drawn from its own
// named stream, seeded from (seed, purpose, market, channel), so that adding a market or a channel
// to a configuration does not change the draws of the others. Math.random is never used.
import seedrandom from 'seedrandom';

/** A uniform generator on [0, 1). */
export type Rng = () => number;

/** A uniform stream seeded by `seed` and a path of keys, e.g. `streamRng(42, 'beta', 'DE', 'meta_spend')`. */
export function streamRng(seed: number, ...keys: readonly string[]): Rng {
  const prng = seedrandom([String(seed), ...keys].join('/'));
  return () => prng.double();
}

/** One standard normal draw (Box–Muller, cosine branch; two uniforms per draw). */
export function standardNormal(rng: Rng): number {
  let u = rng();
  while (u <= 0) u = rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
