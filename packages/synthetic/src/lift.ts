// Lift tests (geo experiments) with a known answer. The true lift of extra spend `d` per week in
// weeks s..e of market g, channel c is the revenue difference of two noiseless simulations, with
// and without the extra spend, summed over the test window and the carryover tail:
//
//   x'[t] = x[t] + d / spendScale[g,c]  for t in s..e   (x: the market's scaled spend, 0 in gaps
//                                                         and after its last week)
//   lift  = size[g] · beta[g,c] · Σ_{t=s}^{e+L−1} (h(adstock(x')[t]) − h(adstock(x)[t]))
//
// with the channel's true (normalized) adstock of L = lMax lags and Hill K, S. Only the media term
// of that channel changes, so everything else in the two simulations cancels exactly.
import { applyAdstock, buildAdstockSpec, hill } from '@tributary/transforms';
import type { TransformSettings } from './config.js';

/** One row of `lift_tests.csv`. */
export interface LiftTestRow {
  readonly market: string;
  /** Spend column, e.g. `tiktok_spend`. */
  readonly channel: string;
  /** First and last test week (inclusive), on the market's weekly grid. */
  readonly start: string;
  readonly end: string;
  /** Extra spend per week during the test (money). */
  readonly delta_spend: number;
  /** Measured incremental revenue over the window and its carryover tail (money). */
  readonly lift: number;
  /** Standard error of `lift`. */
  readonly lift_se: number;
}

/** A lift test in the ground truth: the row as written, and the true lift behind it. */
export interface LiftTestTruth extends LiftTestRow {
  /** Global week index t of `start` and `end` (t = (date − first_date) / 7). */
  readonly start_t: number;
  readonly end_t: number;
  /** Weeks summed after the window: the tail is `end .. end + tail_weeks`, `tail_weeks = L − 1`. */
  readonly tail_weeks: number;
  /** The spend scale of the market-channel: max observed spend in the CSV. */
  readonly spend_scale: number;
  /** True `beta[g,c]` on the generating scale `u`. */
  readonly beta: number;
  /** True incremental revenue (money): size · beta · Σ Δh. */
  readonly true_lift: number;
  /** The noise added to the true lift: `lift − true_lift` before rounding to cents. */
  readonly noise: number;
}

/** File name of the lift tests next to the CSV. */
export const LIFT_TESTS_FILE = 'lift_tests.csv';

/** Column order of `lift_tests.csv`. */
export const LIFT_TEST_COLUMNS = ['market', 'channel', 'start', 'end', 'delta_spend', 'lift', 'lift_se'] as const;

/**
 * Σ_{t=s}^{e+L−1} (h(a'[t]) − h(a[t])) for the market-grid scaled spend `x` (0 in gap weeks),
 * with `dScaled` added to weeks s..e (0-based grid weeks). The grid is extended with zero spend
 * when the tail runs past its end.
 */
export function liftResponseSum(
  x: Float64Array,
  start: number,
  end: number,
  dScaled: number,
  transform: TransformSettings,
): number {
  const L = transform.lMax;
  const n = Math.max(x.length, end + L);
  const base = new Float64Array(n);
  base.set(x);
  const test = Float64Array.from(base);
  for (let t = start; t <= end; t++) test[t] = test[t]! + dScaled;
  const spec = buildAdstockSpec(transform);
  const a0 = applyAdstock(base, spec, new Float64Array(n));
  const a1 = applyAdstock(test, spec, new Float64Array(n));
  const h0 = hill(a0, transform.K, transform.S, new Float64Array(n));
  const h1 = hill(a1, transform.K, transform.S, new Float64Array(n));
  let sum = 0;
  for (let t = start; t <= end + L - 1; t++) sum += h1[t]! - h0[t]!;
  return sum;
}

/** CSV text of lift tests: `market,channel,start,end,delta_spend,lift,lift_se`, money with two decimals. */
export function formatLiftTests(rows: readonly LiftTestRow[]): string {
  const lines: string[] = [LIFT_TEST_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push([r.market, r.channel, r.start, r.end, r.delta_spend.toFixed(2), r.lift.toFixed(2), r.lift_se.toFixed(2)].join(','));
  }
  return lines.join('\n') + '\n';
}
