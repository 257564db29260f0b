// Weekly spend patterns: campaign bursts, quiet weeks, calendar seasonality.
import { standardNormal, type Rng } from './rng.js';

export interface SpendPatternOptions {
  /** Weeks in the market's grid (gap weeks included). */
  readonly numWeeks: number;
  /** Grid weeks with a CSV row (false = gap week: no row, no spend). */
  readonly observed: readonly boolean[];
  /** 0 = always on, 1 = fully flighted (zero spend between campaigns). */
  readonly burstiness: number;
  /** Mean length of a campaign or quiet period in weeks. */
  readonly campaignWeeks: number;
  /** Calendar multiplier per grid week (> 0). */
  readonly seasonal: readonly number[];
}

/**
 * A non-negative spend pattern over the grid with mean 1 over the observed weeks and 0 in gap
 * weeks. Periods (mean length `campaignWeeks`, geometric) follow one another at random: a
 * campaign (probability `duty = 1 − 0.7·burstiness`) with a lognormal size each, or a quiet
 * period, which is dark (zero spend) with probability `burstiness` and otherwise spends
 * `0.3·(1 − burstiness)` of a typical campaign. Every week has lognormal noise on top, and the
 * calendar multiplier. At least one observed week has positive spend.
 */
export function spendPattern(rng: Rng, o: SpendPatternOptions): Float64Array {
  const b = o.burstiness;
  const duty = 1 - 0.7 * b;
  const quietLevel = 0.3 * (1 - b);
  const weeklySd = 0.15 + 0.1 * b;
  const campaignSd = 0.35;
  const pEnd = 1 / o.campaignWeeks;
  const out = new Float64Array(o.numWeeks);

  // A new period: a campaign with probability `duty`, else a quiet period that is dark (no
  // spend at all) with probability `burstiness` and at the reduced baseline otherwise.
  const nextLevel = (): number => {
    if (rng() < duty) return lognormal(rng, campaignSd);
    return rng() < b ? 0 : quietLevel;
  };
  let level = nextLevel();
  for (let w = 0; w < o.numWeeks; w++) {
    if (w > 0 && rng() < pEnd) level = nextLevel();
    const noise = lognormal(rng, weeklySd);
    out[w] = o.observed[w] ? level * noise * (o.seasonal[w] ?? 1) : 0;
  }

  let sum = 0;
  let numObserved = 0;
  for (let w = 0; w < o.numWeeks; w++) {
    if (!o.observed[w]) continue;
    sum += out[w]!;
    numObserved++;
  }
  if (!(sum > 0)) {
    // Nothing was spent (possible for a fully flighted channel in a short market): run one
    // three-week campaign at a random observed position.
    const observedWeeks: number[] = [];
    for (let w = 0; w < o.numWeeks; w++) if (o.observed[w]) observedWeeks.push(w);
    const start = Math.floor(rng() * observedWeeks.length);
    for (let k = 0; k < 3 && start + k < observedWeeks.length; k++) {
      const w = observedWeeks[start + k]!;
      out[w] = lognormal(rng, weeklySd) * (o.seasonal[w] ?? 1);
      sum += out[w]!;
    }
  }
  const scale = numObserved / sum;
  for (let w = 0; w < o.numWeeks; w++) out[w] = out[w]! * scale;
  return out;
}

/** Lognormal with median·exp(sd²/2) = 1, i.e. mean 1. */
export function lognormal(rng: Rng, sd: number): number {
  return Math.exp(sd * standardNormal(rng) - 0.5 * sd * sd);
}
