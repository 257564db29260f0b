/**
 * Learned media transforms (model-spec §5 "Learned transforms"): per channel, shared by all
 * markets, adstock_alpha[c] ~ Beta(κ·α0, κ·(1 − α0)), sat_K[c] ~ LogNormal(log K0, sd_K),
 * sat_S[c] ~ LogNormal(log S0, sd_S) around the channel's transform (κ =
 * adstock_alpha_concentration); θ of delayed adstock stays fixed. Other kinds (issue 13 part 4,
 * transform-kinds.ts): Weibull adstock_shape, adstock_scale and the saturation parameters
 * sat_lam, sat_b, sat_c, each LogNormal(log x0, sd) on u = log x; the row loop of those
 * channels is the generic one (both adstock derivatives, `saturationPoint`); geometric/delayed +
 * Hill channels keep the fused `hillPoint` loop below.
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
 * summed with what the lift tests added into gTPar (per slot), then chained through u (tJac).
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
 *
 * Geometric adstock + Hill channels do not convolve at all: along each market's grid the
 * truncated, unnormalized sum U_t = Σ_{l ≤ min(t, L−1)} α^l x_{t−l} follows the recursion
 * U_t = x_t + α·U_{t−1} − α^L·x_{t−L} (the last term from t ≥ L on), and D_t = ∂U_t/∂α =
 * U_{t−1} + α·D_{t−1} − L·α^(L−1)·x_{t−L}; a = U/Z and ∂a/∂α = D/Z − U·Z'/Z² with Z = Σ_{l<L} α^l
 * (the package's normalized weights, so a is the kernel's to rounding: the Stan-equivalence
 * test holds at 1e-9 relative). O(1) per week instead of O(L): on VOLTA (4 of 6 channels
 * geometric) a learned-transform gradient takes 150 µs instead of 188 µs (CPU, one thread,
 * `model.sampling.logDensityAndGradient` at a fixed point, 10,000 calls).
 */
import { adstockWeightsWithGradient, type AdstockSpec, type SaturationKind } from '@tributary/transforms';
import type { ModelData } from '../design.js';
import { hillPoint, invLogit, softplus } from '../math.js';
import type { Priors } from '../priors.js';
import { adstockSpecOf, channelSlots, logNormalPrior, saturationPoint } from '../transform-kinds.js';
import type { Scratch, Term } from './term.js';

export class LearnedTransformsTerm implements Term {
  /** Per channel: Beta(a, b) of α (slot 0 of geometric/delayed channels). */
  private readonly prA: Float64Array;
  private readonly prB: Float64Array;
  /** C × 4: log-centre and sd of each LogNormal slot (NaN where the slot is α or absent). */
  private readonly prLog: Float64Array;
  private readonly prSd: Float64Array;
  /** Per channel: adstock spec whose parameters are overwritten per evaluation. */
  private readonly specs: AdstockSpec[];
  /** Per channel: fused α + Hill fast path (geometric/delayed + Hill). */
  private readonly fast: Uint8Array;
  private readonly satKinds: SaturationKind[];
  /** Per channel: which slots are present. */
  private readonly has: Uint8Array;
  private readonly sat = new Float64Array(3);

  constructor(
    private readonly data: ModelData,
    priors: Priors,
  ) {
    const C = data.C;
    this.prA = new Float64Array(C);
    this.prB = new Float64Array(C);
    this.prLog = new Float64Array(4 * C).fill(NaN);
    this.prSd = new Float64Array(4 * C).fill(NaN);
    this.fast = new Uint8Array(C);
    this.has = new Uint8Array(4 * C);
    this.satKinds = [];
    for (let c = 0; c < C; c++) {
      const t = data.transforms[c]!;
      const slots = channelSlots(t);
      this.satKinds.push(slots.saturation);
      this.fast[c] = slots.names[0] === 'alpha' && slots.saturation === 'hill' ? 1 : 0;
      for (let j = 0; j < 4; j++) {
        const name = slots.names[j];
        if (name === null || name === undefined) continue;
        this.has[4 * c + j] = 1;
        if (name === 'alpha') {
          this.prA[c] = priors.adstock_alpha_concentration * t.alpha;
          this.prB[c] = priors.adstock_alpha_concentration * (1 - t.alpha);
        } else {
          const pr = logNormalPrior(t, name, priors);
          this.prLog[4 * c + j] = pr.logCentre;
          this.prSd[4 * c + j] = pr.sd;
        }
      }
    }
    this.specs = data.transforms.map((t) => adstockSpecOf(t));
  }

  forward(theta: Float64Array, grad: Float64Array, s: Scratch): number {
    const { C, N, P, numGrid, obsGridRow, obsWeek, gridXc: xg, layout } = this.data;
    const off = layout.transformOffset;
    const X = s.X;
    const dH = s.dH;
    const dHa = dH[0]!;
    const dHK = dH[2]!;
    const dHS = dH[3]!;
    const { tPar, tJac } = s;
    let lp = 0;
    for (let c = 0; c < C; c++) {
      const c4 = 4 * c;
      // Priors and values of every slot.
      for (let j = 0; j < 4; j++) {
        if (this.has[c4 + j] === 0) continue;
        const i = off[c4 + j]!;
        const u = theta[i]!;
        const sd = this.prSd[c4 + j]!;
        if (sd !== sd) {
          // α on the logit scale: Beta kernel + Jacobian.
          const alpha = invLogit(u);
          if (!(alpha >= 0 && alpha < 1)) return -Infinity;
          const pa = this.prA[c]!;
          const pb = this.prB[c]!;
          lp += -pa * softplus(-u) - pb * softplus(u);
          grad[i]! += pa * (1 - alpha) - pb * alpha;
          tPar[c4 + j] = alpha;
          tJac[c4 + j] = alpha * (1 - alpha);
        } else {
          const x = Math.exp(u);
          if (!(x > 0 && x < Infinity)) return -Infinity;
          const z = (u - this.prLog[c4 + j]!) / sd;
          lp += -0.5 * z * z;
          grad[i]! += -z / sd;
          tPar[c4 + j] = x;
          tJac[c4 + j] = x;
        }
      }

      const spec = this.specs[c]!;
      if (spec.kind === 'geometric' || spec.kind === 'delayed') (spec as { alpha: number }).alpha = tPar[c4]!;
      else {
        (spec as { shape: number }).shape = tPar[c4]!;
        (spec as { scale: number }).scale = tPar[c4 + 1]!;
      }
      const L = spec.lMax;
      const w = s.lagW[c]!;
      const dw = s.lagDW[c]!;
      const xo = c * numGrid;
      const col = layout.mediaColumn(c);
      const jo = c * N;
      if (this.fast[c] === 1 && spec.kind === 'geometric') {
        const al = tPar[c4]!;
        let Z = 0;
        let dZ = 0;
        let pw = 1; // α^l
        let pwm = 0; // α^(l−1)
        for (let l = 0; l < L; l++) {
          Z += pw;
          dZ += l * pwm;
          pwm = pw;
          pw *= al;
        }
        const aL = pw;
        const daL = L * pwm;
        const invZ = 1 / Z;
        const dZZ = dZ * invZ * invZ;
        const uk = theta[off[c4 + 2]!]!;
        const Kc = tPar[c4 + 2]!;
        const Sc = tPar[c4 + 3]!;
        s.tLogK[c] = uk;
        const { G, obsStart } = this.data;
        for (let g = 0; g < G; g++) {
          let U = 0;
          let D = 0;
          let t = -1;
          // Weeks with spend in the window: at 0 the sums are exactly 0, not the recursion's
          // rounding residue (which Hill's log would turn into a spurious positive effect).
          let live = 0;
          for (let n = obsStart[g]!; n < obsStart[g + 1]!; n++) {
            const week = obsWeek[n]!;
            const base = xo + obsGridRow[n]! - week;
            while (t < week) {
              t++;
              const old = t >= L ? xg[base + t - L]! : 0;
              const xt = xg[base + t]!;
              if (xt !== 0) live++;
              if (old !== 0) live--;
              if (live === 0) {
                U = 0;
                D = 0;
                continue;
              }
              const Dn = U + al * D - daL * old;
              U = xt + al * U - aL * old;
              D = Dn;
            }
            X[n * P + col] = hillPoint(U * invZ, D * invZ - U * dZZ, uk, Kc, Sc, dHa, dHK, dHS, jo + n);
          }
        }
        continue;
      }
      if (this.fast[c] === 1) {
        adstockWeightsWithGradient(spec, w, dw);
        const uk = theta[off[c4 + 2]!]!;
        const Kc = tPar[c4 + 2]!;
        const Sc = tPar[c4 + 3]!;
        s.tLogK[c] = uk;
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
        continue;
      }
      // Generic path: any adstock kind × any saturation kind.
      const two = this.has[c4 + 1] === 1;
      const dw2 = s.lagDW2[c]!;
      adstockWeightsWithGradient(spec, w, dw, two ? dw2 : undefined);
      const kind = this.satKinds[c]!;
      const p2 = tPar[c4 + 2]!;
      const p3 = this.has[c4 + 3] === 1 ? tPar[c4 + 3]! : 0;
      if (kind === 'hill') s.tLogK[c] = Math.log(p2);
      const has3 = this.has[c4 + 3] === 1;
      const dH1 = dH[1]!;
      const sat = this.sat;
      for (let n = 0; n < N; n++) {
        const r = xo + obsGridRow[n]!;
        const week = obsWeek[n]!;
        const lim = week < L - 1 ? week : L - 1;
        let a = 0;
        let da = 0;
        let da2 = 0;
        for (let l = 0; l <= lim; l++) {
          const xv = xg[r - l]!;
          a += w[l]! * xv;
          da += dw[l]! * xv;
          if (two) da2 += dw2[l]! * xv;
        }
        const h = saturationPoint(kind, a > 0 ? a : 0, p2, p3, sat);
        X[n * P + col] = a > 0 ? h : 0;
        const ha = a > 0 ? sat[0]! : 0;
        dHa[jo + n] = ha * da;
        if (two) dH1[jo + n] = ha * da2;
        dHK[jo + n] = a > 0 ? sat[1]! : 0;
        if (has3) dHS[jo + n] = a > 0 ? sat[2]! : 0;
      }
    }
    return lp;
  }

  backward(_theta: Float64Array, grad: Float64Array, s: Scratch): void {
    const { G, C, N, P, obsStart, layout } = this.data;
    const off = layout.transformOffset;
    const { B, eRow, dH, gTPar, tJac } = s;
    const media0 = layout.mediaColumn(0);
    for (let c = 0; c < C; c++) {
      const jo = c * N;
      const c4 = 4 * c;
      if (this.fast[c] === 1) {
        const dHa = dH[0]!;
        const dHK = dH[2]!;
        const dHS = dH[3]!;
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
        grad[off[c4]!]! += (gTPar[c4]! + ga) * tJac[c4]!;
        grad[off[c4 + 2]!]! += (gTPar[c4 + 2]! + gk) * tJac[c4 + 2]!;
        grad[off[c4 + 3]!]! += (gTPar[c4 + 3]! + gs) * tJac[c4 + 3]!;
        continue;
      }
      for (let j = 0; j < 4; j++) {
        if (this.has[c4 + j] === 0) continue;
        const d = dH[j]!;
        let gj = 0;
        for (let g = 0; g < G; g++) {
          let sj = 0;
          for (let n = obsStart[g]!; n < obsStart[g + 1]!; n++) sj += eRow[n]! * d[jo + n]!;
          gj += B[layout.setOf(g) * P + media0 + c]! * sj;
        }
        grad[off[c4 + j]!]! += (gTPar[c4 + j]! + gj) * tJac[c4 + j]!;
      }
    }
  }
}
