// Typed errors of @tributary/sampler. Numerical trouble during sampling (divergences, rejected
// proposals) is data, not an error; these are thrown only for bad configuration, a target that
// cannot be initialised, a failed worker, or an abort.

export type SamplerErrorCode =
  | 'INVALID_OPTION'
  | 'INVALID_TARGET'
  | 'INIT_FAILED'
  | 'STEPSIZE_SEARCH_FAILED'
  | 'WORKER_FAILED'
  | 'ABORTED';

export class SamplerError extends Error {
  readonly code: SamplerErrorCode;

  constructor(code: SamplerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SamplerError';
    this.code = code;
  }
}

export class SamplingAbortedError extends SamplerError {
  constructor(message = 'Sampling was aborted (the AbortSignal fired); no draws are returned.') {
    super('ABORTED', message);
    this.name = 'SamplingAbortedError';
  }
}
