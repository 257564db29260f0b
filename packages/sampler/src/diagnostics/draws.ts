// Shapes of draws for the diagnostics: the draws of one parameter are one Float64Array per chain
// (all chains the same length); the sampler's own draws are one row-major (numDraws × dim)
// Float64Array per chain, from which `extractColumn` takes one parameter.

import { DiagnosticsError } from './errors.js';

/** Draws of one scalar quantity: one Float64Array per chain, all of the same length. */
export type ParameterDraws = readonly Float64Array[];

/** Throws unless `chains` is a non-empty list of equally long Float64Arrays; returns that length. */
export function checkChains(chains: ParameterDraws, where: string): number {
  if (!Array.isArray(chains) || chains.length === 0) {
    throw new DiagnosticsError(
      'INVALID_DRAWS',
      `${where}: expected the draws of one parameter as a non-empty array of Float64Array (one per chain), got ${describe(chains)}.`,
    );
  }
  const first = chains[0]!;
  for (let c = 0; c < chains.length; c++) {
    const chain = chains[c];
    if (!(chain instanceof Float64Array)) {
      throw new DiagnosticsError(
        'INVALID_DRAWS',
        `${where}: chain ${c} is ${describe(chain)}, not a Float64Array. Convert it with Float64Array.from(...).`,
      );
    }
    if (chain.length !== first.length) {
      throw new DiagnosticsError(
        'INVALID_DRAWS',
        `${where}: chain ${c} has ${chain.length} draws but chain 0 has ${first.length}; all chains must have the same number of draws (drop the extra draws or the short chain).`,
      );
    }
  }
  return first.length;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return `a ${(value as object).constructor?.name ?? 'object'}`;
  return typeof value;
}

/**
 * The draws of parameter `index` from row-major chain draws (`draws[c]` holds numDraws × dim
 * values, draw-major, as in `Posterior.draws`): one new Float64Array of numDraws per chain.
 */
export function extractColumn(draws: readonly Float64Array[], dim: number, index: number): Float64Array[] {
  const numDraws = checkRowMajor(draws, dim, 'extractColumn');
  if (!Number.isInteger(index) || index < 0 || index >= dim) {
    throw new DiagnosticsError(
      'INVALID_ARGUMENT',
      `extractColumn: parameter index ${index} is outside 0 … ${dim - 1} (dim = ${dim}).`,
    );
  }
  return draws.map((chain) => {
    const out = new Float64Array(numDraws);
    for (let i = 0, k = index; i < numDraws; i++, k += dim) out[i] = chain[k]!;
    return out;
  });
}

/** Validates row-major chain draws (numDraws × dim each, same length); returns numDraws. */
export function checkRowMajor(draws: readonly Float64Array[], dim: number, where: string): number {
  if (!Number.isInteger(dim) || dim < 1) {
    throw new DiagnosticsError('INVALID_ARGUMENT', `${where}: dim must be a positive integer, got ${dim}.`);
  }
  const length = checkChains(draws, where);
  if (length % dim !== 0) {
    throw new DiagnosticsError(
      'INVALID_DRAWS',
      `${where}: each chain holds ${length} values, which is not a multiple of dim = ${dim}; expected numDraws × dim values per chain, row-major.`,
    );
  }
  return length / dim;
}

/**
 * posterior's `.split_chains`: each chain of n draws becomes its first floor(n/2) draws and its
 * last floor(n/2) draws (for odd n the middle draw is dropped); a chain of one draw is kept.
 * Returns views, not copies.
 */
export function splitChains(chains: ParameterDraws): Float64Array[] {
  const n = chains[0]!.length;
  if (n === 1) return chains.slice();
  const half = Math.floor(n / 2);
  const out: Float64Array[] = [];
  for (const chain of chains) out.push(chain.subarray(0, half));
  for (const chain of chains) out.push(chain.subarray(n - half));
  return out;
}

/** All draws of all chains in one Float64Array (chain after chain, as R's `c(x)` of a matrix). */
export function pool(chains: ParameterDraws): Float64Array {
  const n = chains[0]?.length ?? 0;
  const out = new Float64Array(n * chains.length);
  chains.forEach((chain, c) => out.set(chain, c * n));
  return out;
}

/** Applies `f` to every draw, keeping the chain structure. */
export function mapDraws(chains: ParameterDraws, f: (x: number) => number): Float64Array[] {
  return chains.map((chain) => chain.map(f));
}

export function hasNonFinite(chains: ParameterDraws): boolean {
  for (const chain of chains) for (let i = 0; i < chain.length; i++) if (!Number.isFinite(chain[i]!)) return true;
  return false;
}

/** posterior's `is_constant`: max - min below machine epsilon (an absolute tolerance). */
export function isConstant(chains: ParameterDraws): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  for (const chain of chains) {
    for (let i = 0; i < chain.length; i++) {
      const v = chain[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return Math.abs(hi - lo) < Number.EPSILON;
}

/** posterior's `should_return_NA`: any non-finite draw, or all draws (nearly) equal. */
export function isDegenerate(chains: ParameterDraws): boolean {
  return hasNonFinite(chains) || isConstant(chains);
}
