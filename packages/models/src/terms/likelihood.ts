/**
 * The likelihood of the scaled target y_s[n] ~ Normal(μ[n], σ[set]) (or StudentT(ν, μ, σ)),
 * μ = design row · b, in three evaluation paths with the same log density and gradient
 * (tested to ~1e-9 relative):
 *
 * - `SufficientLikelihood` (Normal, fixed transforms, constant effects): Σ(y − μ)² =
 *   y'y − 2b'X'y + b'X'Xb with X'X, X'y, y'y precomputed per coefficient set
 *   (design.ts `sufficientStatistics`): O(sets·P²) per evaluation, P = 6 + K + C.
 * - `DirectNormalLikelihood`: O(N·P) over the observed rows; the Normal case without branches.
 * - `DirectLikelihood`: the same loop for the Student-t likelihood.
 *
 * The forward returns the log density (Stan's dropped constants: −½log 2π, and for Student-t
 * the Γ terms, are not included) and, in the same pass, adds ∂lp/∂b to gB, ∂lp/∂log σ to
 * gLogSig and writes ∂lp/∂μ per row to eRow (the direct paths), which the learned-transforms
 * and time-varying backwards chain through the design's media columns. Its backward has
 * nothing left to do: the hierarchy's backward maps gB and gLogSig onto θ.
 */
import { sufficientStatistics, type ModelData, type SufficientStatistics } from '../design.js';
import type { Scratch, Term } from './term.js';

/** Normal likelihood from sufficient statistics: per set, v = X'X b, SSR = y'y − 2 b'X'y + b'v. */
export class SufficientLikelihood implements Term {
  private readonly stats: SufficientStatistics;

  constructor(private readonly data: ModelData) {
    this.stats = sufficientStatistics(data);
  }

  forward(_theta: Float64Array, _grad: Float64Array, s: Scratch): number {
    const { P, numSets: S, setCount } = this.data;
    const { xtx, xty, yty } = this.stats;
    const B = s.B;
    const gB = s.gB;
    const sig = s.sig;
    const gLogSig = s.gLogSig;
    let lp = 0;
    for (let k = 0; k < S; k++) {
      const bo = k * P;
      const mo = k * P * P;
      const sg = sig[k]!;
      const inv = 1 / (sg * sg);
      let quad = 0;
      let lin = 0;
      for (let p = 0; p < P; p++) {
        let acc = 0;
        const row = mo + p * P;
        for (let q = 0; q < P; q++) acc += xtx[row + q]! * B[bo + q]!;
        const bp = B[bo + p]!;
        const xp = xty[bo + p]!;
        quad += acc * bp;
        lin += xp * bp;
        gB[bo + p]! += (xp - acc) * inv;
      }
      const ssr = yty[k]! - 2 * lin + quad;
      const n = setCount[k]!;
      lp += -n * Math.log(sg) - 0.5 * ssr * inv;
      gLogSig[k]! += -n + ssr * inv;
    }
    return lp;
  }

  backward(): void {}
}

/** The direct path specialised to a Normal likelihood (no branches in the row loop). */
export class DirectNormalLikelihood implements Term {
  constructor(private readonly data: ModelData) {}

  forward(_theta: Float64Array, _grad: Float64Array, s: Scratch): number {
    const { G, P, y, obsStart, layout } = this.data;
    const B = s.B;
    const gB = s.gB;
    const X = s.design;
    const eRow = s.eRow;
    const sig = s.sig;
    const gLogSig = s.gLogSig;
    let lp = 0;
    for (let g = 0; g < G; g++) {
      const set = layout.setOf(g);
      const bo = set * P;
      const sg = sig[set]!;
      const inv = 1 / (sg * sg);
      const start = obsStart[g]!;
      const end = obsStart[g + 1]!;
      let acc = 0;
      for (let n = start; n < end; n++) {
        const row = n * P;
        let mu = 0;
        for (let p = 0; p < P; p++) mu += X[row + p]! * B[bo + p]!;
        const r = y[n]! - mu;
        acc += r * r;
        const e = r * inv;
        eRow[n] = e;
        for (let p = 0; p < P; p++) gB[bo + p]! += e * X[row + p]!;
      }
      const count = end - start;
      lp += -count * Math.log(sg) - 0.5 * acc * inv;
      gLogSig[set]! += -count + acc * inv;
    }
    return lp;
  }

  backward(): void {}
}

/** Student-t likelihood over the observed rows: −log σ − ½(ν + 1)·log(1 + r²/(νσ²)) per row. */
export class DirectLikelihood implements Term {
  constructor(
    private readonly data: ModelData,
    private readonly nu: number,
  ) {}

  forward(_theta: Float64Array, _grad: Float64Array, s: Scratch): number {
    const { G, P, y, obsStart, layout } = this.data;
    const nu = this.nu;
    const B = s.B;
    const gB = s.gB;
    const X = s.design;
    const eRow = s.eRow;
    let lp = 0;
    for (let g = 0; g < G; g++) {
      const set = layout.setOf(g);
      const bo = set * P;
      const sg = s.sig[set]!;
      const inv = 1 / (sg * sg);
      const start = obsStart[g]!;
      const end = obsStart[g + 1]!;
      let acc = 0;
      let accSig = 0;
      for (let n = start; n < end; n++) {
        const row = n * P;
        let mu = 0;
        for (let p = 0; p < P; p++) mu += X[row + p]! * B[bo + p]!;
        const r = y[n]! - mu;
        const q = (r * r * inv) / nu;
        acc += Math.log1p(q);
        accSig += q / (1 + q);
        const e = ((nu + 1) * r) / (nu * sg * sg + r * r);
        eRow[n] = e;
        for (let p = 0; p < P; p++) gB[bo + p]! += e * X[row + p]!;
      }
      const count = end - start;
      lp += -count * Math.log(sg) - 0.5 * (nu + 1) * acc;
      s.gLogSig[set]! += -count + (nu + 1) * accSig;
    }
    return lp;
  }

  backward(): void {}
}
