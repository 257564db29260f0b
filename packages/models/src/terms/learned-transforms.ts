/**
 * Learned media transforms (model-spec §5 "Learned transforms"): per channel, shared by all
 * markets, adstock_alpha[c] ~ Beta(κ·α0, κ·(1 − α0)), sat_K[c] ~ LogNormal(log K0, sd_K),
 * sat_S[c] ~ LogNormal(log S0, sd_S) around the channel's transform (κ =
 * adstock_alpha_concentration); θ of delayed adstock stays fixed.
 *
 * Stan's conventions: α is sampled as u = logit α with the Jacobian log α + log(1 − α)
 * (so the Beta kernel + Jacobian is a·log α + b·log(1 − α)); K and S as u = log x with the
 * Jacobian u (so the LogNormal kernel −log x − ½z² + Jacobian is −½z²).
 *
 * Forward: the priors, then per channel the lag weights w and ∂w/∂α from @tributary/transforms
 * (`adstockWeightsWithGradient`, normalized: the adstock definition is the package's), the
 * convolution a = Σ_l w_l x[t−l] and ∂a/∂α at the observed weeks only (truncated at the
 * market's first grid week), and Hill with ∂h/∂(a, K, S) (`hillPoint`, math.ts), writing H into
 * the evaluation design's media columns and ∂H/∂α, ∂H/∂K, ∂H/∂S per row. Returns −Infinity
 * outside the kernels' domain. Backward: the adjoint of H[n,c] is eRow[n]·beta[set(n),c]
 * (the likelihood's ∂lp/∂μ; the time-varying forward has already scaled ∂H by the multiplier),
 * summed with what the lift tests added into gTAlpha/gTK/gTS, then chained through u.
 *
 * Why not the kernels for the row loop: @tributary/transforms' `hillWithGradient` works on a
 * whole series with argument checks, and per value uses pow + log (plus a division) where
 * `hillPoint` uses log + exp; `convolveAdstock` convolves the whole grid, where this loop
 * evaluates only the observed weeks and writes straight into the strided design. The argument
 * checks are O(1) per call and not what matters; the per-value work is: on VOLTA's 3,102
 * (row, channel) values per evaluation, `hillWithGradient` takes 1.8× the time of `hillPoint`
 * (208 µs vs 114 µs per pass, bench/hill-kernel.bench.ts), which on a ~280 µs learned-transform
 * evaluation would be a ~30% slowdown. `hillPoint` returns h and writes its derivatives straight
 * into the ∂H buffers: an earlier version that returned all four through a small array cost
 * ~10% of the whole evaluation. So this file and lift-tests.ts share the one reviewed
 * helper `hillPoint` (math.ts) instead of the two inlined copies there were; the derived
 * quantities (derived.ts, design.ts `mediaColumns`) do use `applyAdstock` and `hill`.
 */
import { adstockWeightsWithGradient, buildAdstockSpec, type AdstockSpec } from '@tributary/transforms';
import type { ModelData } from '../design.js';
import { hillPoint, invLogit, softplus } from '../math.js';
import type { Priors } from '../priors.js';
import type { Scratch, Term } from './term.js';

export class LearnedTransformsTerm implements Term {
  /** Per channel: Beta(a, b) of α, and the log-centres of K and S. */
  private readonly prA: Float64Array;
  private readonly prB: Float64Array;
  private readonly prLogK: Float64Array;
  private readonly prLogS: Float64Array;
  private readonly sdK: number;
  private readonly sdS: number;
  /** Per channel: adstock spec whose alpha is overwritten per evaluation. */
  private readonly specs: AdstockSpec[];

  constructor(
    private readonly data: ModelData,
    priors: Priors,
  ) {
    const C = data.C;
    this.prA = new Float64Array(C);
    this.prB = new Float64Array(C);
    this.prLogK = new Float64Array(C);
    this.prLogS = new Float64Array(C);
    for (let c = 0; c < C; c++) {
      const t = data.transforms[c]!;
      this.prA[c] = priors.adstock_alpha_concentration * t.alpha;
      this.prB[c] = priors.adstock_alpha_concentration * (1 - t.alpha);
      this.prLogK[c] = Math.log(t.K);
      this.prLogS[c] = Math.log(t.S);
    }
    this.sdK = priors.sat_K_sd;
    this.sdS = priors.sat_S_sd;
    this.specs = data.transforms.map((t) => buildAdstockSpec(t));
  }

  forward(theta: Float64Array, grad: Float64Array, s: Scratch): number {
    const { C, N, P, numGrid, obsGridRow, obsWeek, gridXc: xg, layout } = this.data;
    const o = layout.offsets;
    const X = s.X;
    const { dHa, dHK, dHS } = s;
    let lp = 0;
    for (let c = 0; c < C; c++) {
      const ua = theta[o.adstockAlpha + c]!;
      const alpha = invLogit(ua);
      if (!(alpha >= 0 && alpha < 1)) return -Infinity;
      const pa = this.prA[c]!;
      const pb = this.prB[c]!;
      lp += -pa * softplus(-ua) - pb * softplus(ua);
      grad[o.adstockAlpha + c]! += pa * (1 - alpha) - pb * alpha;
      const uk = theta[o.satK + c]!;
      const us = theta[o.satS + c]!;
      const Kc = Math.exp(uk);
      const Sc = Math.exp(us);
      if (!(Kc > 0 && Kc < Infinity && Sc > 0 && Sc < Infinity)) return -Infinity;
      const zk = (uk - this.prLogK[c]!) / this.sdK;
      const zs = (us - this.prLogS[c]!) / this.sdS;
      lp += -0.5 * (zk * zk + zs * zs);
      grad[o.satK + c]! += -zk / this.sdK;
      grad[o.satS + c]! += -zs / this.sdS;
      s.tAlpha[c] = alpha;
      s.tK[c] = Kc;
      s.tS[c] = Sc;
      s.tLogK[c] = uk;

      const spec = this.specs[c]!;
      (spec as { alpha: number }).alpha = alpha;
      const L = spec.lMax;
      const w = s.lagW[c]!;
      const dw = s.lagDW[c]!;
      adstockWeightsWithGradient(spec, w, dw);
      const xo = c * numGrid;
      const col = layout.mediaColumn(c);
      const jo = c * N;
      for (let n = 0; n < N; n++) {
        const r = xo + obsGridRow[n]!;
        const week = obsWeek[n]!;
        const lim = week < L - 1 ? week : L - 1;
        let a = 0;
        let da = 0;
        for (let l = 0; l <= lim; l++) {
          const xv = xg[r - l]!;
          a += w[l]! * xv;
          da += dw[l]! * xv;
        }
        X[n * P + col] = hillPoint(a, da, uk, Kc, Sc, dHa, dHK, dHS, jo + n);
      }
    }
    return lp;
  }

  backward(_theta: Float64Array, grad: Float64Array, s: Scratch): void {
    const { G, C, N, P, obsStart, layout } = this.data;
    const o = layout.offsets;
    const { B, eRow, dHa, dHK, dHS, gTAlpha, gTK, gTS } = s;
    const media0 = layout.mediaColumn(0);
    for (let c = 0; c < C; c++) {
      const jo = c * N;
      let ga = 0;
      let gk = 0;
      let gs = 0;
      for (let g = 0; g < G; g++) {
        let sa = 0;
        let sk = 0;
        let ss = 0;
        for (let n = obsStart[g]!; n < obsStart[g + 1]!; n++) {
          const e = eRow[n]!;
          sa += e * dHa[jo + n]!;
          sk += e * dHK[jo + n]!;
          ss += e * dHS[jo + n]!;
        }
        const beta = B[layout.setOf(g) * P + media0 + c]!;
        ga += beta * sa;
        gk += beta * sk;
        gs += beta * ss;
      }
      const a = s.tAlpha[c]!;
      grad[o.adstockAlpha + c]! += (gTAlpha[c]! + ga) * a * (1 - a);
      grad[o.satK + c]! += (gTK[c]! + gk) * s.tK[c]!;
      grad[o.satS + c]! += (gTS[c]! + gs) * s.tS[c]!;
    }
  }
}
