// Initial points for the chains.
//
// References
// - Stan: src/stan/services/util/initialize.hpp (random inits uniform in (-2, 2) on the
//   unconstrained scale, up to MAX_INIT_TRIES = 100 attempts, each requiring a finite log
//   density and a finite gradient; a user-specified init is tried once).
//
// Deviations: Stan allows partially specified inits (the rest drawn at random); here an init
// is all or nothing. The random init radius is fixed at 2 (Stan's default `init=2`).

import { SamplerError } from './errors.js';
import { initState, type NutsState } from './nuts.js';
import type { Rng } from './rng.js';
import type { LogDensity } from './types.js';

export const MAX_INIT_TRIES = 100;
export const INIT_RADIUS = 2;

export interface InitialPoint {
  readonly state: NutsState;
  /** Log-density evaluations spent (attempts). */
  readonly numTries: number;
}

function describeProblem(state: NutsState): string | null {
  if (!Number.isFinite(state.logDensity)) return `log density = ${state.logDensity}`;
  const g = state.gradient;
  for (let i = 0; i < g.length; i++) {
    if (!Number.isFinite(g[i]!)) return `gradient[${i}] = ${g[i]}`;
  }
  return null;
}

/**
 * Finds a starting state with finite log density and gradient: `init` if given (one attempt),
 * else uniform draws in (-2, 2)^dim, at most 100 of them.
 */
export function findInitialPoint(target: LogDensity, rng: Rng, chain: number, init?: ArrayLike<number> | null): InitialPoint {
  const dim = target.dim;
  if (init != null) {
    if (init.length !== dim) {
      throw new SamplerError('INVALID_OPTION', `Invalid option init for chain ${chain}: it has ${init.length} entries but the target has dim ${dim}.`);
    }
    const state = initState(init, target);
    const problem = describeProblem(state);
    if (problem !== null) {
      throw new SamplerError(
        'INIT_FAILED',
        `Chain ${chain}: the user-specified init is not a valid starting point (${problem}). Pass a point inside the support, on the unconstrained scale, or omit init to draw one at random.`,
      );
    }
    return { state, numTries: 1 };
  }
  const q = new Float64Array(dim);
  let lastProblem = '';
  for (let attempt = 1; attempt <= MAX_INIT_TRIES; attempt++) {
    for (let i = 0; i < dim; i++) q[i] = INIT_RADIUS * (2 * rng.uniform() - 1);
    const state = initState(q, target);
    const problem = describeProblem(state);
    if (problem === null) return { state, numTries: attempt };
    lastProblem = problem;
  }
  throw new SamplerError(
    'INIT_FAILED',
    `Chain ${chain}: no initial point with a finite log density and gradient after ${MAX_INIT_TRIES} attempts drawn uniformly in (-${INIT_RADIUS}, ${INIT_RADIUS}) on the unconstrained scale (last attempt: ${lastProblem}). Check that the log density is finite inside its support, or pass \`init\`.`,
  );
}
