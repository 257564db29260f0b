/**
 * Time-varying media effects (`timeVarying`; issue 8, not in model-spec v1): contribution
 * beta[g,c] · m_c(t) · H[n,c] with m_c(t) = exp(w_c(t)) pooled across markets; w_c is a
 * Gaussian random walk on knots every E weeks (J = ceil(T_max / E) + 1 knots; knot 1 is the
 * origin, knot k = knot k−1 + σ_c z_k, z ~ Normal(0, 1), σ_c ~ HalfNormal(tv_sigma),
 * non-centred like Stan's usual GRW), centred to mean 0 over the knots so beta keeps its
 * meaning (the average effect), and interpolated linearly between knots (a low-rank random
 * walk, like PyMC-Marketing's time-varying media HSGP in spirit, but a random walk rather
 * than a GP). The draws report tv_multiplier[c,k] at the knots; forecasts (the optimizer) use
 * the multiplier at the last observed week. Forces the direct path (the multiplier breaks the
 * per-market sufficient statistics).
 *
 * Forward: the priors (tv_sigma on the log scale with its Jacobian, tv_z standard normal), the
 * centred walk W, the multipliers of the observed rows, the likelihood's design (media columns
 * × multiplier) and, with learned transforms, ∂H × multiplier. Backward: ∂lp/∂W from the rows
 * (eRow · beta · design[n, c], split between the row's two knots) plus what the lift tests
 * added to gTvW, then through the walk: ∂W_k/∂z_i = σ([i ≤ k] − (J − i)/J), ∂W/∂log σ = W.
 *
 * `knotMultiplier` is the one place the interpolation exp((1 − f)·W_k + f·W_{k+1}) is written
 * (the term, the lift tests, the draw view and `latestMultipliers` call it).
 */
import type { ModelData } from '../design.js';
import type { Layout } from '../layout.js';
import type { ResolvedOptions } from '../options.js';
import type { Scratch, Term } from './term.js';

/** exp((1 − f)·W[at] + f·W[at + 1]): the multiplier a fraction f between two knots. */
export function knotMultiplier(W: ArrayLike<number>, at: number, f: number): number {
  return Math.exp((1 - f) * W[at]! + f * W[at + 1]!);
}

/**
 * One centred random walk into W[at .. at+J): W_k = σ (Σ_{2≤i≤k} z_i − mean over knots), with
 * z_i = theta[zAt + i − 2]. With `grad`, adds the z priors' gradient and returns their log density.
 */
export function walk(
  theta: ArrayLike<number>,
  zAt: number,
  sg: number,
  W: Float64Array,
  at: number,
  J: number,
  grad: Float64Array | null,
): number {
  let lp = 0;
  let v = 0;
  let sum = 0;
  W[at] = 0;
  for (let k = 1; k < J; k++) {
    const z = theta[zAt + k - 1]!;
    if (grad !== null) {
      lp -= 0.5 * z * z;
      grad[zAt + k - 1]! -= z;
    }
    v += sg * z;
    W[at + k] = v;
    sum += v;
  }
  const mean = sum / J;
  for (let k = 0; k < J; k++) W[at + k]! -= mean;
  return lp;
}

export class TimeVaryingTerm implements Term {
  /** Time-varying channel indices (T); tvOf[c] = position in tvIdx or −1. */
  readonly tvIdx: Int32Array;
  readonly tvOf: Int32Array;
  readonly every: number;
  /** Knots per walk (J). */
  readonly numKnots: number;
  /** Per observed row: knot on its left and the interpolation fraction. */
  readonly rowKnot: Int32Array;
  readonly rowFrac: Float64Array;
  private readonly prSigma: number;

  constructor(
    private readonly data: ModelData,
    opts: ResolvedOptions,
    prSigma: number,
  ) {
    this.tvIdx = Int32Array.from(opts.tvChannels);
    this.tvOf = new Int32Array(data.C).fill(-1);
    opts.tvChannels.forEach((c, i) => (this.tvOf[c] = i));
    this.every = opts.tvEvery;
    this.numKnots = opts.tvKnots;
    this.prSigma = prSigma;
    const T = this.tvIdx.length;
    const N = data.N;
    this.rowKnot = new Int32Array(T > 0 ? N : 0);
    this.rowFrac = new Float64Array(T > 0 ? N : 0);
    for (let n = 0; n < this.rowKnot.length; n++) {
      const t = data.marketStartT[data.obsMarket[n]!]! + data.obsWeek[n]!;
      const k = this.knotIndex(t);
      this.rowKnot[n] = k;
      this.rowFrac[n] = this.knotFraction(t, k);
    }
  }

  get count(): number {
    return this.tvIdx.length;
  }

  /** Knot on the left of global week t (the last segment's for weeks past the last knot). */
  knotIndex(t: number): number {
    return Math.min(Math.floor(t / this.every), this.numKnots - 2);
  }

  /** Interpolation fraction of week t between knot k and k + 1 (1 past the last knot). */
  knotFraction(t: number, k: number): number {
    return Math.min((t - k * this.every) / this.every, 1);
  }

  /** m of time-varying slot i at global week t, from the knot log-values W (T × J). */
  multiplierAt(W: ArrayLike<number>, i: number, t: number): number {
    const k = this.knotIndex(t);
    return knotMultiplier(W, i * this.numKnots + k, this.knotFraction(t, k));
  }

  /** W (T × J) of a constrained draw: the logs of its tv_multiplier values. */
  loadKnots(constrained: ArrayLike<number>, layout: Layout, W: Float64Array): void {
    const TJ = this.tvIdx.length * this.numKnots;
    for (let i = 0; i < TJ; i++) W[i] = Math.log(constrained[layout.tvMultiplierIndex[i]!]!);
  }

  forward(theta: Float64Array, grad: Float64Array, s: Scratch): number {
    const { N, C, P, layout } = this.data;
    const o = layout.offsets;
    const T = this.tvIdx.length;
    const J = this.numKnots;
    const col0 = layout.mediaColumn(0);
    const W = s.tvW;
    let lp = 0;
    for (let i = 0; i < T; i++) {
      const u = theta[o.tvSigma + i]!;
      const sg = Math.exp(u);
      const z = sg / this.prSigma;
      lp += -0.5 * z * z + u;
      grad[o.tvSigma + i]! += 1 - z * z;
      lp += walk(theta, o.tvZ + i * (J - 1), sg, W, i * J, J, grad);
    }
    const X = s.X;
    const Xe = s.design;
    const isLearned = s.dH[0]!.length > 0;
    const dH0 = s.dH[0]!;
    const dH1 = s.dH[1]!;
    const dH2 = s.dH[2]!;
    const dH3 = s.dH[3]!;
    const has1 = dH1.length > 0;
    const has3 = dH3.length > 0;
    for (let n = 0; n < N; n++) {
      const k = this.rowKnot[n]!;
      const f = this.rowFrac[n]!;
      const row = n * P + col0;
      if (isLearned) for (let c = 0; c < C; c++) Xe[row + c] = X[row + c]!;
      for (let i = 0; i < T; i++) {
        const c = this.tvIdx[i]!;
        const m = knotMultiplier(W, i * J + k, f);
        s.tvM[n * T + i] = m;
        Xe[row + c] = X[row + c]! * m;
        if (isLearned) {
          const j = c * N + n;
          dH0[j]! *= m;
          if (has1) dH1[j]! *= m;
          dH2[j]! *= m;
          if (has3) dH3[j]! *= m;
        }
      }
    }
    return lp;
  }

  backward(theta: Float64Array, grad: Float64Array, s: Scratch): void {
    const { N, P, layout } = this.data;
    const o = layout.offsets;
    const T = this.tvIdx.length;
    const J = this.numKnots;
    const col0 = layout.mediaColumn(0);
    const gW = s.gTvW;
    const Xe = s.design;
    for (let n = 0; n < N; n++) {
      const e = s.eRow[n]!;
      const bo = layout.setOf(this.data.obsMarket[n]!) * P + col0;
      const k = this.rowKnot[n]!;
      const f = this.rowFrac[n]!;
      for (let i = 0; i < T; i++) {
        const c = this.tvIdx[i]!;
        const gw = e * s.B[bo + c]! * Xe[n * P + col0 + c]!;
        gW[i * J + k]! += (1 - f) * gw;
        gW[i * J + k + 1]! += f * gw;
      }
    }
    for (let i = 0; i < T; i++) {
      const sg = Math.exp(theta[o.tvSigma + i]!);
      let total = 0;
      let gLogSig = 0;
      for (let k = 0; k < J; k++) {
        total += gW[i * J + k]!;
        gLogSig += gW[i * J + k]! * s.tvW[i * J + k]!;
      }
      grad[o.tvSigma + i]! += gLogSig;
      let suffix = 0;
      for (let k = J - 1; k >= 1; k--) {
        suffix += gW[i * J + k]!;
        grad[o.tvZ + i * (J - 1) + k - 1]! += sg * (suffix - ((J - k) / J) * total);
      }
    }
  }
}
