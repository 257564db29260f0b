/**
 * The coefficient blocks: priors (with the Jacobians of log-scale parameters) and the map from
 * θ to the per-set coefficient vectors b = [alpha, delta, gamma(4), gamma_control(K),
 * beta(C)] (B, numSets × P) and the noise scales sigma (sig). Backward maps the adjoints gB
 * and gLogSig (filled by the likelihood and the lift tests) back onto θ.
 *
 * Follows model-spec.md §5 and Stan's conventions: positive parameters are sampled as
 * u = log x with the Jacobian u added; the log density drops exactly the terms Stan's `~`
 * drops (−½log 2π, −log s of priors with fixed scale, the half-normal truncation constant).
 *
 * - `HierarchicalTerm` (non-centred): alpha[g] = alpha_mu + alpha_sigma·alpha_z[g],
 *   beta[g,c] = exp(beta_log_mu[c] + beta_sigma[c]·beta_z[g,c]), gamma and gamma_control
 *   shared by all markets, delta and sigma per market.
 * - `FlatTerm`: unpooled (a set per market) and pooled (one set): every coefficient is a
 *   primary parameter, beta = exp(beta_log).
 *
 * The media-coefficient prior is Normal(prBetaMean, prBetaSd) on beta_log_mu[c]
 * (hierarchical) or on log beta per set × channel: the spec's beta_log_mu prior, or a ROAS
 * prior mapped onto the coefficient (roas-priors.ts). Controls are part of these blocks (their
 * prior is the gamma_control one); they have no term of their own.
 */
import type { ModelData } from '../design.js';
import { FOURIER_COLUMN, FOURIER_TERMS, INTERCEPT_COLUMN, TREND_COLUMN, type UnconstrainedOffsets } from '../layout.js';
import type { Priors } from '../priors.js';
import type { Scratch, Term } from './term.js';

/** Normal(m, s) kernel −½((x − m)/s)² and its derivative, added to grad[i]. */
function normalPrior(theta: Float64Array, grad: Float64Array, i: number, m: number, s: number): number {
  const z = (theta[i]! - m) / s;
  grad[i]! -= z / s;
  return -0.5 * z * z;
}

/** x = exp(θ[i]) ~ HalfNormal(scale), with the Jacobian θ[i]: kernel + Jacobian, derivative added to grad[i]. */
function halfNormalLog(theta: Float64Array, grad: Float64Array, i: number, scale: number): number {
  const u = theta[i]!;
  const x = Math.exp(u);
  const z = x / scale;
  grad[i]! += 1 - z * z;
  return -0.5 * z * z + u;
}

/** The prior constants, unpacked into numbers (the row loops must not chase the priors record). */
class PriorConstants {
  readonly alphaM: number;
  readonly alphaS: number;
  readonly alphaSigma: number;
  readonly deltaM: number;
  readonly deltaS: number;
  readonly gammaM: number;
  readonly gammaS: number;
  readonly ctrlM: number;
  readonly ctrlS: number;
  readonly betaSigma: number;
  readonly sigma: number;

  constructor(pr: Priors) {
    this.alphaM = pr.alpha_mu.normal[0];
    this.alphaS = pr.alpha_mu.normal[1];
    this.alphaSigma = pr.alpha_sigma.half_normal;
    this.deltaM = pr.delta.normal[0];
    this.deltaS = pr.delta.normal[1];
    this.gammaM = pr.gamma.normal[0];
    this.gammaS = pr.gamma.normal[1];
    this.ctrlM = pr.gamma_control.normal[0];
    this.ctrlS = pr.gamma_control.normal[1];
    this.betaSigma = pr.beta_sigma.half_normal;
    this.sigma = pr.sigma.half_normal;
  }
}

export abstract class CoefficientTerm implements Term {
  protected readonly o: UnconstrainedOffsets;
  protected readonly pr: PriorConstants;
  /** Columns of the first control and the first media coefficient in b. */
  protected readonly control0: number;
  protected readonly media0: number;

  constructor(
    protected readonly data: ModelData,
    priors: Priors,
    /** Media-coefficient prior per slot (C when hierarchical, numSets × C otherwise). */
    protected readonly betaMean: Float64Array,
    protected readonly betaSd: Float64Array,
  ) {
    this.o = data.layout.offsets;
    this.pr = new PriorConstants(priors);
    this.control0 = data.layout.controlColumn(0);
    this.media0 = data.layout.mediaColumn(0);
  }

  abstract forward(theta: Float64Array, grad: Float64Array, s: Scratch): number;
  abstract backward(theta: Float64Array, grad: Float64Array, s: Scratch): void;
  /** The coefficient map θ → B (numSets × P), without priors; forward calls it. */
  abstract fillCoefficients(theta: Float64Array, B: Float64Array): void;
  /** Adds (∂B/∂θ)ᵀ·gB to grad (the pullback of fillCoefficients at θ, with B its output). */
  abstract pullbackCoefficients(theta: Float64Array, B: Float64Array, gB: Float64Array, grad: Float64Array): void;

  /** sigma[s] ~ HalfNormal on the log scale (all kinds). */
  protected sigmaPriors(theta: Float64Array, grad: Float64Array, s: Scratch, count: number): number {
    const o = this.o;
    const scale = this.pr.sigma;
    let lp = 0;
    for (let k = 0; k < count; k++) {
      const u = theta[o.sigma + k]!;
      const sg = Math.exp(u);
      const z = sg / scale;
      lp += -0.5 * z * z + u;
      grad[o.sigma + k]! += 1 - z * z;
      s.sig[k] = sg;
    }
    return lp;
  }
}

/** Hierarchical: priors and Jacobians; fills B (G×P), sig (G) and its own beta_sigma (C). */
export class HierarchicalTerm extends CoefficientTerm {
  private readonly betaSigma: Float64Array;

  constructor(data: ModelData, priors: Priors, betaMean: Float64Array, betaSd: Float64Array) {
    super(data, priors, betaMean, betaSd);
    this.betaSigma = new Float64Array(data.C);
  }

  forward(theta: Float64Array, grad: Float64Array, s: Scratch): number {
    const { G, C } = this.data;
    const o = this.o;
    const pr = this.pr;
    let lp = normalPrior(theta, grad, o.alphaMu, pr.alphaM, pr.alphaS);
    lp += halfNormalLog(theta, grad, o.alphaSigma, pr.alphaSigma);
    for (let g = 0; g < G; g++) {
      const zg = theta[o.alphaZ + g]!;
      lp -= 0.5 * zg * zg;
      grad[o.alphaZ + g]! -= zg;
    }
    for (let g = 0; g < G; g++) lp += normalPrior(theta, grad, o.delta + g, pr.deltaM, pr.deltaS);
    for (let k = 0; k < FOURIER_TERMS; k++) lp += normalPrior(theta, grad, o.gamma + k, pr.gammaM, pr.gammaS);
    for (let j = 0; j < this.data.K; j++) lp += normalPrior(theta, grad, o.gammaControl + j, pr.ctrlM, pr.ctrlS);
    for (let c = 0; c < C; c++) {
      lp += normalPrior(theta, grad, o.betaLogMu + c, this.betaMean[c]!, this.betaSd[c]!);
      lp += halfNormalLog(theta, grad, o.betaSigma + c, pr.betaSigma);
    }
    for (let g = 0; g < G; g++) {
      for (let c = 0; c < C; c++) {
        const i = o.betaZ + g * C + c;
        const zgc = theta[i]!;
        lp -= 0.5 * zgc * zgc;
        grad[i]! -= zgc;
      }
    }
    this.fillCoefficients(theta, s.B);
    lp += this.sigmaPriors(theta, grad, s, G);
    return lp;
  }

  fillCoefficients(theta: Float64Array, B: Float64Array): void {
    const { G, C, P, K } = this.data;
    const o = this.o;
    const control0 = this.control0;
    const media0 = this.media0;
    const amu = theta[o.alphaMu]!;
    const asig = Math.exp(theta[o.alphaSigma]!);
    for (let c = 0; c < C; c++) this.betaSigma[c] = Math.exp(theta[o.betaSigma + c]!);
    for (let g = 0; g < G; g++) {
      const bo = g * P;
      B[bo + INTERCEPT_COLUMN] = amu + asig * theta[o.alphaZ + g]!;
      B[bo + TREND_COLUMN] = theta[o.delta + g]!;
      for (let k = 0; k < FOURIER_TERMS; k++) B[bo + FOURIER_COLUMN + k] = theta[o.gamma + k]!;
      for (let j = 0; j < K; j++) B[bo + control0 + j] = theta[o.gammaControl + j]!;
      for (let c = 0; c < C; c++) B[bo + media0 + c] = Math.exp(theta[o.betaLogMu + c]! + this.betaSigma[c]! * theta[o.betaZ + g * C + c]!);
    }
  }

  backward(theta: Float64Array, grad: Float64Array, s: Scratch): void {
    this.pullbackCoefficients(theta, s.B, s.gB, grad);
    const o = this.o;
    for (let g = 0; g < this.data.G; g++) grad[o.sigma + g]! += s.gLogSig[g]!;
  }

  pullbackCoefficients(theta: Float64Array, B: Float64Array, gB: Float64Array, grad: Float64Array): void {
    const { G, C, P, K } = this.data;
    const o = this.o;
    const control0 = this.control0;
    const media0 = this.media0;
    const asig = Math.exp(theta[o.alphaSigma]!);
    let gAmu = 0;
    let gAsig = 0;
    for (let g = 0; g < G; g++) {
      const bo = g * P;
      const ga = gB[bo + INTERCEPT_COLUMN]!;
      const zg = theta[o.alphaZ + g]!;
      gAmu += ga;
      grad[o.alphaZ + g]! += ga * asig;
      gAsig += ga * asig * zg;
      grad[o.delta + g]! += gB[bo + TREND_COLUMN]!;
      for (let k = 0; k < FOURIER_TERMS; k++) grad[o.gamma + k]! += gB[bo + FOURIER_COLUMN + k]!;
      for (let j = 0; j < K; j++) grad[o.gammaControl + j]! += gB[bo + control0 + j]!;
      for (let c = 0; c < C; c++) {
        const i = o.betaZ + g * C + c;
        const gb = gB[bo + media0 + c]! * B[bo + media0 + c]!;
        const sd = this.betaSigma[c]!;
        grad[o.betaLogMu + c]! += gb;
        grad[i]! += gb * sd;
        grad[o.betaSigma + c]! += gb * sd * theta[i]!;
      }
    }
    grad[o.alphaMu]! += gAmu;
    grad[o.alphaSigma]! += gAsig;
  }
}

/** Unpooled (S = G sets) and pooled (S = 1): every coefficient is a primary parameter. */
export class FlatTerm extends CoefficientTerm {
  forward(theta: Float64Array, grad: Float64Array, s: Scratch): number {
    const { C, K, numSets: S } = this.data;
    const o = this.o;
    const pr = this.pr;
    let lp = 0;
    for (let k = 0; k < S; k++) {
      lp += normalPrior(theta, grad, o.alpha + k, pr.alphaM, pr.alphaS);
      lp += normalPrior(theta, grad, o.delta + k, pr.deltaM, pr.deltaS);
      for (let f = 0; f < FOURIER_TERMS; f++) lp += normalPrior(theta, grad, o.gamma + k * FOURIER_TERMS + f, pr.gammaM, pr.gammaS);
      for (let j = 0; j < K; j++) lp += normalPrior(theta, grad, o.gammaControl + k * K + j, pr.ctrlM, pr.ctrlS);
      for (let c = 0; c < C; c++) {
        const i = o.betaLog + k * C + c;
        lp += normalPrior(theta, grad, i, this.betaMean[k * C + c]!, this.betaSd[k * C + c]!);
      }
    }
    this.fillCoefficients(theta, s.B);
    lp += this.sigmaPriors(theta, grad, s, S);
    return lp;
  }

  fillCoefficients(theta: Float64Array, B: Float64Array): void {
    const { C, P, K, numSets: S } = this.data;
    const o = this.o;
    const control0 = this.control0;
    const media0 = this.media0;
    for (let k = 0; k < S; k++) {
      const bo = k * P;
      B[bo + INTERCEPT_COLUMN] = theta[o.alpha + k]!;
      B[bo + TREND_COLUMN] = theta[o.delta + k]!;
      for (let f = 0; f < FOURIER_TERMS; f++) B[bo + FOURIER_COLUMN + f] = theta[o.gamma + k * FOURIER_TERMS + f]!;
      for (let j = 0; j < K; j++) B[bo + control0 + j] = theta[o.gammaControl + k * K + j]!;
      for (let c = 0; c < C; c++) B[bo + media0 + c] = Math.exp(theta[o.betaLog + k * C + c]!);
    }
  }

  backward(theta: Float64Array, grad: Float64Array, s: Scratch): void {
    this.pullbackCoefficients(theta, s.B, s.gB, grad);
    const o = this.o;
    for (let k = 0; k < this.data.numSets; k++) grad[o.sigma + k]! += s.gLogSig[k]!;
  }

  pullbackCoefficients(_theta: Float64Array, B: Float64Array, gB: Float64Array, grad: Float64Array): void {
    const { C, P, K, numSets: S } = this.data;
    const o = this.o;
    const control0 = this.control0;
    const media0 = this.media0;
    for (let k = 0; k < S; k++) {
      const bo = k * P;
      grad[o.alpha + k]! += gB[bo + INTERCEPT_COLUMN]!;
      grad[o.delta + k]! += gB[bo + TREND_COLUMN]!;
      for (let f = 0; f < FOURIER_TERMS; f++) grad[o.gamma + k * FOURIER_TERMS + f]! += gB[bo + FOURIER_COLUMN + f]!;
      for (let j = 0; j < K; j++) grad[o.gammaControl + k * K + j]! += gB[bo + control0 + j]!;
      for (let c = 0; c < C; c++) grad[o.betaLog + k * C + c]! += gB[bo + media0 + c]! * B[bo + media0 + c]!;
    }
  }
}
