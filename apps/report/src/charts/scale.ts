// Scales and tick generation: linear (with "nice" 1-2-5 ticks), band (categories) and dates.
import { MONTHS, dayToIso } from './format.js';

export interface LinearScale {
  (x: number): number;
  domain: [number, number];
  range: [number, number];
  ticks(count?: number): number[];
}

/** Maps [d0, d1] linearly onto [r0, r1]; a zero-width domain maps to the middle of the range. */
export function linearScale(domain: [number, number], range: [number, number]): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const f = ((x: number) => (span === 0 ? (r0 + r1) / 2 : r0 + ((x - d0) / span) * (r1 - r0))) as LinearScale;
  f.domain = [d0, d1];
  f.range = [r0, r1];
  f.ticks = (count = 5) => niceTicks(d0, d1, count);
  return f;
}

/** The 1-2-5 step closest to span / count. */
export function tickStep(span: number, count: number): number {
  if (!(span > 0) || !(count > 0)) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const err = raw / power;
  const factor = err >= 7.5 ? 10 : err >= 3.5 ? 5 : err >= 1.5 ? 2 : 1;
  return factor * power;
}

/** Round-numbered ticks inside [lo, hi] (about `count` of them). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) return [lo];
  const step = tickStep(hi - lo, count);
  const start = Math.ceil(lo / step - 1e-9);
  const end = Math.floor(hi / step + 1e-9);
  const out: number[] = [];
  for (let i = start; i <= end; i++) out.push(cleanFloat(i * step));
  return out;
}

function cleanFloat(x: number): number {
  return Number(x.toPrecision(12));
}

/** Extends [lo, hi] outwards to multiples of the tick step (and includes 0 when asked). */
export function niceDomain(lo: number, hi: number, count = 5, options: { includeZero?: boolean } = {}): [number, number] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (options.includeZero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const step = tickStep(hi - lo, count);
  return [cleanFloat(Math.floor(lo / step + 1e-9) * step), cleanFloat(Math.ceil(hi / step - 1e-9) * step)];
}

/** Finite min and max of many arrays ([NaN, NaN] when there is no finite value). */
export function extent(...values: (readonly number[] | ArrayLike<number>)[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const arr of values) {
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i]!;
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  return lo <= hi ? [lo, hi] : [NaN, NaN];
}

export interface BandScale {
  (key: string): number;
  bandwidth: number;
  step: number;
  keys: readonly string[];
}

/** Evenly spaced bands for categories; `padding` is the gap as a share of the step. */
export function bandScale(keys: readonly string[], range: [number, number], padding = 0.2): BandScale {
  const [r0, r1] = range;
  const n = Math.max(keys.length, 1);
  const step = (r1 - r0) / n;
  const bandwidth = step * (1 - padding);
  const index = new Map(keys.map((k, i) => [k, i]));
  const f = ((key: string) => r0 + (index.get(key) ?? 0) * step + (step - bandwidth) / 2) as BandScale;
  f.bandwidth = bandwidth;
  f.step = step;
  f.keys = keys;
  return f;
}

export interface DateTick {
  day: number;
  label: string;
}

/**
 * Ticks on the first day of months for a range of day numbers (days since 1970-01-01): a step of
 * 1, 2, 3, 6 or 12 months so that at most `maxTicks` fit; January ticks carry the year.
 */
export function dateTicks(loDay: number, hiDay: number, maxTicks = 8): DateTick[] {
  if (!(hiDay >= loDay)) return [];
  const lo = new Date(loDay * 86_400_000);
  const months = (hiDay - loDay) / 30.44;
  const step = [1, 2, 3, 6, 12, 24].find((s) => months / s <= maxTicks) ?? 24;
  let y = lo.getUTCFullYear();
  let m = lo.getUTCMonth();
  if (lo.getUTCDate() !== 1) m += 1;
  // align to the step (quarters start in Jan/Apr/Jul/Oct, halves in Jan/Jul)
  while (m % step !== 0 && step <= 12) m += 1;
  const out: DateTick[] = [];
  for (let guard = 0; guard < 400; guard++) {
    y += Math.floor(m / 12);
    m %= 12;
    const day = Math.round(Date.UTC(y, m, 1) / 86_400_000);
    if (day > hiDay) break;
    const label = step >= 12 ? String(y) : m === 0 || out.length === 0 ? `${MONTHS[m]} ${y}` : MONTHS[m]!;
    out.push({ day, label });
    m += step;
  }
  return out;
}

export { dayToIso };
