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
//    (Rubin 1988): prior draws of ρ weighted by p(T = 1 | ρ), and, when their effective sample
//    size is below 1000 (`DEFAULT_POOL`; the pooled model, whose single intercept must meet
//    every market's mean, needs it), stages of population Monte Carlo with Student-t proposals
//    fitted to the weighted draws; the error of the chosen draw's distribution shrinks as 1/ESS,
//    and the ESS is recorded with the replicate;
// 2. x and the noise given ρ and T = 1, exactly, by conditioning a joint draw on T (the update
//    x = x* + Σ0 Aᵀ S⁻¹ (1 − T*), e_n = e*_n + σ_g²/n_g·[S⁻¹(1 − T*)]_g);
// 3. a data set with a negative target (the CSV rules refuse it) is discarded and steps 2–3 are
//    repeated with another ρ picked from the same weighted draws — a rejection on the data
//    alone, which keeps the ranks uniform too.
// The means come from the model itself: each coefficient's effect on the market means is read
// off `model.mean` once (the design means, which no parameter moves), A(ρ) is how
// `model.constrain` moves the linear coefficients (alpha[g] by alpha_sigma per alpha_z[g] in the
// hierarchical model), and b(ρ) is the media coefficients' part with fixed transforms, or
// `model.mean` minus the linear part with learned transforms or time-varying effects. So the
// simulation uses exactly the mean the log density uses.
import { coordinatePriors, drawCoordinate, logPriorKernel, type CoordinatePrior, type Model, type Rng } from '@tributary/models';
import { buildRng as buildSamplerRng } from '@tributary/sampler';

/** Bases of the unconstrained coordinates the per-market mean is affine in (with Normal priors). */
const LINEAR_BASES = new Set(['alpha_mu', 'alpha', 'alpha_z', 'delta', 'gamma', 'gamma_control']);
/** Data sets discarded for a negative target before a replicate gives up. */
const MAX_DISCARDED = 1000;

/** How many draws of ρ to weigh: stages of `batch` until the weights' ESS is `ess`, at most `max` in all. */
export interface PoolOptions {
  ess: number;
  batch: number;
  max: number;
}

export const DEFAULT_POOL: PoolOptions = { ess: 1000, batch: 2000, max: 40_000 };

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
  /**
   * With fixed transforms and constant effects the media columns are data too: the media
   * coefficients' effects on the market means (`mediaEffect`), so b(ρ) needs no `model.mean`.
   * Otherwise (learned transforms, time-varying effects) b(ρ) is read off `model.mean`.
   */
  private readonly media: number[];
  private readonly mediaEffect: Float64Array | null;
  private readonly isLinear: Uint8Array;
  /** The other coordinates: ρ. */
  private readonly rho: number[];
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
    this.isLinear = new Uint8Array(model.dim);
    for (const i of this.linear) this.isLinear[i] = 1;
    this.rho = model.parameterNames.map((_, i) => i).filter((i) => this.isLinear[i] === 0);
    // The design means, at a prior draw (they do not depend on it: the columns are data).
    const base = model.constrain(this.drawTheta(uniformRng('sbc:design')));
    const m0 = this.marketMeans(model.mean(base, this.mu, { scale: 'scaled' }));
    const effectOf = (j: number): Float64Array => {
      const c = Float64Array.from(base);
      c[j]! += 1;
      const m = this.marketMeans(model.mean(c, this.mu, { scale: 'scaled' }));
      return Float64Array.from(m, (v, g) => v - m0[g]!);
    };
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
    this.coefficients.forEach((j, i) => this.effect.set(effectOf(j), i * this.G));
    const media = new Set<number>();
    for (let set = 0; set < L.numSets; set++) for (let ch = 0; ch < model.channels.length; ch++) media.add(L.coefAt(set, L.mediaColumn(ch)));
    this.media = [...media].sort((a, b) => a - b);
    this.mediaEffect = null;
    if (!model.isLearnedTransforms && model.timeVarying === null) {
      const effect = new Float64Array(this.media.length * this.G);
      this.media.forEach((j, i) => effect.set(effectOf(j), i * this.G));
      // The market means are then Σ_j c_j·effect_j over every coefficient: check it at the base draw.
      const check = this.linearPart(base, this.coefficients, this.effect);
      const mediaPart = this.linearPart(base, this.media, effect);
      if (m0.some((m, g) => !(Math.abs(m - check[g]! - mediaPart[g]!) < 1e-9 * (1 + Math.abs(m))))) {
        throw new Error('ReplicateSimulator: the market means are not linear in the coefficients with fixed transforms');
      }
      this.mediaEffect = effect;
    }
  }

  /** Σ_j c_j·effect_j over the given coefficients: their part of the market means. */
  private linearPart(c: ArrayLike<number>, indices: readonly number[], effect: Float64Array): Float64Array {
    const out = new Float64Array(this.G);
    indices.forEach((j, i) => {
      for (let g = 0; g < this.G; g++) out[g]! += c[j]! * effect[i * this.G + g]!;
    });
    return out;
  }

  /** Draws one replicate with `rng` (the same rng state gives the same replicate). */
  simulate(rng: Rng, options: PoolOptions = DEFAULT_POOL): SimulatedReplicate {
    const pool = this.proposalPool(rng, options);
    for (let discarded = 0; discarded <= MAX_DISCARDED; discarded++) {
      const theta = Float64Array.from(pool.thetas[pickIndex(pool.cumulative, rng())]!);
      const yScaled = this.drawGivenRho(theta, rng);
      if (yScaled.every((y) => y >= 0)) return { truth: this.model.constrain(theta), yScaled, ess: pool.ess, proposals: pool.proposals, discarded };
    }
    throw new Error(`ReplicateSimulator: ${MAX_DISCARDED} simulated data sets in a row had a negative target; the priors put too much mass below 0`);
  }

  /** θ from the coordinate priors, the linear block left at 0. */
  private drawTheta(rng: Rng): Float64Array {
    const theta = new Float64Array(this.model.dim);
    for (let i = 0; i < theta.length; i++) if (this.isLinear[i] !== 1) theta[i] = drawCoordinate(this.priors[i]!, rng);
    return theta;
  }

  /**
   * Step 1: weighted draws of ρ to choose from. First `options.batch` prior draws weighted by
   * p(T = 1 | ρ). When the weights' effective sample size is below `options.ess`, population
   * Monte Carlo (Cappé, Guillin, Marin & Robert 2004) takes over: stages of `options.batch`
   * draws from a multivariate Student-t (ν = 5) with the weighted mean and twice the weighted
   * covariance of the draws so far, on the unconstrained ρ coordinates, each weighted by
   * p(ρ)·p(T = 1 | ρ) / q(ρ) with its own stage's q (normalized alike, so the stages pool), until
   * the pooled ESS reaches `options.ess` or `options.max` draws were made. The pool chosen from
   * is the prior stage or the pooled t stages, whichever has the larger ESS.
   */
  private proposalPool(rng: Rng, options: PoolOptions): Pool & { proposals: number } {
    const prior = this.weighStage(rng, options.batch, null);
    let total = options.batch;
    let best = prior;
    const thetas: Float64Array[] = [];
    const logW: number[] = [];
    for (let from = prior; best.ess < options.ess && total < options.max; ) {
      const size = Math.min(options.batch, options.max - total);
      const stage = this.weighStage(rng, size, fitStudentT(from, this.rho));
      total += size;
      thetas.push(...stage.thetas);
      logW.push(...stage.logW);
      from = poolOf(thetas, Float64Array.from(logW));
      if (from.ess > best.ess) best = from;
    }
    return { ...best, proposals: total };
  }

  /** `size` draws of θ (linear block at 0) from the prior (q = null) or from q, with their weights. */
  private weighStage(rng: Rng, size: number, q: StudentT | null): Pool {
    const thetas: Float64Array[] = [];
    const logW = new Float64Array(size);
    for (let k = 0; k < size; k++) {
      let theta: Float64Array;
      let lw: number;
      if (q === null) {
        theta = this.drawTheta(rng);
        lw = 0;
      } else {
        theta = new Float64Array(this.model.dim);
        const lq = q.draw(rng, theta);
        lw = -lq;
        for (const i of this.rho) lw += logPriorKernel(this.priors[i]!, theta[i]!);
      }
      lw += this.conditional(theta).logDensityAtOne;
      thetas.push(theta);
      logW[k] = Number.isNaN(lw) ? -Infinity : lw;
    }
    return poolOf(thetas, logW);
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
    let b: Float64Array;
    if (this.mediaEffect !== null) {
      b = this.linearPart(c, this.media, this.mediaEffect);
    } else {
      b = this.marketMeans(this.model.mean(c, this.mu, { scale: 'scaled' }));
      const lin = this.linearPart(c, coefficients, effect);
      for (let g = 0; g < G; g++) b[g]! -= lin[g]!;
    }
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

/** Weighted draws: θ (linear block at 0), log weights, normalized cumulative weights and their ESS. */
interface Pool {
  thetas: Float64Array[];
  logW: Float64Array;
  cumulative: Float64Array;
  ess: number;
}

function poolOf(thetas: Float64Array[], logW: Float64Array): Pool {
  let max = -Infinity;
  for (const lw of logW) if (lw > max) max = lw;
  if (!(max > -Infinity)) throw new Error('ReplicateSimulator: every proposal has weight 0');
  const cumulative = new Float64Array(logW.length);
  let sum = 0;
  let sum2 = 0;
  logW.forEach((lw, k) => {
    const w = Math.exp(lw - max);
    sum += w;
    sum2 += w * w;
    cumulative[k] = sum;
  });
  for (let k = 0; k < cumulative.length; k++) cumulative[k]! /= sum;
  return { thetas, logW, cumulative, ess: (sum * sum) / sum2 };
}

/** A multivariate Student-t on some coordinates of θ. */
interface StudentT {
  /** Fills θ's coordinates with a draw; returns its log density up to a constant that depends on ν and the dimension only. */
  draw(rng: Rng, theta: Float64Array): number;
}

const T_DOF = 5;

/** The t with the pool's weighted mean and twice its weighted covariance on `coords`. */
function fitStudentT(pool: Pool, coords: readonly number[]): StudentT {
  const d = coords.length;
  const n = pool.thetas.length;
  const w = Float64Array.from(pool.cumulative, (c, k) => c - (k > 0 ? pool.cumulative[k - 1]! : 0));
  const mean = new Float64Array(d);
  for (let k = 0; k < n; k++) if (w[k]! > 0) coords.forEach((i, a) => (mean[a]! += w[k]! * pool.thetas[k]![i]!));
  const cov = new Float64Array(d * d);
  for (let k = 0; k < n; k++) {
    if (!(w[k]! > 0)) continue;
    const t = pool.thetas[k]!;
    for (let a = 0; a < d; a++) {
      const da = t[coords[a]!]! - mean[a]!;
      for (let b = 0; b <= a; b++) cov[a * d + b]! += w[k]! * da * (t[coords[b]!]! - mean[b]!);
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      cov[a * d + b] = 2 * cov[a * d + b]! + (a === b ? 1e-6 : 0);
      cov[b * d + a] = cov[a * d + b]!;
    }
  }
  const L = cholesky(cov, d);
  if (L === null) throw new Error('ReplicateSimulator: the weighted covariance of the proposals is not positive definite');
  let logDet = 0; // log |L|: the stages' densities must share their constant to pool
  for (let a = 0; a < d; a++) logDet += Math.log(L[a * d + a]!);
  return {
    draw(rng, theta) {
      const z = Float64Array.from({ length: d }, () => standardNormal(rng));
      let chi2 = 0;
      for (let k = 0; k < T_DOF; k++) chi2 += standardNormal(rng) ** 2;
      const scale = Math.sqrt(T_DOF / chi2);
      let q = 0;
      for (let a = 0; a < d; a++) {
        let x = 0;
        for (let b = 0; b <= a; b++) x += L[a * d + b]! * z[b]!;
        theta[coords[a]!] = mean[a]! + scale * x;
        q += (scale * z[a]!) ** 2;
      }
      return -0.5 * (T_DOF + d) * Math.log1p(q / T_DOF) - logDet;
    },
  };
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
