/**
 * Small numerical helpers for the derived quantities: standard normal, gamma and Student-t
 * variates from an injected uniform rng, and log Γ for the Student-t normalizing constant.
 *
 * Follows the workspace rule "randomness is always passed in" (conventions.md): every draw
 * consumes a fixed number of uniforms except the gamma sampler (Marsaglia & Tsang 2000,
 * rejection), so the same rng state gives the same variates. Box–Muller (one normal per two
 * uniforms, no cached spare, so there is no hidden state). `logGamma` is Lanczos (g = 7, n = 9),
 * accurate to ~1e-15 relative for positive arguments.
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

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** log(1 + exp(x)) without overflow. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** 1 / (1 + exp(-u)) without overflow. */
export function invLogit(u: number): number {
  if (u >= 0) return 1 / (1 + Math.exp(-u));
  const e = Math.exp(u);
  return e / (1 + e);
}
