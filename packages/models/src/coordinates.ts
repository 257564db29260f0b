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
 * The map (one coordinate per coefficient set s — a market, or the one pooled set — changes;
 * every other coordinate of ψ is the θ coordinate of the same name):
 *   ψ_level[s] = m_s = Σ_j b_s[j] · x̄_s[j]     (the set's mean level: b_s its coefficient vector,
 *                                                x̄_s the mean design row over its observed weeks)
 * so the intercept is alpha_s = m_s − Σ_{j ≠ intercept} b_s[j] x̄_s[j] — a shear (alpha_s moves
 * by a function of the other coordinates), whose Jacobian determinant is 1. In the
 * hierarchical model the level is also centred: θ's alpha_z[g] = (alpha_g − alpha_mu) /
 * alpha_sigma, with log|det| = −G·log alpha_sigma (the Jacobian Stan's centred
 * `alpha ~ normal(alpha_mu, alpha_sigma)` would add). x̄ is data: the media columns are H at the
 * fixed transforms, or at the prior centres when transforms are learned (the map only has to be
 * a bijection with a known Jacobian; which constant x̄ is used only changes how well the
 * coordinates decorrelate). Media coefficients stay non-centred: some market-channel cells are
 * weakly identified, and a centred β funnels there (measured: min ESS 7 of 4000).
 *
 * Measured on VOLTA, hierarchical, fixed transforms, 4 × (1000 + 1000), seed 42, both with
 * Stan's warmup (`bash bench/coordinates/run.sh`, bench/results/sampling-coordinates.md): 126.5 →
 * 32.5 leapfrog steps per draw, gradient evaluations of the whole fit 1.21 M → 0.55 M, min bulk
 * ESS per gradient evaluation 1.45×. With learned transforms (bench/results/learned-transforms-
 * stan-comparison.md) Stan in these coordinates takes the same 62–63 steps per draw as Tributary.
 *
 * Deviation from Stan: none in the model; Stan programs (bench/stan) keep θ's parameterization
 * and the fixed-point lp checks compare `model.logDensityAndGradient` (θ), which is unchanged.
 * `model.sampling` is what `tributary fit` samples; tests check lp_ψ = lp_θ∘φ + log|det| (with
 * the determinant by finite differences) and φ⁻¹∘φ = id.
 */
import type { ModelData } from './design.js';
import { INTERCEPT_COLUMN } from './layout.js';
import type { CoefficientTerm } from './terms/hierarchy.js';

export class SamplingCoordinates {
  readonly dim: number;
  readonly parameterNames: readonly string[];
  /** numSets × P: the mean design row of each set over its observed weeks. */
  private readonly xBar: Float64Array;
  private readonly B: Float64Array;
  private readonly gB: Float64Array;
  /** Per set: the index of its level coordinate (θ's alpha_z[g] or alpha[s]). */
  private readonly level: Int32Array;
  private readonly isHierarchical: boolean;

  constructor(
    private readonly data: ModelData,
    private readonly coef: CoefficientTerm,
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
    this.B = new Float64Array(S * P);
    this.gB = new Float64Array(S * P);
    const names = [...layout.parameterNames];
    for (let s = 0; s < S; s++) {
      const i = this.level[s]!;
      names[i] = names[i]!.replace(/^alpha(_z)?(\[|$)/, 'alpha_level$2');
    }
    this.parameterNames = names;
  }

  /** Σ_{j ≠ intercept} b_s[j]·x̄_s[j] from this.B. */
  private rest(s: number): number {
    const P = this.data.P;
    let r = 0;
    for (let j = 0; j < P; j++) if (j !== INTERCEPT_COLUMN) r += this.B[s * P + j]! * this.xBar[s * P + j]!;
    return r;
  }

  /** θ = φ(ψ); returns log|det ∂θ/∂ψ|. */
  toModel(psi: ArrayLike<number>, theta: Float64Array): number {
    theta.set(psi);
    this.coef.fillCoefficients(theta, this.B);
    const S = this.data.numSets;
    if (!this.isHierarchical) {
      for (let s = 0; s < S; s++) theta[this.level[s]!] = psi[this.level[s]!]! - this.rest(s);
      return 0;
    }
    const o = this.data.layout.offsets;
    const mu = theta[o.alphaMu]!;
    const u = theta[o.alphaSigma]!;
    const sigma = Math.exp(u);
    for (let s = 0; s < S; s++) theta[this.level[s]!] = (psi[this.level[s]!]! - this.rest(s) - mu) / sigma;
    return -S * u;
  }

  /** ψ = φ⁻¹(θ). */
  fromModel(theta: ArrayLike<number>, psi: Float64Array): Float64Array {
    psi.set(theta);
    const th = Float64Array.from(theta);
    this.coef.fillCoefficients(th, this.B);
    const P = this.data.P;
    for (let s = 0; s < this.data.numSets; s++) psi[this.level[s]!] = this.rest(s) + this.B[s * P + INTERCEPT_COLUMN]!;
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
    for (let s = 0; s < S; s++) {
      const i = this.level[s]!;
      // ∂lp/∂alpha_s: through alpha_z = (alpha − mu)/sigma when hierarchical.
      const gAlpha = gTheta[i]! / sigma;
      gPsi[i] = gAlpha;
      for (let j = 0; j < P; j++) if (j !== INTERCEPT_COLUMN) gB[s * P + j] = -gAlpha * this.xBar[s * P + j]!;
      if (this.isHierarchical) {
        gMu -= gAlpha;
        gU -= gTheta[i]! * theta[i]!;
      }
    }
    this.coef.pullbackCoefficients(theta, this.B, gB, gPsi);
    if (this.isHierarchical) {
      gPsi[o.alphaMu]! += gMu;
      gPsi[o.alphaSigma]! += gU - S;
    }
  }
}
