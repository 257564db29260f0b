// The two hidden drivers of the calibration scenarios: an unobserved demand series that moves one
// channel's spend and the revenue (`biased`), and a smooth multiplier of one channel's effect
// (`drift`).
import type { DriftConfig } from './config.js';
import { standardNormal, type Rng } from './rng.js';

/**
 * A stationary AR(1) series with sd 1: `z[0] = ε[0]`, `z[w] = φ·z[w−1] + sqrt(1 − φ²)·ε[w]`,
 * one standard normal per week.
 */
export function demandDriver(rng: Rng, numWeeks: number, ar: number): Float64Array {
  const z = new Float64Array(numWeeks);
  const innovation = Math.sqrt(1 - ar * ar);
  for (let w = 0; w < numWeeks; w++) {
    const eps = standardNormal(rng);
    z[w] = w === 0 ? eps : ar * z[w - 1]! + innovation * eps;
  }
  return z;
}

/** The raw (unnormalized) drift multiplier at τ = t / t_max. */
function rawDrift(drift: DriftConfig, tau: number): number {
  let m = drift.start + (drift.end - drift.start) * tau;
  for (const b of drift.bumps ?? []) m += b.height * Math.exp(-0.5 * ((tau - b.center) / b.width) ** 2);
  return m;
}

/**
 * The effect multiplier `m(t)` for every global week `t = 0..tMax`, normalized to mean 1 over
 * those weeks. Returns the multiplier and the normalizing constant (the raw mean).
 */
export function driftMultiplier(drift: DriftConfig, tMax: number): { multiplier: Float64Array; rawMean: number } {
  const raw = new Float64Array(tMax + 1);
  let sum = 0;
  for (let t = 0; t <= tMax; t++) {
    raw[t] = rawDrift(drift, tMax > 0 ? t / tMax : 0);
    sum += raw[t]!;
  }
  const rawMean = sum / (tMax + 1);
  return { multiplier: raw.map((v) => v / rawMean), rawMean };
}
