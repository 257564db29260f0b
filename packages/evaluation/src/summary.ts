/**
 * The per-parameter summary of a fit — `@tributary/sampler`'s `summarize` (ArviZ's columns, R's
 * posterior 1.4.0 numbers: `rhat`, `ess_bulk`, `ess_tail`, `mcse_mean`, `mcse_sd`, ArviZ's HDI)
 * — computed with one sort of each parameter's pooled draws shared by everything that needs an
 * order, instead of one sort per statistic.
 *
 * What is shared per parameter (S pooled draws of C chains of n, chains split in halves as
 * posterior's `.split_chains`):
 * - one argsort of the draws (`Argsort`: a stable LSD radix sort of the IEEE bit patterns, no
 *   comparator calls) gives the sorted draws — hence the HDI, the 5 % / 95 % quantiles of
 *   `ess_tail` (type 7) and the median of `fold_draws` — and every draw's average rank (R's
 *   `rank(ties.method = "average")`) for `z_scale`, by walking the tie groups in order;
 * - the folded draws |x − median| come out in order by merging the two halves of that order
 *   around the median (no second sort), with their ranks the same way;
 * - z_scale's qnorm((r − 3/8) / (S + 1/4)) is tabulated once per S for the 2S possible average
 *   ranks (the same expression, the same numbers);
 * - the ESS (`ess_bulk` of the rank-normalized split chains, `ess_tail` of the quantile
 *   indicators, `ess_mean` for mcse_mean and of the squared deviations for mcse_sd) share one
 *   `EssScratch` (ess.ts: the autocovariance lags Geyer's truncation reads, summed directly).
 *
 * Every statistic is posterior's expression, evaluated in posterior's order (the sampler's
 * `convergence.ts`), so everything but the ESS-based columns is bit for bit the sampler's; the
 * ESS columns (and mcse_mean, mcse_sd through them) differ by the rounding of a direct sum vs an
 * FFT (ess.ts; ≤ 1e-13 relative on the benchmark's 581 parameters, see test/summary.test.ts).
 *
 * Deviation: parameters the fast path does not cover — an odd number of draws per chain (split
 * chains drop the middle draw, so the ranks are of a subset), fewer than 8 draws per chain, a
 * constant or non-finite draw (posterior's NA rules) — are handed to the sampler's `summarize`
 * itself, which is exact for them.
 */
import { DEFAULT_HDI_PROB, hdi, qnorm, summarize, type Interval, type SummaryRow } from '@tributary/sampler';
import { invalidArgument } from './errors.js';
import { EssScratch } from './ess.js';
import { lowerBound, mean, quantileSorted } from './numerics.js';

const BLOM = 3 / 8;

/**
 * One summary row per parameter of row-major chain draws (`draws[c]`: numDraws × dim), the
 * sampler's `summarize(draws, dim, names, { hdiProb })`; only parameters `from` … `to` − 1 when
 * given (rows are independent, so ranges can be summarized on different threads).
 */
export function summarizeParameters(
  draws: readonly Float64Array[],
  dim: number,
  names: readonly string[],
  options: { hdiProb?: number; from?: number; to?: number } = {},
): SummaryRow[] {
  const hdiProb = options.hdiProb ?? DEFAULT_HDI_PROB;
  const from = options.from ?? 0;
  const to = options.to ?? dim;
  if (names.length !== dim) invalidArgument(`summarizeParameters: ${names.length} names for ${dim} parameters.`);
  if (!(from >= 0 && from <= to && to <= dim)) invalidArgument(`summarizeParameters: range ${from} … ${to} outside 0 … ${dim}.`);
  const numChains = draws.length;
  const n = numChains > 0 ? draws[0]!.length / dim : 0;
  const fast = numChains > 0 && n >= 8 && n % 2 === 0 && draws.every((d) => d.length === n * dim) && hdiProb > 0 && hdiProb < 1;
  const ws = fast ? new SummaryScratch(numChains, n) : null;
  const rows: SummaryRow[] = [];
  for (let j = from; j < to; j++) {
    const row = ws?.summarize(draws, dim, j, names[j]!, hdiProb);
    rows.push(row ?? sampleColumn(draws, dim, j, names[j]!, hdiProb));
  }
  return rows;
}

/** The sampler's own summary of parameter j (the exact path for what the fast path skips). */
function sampleColumn(draws: readonly Float64Array[], dim: number, j: number, name: string, hdiProb: number): SummaryRow {
  const n = draws[0]!.length / dim;
  const column = draws.map((d) => Float64Array.from({ length: n }, (_, i) => d[i * dim + j]!));
  return summarize(column, 1, [name], { hdiProb })[0]!;
}

const zTables = new Map<number, Float64Array>();
/** qnorm((r − 3/8) / (S − 2·3/8 + 1)) at index 2r for the average ranks r = 1, 1.5, …, S. */
function zTable(s: number): Float64Array {
  let t = zTables.get(s);
  if (!t) {
    t = new Float64Array(2 * s + 1);
    const denominator = s - 2 * BLOM + 1;
    for (let k = 2; k <= 2 * s; k++) t[k] = qnorm((k / 2 - BLOM) / denominator);
    zTables.set(s, t);
  }
  return t;
}

/** Buffers for one parameter at a time (C chains × n draws), reused across parameters. */
class SummaryScratch {
  private readonly c: number;
  private readonly n: number;
  private readonly s: number;
  private readonly x: Float64Array; // the draws, chain after chain
  private readonly sorted: Float64Array;
  private readonly foldedSorted: Float64Array;
  private readonly foldedOrder: Int32Array;
  private readonly argsort: Argsort;
  private readonly work: Float64Array; // z values, indicators, squared deviations
  private readonly splitStarts: Int32Array;
  private readonly ess: EssScratch;
  private readonly z: Float64Array;

  constructor(numChains: number, n: number) {
    this.c = numChains;
    this.n = n;
    this.s = numChains * n;
    this.x = new Float64Array(this.s);
    this.sorted = new Float64Array(this.s);
    this.foldedSorted = new Float64Array(this.s);
    this.foldedOrder = new Int32Array(this.s);
    this.argsort = new Argsort(this.s);
    this.work = new Float64Array(this.s);
    // posterior's .split_chains: the first halves of all chains, then the second halves
    const h = n / 2;
    this.splitStarts = new Int32Array(2 * numChains);
    for (let k = 0; k < numChains; k++) {
      this.splitStarts[k] = k * n;
      this.splitStarts[numChains + k] = k * n + h;
    }
    this.ess = new EssScratch(2 * numChains, h);
    this.z = zTable(this.s);
  }

  /** The row of parameter j, or undefined when it needs the exact path (constant, non-finite). */
  summarize(draws: readonly Float64Array[], dim: number, j: number, name: string, hdiProb: number): SummaryRow | undefined {
    const { c: numChains, n, s, x, sorted } = this;
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < numChains; k++) {
      const d = draws[k]!;
      for (let i = 0, at = j; i < n; i++, at += dim) {
        const v = d[at]!;
        x[k * n + i] = v;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    // posterior's should_return_NA (non-finite, or max − min below machine epsilon)
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || Math.abs(hi - lo) < Number.EPSILON) return undefined;
    const order = this.argsort.sort(x);
    for (let k = 0; k < s; k++) sorted[k] = x[order[k]!]!;

    const m = mean(x);
    let ss = 0;
    for (let i = 0; i < s; i++) {
      const d = x[i]! - m;
      ss += d * d;
    }
    const sd = Math.sqrt(ss / (s - 1));
    const interval = hdiOfSorted(sorted, hdiProb);

    const essMean = this.essOf(x);
    // mcse_sd (posterior 1.4.0): squared deviations and their squares around the pooled mean
    const sq = this.work;
    for (let i = 0; i < s; i++) sq[i] = (x[i]! - m) * (x[i]! - m);
    const essSq = this.essOf(sq);
    const eVar = mean(sq);
    for (let i = 0; i < s; i++) sq[i] = sq[i]! * sq[i]!;
    const varVar = (mean(sq) - eVar * eVar) / essSq;
    const mcseSd = Math.sqrt(varVar / eVar / 4);

    // tail ESS: indicators of the 5 % and 95 % quantiles
    const essTail = Math.min(this.essQuantile(quantileSorted(sorted, 0.05)), this.essQuantile(quantileSorted(sorted, 0.95)));

    // rank-normalized split chains: bulk, then folded around the median
    const z = this.work;
    this.zScale(sorted, order, z);
    const essBulk = this.essOf(z);
    const rhatBulk = this.rhatOf(z);
    this.foldOrder(order, medianOfSorted(sorted));
    this.zScale(this.foldedSorted, this.foldedOrder, z);
    const rhatFolded = this.rhatOf(z);

    return {
      name,
      mean: m,
      sd,
      hdiLower: interval.lower,
      hdiUpper: interval.upper,
      hdiProb,
      mcseMean: sd / Math.sqrt(essMean),
      mcseSd,
      essBulk,
      essTail,
      rHat: Math.max(rhatBulk, rhatFolded),
    };
  }

  /**
   * posterior's z_scale: z[order[k]] = qnorm((r − 3/8) / (S + 1/4)) with r the average rank of the
   * tie group of sorted position k (ties: equal values, −0 = 0).
   */
  private zScale(sortedValues: Float64Array, order: Int32Array, z: Float64Array): void {
    const s = this.s;
    let a = 0;
    while (a < s) {
      let b = a + 1;
      while (b < s && sortedValues[b] === sortedValues[a]) b++;
      const value = this.z[a + b + 1]!; // 2 × average rank of positions a … b − 1 (1-based)
      for (let k = a; k < b; k++) z[order[k]!] = value;
      a = b;
    }
  }

  /**
   * The order of the folded draws |x − median| (posterior's fold_draws) and their sorted values:
   * the draws below the median walked down from it, merged with those at or above it walked up.
   */
  private foldOrder(order: Int32Array, median: number): void {
    const { s, sorted, foldedSorted: out, foldedOrder: outOrder } = this;
    const lo = lowerBound(sorted, median, s);
    let l = lo - 1; // sorted[l] < median ≤ sorted[r]
    let r = lo;
    let k = 0;
    while (l >= 0 || r < s) {
      const a = l >= 0 ? Math.abs(sorted[l]! - median) : Infinity;
      const b = r < s ? Math.abs(sorted[r]! - median) : Infinity;
      if (r >= s || (l >= 0 && a <= b)) {
        out[k] = a;
        outOrder[k++] = order[l--]!;
      } else {
        out[k] = b;
        outOrder[k++] = order[r++]!;
      }
    }
  }

  /** posterior's `.ess` of the split chains of y (NaN for constant or non-finite y). */
  private essOf(y: Float64Array): number {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < this.s; i++) {
      const v = y[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || Math.abs(hi - lo) < Number.EPSILON) return NaN;
    return this.ess.ess(y, this.splitStarts, 2 * this.c, this.n / 2, { kind: 'posterior' });
  }

  /** ESS of the indicator x ≤ q (posterior's ess_quantile). */
  private essQuantile(q: number): number {
    const ind = this.work;
    for (let i = 0; i < this.s; i++) ind[i] = this.x[i]! <= q ? 1 : 0;
    return this.essOf(ind);
  }

  /** posterior's `.rhat` of the split chains of y. */
  private rhatOf(y: Float64Array): number {
    const h = this.n / 2;
    const k = 2 * this.c;
    const means = new Float64Array(k);
    let sumVar = 0;
    for (let c = 0; c < k; c++) {
      const a = this.splitStarts[c]!;
      const m = mean(y, a, a + h);
      means[c] = m;
      let ss = 0;
      for (let i = a; i < a + h; i++) {
        const d = y[i]! - m;
        ss += d * d;
      }
      sumVar += ss / (h - 1);
    }
    const mm = mean(means);
    let sb = 0;
    for (let c = 0; c < k; c++) sb += (means[c]! - mm) * (means[c]! - mm);
    const varBetween = h * (sb / (k - 1));
    const varWithin = sumVar / k;
    return Math.sqrt((varBetween / varWithin + h - 1) / h);
  }

}

/** The sampler's `medianSorted` (R's median). */
function medianOfSorted(sorted: Float64Array): number {
  const n = sorted.length;
  const half = (n + 1) >> 1;
  if (n % 2 === 1) return sorted[half - 1]!;
  return (sorted[half - 1]! + sorted[half]!) / 2;
}

/**
 * ArviZ's highest density interval of ascending draws (what `@tributary/sampler`'s `hdi` computes
 * after sorting a copy — its `hdiSorted` is not exported): the narrowest [x(i), x(i + ⌊p·n⌋)],
 * the first on ties. Finite draws; an invalid `prob` gets the sampler's error.
 */
export function hdiOfSorted(sorted: Float64Array, prob: number): Interval {
  if (!(prob > 0 && prob < 1)) return hdi([sorted], prob);
  const n = sorted.length;
  const inc = Math.floor(prob * n);
  let best = 0;
  let bestWidth = Infinity;
  for (let i = 0; i + inc < n; i++) {
    const width = sorted[i + inc]! - sorted[i]!;
    if (width < bestWidth) {
      bestWidth = width;
      best = i;
    }
  }
  return n - inc > 0 ? { lower: sorted[best]!, upper: sorted[best + inc]! } : { lower: NaN, upper: NaN };
}

/** x ascending (−0 before 0, as a typed-array sort), by the radix argsort, into `out`. */
export function sortAscending(x: Float64Array, out: Float64Array = new Float64Array(x.length)): Float64Array {
  let sorter = sorters.get(x.length);
  if (!sorter) {
    sorter = new Argsort(x.length);
    sorters.set(x.length, sorter);
  }
  const order = sorter.sort(x);
  for (let k = 0; k < x.length; k++) out[k] = x[order[k]!]!;
  return out;
}
const sorters = new Map<number, Argsort>();

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Stable ascending argsort of n doubles (no NaN) by an LSD radix sort of their IEEE 754 bit
 * patterns made order-preserving (negative: all bits flipped; positive: the sign bit flipped),
 * six passes of 11, 11, 10 (low word) and 11, 11, 10 (high word) bits, a pass skipped when every
 * key has the same digit. −0 sorts just before 0 (callers treat them as one tie group).
 */
export class Argsort {
  private readonly hi: Uint32Array;
  private readonly lo: Uint32Array;
  private readonly order: Int32Array;
  private readonly spare: Int32Array;
  private readonly counts = new Int32Array(6 * 2048);

  constructor(n: number) {
    this.hi = new Uint32Array(n);
    this.lo = new Uint32Array(n);
    this.order = new Int32Array(n);
    this.spare = new Int32Array(n);
  }

  /** The indices of x in ascending order, ties by index (a view of this object's buffer). */
  sort(x: Float64Array): Int32Array {
    const n = x.length;
    if (n > this.order.length) throw new RangeError(`Argsort: ${n} values, room for ${this.order.length}`);
    const words = new Uint32Array(x.buffer, x.byteOffset, 2 * n);
    const h = LITTLE_ENDIAN ? 1 : 0;
    const { hi, lo, counts } = this;
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      let a = words[2 * i + h]!;
      let b = words[2 * i + 1 - h]!;
      if (a & 0x80000000) {
        a = ~a >>> 0;
        b = ~b >>> 0;
      } else {
        a = (a | 0x80000000) >>> 0;
      }
      hi[i] = a;
      lo[i] = b;
      counts[b & 0x7ff]!++;
      counts[2048 + ((b >>> 11) & 0x7ff)]!++;
      counts[4096 + (b >>> 22)]!++;
      counts[6144 + (a & 0x7ff)]!++;
      counts[8192 + ((a >>> 11) & 0x7ff)]!++;
      counts[10240 + (a >>> 22)]!++;
    }
    let src = this.order;
    let dst = this.spare;
    for (let i = 0; i < n; i++) src[i] = i;
    for (let pass = 0; pass < 6; pass++) {
      const base = pass * 2048;
      const word = pass < 3 ? lo : hi;
      const shift = (pass % 3) * 11;
      // skip a digit every key shares
      if (counts[base + ((word[0]! >>> shift) & 0x7ff)] === n) continue;
      let sum = 0;
      for (let d = 0; d < 2048; d++) {
        const c = counts[base + d]!;
        counts[base + d] = sum;
        sum += c;
      }
      for (let i = 0; i < n; i++) {
        const k = src[i]!;
        dst[counts[base + ((word[k]! >>> shift) & 0x7ff)]!++] = k;
      }
      const t = src;
      src = dst;
      dst = t;
    }
    return src.subarray(0, n);
  }
}
