// Small statistics over pooled draws: estimates with the 94% HDI, quantiles, means.
import { hdi } from '@tributary/sampler';
import type { Estimate } from '../types.js';

export const HDI_PROB = 0.94;

/** Mean and 94% HDI of finite values; null when fewer than 2 are finite. */
export function estimate(values: ArrayLike<number>): Estimate | null {
  const f: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) f.push(values[i]!);
  if (f.length < 2) return null;
  const arr = Float64Array.from(f);
  const h = hdi([arr], HDI_PROB);
  return { mean: mean(arr), lower: h.lower, upper: h.upper };
}

export function mean(x: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (Number.isFinite(v)) {
      s += v;
      n++;
    }
  }
  return n ? s / n : NaN;
}

export function sd(x: ArrayLike<number>): number {
  const m = mean(x);
  let s = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (Number.isFinite(v)) {
      s += (v - m) ** 2;
      n++;
    }
  }
  return n > 1 ? Math.sqrt(s / (n - 1)) : NaN;
}

/** Type-7 quantile of a sorted array. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const i = Math.floor(h);
  const lo = sorted[i]!;
  const hi = sorted[Math.min(i + 1, n - 1)]!;
  return lo + (h - i) * (hi - lo);
}
