/**
 * Time features of model-spec.md §4: yearly Fourier seasonality and a linear trend, both
 * functions of the global integer week index `t = (date − global first date) / 7`.
 */
import { TributaryError } from './errors.js';

/** Length of a year in weeks: `365.25 / 7`. */
export const SEASONALITY_PERIOD_WEEKS = 365.25 / 7;

/** Default Fourier order (model-spec.md §4): 2, i.e. 4 features. */
export const FOURIER_ORDER = 2;

/**
 * Yearly Fourier features at week index `t`, period `P = 365.25 / 7` weeks:
 * `[sin(2πt/P), cos(2πt/P), sin(4πt/P), cos(4πt/P), …]` (sin/cos pairs for k = 1..order).
 * Written into `out` (length ≥ 2·order) when given, else into a new array; returns it.
 */
export function fourierFeatures(t: number, out?: Float64Array, order: number = FOURIER_ORDER): Float64Array {
  if (!Number.isInteger(order) || order < 1) {
    throw new TributaryError('INVALID_ARGUMENT', `fourierFeatures: order must be a positive integer, got ${order}.`);
  }
  const res = out ?? new Float64Array(2 * order);
  if (res.length < 2 * order) {
    throw new TributaryError(
      'INVALID_ARGUMENT',
      `fourierFeatures: out has length ${res.length} but order ${order} needs ${2 * order}.`,
    );
  }
  const w = (2 * Math.PI * t) / SEASONALITY_PERIOD_WEEKS;
  for (let k = 1; k <= order; k++) {
    res[2 * k - 2] = Math.sin(k * w);
    res[2 * k - 1] = Math.cos(k * w);
  }
  return res;
}

/** Linear trend `τ = t / T_max`, 0 when `T_max = 0`. */
export function trendFeature(t: number, tMax: number): number {
  return tMax > 0 ? t / tMax : 0;
}
