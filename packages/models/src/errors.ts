/**
 * Errors thrown by `@tributary/models`.
 *
 * Follows the workspace convention (shared/design/conventions.md, "Errors and boundaries"):
 * throw only for bad configuration or input, never for a point outside the support (the log
 * density returns -Infinity there). Each error carries a stable `code`, and its message says
 * what happened, where (option, prior key, parameter name) and what to try.
 *
 * Deviation: this package does not share a base class with the other packages (none is
 * exported by a dependency it may use); the `code` field is the common contract instead.
 */

export type ModelErrorCode = 'MODEL_INVALID_OPTIONS' | 'MODEL_INVALID_PANEL' | 'MODEL_INVALID_PRIORS' | 'MODEL_INVALID_INPUT';

export class ModelError extends Error {
  readonly code: ModelErrorCode;

  constructor(code: ModelErrorCode, message: string) {
    super(message);
    this.name = 'ModelError';
    this.code = code;
  }
}

/** A prior file or prior object failed validation; `key` is the offending prior key (if any). */
export class PriorsError extends ModelError {
  readonly key: string | undefined;

  constructor(message: string, key?: string) {
    super('MODEL_INVALID_PRIORS', message);
    this.name = 'PriorsError';
    this.key = key;
  }
}
