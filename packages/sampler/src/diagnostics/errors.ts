// Typed errors of the convergence diagnostics. Thrown only for malformed input (no chains, chains
// of different lengths, a flat draws buffer that does not fit `dim`, an HDI probability outside
// (0, 1)). Statistics that cannot be computed (too few draws, constant or non-finite draws) are
// NaN, never an error, as in R's posterior (which returns NA).

export type DiagnosticsErrorCode = 'INVALID_DRAWS' | 'INVALID_ARGUMENT';

export class DiagnosticsError extends Error {
  readonly code: DiagnosticsErrorCode;

  constructor(code: DiagnosticsErrorCode, message: string) {
    super(message);
    this.name = 'DiagnosticsError';
    this.code = code;
  }
}
