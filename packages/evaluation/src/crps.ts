/**
 * The continuous ranked probability score of a forecast given by samples.
 *
 * References: Gneiting & Raftery (2007), Strictly proper scoring rules, prediction, and
 * estimation, JASA 102:359–378 (eq. 21: CRPS(F, y) = E|X − y| − ½ E|X − X'|); Jordan, Krüger &
 * Lerch (2019), Evaluating probabilistic forecasts with scoringRules, J. Stat. Softw. 90(12)
 * (`crps_sample`, the sorted-sample form used here).
 *
 * For the empirical distribution of S samples x₁ … x_S (sorted ascending: x₍₁₎ ≤ … ≤ x₍S₎):
 *
 *   CRPS = (1/S) Σᵢ |xᵢ − y| − (1/S²) Σᵢ (2i − S − 1) x₍ᵢ₎
 *
 * because Σᵢ Σⱼ |xᵢ − xⱼ| = 2 Σᵢ (2i − S − 1) x₍ᵢ₎. This is the exact CRPS of the sample's
 * empirical distribution (scoringRules' `crps_sample` with its default `method = "edf"`), in
 * O(S log S) for the sort instead of O(S²). It is in the units of y (money for a backtest), 0 for
 * a perfect point forecast, and equals the absolute error |x − y| for a single sample. Both sums
 * are taken over xᵢ − y (the weights 2i − S − 1 sum to 0, so this changes nothing in exact
 * arithmetic), which keeps the result translation invariant to rounding and accurate when y
 * and the samples are large and close together.
 */
import { invalidArgument } from './errors.js';

/**
 * CRPS of the forecast distribution represented by `samples` at the observation `y` (exact for
 * the samples' empirical distribution). `samples` is not modified. Throws for no samples or a
 * non-finite sample or observation.
 */
export function crpsFromSamples(samples: ArrayLike<number>, y: number): number {
  const S = samples.length;
  if (S === 0) invalidArgument('crpsFromSamples: no samples; pass at least one draw of the forecast distribution.');
  if (!Number.isFinite(y)) invalidArgument(`crpsFromSamples: the observation must be a finite number, got ${y}.`);
  const d = new Float64Array(S);
  for (let i = 0; i < S; i++) {
    const v = samples[i]!;
    if (!Number.isFinite(v)) invalidArgument(`crpsFromSamples: sample ${i} is ${v}; every sample must be a finite number.`);
    d[i] = v - y;
  }
  d.sort();
  let absError = 0;
  let spread = 0;
  for (let i = 0; i < S; i++) {
    const v = d[i]!;
    absError += Math.abs(v);
    spread += (2 * i + 1 - S) * v; // (2i − S − 1) with 1-based i
  }
  return Math.max(0, absError / S - spread / (S * S));
}
