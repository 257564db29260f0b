// One SBC replicate's truth and data: θ̃ and ỹ from the model's joint distribution, conditioned
// on what the fit's scaling leaves unchanged. The design and the reasons are in the header of
// commands/sbc.ts ("Simulation"); in short:
//
// The fit divides each market's target by its mean (y_s = y / ȳ_g), so the data a fit sees
// always have T_g = mean of y_s over market g = 1. A replicate must therefore be drawn from
// p(θ, y_s | T = 1): conditioning on a function of the data leaves p(θ | y_s) unchanged, so the
// ranks stay uniform (the argument of SBC with rejection on the data). With θ = (ρ, x), x the
// coordinates the mean is linear in with Normal priors (alpha_mu, alpha, alpha_z, delta, gamma,
// gamma_control: `LINEAR_BASES`) and ρ all others (media effects, scales, transforms):
//   T = A(ρ)·x + b(ρ) + ē,  x ~ N(μ0, Σ0) (diagonal),  ē_g ~ N(0, σ_g²/n_g)  (Normal noise)
// so given ρ everything is Gaussian:
// 1. ρ ~ p(ρ | T = 1) ∝ p(ρ)·N(1; A μ0 + b, A Σ0 Aᵀ + D): sampling–importance–resampling
//    (Rubin 1988): prior draws of ρ weighted by p(T = 1 | ρ), as many as it takes for the
//    weights' effective sample size to reach 1000 (`DEFAULT_POOL`); the error of the chosen
//    draw's distribution shrinks as 1/ESS, and the ESS is recorded with the replicate;
// 2. x and the noise given ρ and T = 1, exactly, by conditioning a joint draw on T (the update
//    x = x* + Σ0 Aᵀ S⁻¹ (1 − T*), e_n = e*_n + σ_g²/n_g·[S⁻¹(1 − T*)]_g);
// 3. a data set with a negative target (the CSV rules refuse it) is discarded and the replicate
//    starts again from 1 — a rejection on the data alone, which keeps the ranks uniform too.
// A(ρ) and b(ρ) are read off the model itself (`model.mean` at x = 0 and at each unit vector),
// so the simulation uses exactly the mean the log density uses, whatever the kind, transforms
// or time-varying effects.
import { coordinatePriors, drawCoordinate, type CoordinatePrior, type Model, type Rng } from '@tributary/models';
import { buildRng as buildSamplerRng } from '@tributary/sampler';

/** Bases of the unconstrained coordinates the per-market mean is affine in (with Normal priors). */
const LINEAR_BASES = new Set(['alpha_mu', 'alpha', 'alpha_z', 'delta', 'gamma', 'gamma_control']);
/** Data sets discarded for a negative target before a replicate gives up. */
const MAX_DISCARDED = 1000;

/** How many prior draws of ρ to weigh: batches of `batch` until the weights' ESS is `ess`, at most `max`. */
export interface PoolOptions {
  ess: number;
  batch: number;
  max: number;
}

export const DEFAULT_POOL: PoolOptions = { ess: 1000, batch: 1000, max: 200_000 };

export interface SimulatedReplicate {
  /** The true parameters: a constrained draw, `model.constrainedNames` order. */
  truth: Float64Array;
  /** The scaled target per observed row (panel order); its mean is 1 in every market. */
  yScaled: Float64Array;
  /** Effective sample size of the importance weights of the proposals ρ was chosen from, and their number. */
  ess: number;
  proposals: number;
  /** Simulated data sets discarded because a target value was negative. */
  discarded: number;
}

/** The Gaussian picture of T given ρ: T ~ N(mean, S), S = A Σ0 Aᵀ + D, with its Cholesky factor. */
interface Conditional {
  A: Float64Array; // G × p, row-major
  b: Float64Array; // G
  sigma: Float64Array; // G: noise sd of each market
  chol: Float64Array; // G × G lower triangle of S
  logDensityAtOne: number; // log N(1; A μ0 + b, S)
}

/** Simulates replicates of one model (the buffers, coordinate priors and design means are reused). */
export class ReplicateSimulator {
  private readonly priors: CoordinatePrior[];
  /** Unconstrained indices of the linear block, and their prior means and variances. */
  private readonly linear: number[];
  private readonly mu0: Float64Array;
  private readonly var0: Float64Array;
  /**
   * The constrained coefficients of the intercept, trend, Fourier and control columns
   * (`layout.coefAt`), and per coefficient j the change of the market means when c_j grows by 1
   * (`effect`, coefficients × G): the design means, which no parameter moves.
   */
  private readonly coefficients: number[];
  private readonly effect: Float64Array;
  private readonly G: number;
  private readonly rowsOf: Float64Array;
  private readonly sigmaIndex: Int32Array;
  private readonly mu: Float64Array;

  constructor(private readonly model: Model) {
    if (model.likelihood !== 'normal') throw new Error('ReplicateSimulator: only the Normal likelihood (T given ρ is Gaussian)');
    this.priors = coordinatePriors(model);
    this.linear = [];
    model.parameterNames.forEach((name, i) => {
      if (LINEAR_BASES.has(name.replace(/\[.*$/, ''))) this.linear.push(i);
    });
    const p = this.linear.map((i) => this.priors[i]!);
    if (p.some((x) => x.kind !== 'normal')) throw new Error('ReplicateSimulator: a coordinate of the linear block has no Normal prior');
    this.mu0 = Float64Array.from(p, (x) => (x.kind === 'normal' ? x.mean : NaN));
    this.var0 = Float64Array.from(p, (x) => (x.kind === 'normal' ? x.sd * x.sd : NaN));
    this.G = model.markets.length;
    this.rowsOf = new Float64Array(this.G);
    for (const g of model.obsMarket) this.rowsOf[g]!++;
    const L = model.layout;
    this.sigmaIndex = Int32Array.from({ length: this.G }, (_, g) => L.sigmaIndex[L.setOf(g)]!);
    this.mu = new Float64Array(model.numObs);
    const coefficients = new Set<number>();
    for (let set = 0; set < L.numSets; set++) for (let col = 0; col < L.mediaColumn(0); col++) coefficients.add(L.coefAt(set, col));
    this.coefficients = [...coefficients].sort((a, b) => a - b);
    // The design means, at a prior draw (they do not depend on it: the columns are data).
    const base = model.constrain(this.drawTheta(uniformRng('sbc:design'), false));
    const m0 = this.marketMeans(model.mean(base, this.mu, { scale: 'scaled' }));
    // The linear block moves these coefficients only, besides its own value (else the mean would
    // not be affine in it).
    const theta = model.unconstrain(base);
    for (const i of this.linear) {
      theta[i]! += 1;
      const moved = model.constrain(theta);
      theta[i]! -= 1;
      const outside = moved.findIndex((v, j) => j !== L.target[i] && !coefficients.has(j) && Math.abs(v - base[j]!) > 1e-12);
      if (outside >= 0) throw new Error(`ReplicateSimulator: ${model.parameterNames[i]} moves ${model.constrainedNames[outside]}, which is not a coefficient of the linear columns`);
    }
    this.effect = new Float64Array(this.coefficients.length * this.G);
    this.coefficients.forEach((j, i) => {
      const c = Float64Array.from(base);
      c[j]! += 1;
      const m = this.marketMeans(model.mean(c, this.mu, { scale: 'scaled' }));
      for (let g = 0; g < this.G; g++) this.effect[i * this.G + g] = m[g]! - m0[g]!;
    });
  }

  /** Draws one replicate with `rng` (the same rng state gives the same replicate). */
  simulate(rng: Rng, options: PoolOptions = DEFAULT_POOL): SimulatedReplicate {
    const pool = this.proposalPool(rng, options);
    for (let discarded = 0; discarded <= MAX_DISCARDED; discarded++) {
      const theta = Float64Array.from(pool.thetas[pickIndex(pool.cumulative, rng())]!);
      const yScaled = this.drawGivenRho(theta, rng);
      if (yScaled.every((y) => y >= 0)) return { truth: this.model.constrain(theta), yScaled, ess: pool.ess, proposals: pool.thetas.length, discarded };
    }
    throw new Error(`ReplicateSimulator: ${MAX_DISCARDED} simulated data sets in a row had a negative target; the priors put too much mass below 0`);
  }

  /** θ from the coordinate priors (the linear block too, or left at 0). */
  private drawTheta(rng: Rng, withLinear: boolean): Float64Array {
    const theta = new Float64Array(this.model.dim);
    const skip = new Set(withLinear ? [] : this.linear);
    for (let i = 0; i < theta.length; i++) if (!skip.has(i)) theta[i] = drawCoordinate(this.priors[i]!, rng);
    return theta;
  }

  /**
   * Step 1: prior draws of ρ with their weights N(1; A μ0 + b, S), in batches of `options.batch`
   * until the effective sample size of the weights reaches `options.ess` (or `options.max`
   * draws); the weights' normalized cumulative sums (to pick from) and their ESS.
   */
  private proposalPool(rng: Rng, options: PoolOptions): { thetas: Float64Array[]; cumulative: Float64Array; ess: number } {
    const thetas: Float64Array[] = [];
    const logW: number[] = [];
    let max = -Infinity;
    let sum = 0; // Σ exp(logW − max)
    let sum2 = 0; // Σ exp(2 (logW − max))
    const ess = () => (sum > 0 ? (sum * sum) / sum2 : 0);
    while (thetas.length < options.max && (thetas.length === 0 || ess() < options.ess)) {
      for (let k = 0; k < options.batch; k++) {
        const theta = this.drawTheta(rng, false);
        const lw = this.conditional(theta).logDensityAtOne;
        thetas.push(theta);
        logW.push(lw);
        if (lw > max) {
          const shift = Math.exp(max - lw);
          sum *= shift;
          sum2 *= shift * shift;
          max = lw;
        }
        if (lw > -Infinity) {
          const w = Math.exp(lw - max);
          sum += w;
          sum2 += w * w;
        }
      }
    }
    if (!(max > -Infinity)) throw new Error('ReplicateSimulator: every proposal has weight 0');
    const cumulative = new Float64Array(thetas.length);
    let acc = 0;
    logW.forEach((lw, k) => {
      acc += Math.exp(lw - max);
      cumulative[k] = acc;
    });
    for (let k = 0; k < cumulative.length; k++) cumulative[k]! /= acc;
    return { thetas, cumulative, ess: ess() };
  }

  /** Step 2: the linear block and the noise given ρ and T = 1; writes the linear block into θ, returns y_s per observed row. */
  private drawGivenRho(theta: Float64Array, rng: Rng): Float64Array {
    const { G, linear, var0, model } = this;
    const c = this.conditional(theta);
    const p = linear.length;
    const x = Float64Array.from(linear, (i) => drawCoordinate(this.priors[i]!, rng));
    const N = model.numObs;
    const noise = new Float64Array(N);
    const resid = Float64Array.from({ length: G }, (_, g) => 1 - c.b[g]!);
    for (let n = 0; n < N; n++) {
      const g = model.obsMarket[n]!;
      noise[n] = c.sigma[g]! * standardNormal(rng);
      resid[g]! -= noise[n]! / this.rowsOf[g]!;
    }
    for (let g = 0; g < G; g++) for (let k = 0; k < p; k++) resid[g]! -= c.A[g * p + k]! * x[k]!;
    const r = cholSolve(c.chol, G, resid); // S⁻¹ (1 − T*)
    for (let k = 0; k < p; k++) {
      let s = 0;
      for (let g = 0; g < G; g++) s += c.A[g * p + k]! * r[g]!;
      theta[linear[k]!] = x[k]! + var0[k]! * s;
    }
    for (let n = 0; n < N; n++) {
      const g = model.obsMarket[n]!;
      noise[n]! += ((c.sigma[g]! * c.sigma[g]!) / this.rowsOf[g]!) * r[g]!;
    }
    const mean = model.mean(model.constrain(theta), this.mu, { scale: 'scaled' });
    const y = Float64Array.from(mean, (m, n) => m + noise[n]!);
    const check = this.marketMeans(y);
    if (check.some((t) => !(Math.abs(t - 1) < 1e-8))) throw new Error(`ReplicateSimulator: market means ${[...check].join(', ')} are not 1`);
    return y;
  }

  /**
   * A(ρ), b(ρ), the noise scales and log N(1; A μ0 + b, A Σ0 Aᵀ + D) at θ (its linear block is
   * ignored). b = the market means of the model's mean minus the linear coefficients' part; A's
   * column k = the change of the linear coefficients when θ_k grows by 1 (model.constrain: for
   * alpha_z it is alpha_sigma), through the design means.
   */
  private conditional(theta: Float64Array): Conditional {
    const { G, linear, mu0, var0, coefficients, effect } = this;
    const p = linear.length;
    const c = this.model.constrain(theta);
    const b = this.marketMeans(this.model.mean(c, this.mu, { scale: 'scaled' }));
    coefficients.forEach((j, i) => {
      for (let g = 0; g < G; g++) b[g]! -= c[j]! * effect[i * G + g]!;
    });
    const sigma = Float64Array.from({ length: G }, (_, g) => c[this.sigmaIndex[g]!]!);
    const A = new Float64Array(G * p);
    const moved = new Float64Array(c.length);
    for (let k = 0; k < p; k++) {
      const i = linear[k]!;
      const keep = theta[i]!;
      theta[i] = keep + 1;
      this.model.constrain(theta, moved);
      theta[i] = keep;
      coefficients.forEach((j, ci) => {
        const dc = moved[j]! - c[j]!;
        if (dc !== 0) for (let g = 0; g < G; g++) A[g * p + k]! += dc * effect[ci * G + g]!;
      });
    }
    const S = new Float64Array(G * G);
    const resid = new Float64Array(G);
    for (let g = 0; g < G; g++) {
      let m = b[g]!;
      for (let k = 0; k < p; k++) m += A[g * p + k]! * mu0[k]!;
      resid[g] = 1 - m;
      for (let h = 0; h <= g; h++) {
        let s = 0;
        for (let k = 0; k < p; k++) s += A[g * p + k]! * var0[k]! * A[h * p + k]!;
        S[g * G + h] = s;
        S[h * G + g] = s;
      }
      S[g * G + g]! += (sigma[g]! * sigma[g]!) / this.rowsOf[g]!;
    }
    const chol = cholesky(S, G);
    if (chol === null) return { A, b, sigma, chol: S, logDensityAtOne: -Infinity };
    const z = forwardSolve(chol, G, resid);
    let logDet = 0;
    let quad = 0;
    for (let g = 0; g < G; g++) {
      logDet += Math.log(chol[g * G + g]!);
      quad += z[g]! * z[g]!;
    }
    return { A, b, sigma, chol, logDensityAtOne: -0.5 * quad - logDet - 0.5 * G * Math.log(2 * Math.PI) };
  }

  private marketMeans(values: ArrayLike<number>): Float64Array {
    const out = new Float64Array(this.G);
    for (let n = 0; n < values.length; n++) out[this.model.obsMarket[n]!]! += values[n]!;
    for (let g = 0; g < this.G; g++) out[g]! /= this.rowsOf[g]!;
    return out;
  }
}

/** The first index whose normalized cumulative weight reaches u. */
function pickIndex(cumulative: Float64Array, u: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A uniform stream on [0, 1) from a seed string (the sampler's xor4096). */
export function uniformRng(seed: string): Rng {
  const rng = buildSamplerRng(seed);
  return () => rng.uniform();
}

/** Box–Muller, two uniforms per draw (as @tributary/models' variates). */
function standardNormal(rng: Rng): number {
  const u1 = 1 - rng();
  const u2 = rng();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Lower Cholesky factor of a symmetric n × n matrix (row-major), or null when it is not positive definite. */
function cholesky(S: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = S[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * n + i] = Math.sqrt(s);
      } else {
        L[i * n + j] = s / L[j * n + j]!;
      }
    }
  }
  return L;
}

/** Solves L z = v (L lower triangular). */
function forwardSolve(L: Float64Array, n: number, v: ArrayLike<number>): Float64Array {
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = v[i]!;
    for (let k = 0; k < i; k++) s -= L[i * n + k]! * z[k]!;
    z[i] = s / L[i * n + i]!;
  }
  return z;
}

/** Solves (L Lᵀ) r = v. */
function cholSolve(L: Float64Array, n: number, v: ArrayLike<number>): Float64Array {
  const z = forwardSolve(L, n, v);
  const r = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * r[k]!;
    r[i] = s / L[i * n + i]!;
  }
  return r;
}
