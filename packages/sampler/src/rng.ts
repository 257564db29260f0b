// Seeded random numbers for the sampler.
//
// References
// - R. P. Brent (2007), "Some long-period random number generators using shifts and xors"
//   (xor4096, as implemented by the `seedrandom` package).
// - G. Marsaglia & T. A. Bray (1964), "A convenient method for generating normal variables"
//   (the polar method used for standard normals).
//
// Deviations from Stan: Stan uses boost::ecuyer1988 seeded from (seed, chain id) and boost's
// normal distribution; we use xor4096 seeded by the string `${seed}:${chain}` and the polar
// method, so draws are reproducible here but not identical to Stan's.
//
// Randomness is always passed in (`rng` first argument); Math.random is banned in packages.

import seedrandom from 'seedrandom';

/** A source of randomness passed explicitly to every kernel that needs it. */
export interface Rng {
  /** Uniform on (0, 1), 53-bit resolution, never exactly 0. */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
}

class Xor4096Rng implements Rng {
  private readonly prng: seedrandom.PRNG;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: string) {
    this.prng = seedrandom.xor4096(seed);
  }

  uniform(): number {
    return this.prng.double();
  }

  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    // 32-bit uniforms suffice for the polar method (normals resolved to ~2^-31).
    do {
      u = 2 * this.prng() - 1;
      v = 2 * this.prng() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }
}

/** The random stream of chain `chain` for `seed` (seeded by the string `${seed}:${chain}`). */
export function buildChainRng(seed: number | string, chain: number): Rng {
  return new Xor4096Rng(`${seed}:${chain}`);
}

/** A random stream from an arbitrary seed string (tests, benchmarks). */
export function buildRng(seed: number | string): Rng {
  return new Xor4096Rng(String(seed));
}
