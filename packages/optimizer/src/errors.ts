/**
 * Errors thrown by `@tributary/optimizer`.
 *
 * Follows the workspace convention (shared/design/conventions.md, "Errors and boundaries"): a
 * `TributaryError` subclass with a stable `code`; the message says what happened, where (the
 * option, the market-channel, the line of a bounds file) and what to try. Throw only for bad
 * configuration or input and for problems without a solution (a budget outside the bounds, an
 * unreachable target); a solver that stops at its iteration limit is reported in the result
 * (`converged: false`), not thrown.
 */
import { TributaryError } from '@tributary/data';

export type OptimizerErrorCode =
  /** A bad option value (utility spec, weeks, budget, tolerances, …). */
  | 'OPTIMIZER_INVALID_OPTIONS'
  /** Inputs that do not fit together (draws vs model, panel vs model, curve spec lengths). */
  | 'OPTIMIZER_INVALID_INPUT'
  /** A bounds file or bounds object that fails validation. */
  | 'OPTIMIZER_INVALID_BOUNDS'
  /** No plan satisfies the constraints (budget outside [Σ lower, Σ upper], unreachable target). */
  | 'OPTIMIZER_INFEASIBLE';

export class OptimizerError extends TributaryError {
  override readonly code: OptimizerErrorCode;

  constructor(code: OptimizerErrorCode, message: string) {
    super(code, message);
    this.name = 'OptimizerError';
    this.code = code;
  }
}
