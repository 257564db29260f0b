/**
 * Utilities of a plan: a number computed from the per-draw responses R_1..R_D (money) and the
 * plan's total spend, with its analytic gradient, which the optimizer maximizes.
 *
 * Follows PyMC-Marketing's `pymc_marketing/mmm/utility.py` for the menu and the definitions
 * (mean = `average_response`; quantile = `value_at_risk` with level = 1 − confidence;
 * CVaR = `conditional_value_at_risk`, Rockafellar & Uryasev 2000; mean-tightness score =
 * `mean_tightness_score` with confidence 0.75; Sharpe = `sharpe_ratio` with sd of ddof 1 and a
 * zero risk-free rate), and deviates where those are not differentiable:
 *
 * - Quantiles are kernel-smoothed: τ solves (1/D) Σ_d σ((τ − R_d)/h) = q, σ the logistic
 *   function (a logistic-kernel estimate of the CDF, inverted). PyMC-Marketing sorts and
 *   interpolates (type 7), whose gradient jumps whenever two draws swap ranks; τ is smooth and
 *   its gradient follows from the implicit function theorem.
 * - CVaR is the Rockafellar–Uryasev form with the hinge smoothed by a softplus:
 *   CVaR_h = max_τ { τ − (h/(qD)) Σ softplus((τ − R_d)/h) }. Its maximizer is exactly the
 *   smoothed q-quantile above, so by the envelope theorem ∂CVaR/∂R_d = σ((τ − R_d)/h)/(qD):
 *   a smooth version of PyMC-Marketing's "mean of the draws below the VaR" (which counts draws
 *   with a mask and is piecewise constant in its weights). It is concave in R, as CVaR is.
 * - The mean-tightness score is mean − α·(Q_0.75 − Q_0.25) with smoothed quartiles.
 *   PyMC-Marketing's tail distance |Q_0.75 − μ| + |μ − Q_0.25| equals Q_0.75 − Q_0.25 whenever
 *   the mean lies between the quartiles (all but extremely skewed posteriors); the absolute
 *   values would add kinks.
 * - P(ROAS ≥ r) (not in PyMC-Marketing) is smoothed the same way:
 *   (1/D) Σ σ((R_d − r·spend)/h), i.e. the indicator 1[ROAS_d ≥ r] replaced by a logistic ramp
 *   whose width is the bandwidth h (on the response scale; h/spend on the ROAS scale).
 *
 * Bandwidth: h = c·sd(R) with c = bandwidth · (√3/π) · 1.06 · D^(−1/5), i.e. Silverman's rule of
 * thumb for the kernel's standard deviation (the logistic kernel with scale h has sd h·π/√3),
 * times a user factor `bandwidth` (default 1). sd(R) is the population sd with a negligible
 * floor, sd = √(var + 1e-18·(1 + mean²)), so h is a smooth function of R and the gradients
 * include its dependence on R. The smoothing biases tail quantiles by a few percent of the
 * tail distance; plans are reported with plain empirical quantiles.
 *
 * Every gradient is tested against central finite differences (test/utilities.test.ts).
 */
import { OptimizerError } from './errors.js';

export interface UtilityValue {
  readonly value: number;
  /** ∂utility/∂(total planned spend), for utilities that depend on the spend (ROAS-based). */
  readonly dSpend: number;
}

/**
 * A utility to maximize. Implement this interface for a custom utility: `evaluate` returns the
 * value for per-draw responses `response` (length D, money) of a plan whose total spend is
 * `spend`, and writes ∂utility/∂response[d] into `gradOut` (length D).
 */
export interface Utility {
  readonly name: string;
  evaluate(response: Float64Array, spend: number, gradOut: Float64Array): UtilityValue;
}

export type UtilitySpec =
  | { readonly kind: 'mean' }
  /** The level-q quantile (value at risk), e.g. q = 0.05. */
  | { readonly kind: 'quantile'; readonly level: number }
  /** Mean of the worst q fraction of draws (expected shortfall), e.g. q = 0.05. */
  | { readonly kind: 'cvar'; readonly level: number }
  /** mean − alpha·(Q_confidence − Q_(1−confidence)); confidence defaults to 0.75. */
  | { readonly kind: 'mts'; readonly alpha: number; readonly confidence?: number }
  | { readonly kind: 'sharpe' }
  /** P(ROAS ≥ target), smoothed. */
  | { readonly kind: 'p-roas'; readonly target: number };

export interface UtilityOptions {
  /** Multiplier of Silverman's bandwidth for the smoothed utilities (default 1). */
  readonly bandwidth?: number;
}

function invalid(message: string): never {
  throw new OptimizerError('OPTIMIZER_INVALID_OPTIONS', message);
}

const UTILITY_FORMS = 'mean, var:Q (or quantile:Q), cvar:Q, mts:ALPHA, sharpe, p-roas:R';

/** Parses `mean`, `var:0.05` (= `quantile:0.05`), `cvar:0.05`, `mts:0.5`, `sharpe`, `p-roas:3`. */
export function parseUtilitySpec(text: string): UtilitySpec {
  const trimmed = String(text).trim();
  const [head, ...rest] = trimmed.split(':');
  const kind = (head ?? '').toLowerCase();
  const arg = rest.length > 0 ? rest.join(':') : undefined;
  const number = (what: string): number => {
    if (arg === undefined || arg.trim() === '') invalid(`utility "${trimmed}" needs ${what}, e.g. ${kind}:${kind === 'p-roas' ? 3 : 0.05}; forms: ${UTILITY_FORMS}`);
    const v = Number(arg);
    if (!Number.isFinite(v)) invalid(`utility "${trimmed}": "${arg}" is not a number; forms: ${UTILITY_FORMS}`);
    return v;
  };
  let spec: UtilitySpec;
  switch (kind) {
    case 'mean':
      if (arg !== undefined) invalid(`utility "${trimmed}": mean takes no parameter`);
      spec = { kind: 'mean' };
      break;
    case 'var':
    case 'quantile':
      spec = { kind: 'quantile', level: number('a quantile level in (0, 1)') };
      break;
    case 'cvar':
      spec = { kind: 'cvar', level: number('a tail level in (0, 1)') };
      break;
    case 'mts':
      spec = { kind: 'mts', alpha: number('a risk weight alpha >= 0') };
      break;
    case 'sharpe':
      if (arg !== undefined) invalid(`utility "${trimmed}": sharpe takes no parameter`);
      spec = { kind: 'sharpe' };
      break;
    case 'p-roas':
      spec = { kind: 'p-roas', target: number('a ROAS target > 0') };
      break;
    default:
      invalid(`unknown utility "${trimmed}"; expected one of ${UTILITY_FORMS}`);
  }
  checkSpec(spec);
  return spec;
}

function checkSpec(spec: UtilitySpec): void {
  switch (spec.kind) {
    case 'quantile':
    case 'cvar':
      if (!(spec.level > 0 && spec.level < 1)) invalid(`utility ${spec.kind}: level = ${spec.level}; expected a number in (0, 1), e.g. 0.05`);
      break;
    case 'mts': {
      if (!(spec.alpha >= 0 && Number.isFinite(spec.alpha))) invalid(`utility mts: alpha = ${spec.alpha}; expected a finite number >= 0`);
      const c = spec.confidence ?? 0.75;
      if (!(c > 0.5 && c < 1)) invalid(`utility mts: confidence = ${c}; expected a number in (0.5, 1)`);
      break;
    }
    case 'p-roas':
      if (!(spec.target > 0 && Number.isFinite(spec.target))) invalid(`utility p-roas: target = ${spec.target}; expected a finite number > 0`);
      break;
    case 'mean':
    case 'sharpe':
      break;
    default:
      invalid(`unknown utility kind ${JSON.stringify((spec as { kind?: unknown }).kind)}; expected one of ${UTILITY_FORMS}`);
  }
}

/** Canonical text of a spec (`cvar:0.05`), the inverse of `parseUtilitySpec`. */
export function formatUtilitySpec(spec: UtilitySpec): string {
  switch (spec.kind) {
    case 'mean':
    case 'sharpe':
      return spec.kind;
    case 'quantile':
      return `var:${spec.level}`;
    case 'cvar':
      return `cvar:${spec.level}`;
    case 'mts':
      return spec.confidence === undefined || spec.confidence === 0.75 ? `mts:${spec.alpha}` : `mts:${spec.alpha}:${spec.confidence}`;
    case 'p-roas':
      return `p-roas:${spec.target}`;
  }
}

/** Builds a utility from a spec or its text form (`'cvar:0.05'`). */
export function buildUtility(spec: UtilitySpec | string, options: UtilityOptions = {}): Utility {
  const s = typeof spec === 'string' ? parseUtilitySpec(spec) : spec;
  checkSpec(s);
  const bandwidth = options.bandwidth ?? 1;
  if (!(bandwidth > 0 && Number.isFinite(bandwidth))) invalid(`utility bandwidth = ${bandwidth}; expected a finite number > 0`);
  return new SmoothUtility(s, formatUtilitySpec(s), bandwidth);
}

// ---- kernels -------------------------------------------------------------------------------

function sigmoid(u: number): number {
  if (u >= 0) return 1 / (1 + Math.exp(-u));
  const e = Math.exp(u);
  return e / (1 + e);
}

function softplus(u: number): number {
  return u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u));
}

/** Mean, floored population sd, and the factor c of the bandwidth h = c·sd. */
interface Moments {
  mean: number;
  sd: number;
}

function moments(r: Float64Array, D: number): Moments {
  let mean = 0;
  for (let d = 0; d < D; d++) mean += r[d]!;
  mean /= D;
  let ss = 0;
  for (let d = 0; d < D; d++) {
    const e = r[d]! - mean;
    ss += e * e;
  }
  const sd = Math.sqrt(ss / D + 1e-18 * (1 + mean * mean));
  return { mean, sd };
}

/** ∂sd/∂R_d = ((R_d − mean) + 1e-18·mean)/(D·sd). */
function sdGradient(r: number, mom: Moments, D: number): number {
  return (r - mom.mean + 1e-18 * mom.mean) / (D * mom.sd);
}

/** Silverman's rule for the logistic kernel: c in h = c·sd. */
function bandwidthFactor(D: number, bandwidth: number): number {
  return bandwidth * (Math.sqrt(3) / Math.PI) * 1.06 * Math.pow(D, -0.2);
}

class SmoothUtility implements Utility {
  readonly name: string;
  private readonly spec: UtilitySpec;
  private readonly bandwidth: number;
  private scratch = new Float64Array(0);
  private scratch2 = new Float64Array(0);

  constructor(spec: UtilitySpec, name: string, bandwidth: number) {
    this.spec = spec;
    this.name = name;
    this.bandwidth = bandwidth;
  }

  private buffers(D: number): void {
    if (this.scratch.length !== D) {
      this.scratch = new Float64Array(D);
      this.scratch2 = new Float64Array(D);
    }
  }

  evaluate(response: Float64Array, spend: number, gradOut: Float64Array): UtilityValue {
    const D = response.length;
    if (D < 1) invalid('utility: no draws');
    if (gradOut.length < D) invalid(`utility: gradOut has length ${gradOut.length}, expected >= ${D}`);
    const spec = this.spec;
    switch (spec.kind) {
      case 'mean': {
        let m = 0;
        for (let d = 0; d < D; d++) m += response[d]!;
        gradOut.fill(1 / D, 0, D);
        return { value: m / D, dSpend: 0 };
      }
      case 'quantile': {
        const mom = moments(response, D);
        const tau = this.quantile(response, mom, spec.level, gradOut);
        return { value: tau, dSpend: 0 };
      }
      case 'cvar':
        return this.cvar(response, spec.level, gradOut);
      case 'mts': {
        const conf = spec.confidence ?? 0.75;
        const mom = moments(response, D);
        this.buffers(D);
        const g2 = this.scratch2;
        const hi = this.quantile(response, mom, conf, gradOut);
        for (let d = 0; d < D; d++) g2[d] = gradOut[d]!;
        const lo = this.quantile(response, mom, 1 - conf, gradOut);
        const a = spec.alpha;
        for (let d = 0; d < D; d++) gradOut[d] = 1 / D - a * (g2[d]! - gradOut[d]!);
        return { value: mom.mean - a * (hi - lo), dSpend: 0 };
      }
      case 'sharpe': {
        if (D < 2) invalid('utility sharpe needs at least 2 draws');
        let m = 0;
        for (let d = 0; d < D; d++) m += response[d]!;
        m /= D;
        let ss = 0;
        for (let d = 0; d < D; d++) ss += (response[d]! - m) ** 2;
        const s = Math.sqrt(ss / (D - 1));
        const s3 = s * s * s;
        for (let d = 0; d < D; d++) gradOut[d] = 1 / (D * s) - (m * (response[d]! - m)) / ((D - 1) * s3);
        return { value: m / s, dSpend: 0 };
      }
      case 'p-roas': {
        const mom = moments(response, D);
        const c = bandwidthFactor(D, this.bandwidth);
        const h = c * mom.sd;
        const r = spec.target;
        let p = 0;
        let sumSp = 0;
        let sumSpV = 0;
        for (let d = 0; d < D; d++) {
          const v = (response[d]! - r * spend) / h;
          const sg = sigmoid(v);
          const sp = sg * (1 - sg);
          p += sg;
          sumSp += sp;
          sumSpV += sp * v;
          gradOut[d] = sp;
        }
        const dH = -sumSpV / (D * h);
        for (let d = 0; d < D; d++) gradOut[d] = gradOut[d]! / (D * h) + dH * c * sdGradient(response[d]!, mom, D);
        return { value: p / D, dSpend: (-r * sumSp) / (D * h) };
      }
    }
  }

  /**
   * Smoothed level-q quantile τ: (1/D) Σ σ((τ − R_d)/h) = q, solved by safeguarded Newton
   * from the empirical quantile; writes dτ/dR_d into gradOut.
   */
  private quantile(r: Float64Array, mom: Moments, q: number, gradOut: Float64Array): number {
    const D = r.length;
    const c = bandwidthFactor(D, this.bandwidth);
    const h = c * mom.sd;
    const tau = solveSmoothQuantile(r, h, q, this.sorted(r));
    let sumSp = 0;
    let sumSpU = 0;
    for (let d = 0; d < D; d++) {
      const u = (tau - r[d]!) / h;
      const sg = sigmoid(u);
      const sp = sg * (1 - sg);
      sumSp += sp;
      sumSpU += sp * u;
      gradOut[d] = sp;
    }
    for (let d = 0; d < D; d++) gradOut[d] = (gradOut[d]! + sumSpU * c * sdGradient(r[d]!, mom, D)) / sumSp;
    return tau;
  }

  private cvar(r: Float64Array, q: number, gradOut: Float64Array): UtilityValue {
    const D = r.length;
    const mom = moments(r, D);
    const c = bandwidthFactor(D, this.bandwidth);
    const h = c * mom.sd;
    const tau = solveSmoothQuantile(r, h, q, this.sorted(r));
    let sumSoft = 0;
    let dH = 0;
    for (let d = 0; d < D; d++) {
      const u = (tau - r[d]!) / h;
      const sg = sigmoid(u);
      const sp = softplus(u);
      sumSoft += sp;
      dH += sp - u * sg;
      gradOut[d] = sg / (q * D);
    }
    dH = -dH / (q * D);
    for (let d = 0; d < D; d++) gradOut[d] = gradOut[d]! + dH * c * sdGradient(r[d]!, mom, D);
    return { value: tau - (h * sumSoft) / (q * D), dSpend: 0 };
  }

  private sorted(r: Float64Array): Float64Array {
    this.buffers(r.length);
    this.scratch.set(r);
    return this.scratch.sort();
  }
}

/**
 * Root τ of (1/D) Σ σ((τ − R_d)/h) = q: Newton steps from the empirical quantile of `sorted`,
 * kept inside a bracket that shrinks with every evaluation (bisection when Newton leaves it).
 * Converges to machine precision (the CVaR gradient relies on ∂/∂τ = 0 at the root).
 */
function solveSmoothQuantile(r: Float64Array, h: number, q: number, sorted: Float64Array): number {
  const D = r.length;
  let lo = sorted[0]! - 60 * h;
  let hi = sorted[D - 1]! + 60 * h;
  const pos = q * (D - 1);
  const i0 = Math.floor(pos);
  const w = pos - i0;
  let tau = (1 - w) * sorted[i0]! + w * sorted[Math.min(i0 + 1, D - 1)]!;
  for (let iter = 0; iter < 200; iter++) {
    let g = 0;
    let gp = 0;
    for (let d = 0; d < D; d++) {
      const sg = sigmoid((tau - r[d]!) / h);
      g += sg;
      gp += sg * (1 - sg);
    }
    g = g / D - q;
    gp = gp / (D * h);
    if (g === 0) return tau;
    if (g > 0) hi = tau;
    else lo = tau;
    let next = gp > 0 ? tau - g / gp : NaN;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - tau) <= 1e-15 * (Math.abs(tau) + h) || hi - lo <= 1e-15 * (Math.abs(tau) + h)) return next;
    tau = next;
  }
  return tau;
}
