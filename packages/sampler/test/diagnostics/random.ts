// Small seeded generators for the diagnostics tests (no Math.random): mulberry32 + Box–Muller.

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function normalGenerator(seed: number): () => number {
  const u = mulberry32(seed);
  return () => {
    let u1 = u();
    while (u1 === 0) u1 = u();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u());
  };
}

/** numChains chains of numDraws iid standard normals. */
export function iidNormalChains(seed: number, numChains: number, numDraws: number): Float64Array[] {
  const z = normalGenerator(seed);
  return Array.from({ length: numChains }, () => Float64Array.from({ length: numDraws }, z));
}

/** Stationary AR(1) chains with coefficient phi and unit innovations. */
export function ar1Chains(seed: number, numChains: number, numDraws: number, phi: number): Float64Array[] {
  const z = normalGenerator(seed);
  return Array.from({ length: numChains }, () => {
    const x = new Float64Array(numDraws);
    x[0] = z() / Math.sqrt(1 - phi * phi);
    for (let t = 1; t < numDraws; t++) x[t] = phi * x[t - 1]! + z();
    return x;
  });
}
