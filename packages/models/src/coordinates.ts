/**
 * Sampling coordinates: the coordinates NUTS moves in, ψ, and their map to the model's
 * unconstrained coordinates θ (layout.ts; the coordinates of Stan's programs, in which
 * `logDensityAndGradient` equals Stan's lp__). The posterior is the same; only its geometry
 * changes. The sampler's density is lp_ψ(ψ) = lp_θ(φ(ψ)) + log|det ∂φ/∂ψ| (the change of
 * variables), and a draw ψ is reported as the constrained draw of φ(ψ).
 *
 * Why: in θ the baseline of a market is its intercept alpha[g], non-centred in the hierarchical
 * model (alpha[g] = alpha_mu + alpha_sigma·alpha_z[g]). Every market's data pin down its mean
 * level very precisely, so in θ the posterior has (1) the "strong data" funnel of a non-centred
 * parameter (alpha_z's conditional scale ∝ 1/alpha_sigma), and (2) the MMM collinearity of the
 * intercept with everything else that moves the market's mean: trend (τ is far from 0 in a
 * short market), seasonality and every media effect. NUTS then needs small steps: on VOLTA
 * (hierarchical, fixed transforms, 4 × (1000 + 1000)) 127 leapfrog steps per draw, the
 * posterior correlation matrix of θ having condition number 82.
 *
 * The map. Every coordinate of ψ is the θ coordinate of the same name except:
 *
 * 1. The level (one coordinate per coefficient set s — a market, or the one pooled set):
 *      ψ_level[s] = m_s = Σ_j b_s[j] · x̄_s[j]   (b_s the set's coefficient vector, x̄_s its mean
 *                                                 design row over its observed weeks),
 *    so the intercept is alpha_s = m_s − rest_s, rest_s = Σ_{j ≠ intercept} b_s[j] x̄_s[j]: a shear
 *    (alpha_s moves by a function of other coordinates), Jacobian 1. x̄ is data: the media
 *    columns are H at the fixed transforms. With learned transforms a set's mean media column
 *    follows the channel's saturation parameters p, x̄_sc(p) = x̄_sc(p0)·h(ā_sc; p)/h(ā_sc; p0)
 *    (ā_sc the set's mean positive adstocked spend at the prior centres p0) — still a shear;
 *    without it, raising K (less saturation, smaller H) at fixed ψ moved every market's level.
 * 2. In the hierarchical model the level is partially centred (Papaspiliopoulos, Roberts &
 *    Sköld 2007; the "variationally inferred parameterisation" of Gorinova, Moore & Hoffman 2020):
 *      ψ_level[g] = (alpha_g + (1 − λ_g)·rest_g − λ_g·alpha_mu) / alpha_sigma^λ_g.
 *    λ_g = 0 is the centred level m_g of 1; λ_g = 1 is θ's own alpha_z[g], without the shear
 *    (which at small alpha_sigma would tie alpha_z to every coefficient through
 *    rest_g / alpha_sigma: 10–34× the divergences of θ on the SBC replicates below). With θ's
 *    alpha_z[g] = (alpha_g − alpha_mu) / alpha_sigma, log|det| = Σ_g (λ_g − 1)·log alpha_sigma.
 * 3. Hierarchical media cells chosen by the same rule sample log beta[g,c] instead of beta_z
 *    (beta_z = (log beta − beta_log_mu) / beta_sigma; log|det| −log beta_sigma[c] per cell).
 *
 * Choosing the centring (`chooseCentring`, before sampling, from the data alone). For a normal
 * coordinate with data precision I and prior scale τ the posterior of ψ is independent of τ at
 * λ = 1 / (1 + τ²·I): centred (λ = 0) where the data pin the coordinate far more tightly than the
 * spread between markets, non-centred where they do not (then the centred form is the funnel).
 * Per set a ridge regression of y on the design (penalty 1 on every column but the intercept)
 * gives each coefficient's estimate and variance and the residual variance s²; τ² is the
 * method-of-moments spread of the markets' estimates less their mean variance (≥ 0); λ is
 * rounded to 0 or 1 (the continuous weights, 0.007–0.05 on VOLTA, cost 44 leapfrog steps per
 * draw against 33 for the centred level). Levels: I = n_s / s_s². Media cells: only cells whose
 * estimate is clearly positive (> 2 sd) have a usable log estimate (variance var/estimate²; τ_c²
 * over at least 3 such markets); the other cells keep beta_z. Any choice is the same posterior.
 *
 * Measured (VOLTA: 8 markets, 6 channels; hierarchical; 4 × (1000 + 1000), seed 42):
 * - fixed transforms, both with Stan's warmup (`bash bench/coordinates/run.sh`,
 *   bench/results/sampling-coordinates.md): θ 126.5 → ψ 32.5 leapfrog steps per draw, gradient
 *   evaluations 1.21 M → 0.55 M, min bulk ESS per gradient 1.45×; every level centred, no cell;
 * - learned transforms, the level following the saturation (`bench/experiments/sample-counts.mjs
 *   sampling curvature opt learn`, two runs each side): 63.0 → 51.7 steps per draw, gradients
 *   565–577 k → 453 k, min bulk ESS per 1,000 gradients 1.75–2.10 → 2.72;
 *   bench/stan/hierarchical_learned_level.stan is this map in Stan, and its lp equals
 *   `model.sampling`'s (bench/results/learned-transforms-lp-check.md);
 * - centring every level on 8 SBC replicates (4 markets × 52 weeks × 3 channels, levels that
 *   barely differ): 3–15× the divergences of θ; with the rule, θ's own (bench/results/sbc.md);
 * - centring every media cell: min ESS 7 of 4000 on VOLTA (sparse markets), 3–6 of 600 on a
 *   100-geo panel (bench/results/scale.md); the rule centres none there, and 68 of 200 cells on a
 *   40-geo × 156 × 5 panel (min bulk ESS per gradient 5.07 → 6.49 per 1,000, 31.0 steps per draw).
 *
 * Deviation from Stan: none in the model; Stan programs (bench/stan) keep θ's parameterization
 * and the fixed-point lp checks compare `model.logDensityAndGradient` (θ), which is unchanged.
 * `model.sampling` is what `tributary fit` samples; tests check lp_ψ = lp_θ∘φ + log|det| (with
 * the determinant by finite differences) and φ⁻¹∘φ = id.
 */
import type { SaturationKind } from '@tributary/transforms';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { sufficientStatistics, type ModelData } from './design.js';
import { INTERCEPT_COLUMN } from './layout.js';
import type { CoefficientTerm } from './terms/hierarchy.js';
import { channelSlots, saturationPoint } from './transform-kinds.js';

/**
 * Learned saturation: how a set's mean media column follows the channel's saturation
 * parameters p (see the header): x̄(p) = x̄(p0) · h(ā; p) / h(ā; p0), ā the set's mean positive
 * adstocked spend at the prior centres.
 */
interface Tracked {
  readonly set: number;
  readonly channel: number;
  readonly kind: SaturationKind;
  readonly aBar: number;
  /** x̄(p0) / h(ā; p0). */
  readonly ratio: number;
  /** Unconstrained (log-scale) indices of the saturation parameters; −1 when absent. */
  readonly i2: number;
  readonly i3: number;
  /** ∂x̄/∂u2, ∂x̄/∂u3 at the latest map. */
  d2: number;
  d3: number;
}

export class SamplingCoordinates {
  readonly dim: number;
  readonly parameterNames: readonly string[];
  /** numSets × P: the mean design row of each set over its observed weeks. */
  private readonly xBar: Float64Array;
  /** xBar with the tracked media columns at the latest map's saturation parameters. */
  private readonly xCur: Float64Array;
  private readonly tracked: Tracked[];
  private readonly sat = new Float64Array(3);
  private readonly B: Float64Array;
  private readonly gB: Float64Array;
  /** Per set: the index of its level coordinate (θ's alpha_z[g] or alpha[s]). */
  private readonly level: Int32Array;
  private readonly isHierarchical: boolean;
  /** Per set: λ_s, the level's non-centring weight (0 centred, 1 non-centred; hierarchical only). */
  readonly nonCentring: Float64Array;
  /** Per set, of the latest `toModel`: alpha_sigma^λ_s, and alpha_sigma^λ_s · ψ_level[s]. */
  private readonly levelFactor: Float64Array;
  private readonly scaledLevel: Float64Array;

  /** θ indices of the beta_z cells whose coordinate is log beta (centred), and each one's channel. */
  readonly betaCentredCells: Int32Array;
  private readonly betaCentredChannel: Int32Array;

  constructor(
    private readonly data: ModelData,
    private readonly coef: CoefficientTerm,
    choice?: { level?: ArrayLike<number>; betaCentred?: ArrayLike<number> },
  ) {
    const { layout, numSets: S, P, G, obsStart, X } = data;
    const o = layout.offsets;
    this.dim = layout.dim;
    this.isHierarchical = layout.kind === 'hierarchical';
    this.level = Int32Array.from({ length: S }, (_, s) => (this.isHierarchical ? o.alphaZ : o.alpha) + s);
    this.xBar = new Float64Array(S * P);
    const rows = new Float64Array(S);
    for (let g = 0; g < G; g++) {
      const s = layout.setOf(g);
      for (let n = obsStart[g]!; n < obsStart[g + 1]!; n++) {
        for (let j = 0; j < P; j++) this.xBar[s * P + j]! += X[n * P + j]!;
        rows[s]!++;
      }
    }
    for (let s = 0; s < S; s++) for (let j = 0; j < P; j++) this.xBar[s * P + j]! /= rows[s]!;
    this.xCur = Float64Array.from(this.xBar);
    this.tracked = trackedMediaColumns(data, this.xBar);
    this.B = new Float64Array(S * P);
    this.gB = new Float64Array(S * P);
    const names = [...layout.parameterNames];
    for (let s = 0; s < S; s++) {
      const i = this.level[s]!;
      names[i] = names[i]!.replace(/^alpha(_z)?(\[|$)/, 'alpha_level$2');
    }
    this.levelFactor = new Float64Array(S);
    this.scaledLevel = new Float64Array(S);
    const chosen = this.isHierarchical && (choice?.level === undefined || choice.betaCentred === undefined) ? chooseCentring(data) : null;
    this.nonCentring = this.isHierarchical ? Float64Array.from(choice?.level ?? chosen!.level) : new Float64Array(S);
    if (this.nonCentring.length !== S || this.nonCentring.some((l) => !(l >= 0 && l <= 1))) {
      throw new Error(`level non-centring needs ${S} weights in [0, 1]`);
    }
    const C = data.C;
    const cells: number[] = [];
    if (this.isHierarchical) {
      const centred = choice?.betaCentred ?? chosen!.betaCentred;
      if (centred.length !== G * C) throw new Error(`betaCentred needs ${G * C} flags`);
      for (let k = 0; k < G * C; k++) if (centred[k]) cells.push(k);
    }
    this.betaCentredCells = Int32Array.from(cells, (k) => o.betaZ + k);
    this.betaCentredChannel = Int32Array.from(cells, (k) => k % C);
    for (const i of this.betaCentredCells) names[i] = names[i]!.replace(/^beta_z\[/, 'beta_log[');
    this.parameterNames = names;
  }

  /** Σ_{j ≠ intercept} b_s[j]·x̄_s[j] from this.B. */
  private rest(s: number): number {
    const P = this.data.P;
    let r = 0;
    for (let j = 0; j < P; j++) if (j !== INTERCEPT_COLUMN) r += this.B[s * P + j]! * this.xCur[s * P + j]!;
    return r;
  }

  /** The tracked mean media columns at the saturation parameters in `x` (log scale), with derivatives. */
  private track(x: ArrayLike<number>): void {
    const P = this.data.P;
    const layout = this.data.layout;
    for (const t of this.tracked) {
      const p2 = Math.exp(x[t.i2]!);
      const p3 = t.i3 >= 0 ? Math.exp(x[t.i3]!) : 0;
      const h = saturationPoint(t.kind, t.aBar, p2, p3, this.sat);
      // Outside the kernels' domain the log density rejects the point anyway; keep x̄ finite.
      const ok = h >= 0 && h < Infinity;
      this.xCur[t.set * P + layout.mediaColumn(t.channel)] = ok ? t.ratio * h : 0;
      t.d2 = ok ? t.ratio * this.sat[1]! * p2 : 0;
      t.d3 = ok && t.i3 >= 0 ? t.ratio * this.sat[2]! * p3 : 0;
    }
  }

  /** θ = φ(ψ); returns log|det ∂θ/∂ψ|. */
  toModel(psi: ArrayLike<number>, theta: Float64Array): number {
    theta.set(psi);
    this.track(psi);
    // Centred media cells: θ's beta_z = (log beta − beta_log_mu) / beta_sigma.
    let logDet = 0;
    const o = this.data.layout.offsets;
    for (let k = 0; k < this.betaCentredCells.length; k++) {
      const i = this.betaCentredCells[k]!;
      const c = this.betaCentredChannel[k]!;
      const u = theta[o.betaSigma + c]!;
      theta[i] = (psi[i]! - theta[o.betaLogMu + c]!) / Math.exp(u);
      logDet -= u;
    }
    this.coef.fillCoefficients(theta, this.B);
    const S = this.data.numSets;
    if (!this.isHierarchical) {
      for (let s = 0; s < S; s++) theta[this.level[s]!] = psi[this.level[s]!]! - this.rest(s);
      return logDet;
    }
    const mu = theta[o.alphaMu]!;
    const u = theta[o.alphaSigma]!;
    const sigma = Math.exp(u);
    for (let s = 0; s < S; s++) {
      const lam = this.nonCentring[s]!;
      const factor = Math.exp(lam * u);
      const scaled = factor * psi[this.level[s]!]!;
      this.levelFactor[s] = factor;
      this.scaledLevel[s] = scaled;
      // alpha_s = λ·mu + sigma^λ·ψ − (1 − λ)·rest; alpha_z = (alpha_s − mu) / sigma (= ψ at λ = 1, exactly).
      theta[this.level[s]!] = lam === 1 ? psi[this.level[s]!]! : (lam * mu + scaled - (1 - lam) * this.rest(s) - mu) / sigma;
      logDet += (lam - 1) * u;
    }
    return logDet;
  }

  /** ψ = φ⁻¹(θ). */
  fromModel(theta: ArrayLike<number>, psi: Float64Array): Float64Array {
    psi.set(theta);
    this.track(theta);
    const th = Float64Array.from(theta);
    this.coef.fillCoefficients(th, this.B);
    const P = this.data.P;
    const o = this.data.layout.offsets;
    for (let s = 0; s < this.data.numSets; s++) {
      const lam = this.nonCentring[s]!;
      const m = (1 - lam) * this.rest(s) + this.B[s * P + INTERCEPT_COLUMN]!;
      psi[this.level[s]!] = this.isHierarchical ? (m - lam * theta[o.alphaMu]!) / Math.exp(lam * theta[o.alphaSigma]!) : m;
    }
    for (let k = 0; k < this.betaCentredCells.length; k++) {
      const i = this.betaCentredCells[k]!;
      const c = this.betaCentredChannel[k]!;
      psi[i] = theta[o.betaLogMu + c]! + Math.exp(theta[o.betaSigma + c]!) * theta[i]!;
    }
    return psi;
  }

  /**
   * gψ = (∂θ/∂ψ)ᵀ gθ + ∇ψ log|det ∂θ/∂ψ|, at the θ = φ(ψ) of the latest `toModel` (whose
   * coefficients it reuses).
   */
  pullback(theta: Float64Array, gTheta: Float64Array, gPsi: Float64Array): void {
    const { numSets: S, P, layout } = this.data;
    const gB = this.gB;
    gPsi.set(gTheta);
    gB.fill(0);
    let sigma = 1;
    const o = layout.offsets;
    if (this.isHierarchical) sigma = Math.exp(theta[o.alphaSigma]!);
    let gMu = 0;
    let gU = 0;
    let gLogDet = 0;
    for (let s = 0; s < S; s++) {
      const i = this.level[s]!;
      // ∂lp/∂alpha_s: through alpha_z = (alpha − mu)/sigma when hierarchical.
      const gAlpha = gTheta[i]! / sigma;
      const lam = this.nonCentring[s]!;
      const sheared = -gAlpha * (1 - lam);
      for (let j = 0; j < P; j++) if (j !== INTERCEPT_COLUMN) gB[s * P + j] = sheared * this.xCur[s * P + j]!;
      if (!this.isHierarchical) {
        gPsi[i] = gAlpha;
        continue;
      }
      const scaled = this.scaledLevel[s]!;
      // alpha_z = (λ·mu + e^{λu}·ψ − (1 − λ)·rest − mu)·e^{−u}.
      gPsi[i] = gAlpha * this.levelFactor[s]!;
      gMu += gAlpha * (lam - 1);
      gU += gTheta[i]! * ((lam * scaled) / sigma - theta[i]!);
      gLogDet += lam - 1;
    }
    this.coef.pullbackCoefficients(theta, this.B, gB, gPsi);
    if (this.isHierarchical) {
      gPsi[o.alphaMu]! += gMu;
      gPsi[o.alphaSigma]! += gU + gLogDet;
    }
    // Tracked media columns: alpha_z = (… − (1 − λ)·rest)/sigma with rest ∋ b_s[media c]·x̄_sc(p),
    // so ∂alpha_z/∂u = −(1 − λ)/sigma · b · ∂x̄/∂u (sigma = 1, λ = 0 for flat sets).
    for (const t of this.tracked) {
      const g = -((gTheta[this.level[t.set]!]! * (1 - this.nonCentring[t.set]!)) / sigma) * this.B[t.set * P + layout.mediaColumn(t.channel)]!;
      gPsi[t.i2]! += g * t.d2;
      if (t.i3 >= 0) gPsi[t.i3]! += g * t.d3;
    }
    // Centred media cells (applied first in toModel, so pulled back last).
    for (let k = 0; k < this.betaCentredCells.length; k++) {
      const i = this.betaCentredCells[k]!;
      const c = this.betaCentredChannel[k]!;
      const gz = gPsi[i]!;
      const inv = Math.exp(-theta[o.betaSigma + c]!);
      gPsi[i] = gz * inv;
      gPsi[o.betaLogMu + c]! -= gz * inv;
      gPsi[o.betaSigma + c]! -= gz * theta[i]! + 1;
    }
  }
}

/** Each set's learned-saturation media columns of `xBar` (at the prior centres), to follow p (see `Tracked`). */
function trackedMediaColumns(data: ModelData, xBar: Float64Array): Tracked[] {
  const { layout, C, G, P, numSets: S, obsStart } = data;
  if (layout.transformOffset.length === 0) return [];
  const centre = data.centreSlots();
  const out: Tracked[] = [];
  for (let c = 0; c < C; c++) {
    const i2 = layout.transformOffset[4 * c + 2] ?? -1;
    if (i2 < 0) continue;
    const kind = channelSlots(data.transforms[c]!).saturation;
    const sum = new Float64Array(S);
    const count = new Float64Array(S);
    for (let g = 0; g < G; g++) {
      const set = layout.setOf(g);
      for (let n = obsStart[g]!; n < obsStart[g + 1]!; n++) {
        const a = data.fixedA[n * C + c]!;
        if (a > 0) {
          sum[set]! += a;
          count[set]!++;
        }
      }
    }
    for (let set = 0; set < S; set++) {
      if (count[set] === 0) continue;
      const aBar = sum[set]! / count[set]!;
      const h0 = saturationPoint(kind, aBar, centre[4 * c + 2]!, centre[4 * c + 3]!, null);
      if (!(h0 > 0)) continue;
      const ratio = xBar[set * P + layout.mediaColumn(c)]! / h0;
      out.push({ set, channel: c, kind, aBar, ratio, i2, i3: layout.transformOffset[4 * c + 3] ?? -1, d2: 0, d3: 0 });
    }
  }
  return out;
}

/** What `chooseCentring` picks (see the header). */
export interface Centring {
  /** Per set: λ of its level, 0 (centred) or 1 (non-centred). */
  readonly level: Float64Array;
  /** Per market × channel (hierarchical): 1 where log beta is the coordinate (centred), 0 where beta_z is. */
  readonly betaCentred: Uint8Array;
}

/**
 * Per-set ridge regressions of y on the design (penalty 1 on every column but the intercept;
 * the scaled data's coefficients are O(1)) give each coefficient's estimate and variance and the
 * residual variance s². A hierarchical coordinate is centred where the data pin it more tightly
 * than the spread between markets: τ²·(its data precision) > 1, i.e. λ = 1/(1 + τ²·I) < ½, with
 * τ² the method-of-moments spread of the markets' estimates less their mean variance (≥ 0).
 * - Levels: the estimate is the intercept, I = n_s / s_s².
 * - Log media coefficients: only cells whose estimate is clearly positive (> 2 sd) have a usable
 *   log estimate, log b̂ with variance var(b̂)/b̂²; τ_c² is taken over those cells of channel c
 *   (at least 3), and the other cells stay non-centred.
 * Data only, so the same data give the same coordinates.
 */
export function chooseCentring(data: ModelData): Centring {
  const { numSets: S, P, C, layout } = data;
  const media0 = layout.mediaColumn(0);
  const { xtx, xty, yty } = sufficientStatistics(data);
  const rows = new Float64Array(S);
  for (let n = 0; n < data.N; n++) rows[layout.setOf(data.obsMarket[n]!)]!++;
  const none: Centring = { level: new Float64Array(S).fill(1), betaCentred: new Uint8Array(S * C) };
  if (S < 2 || layout.kind !== 'hierarchical') return none;
  const est = new Float64Array(S * P);
  const estVar = new Float64Array(S * P);
  const resid = new Float64Array(S);
  // The columns whose estimates are used: the intercept and every media column.
  const used = [INTERCEPT_COLUMN, ...Array.from({ length: C }, (_, c) => media0 + c)];
  for (let s = 0; s < S; s++) {
    const m = s * P * P;
    const A = Matrix.from1DArray(P, P, xtx.subarray(m, m + P * P));
    for (let j = 0; j < P; j++) if (j !== INTERCEPT_COLUMN) A.set(j, j, A.get(j, j) + 1);
    const chol = new CholeskyDecomposition(A);
    if (!chol.isPositiveDefinite()) return none;
    // One solve for the coefficients (column 0) and the used columns of A⁻¹ (columns 1…).
    const rhs = Matrix.zeros(P, 1 + used.length);
    for (let p = 0; p < P; p++) rhs.set(p, 0, xty[s * P + p]!);
    used.forEach((j, k) => rhs.set(j, 1 + k, 1));
    const x = chol.solve(rhs);
    const b = x.getColumn(0);
    // Residual sum of squares: yᵀy − 2bᵀXᵀy + bᵀXᵀXb.
    let rss = yty[s]!;
    for (let p = 0; p < P; p++) {
      rss -= 2 * b[p]! * xty[s * P + p]!;
      for (let q = 0; q < P; q++) rss += b[p]! * xtx[m + p * P + q]! * b[q]!;
    }
    resid[s] = Math.max(rss, 0) / Math.max(rows[s]! - P, 1);
    used.forEach((j, k) => {
      est[s * P + j] = b[j]!;
      estVar[s * P + j] = resid[s]! * x.get(j, 1 + k);
    });
  }
  const lambda = (tau2: number, precision: number) => {
    const lam = 1 / (1 + tau2 * precision);
    return Number.isFinite(lam) && lam < 0.5 ? 0 : 1;
  };
  const all = Array.from({ length: S }, (_, s) => s);
  const level = Float64Array.from(all, (s) => lambda(spreadBeyondNoise(all.map((k) => est[k * P + INTERCEPT_COLUMN]!), all.map((k) => estVar[k * P + INTERCEPT_COLUMN]!)), rows[s]! / Math.max(resid[s]!, 1e-12)));
  const betaCentred = new Uint8Array(S * C);
  for (let c = 0; c < C; c++) {
    const j = media0 + c;
    const clear = all.filter((s) => est[s * P + j]! > 2 * Math.sqrt(estVar[s * P + j]!));
    if (clear.length < 3) continue;
    const logVar = (s: number) => estVar[s * P + j]! / est[s * P + j]! ** 2;
    const tau2 = spreadBeyondNoise(clear.map((s) => Math.log(est[s * P + j]!)), clear.map(logVar));
    for (const s of clear) betaCentred[s * C + c] = lambda(tau2, 1 / logVar(s)) === 0 ? 1 : 0;
  }
  return { level, betaCentred };
}

/** max(sample variance of the estimates − their mean variance, 0). */
function spreadBeyondNoise(values: number[], variances: number[]): number {
  const n = values.length;
  const mean = values.reduce((a, v) => a + v, 0) / n;
  const spread = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  const noise = variances.reduce((a, v) => a + v, 0) / n;
  return Math.max(spread - noise, 0);
}
