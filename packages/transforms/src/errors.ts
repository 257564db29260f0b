/**
 * Errors thrown by `@tributary/transforms`.
 *
 * The kernels throw only for bad configuration or input (an invalid parameter, a buffer that
 * is too short, a negative input to a saturation curve). Every message names the function,
 * the parameter, the offending value and the valid range, so that it can be fixed without
 * reading the source.
 *
 * `TransformParameterError` extends the built-in `RangeError` (so `instanceof RangeError`
 * holds) and carries a stable `code` plus the parameter name and value as data. This package
 * deliberately depends on no other Tributary package, so it does not extend a shared base
 * error class; the `code` field follows the workspace convention instead.
 */

/** Error code carried by every {@link TransformParameterError}. */
export const TRANSFORM_PARAMETER_ERROR_CODE = 'TRANSFORM_INVALID_PARAMETER' as const;

export class TransformParameterError extends RangeError {
  readonly code = TRANSFORM_PARAMETER_ERROR_CODE;
  /** Name of the offending argument, e.g. `alpha`, `lMax`, `out`, `a[3]`. */
  readonly parameter: string;
  /** The offending value (for buffers: their length). */
  readonly value: unknown;

  constructor(fn: string, parameter: string, value: unknown, expected: string, hint?: string) {
    super(
      `${fn}: ${parameter} = ${formatValue(value)} is invalid; expected ${expected}.` +
        (hint === undefined ? '' : ` ${hint}`),
    );
    this.name = 'TransformParameterError';
    this.parameter = parameter;
    this.value = value;
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (typeof value === 'object' && value !== null) return value.constructor?.name ?? 'Object';
  return String(value);
}

// ---- internal checks (not exported from the package) -------------------------------------

/** `lMax` must be an integer ≥ 1. */
export function checkLMax(fn: string, lMax: number): void {
  if (!Number.isInteger(lMax) || lMax < 1) {
    throw new TransformParameterError(
      fn,
      'lMax',
      lMax,
      'an integer >= 1 (the number of lags, l = 0..lMax-1)',
      'The model default is 8.',
    );
  }
}

/** Retention rate α ∈ [0, 1). */
export function checkAlpha(fn: string, alpha: number): void {
  if (!(alpha >= 0 && alpha < 1)) {
    throw new TransformParameterError(
      fn,
      'alpha',
      alpha,
      'a number in [0, 1) (the carryover retention rate)',
    );
  }
}

/** A finite, strictly positive number. */
export function checkPositive(fn: string, name: string, value: number, meaning: string): void {
  if (!(value > 0 && value < Infinity)) {
    throw new TransformParameterError(fn, name, value, `a finite number > 0 (${meaning})`);
  }
}

/** An output buffer at least as long as the input. */
export function checkBuffer(fn: string, name: string, buffer: Float64Array, length: number): void {
  if (!(buffer instanceof Float64Array)) {
    throw new TransformParameterError(fn, name, buffer, 'a Float64Array');
  }
  if (buffer.length < length) {
    throw new TransformParameterError(
      fn,
      `${name}.length`,
      buffer.length,
      `at least ${length} (the length of the input)`,
      `Allocate it with new Float64Array(${length}).`,
    );
  }
}

/** The input series itself must be a Float64Array. */
export function checkInput(fn: string, name: string, x: Float64Array): void {
  if (!(x instanceof Float64Array)) {
    throw new TransformParameterError(fn, name, x, 'a Float64Array');
  }
}

/** Throws for an input value of a saturation curve that is negative, NaN or infinite. */
export function badSaturationInput(fn: string, index: number, value: number): TransformParameterError {
  return new TransformParameterError(
    fn,
    `a[${index}]`,
    value,
    'a finite number >= 0 (saturation curves are defined for non-negative adstocked spend)',
    'Check the spend column for negative values, NaN or Infinity.',
  );
}
