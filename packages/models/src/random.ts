/**
 * Random variates for the derived quantities: standard normal, gamma and Student-t variates
 * from an injected uniform rng (log Γ, softplus and the inverse logit are in math.ts).
 *
 * Follows the workspace rule "randomness is always passed in" (conventions.md): every draw
 * consumes a fixed number of uniforms except the gamma sampler (Marsaglia & Tsang 2000,
 * rejection), so the same rng state gives the same variates. Box–Muller (one normal per two
 * uniforms, no cached spare, so there is no hidden state).
 */

/** A uniform [0, 1) generator, e.g. a `seedrandom` PRNG. */
export type Rng = () => number;

export function standardNormal(rng: Rng): number {
  const u1 = 1 - rng(); // (0, 1]
  const u2 = rng();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Gamma(shape, 1). */
export function gammaVariate(rng: Rng, shape: number): number {
  if (shape < 1) {
    const u = 1 - rng();
    return gammaVariate(rng, shape + 1) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Standard Student-t with `nu` degrees of freedom. */
export function studentT(rng: Rng, nu: number): number {
  const z = standardNormal(rng);
  const chi2 = 2 * gammaVariate(rng, nu / 2);
  return z / Math.sqrt(chi2 / nu);
}
