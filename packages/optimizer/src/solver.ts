/**
 * Maximizes a smooth function over the capped simplex {l ≤ x ≤ u, Σ x = B} (or Σ x ≤ B): a
 * sequential quadratic programming method of the SLSQP class (Kraft 1988, "A software package
 * for sequential quadratic programming"; Nocedal & Wright 2006, §16.5 and §18.3), specialised to
 * one linear equality and bounds.
 *
 * Each outer iteration, at a feasible z with gradient g of F = −utility and a quasi-Newton
 * matrix B ≈ ∇²F:
 * 1. QP subproblem, solved exactly: minimize gᵀd + ½dᵀBd subject to the bounds on z + d and
 *    aᵀd = 0, by a primal active-set method (no function evaluations; each face is an
 *    equality-constrained QP solved in closed form, d_F = −B_FF⁻¹(q_F + λa_F) with
 *    λ = −a_Fᵀ B_FF⁻¹ q_F / a_Fᵀ B_FF⁻¹ a_F, one Cholesky factorization; a step that hits a bound
 *    adds it, a bound whose multiplier has the wrong sign is released), warm-started from the
 *    bounds active at z.
 * 2. Armijo backtracking line search on t ∈ (0, 1] along d (z + t·d stays feasible: the box
 *    and the equality are convex); where F changes only by rounding, Hager & Zhang's (2005)
 *    approximate Wolfe test on the directional derivative instead, so the iterates keep
 *    converging below the √ε floor of function-value tests.
 * 3. Damped BFGS update of B (Powell 1978, as in SLSQP), so B stays positive definite on the
 *    non-concave parts of S-shaped response curves.
 * 4. Stop when the QP step is below the tolerance: then the QP multipliers are the problem's
 *    KKT multipliers.
 *
 * Deviations from scipy's SLSQP: the equality is linear and every iterate satisfies it (to
 * rounding), so there is no merit function and no infeasible iterate — Σ x = B holds at any
 * stop, and `optimize.ts` then rounds the plan to whole cents exactly; the QP is solved by a
 * primal active-set method specialised to bounds + one equality instead of Lawson–Hanson NNLS
 * on an LSQ reformulation; the variables are rescaled to the unit box z = (x − l)/(u − l), so
 * market-channels whose spend scales differ by orders of magnitude are equally conditioned. A
 * flexible budget (Σ x ≤ B) becomes an equality with a slack variable of zero utility.
 * Coordinates with l = u are fixed and removed. The final x is re-projected (projection.ts) so
 * the budget holds to rounding.
 *
 * Large problems (more than `denseLimit` = 250 free variables, e.g. 200 markets × 10 channels):
 * the dense matrix costs O(m³) per face factorization and the active-set method changes one bound
 * per factorization, so one QP took minutes at m = 2,000. There B is diagonal, refreshed each
 * step to every coordinate's |secant| (`DiagonalModel`), and the QP is solved exactly by a search
 * on the multiplier of the budget (`solveDiagonalQp`, O(m) per trial). The mean utility is a
 * sum of per-cell curves, so its Hessian is diagonal: on the 200 × 156 × 10 geo fit each start
 * converges (KKT residual < 1e-9) in 16–26 iterations. Known gap: Sharpe with a flexible budget
 * (strongly coupled cells) does not reach a KKT point in 500 iterations on the diagonal model
 * (within 1e-3 of the optimum on the fixtures).
 */
import { OptimizerError } from './errors.js';
import { projectCappedSimplex } from './projection.js';

export interface CappedSimplexProblem {
  readonly lower: ArrayLike<number>;
  readonly upper: ArrayLike<number>;
  /** B: Σ x = B (or ≤ B when `isFlexible`). */
  readonly total: number;
  readonly isFlexible?: boolean;
  /** The value to maximize at x; writes ∂value/∂x into gradOut. */
  valueAndGradient(x: Float64Array, gradOut: Float64Array): number;
}

export interface SolveOptions {
  /** Default 500. */
  readonly maxIterations?: number;
  /** Stop when the QP step is below this in unit-box coordinates (default 1e-9: with boxes of ~10⁶ money units, well below the cent to which plans are rounded). */
  readonly stepTolerance?: number;
  /**
   * A stop is reported as converged when the QP step fell below `stepTolerance`, or when the
   * first-order (KKT) residual, relative to the largest gradient component, is below this
   * (default 1e-5; stops at the floating-point floor of the objective are judged this way).
   */
  readonly kktTolerance?: number;
  /**
   * Largest number of free variables solved with a dense quasi-Newton matrix (default 250).
   * Larger problems (e.g. 200 markets × 10 channels) use a diagonal quasi-Newton model (see
   * `DiagonalModel`); 0 forces it for any size.
   */
  readonly denseLimit?: number;
}

export interface SolveResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly isConverged: boolean;
  /** Largest violation of the first-order conditions at x, relative to the gradient scale. */
  readonly kktResidual: number;
}

function invalid(message: string): never {
  throw new OptimizerError('OPTIMIZER_INVALID_INPUT', message);
}

/** Maximizes `problem` from `start` (projected onto the feasible set first). */
export function maximizeCappedSimplex(problem: CappedSimplexProblem, start: ArrayLike<number>, options: SolveOptions = {}): SolveResult {
  return solveCappedSimplex(problem, start, options).result;
}

/**
 * The quasi-Newton matrix at the end of a solve, in the solver's internal (unit-box) variables;
 * valid as a warm start for a problem with the same bounds, budget and flexibility.
 */
export interface QuasiNewtonState {
  readonly numVariables: number;
  /** The model itself (a copy is made when it warm-starts another solve). */
  readonly model: HessianModel;
}

/** `maximizeCappedSimplex`, optionally warm-started from a previous solve's quasi-Newton matrix. */
export function solveCappedSimplex(
  problem: CappedSimplexProblem,
  start: ArrayLike<number>,
  options: SolveOptions = {},
  warm?: QuasiNewtonState,
): { result: SolveResult; state: QuasiNewtonState } {
  const n = problem.lower.length;
  if (problem.upper.length !== n || start.length !== n) invalid(`maximizeCappedSimplex: lower/upper/start lengths ${n}/${problem.upper.length}/${start.length} differ`);
  const maxIterations = options.maxIterations ?? 500;
  const stepTol = options.stepTolerance ?? 1e-9;
  const kktTol = options.kktTolerance ?? 1e-5;
  const lo = Float64Array.from(problem.lower);
  const hi = Float64Array.from(problem.upper);
  const total = problem.total;
  const isFlexible = problem.isFlexible === true;
  let sumLo = 0;
  for (let i = 0; i < n; i++) {
    if (!(lo[i]! <= hi[i]!) || !Number.isFinite(lo[i]!) || !Number.isFinite(hi[i]!)) invalid(`maximizeCappedSimplex: bounds of coordinate ${i} are [${lo[i]}, ${hi[i]}]`);
    sumLo += lo[i]!;
  }

  // Feasible start in x.
  const x0 = projectCappedSimplex(start, lo, hi, total, new Float64Array(n), { isInequality: isFlexible });

  // Free coordinates (l < u) plus the slack of a flexible budget, rescaled to the unit box.
  const vars: number[] = [];
  for (let i = 0; i < n; i++) if (hi[i]! > lo[i]!) vars.push(i);
  let slackRange = 0;
  if (isFlexible) {
    slackRange = total - sumLo;
    if (slackRange > 0) vars.push(-1);
  }
  const m = vars.length;
  const rho = new Float64Array(m);
  for (let j = 0; j < m; j++) rho[j] = vars[j]! >= 0 ? hi[vars[j]!]! - lo[vars[j]!]! : slackRange;
  let rhoMean = 0;
  for (let j = 0; j < m; j++) rhoMean += rho[j]! / m;
  const a = Float64Array.from(rho, (r) => r / rhoMean);

  const x = Float64Array.from(x0);
  const gx = new Float64Array(n);
  let evaluations = 0;
  /** −value and its z-gradient at z. */
  const evalAt = (z: Float64Array, gz: Float64Array): number => {
    for (let j = 0; j < m; j++) {
      const i = vars[j]!;
      if (i >= 0) x[i] = lo[i]! + rho[j]! * z[j]!;
    }
    evaluations++;
    const v = problem.valueAndGradient(x, gx);
    for (let j = 0; j < m; j++) {
      const i = vars[j]!;
      gz[j] = i >= 0 ? -rho[j]! * gx[i]! : 0;
    }
    return Number.isFinite(v) ? -v : Infinity;
  };

  const z = new Float64Array(m);
  let slack0 = total;
  for (let i = 0; i < n; i++) slack0 -= x0[i]!;
  for (let j = 0; j < m; j++) {
    const i = vars[j]!;
    z[j] = i >= 0 ? (x0[i]! - lo[i]!) / rho[j]! : Math.min(1, Math.max(0, slack0 / rho[j]!));
  }
  const state = new Int8Array(m); // 0 free, −1 at lower, +1 at upper
  // Coordinates within 1e-12 of a bound (in the unit box) start on it, held active.
  for (let j = 0; j < m; j++) {
    if (z[j]! <= 1e-12) {
      z[j] = 0;
      state[j] = -1;
    } else if (z[j]! >= 1 - 1e-12) {
      z[j] = 1;
      state[j] = 1;
    }
  }

  const g = new Float64Array(m);
  let f = evalAt(z, g);
  if (!Number.isFinite(f)) invalid('maximizeCappedSimplex: the objective is not finite at the start');
  const isLimited = m > (options.denseLimit ?? 250);
  const B: HessianModel = isLimited ? new DiagonalModel(m) : new DenseModel(m);
  /** B is a gradient-scaled identity: replace it by (yᵀy/sᵀy)·I at the first update. */
  let needsScaling = true;
  const qp = new QpWorkspace(m);
  const qpState = new Int8Array(m);
  const d = new Float64Array(m);
  const zt = new Float64Array(m);
  const gt = new Float64Array(m);
  const s = new Float64Array(m);
  const y = new Float64Array(m);

  /** Identity scaled so that the first step moves at most across the unit box (SLSQP starts from I on scaled variables). */
  const resetModel = (): void => {
    let gmax = 0;
    for (let j = 0; j < m; j++) gmax = Math.max(gmax, Math.abs(g[j]!));
    B.setIdentity(gmax > 0 && Number.isFinite(gmax) ? gmax : 1);
    needsScaling = true;
  };
  if (warm !== undefined && warm.numVariables === m && B.copyFrom(warm.model)) {
    needsScaling = false;
  } else {
    resetModel();
  }

  let iterations = 0;
  let isConverged = false;
  let resets = 0;
  let smallDecreases = 0;
  while (iterations < maxIterations && m >= 2) {
    iterations++;
    // 1. QP subproblem, warm-started from the bounds active at z.
    qpState.set(state);
    if (B instanceof DiagonalModel) solveDiagonalQp(B.delta, g, a, z, qpState, d);
    else qp.solve(B, g, a, z, qpState, d);
    let dNorm = 0;
    let slope = 0;
    for (let j = 0; j < m; j++) {
      dNorm = Math.max(dNorm, Math.abs(d[j]!));
      slope += g[j]! * d[j]!;
    }
    if (dNorm <= stepTol) {
      isConverged = true;
      break;
    }
    if (!(slope < 0)) {
      // Not a descent direction: B has lost touch with F.
      if (resets++ >= 3) break;
      resetModel();
      continue;
    }
    // 2. Armijo backtracking with safeguarded quadratic interpolation.
    let t = 1;
    let ft = Infinity;
    let accepted = false;
    for (let ls = 0; ls < 60; ls++) {
      for (let j = 0; j < m; j++) zt[j] = Math.min(1, Math.max(0, z[j]! + t * d[j]!));
      if (t === 1) for (let j = 0; j < m; j++) if (qpState[j] !== 0) zt[j] = qpState[j] === -1 ? 0 : 1;
      ft = evalAt(zt, gt);
      if (ft <= f + 1e-4 * t * slope) {
        accepted = true;
        break;
      }
      // Approximate Wolfe (Hager & Zhang 2005): when F changes by no more than its rounding,
      // judge the step by the directional derivative, which is still accurate there.
      if (ft <= f + 1e-14 * Math.abs(f)) {
        let slopeT = 0;
        for (let j = 0; j < m; j++) slopeT += gt[j]! * d[j]!;
        if (slopeT >= 0.9 * slope && slopeT <= -0.9 * slope) {
          accepted = true;
          break;
        }
      }
      const denom = 2 * (ft - f - slope * t);
      const tq = denom > 0 && Number.isFinite(denom) ? (-slope * t * t) / denom : 0.5 * t;
      t = Math.min(0.5 * t, Math.max(0.1 * t, tq));
      if (t * dNorm < 1e-15) break;
    }
    if (!accepted) {
      if (dNorm <= 1e-7 || resets++ >= 3) break;
      resetModel();
      continue;
    }
    const decrease = f - ft;
    smallDecreases = decrease <= 1e-15 * Math.max(Math.abs(f), 1e-300) ? smallDecreases + 1 : 0;
    // 3. Damped BFGS update.
    let sy = 0;
    for (let j = 0; j < m; j++) {
      s[j] = zt[j]! - z[j]!;
      y[j] = gt[j]! - g[j]!;
      sy += s[j]! * y[j]!;
    }
    z.set(zt);
    g.set(gt);
    f = ft;
    for (let j = 0; j < m; j++) state[j] = z[j]! <= 0 ? -1 : z[j]! >= 1 ? 1 : 0;
    if (smallDecreases >= 4) break; // at the precision floor: the KKT residual decides
    if (needsScaling && sy > 0) {
      let yy = 0;
      for (let j = 0; j < m; j++) yy += y[j]! * y[j]!;
      B.setIdentity(yy / sy);
      needsScaling = false;
    }
    B.refreshDiagonal(s, y);
    B.dampedUpdate(s, y, sy);
  }
  if (m < 2) isConverged = true;
  const kktResidual = firstOrderResidual(g, a, state);
  if (kktResidual <= kktTol) isConverged = true;

  // Back to x; re-project so the budget holds to rounding; evaluate there.
  for (let j = 0; j < m; j++) {
    const i = vars[j]!;
    if (i >= 0) x[i] = lo[i]! + rho[j]! * z[j]!;
  }
  for (let i = 0; i < n; i++) if (!(hi[i]! > lo[i]!)) x[i] = lo[i]!;
  let planned = 0;
  for (let i = 0; i < n; i++) planned += x[i]!;
  const target = isFlexible ? Math.min(total, planned) : total;
  const xOut = projectCappedSimplex(x, lo, hi, target, new Float64Array(n));
  evaluations++;
  const value = problem.valueAndGradient(xOut, gx);
  return { result: { x: xOut, value, iterations, evaluations, isConverged, kktResidual }, state: { numVariables: m, model: B } };
}

/**
 * The quasi-Newton approximation B ≈ ∇²F the QP subproblem uses: products with B, and
 * solves with its principal submatrix B_FF on the free coordinates F of a face.
 */
interface HessianModel {
  /** B = γ·I (dropping every update). */
  setIdentity(gamma: number): void;
  /** Takes over another model's matrix when it is of the same kind and size; false otherwise. */
  copyFrom(other: HessianModel): boolean;
  /** out_i = g_i + (B·d)_i (the gradient of the QP model at d). */
  modelGradient(g: Float64Array, d: Float64Array, out: Float64Array): void;
  /**
   * Powell-damped BFGS update with the step s and gradient change y (sᵀy = sy); y is
   * overwritten by the damped change. Skipped when sᵀBs or the damped sᵀy is not positive.
   */
  dampedUpdate(s: Float64Array, y: Float64Array, sy: number): void;
  /** Per-coordinate curvature from the step (limited-memory model only; the dense one ignores it). */
  refreshDiagonal(s: Float64Array, y: Float64Array): void;
  /** Factorizes B_FF for the coordinates free[0..nf); false when it is not positive definite. */
  factorFace(free: Int32Array, nf: number): boolean;
  /** out = B_FF⁻¹ rhs_F; rhs is indexed by coordinate when `isFull`, else by free position. */
  solveFace(free: Int32Array, nf: number, rhs: Float64Array, out: Float64Array, isFull: boolean): void;
}

/** The dense m × m matrix of SLSQP (Kraft 1988), Cholesky-factorized on each face: O(m²) per product, O(m³) per factorization. */
class DenseModel implements HessianModel {
  private readonly m: number;
  readonly B: Float64Array;
  private readonly L: Float64Array;
  private readonly Bs: Float64Array;

  constructor(m: number) {
    this.m = m;
    this.B = new Float64Array(m * m);
    this.L = new Float64Array(m * m);
    this.Bs = new Float64Array(m);
  }

  setIdentity(gamma: number): void {
    const { B, m } = this;
    B.fill(0);
    for (let j = 0; j < m; j++) B[j * m + j] = gamma;
  }

  copyFrom(other: HessianModel): boolean {
    if (!(other instanceof DenseModel) || other.m !== this.m) return false;
    this.B.set(other.B);
    return true;
  }

  modelGradient(g: Float64Array, d: Float64Array, out: Float64Array): void {
    const { B, m } = this;
    for (let i = 0; i < m; i++) {
      let t = g[i]!;
      for (let j = 0; j < m; j++) t += B[i * m + j]! * d[j]!;
      out[i] = t;
    }
  }

  refreshDiagonal(): void {}

  dampedUpdate(s: Float64Array, y: Float64Array, sy: number): void {
    const { B, Bs, m } = this;
    let sBs = 0;
    for (let p = 0; p < m; p++) {
      let t2 = 0;
      for (let q = 0; q < m; q++) t2 += B[p * m + q]! * s[q]!;
      Bs[p] = t2;
      sBs += s[p]! * t2;
    }
    if (!(sBs > 0)) return;
    const theta = sy < 0.2 * sBs ? (0.8 * sBs) / (sBs - sy) : 1;
    let syd = 0;
    for (let j = 0; j < m; j++) {
      y[j] = theta * y[j]! + (1 - theta) * Bs[j]!;
      syd += s[j]! * y[j]!;
    }
    if (!(syd > 0)) return;
    for (let p = 0; p < m; p++) {
      for (let q = 0; q < m; q++) B[p * m + q] = B[p * m + q]! - (Bs[p]! * Bs[q]!) / sBs + (y[p]! * y[q]!) / syd;
    }
  }

  factorFace(free: Int32Array, nf: number): boolean {
    const { L, B, m } = this;
    for (let r = 0; r < nf; r++) {
      for (let c = 0; c <= r; c++) {
        let t = B[free[r]! * m + free[c]!]!;
        for (let k = 0; k < c; k++) t -= L[r * nf + k]! * L[c * nf + k]!;
        if (r === c) {
          if (!(t > 0)) return false;
          L[r * nf + r] = Math.sqrt(t);
        } else {
          L[r * nf + c] = t / L[c * nf + c]!;
        }
      }
    }
    return true;
  }

  solveFace(free: Int32Array, nf: number, rhs: Float64Array, out: Float64Array, isFull: boolean): void {
    const { L } = this;
    for (let r = 0; r < nf; r++) {
      let t = isFull ? rhs[free[r]!]! : rhs[r]!;
      for (let k = 0; k < r; k++) t -= L[r * nf + k]! * out[k]!;
      out[r] = t / L[r * nf + r]!;
    }
    for (let r = nf - 1; r >= 0; r--) {
      let t = out[r]!;
      for (let k = r + 1; k < nf; k++) t -= L[k * nf + r]! * out[k]!;
      out[r] = t / L[r * nf + r]!;
    }
  }
}

/**
 * A diagonal quasi-Newton matrix for problems with many variables (Δ = diag(δ), O(m) per
 * product): after the first step each step sets δ_j to the coordinate's own secant y_j/s_j
 * (kept within 10⁻⁸…10⁸ of the mean; not on coordinates the step barely moved, nor where the
 * secant is not positive). The plan's response is a sum of per-cell curves, so for the mean
 * utility ∇²F is diagonal and this is its secant estimate on every coordinate at once (a
 * secant method per cell); for the risk-aware utilities, which couple the cells through the
 * distribution of the total, it is a scaled projected-gradient model and the line search keeps
 * every step a descent. Its QP subproblem is solved exactly by `solveDiagonalQp`.
 *
 * Deviation from SLSQP's dense BFGS matrix (kept up to `denseLimit` variables): each dense face
 * factorization costs O(m³) and the active-set method changes one bound per factorization, so
 * 2,000 cells (200 markets × 10 channels) took minutes per QP.
 */
class DiagonalModel implements HessianModel {
  private readonly m: number;
  readonly delta: Float64Array;

  constructor(m: number) {
    this.m = m;
    this.delta = new Float64Array(m);
  }

  setIdentity(gamma: number): void {
    this.delta.fill(gamma);
  }

  copyFrom(other: HessianModel): boolean {
    if (!(other instanceof DiagonalModel) || other.m !== this.m) return false;
    this.delta.set(other.delta);
    return true;
  }

  modelGradient(g: Float64Array, d: Float64Array, out: Float64Array): void {
    for (let i = 0; i < this.m; i++) out[i] = g[i]! + this.delta[i]! * d[i]!;
  }

  refreshDiagonal(s: Float64Array, y: Float64Array): void {
    const { m, delta } = this;
    let sMax = 0;
    let mean = 0;
    for (let j = 0; j < m; j++) {
      sMax = Math.max(sMax, Math.abs(s[j]!));
      mean += delta[j]! / m;
    }
    if (!(sMax > 0)) return;
    for (let j = 0; j < m; j++) {
      if (Math.abs(s[j]!) < 1e-4 * sMax) continue;
      // |secant|: where a curve is convex (the foot of an S-shaped Hill) the step's size is set
      // by the magnitude of the curvature, as in a saddle-free Newton step.
      const c = Math.abs(y[j]! / s[j]!);
      if (Number.isFinite(c)) delta[j] = Math.min(1e8 * mean, Math.max(1e-8 * mean, c));
    }
  }

  dampedUpdate(): void {}

  factorFace(free: Int32Array, nf: number): boolean {
    for (let k = 0; k < nf; k++) if (!(this.delta[free[k]!]! > 0)) return false;
    return true;
  }

  solveFace(free: Int32Array, nf: number, rhs: Float64Array, out: Float64Array, isFull: boolean): void {
    for (let k = 0; k < nf; k++) out[k] = (isFull ? rhs[free[k]!]! : rhs[k]!) / this.delta[free[k]!]!;
  }
}

/**
 * The QP subproblem with a diagonal B, exactly: minimize Σ_j g_j d_j + ½δ_j d_j² subject to
 * 0 ≤ z_j + d_j ≤ 1 and Σ a_j d_j = 0. Its solution is d_j(λ) = clip(−(g_j + λa_j)/δ_j) for the
 * multiplier λ at which Σ a_j d_j(λ) = 0, a non-increasing piecewise-linear function of λ:
 * bisection brackets λ to the segment of the root, where one linear step finishes it. `state`
 * gets the bounds active at d (−1 lower, +1 upper, 0 free).
 */
function solveDiagonalQp(delta: Float64Array, g: Float64Array, a: Float64Array, z: Float64Array, state: Int8Array, d: Float64Array): void {
  const m = g.length;
  const at = (lambda: number): number => {
    let phi = 0;
    for (let j = 0; j < m; j++) {
      const v = Math.min(1 - z[j]!, Math.max(-z[j]!, -(g[j]! + lambda * a[j]!) / delta[j]!));
      d[j] = v;
      phi += a[j]! * v;
    }
    return phi;
  };
  // All coordinates at their upper end below lo, at their lower end above hi.
  let lo = Infinity;
  let hi = -Infinity;
  for (let j = 0; j < m; j++) {
    lo = Math.min(lo, (-g[j]! - delta[j]! * (1 - z[j]!)) / a[j]!);
    hi = Math.max(hi, (-g[j]! + delta[j]! * z[j]!) / a[j]!);
  }
  let lambda = 0.5 * (lo + hi);
  for (let k = 0; k < 200 && hi - lo > 1e-15 * Math.max(Math.abs(lo), Math.abs(hi)); k++) {
    lambda = 0.5 * (lo + hi);
    if (lambda === lo || lambda === hi) break;
    if (at(lambda) > 0) lo = lambda;
    else hi = lambda;
  }
  let phi = at(lambda);
  // On the segment of λ: Σ a_j d_j moves by −Σ_free a_j²/δ_j per unit of λ.
  let slope = 0;
  for (let j = 0; j < m; j++) if (d[j]! > -z[j]! && d[j]! < 1 - z[j]!) slope += (a[j]! * a[j]!) / delta[j]!;
  if (slope > 0 && phi !== 0) {
    const step = phi / slope;
    for (let j = 0; j < m; j++) if (d[j]! > -z[j]! && d[j]! < 1 - z[j]!) d[j] = d[j]! - (step * a[j]!) / delta[j]!;
    phi = 0;
  }
  for (let j = 0; j < m; j++) {
    if (z[j]! + d[j]! <= 0) {
      d[j] = -z[j]!;
      state[j] = -1;
    } else if (z[j]! + d[j]! >= 1) {
      d[j] = 1 - z[j]!;
      state[j] = 1;
    } else state[j] = 0;
  }
}

/**
 * Largest violation of the first-order conditions at z (gradient g of F, active set `state`),
 * relative to the largest |g_j|/a_j: λ from the free coordinates by least squares (or the
 * middle of the feasible interval when none is free); free coordinates need g_j + λa_j = 0,
 * those at a lower bound ≥ 0, at an upper bound ≤ 0.
 */
function firstOrderResidual(g: Float64Array, a: Float64Array, state: Int8Array): number {
  const m = g.length;
  let num = 0;
  let den = 0;
  let lower = -Infinity;
  let upper = Infinity;
  let scale = 0;
  for (let j = 0; j < m; j++) {
    scale = Math.max(scale, Math.abs(g[j]!) / a[j]!);
    if (state[j] === 0) {
      num += a[j]! * g[j]!;
      den += a[j]! * a[j]!;
    } else if (state[j] === -1) lower = Math.max(lower, -g[j]! / a[j]!);
    else upper = Math.min(upper, -g[j]! / a[j]!);
  }
  if (m === 0) return 0;
  const lambda = den > 0 ? -num / den : Number.isFinite(lower) && Number.isFinite(upper) ? 0.5 * (lower + upper) : Number.isFinite(lower) ? lower : Number.isFinite(upper) ? upper : 0;
  let worst = 0;
  for (let j = 0; j < m; j++) {
    const mu = (g[j]! + lambda * a[j]!) / a[j]!;
    const viol = state[j] === 0 ? Math.abs(mu) : state[j] === -1 ? -mu : mu;
    if (viol > worst) worst = viol;
  }
  return scale > 0 ? worst / scale : 0;
}

/**
 * Exact solver of the QP subproblem: minimize gᵀd + ½dᵀBd subject to 0 ≤ z + d ≤ 1 and
 * aᵀd = 0, with B positive definite, by the primal active-set method (Nocedal & Wright 2006,
 * Algorithm 16.3) started from d = 0 and the working set `state` (−1 lower, +1 upper, 0 free),
 * which it updates in place.
 */
class QpWorkspace {
  private readonly m: number;
  private readonly free: Int32Array;
  private readonly q: Float64Array;
  private readonly v1: Float64Array;
  private readonly v2: Float64Array;
  private readonly p: Float64Array;
  private readonly aFree: Float64Array;

  constructor(m: number) {
    this.m = m;
    this.free = new Int32Array(m);
    this.q = new Float64Array(m);
    this.v1 = new Float64Array(m);
    this.v2 = new Float64Array(m);
    this.p = new Float64Array(m);
    this.aFree = new Float64Array(m);
  }

  solve(B: HessianModel, g: Float64Array, a: Float64Array, z: Float64Array, state: Int8Array, d: Float64Array): void {
    const m = this.m;
    const { free, q, v1, v2, p, aFree } = this;
    d.fill(0);
    const blocked = new Uint8Array(m);
    for (let iter = 0; iter < 20 * m + 50; iter++) {
      // Gradient of the model at d.
      B.modelGradient(g, d, q);
      let nf = 0;
      for (let j = 0; j < m; j++) if (state[j] === 0) free[nf++] = j;
      p.fill(0);
      let pNorm = 0;
      let lambda = 0;
      if (nf >= 2 && B.factorFace(free, nf)) {
        for (let k = 0; k < nf; k++) aFree[k] = a[free[k]!]!;
        B.solveFace(free, nf, q, v1, true);
        B.solveFace(free, nf, aFree, v2, false);
        let num = 0;
        let den = 0;
        for (let k = 0; k < nf; k++) {
          num += aFree[k]! * v1[k]!;
          den += aFree[k]! * v2[k]!;
        }
        lambda = -num / den;
        for (let k = 0; k < nf; k++) {
          const pk = -(v1[k]! + lambda * v2[k]!);
          p[free[k]!] = pk;
          pNorm = Math.max(pNorm, Math.abs(pk));
        }
      }
      let dNorm = 0;
      for (let j = 0; j < m; j++) dNorm = Math.max(dNorm, Math.abs(d[j]!));
      if (pNorm <= 1e-15 * Math.max(1, dNorm)) {
        // Stationary on this face: multipliers of the active bounds.
        if (nf >= 1) {
          let num = 0;
          let den = 0;
          for (let k = 0; k < nf; k++) {
            num += a[free[k]!]! * q[free[k]!]!;
            den += a[free[k]!]! ** 2;
          }
          lambda = -num / den;
        } else {
          let lower = -Infinity;
          let upper = Infinity;
          for (let j = 0; j < m; j++) {
            if (state[j] === -1) lower = Math.max(lower, -q[j]! / a[j]!);
            else if (state[j] === 1) upper = Math.min(upper, -q[j]! / a[j]!);
          }
          lambda = Number.isFinite(lower) && Number.isFinite(upper) ? 0.5 * (lower + upper) : Number.isFinite(lower) ? lower : Number.isFinite(upper) ? upper : 0;
        }
        let scale = Math.abs(lambda);
        for (let j = 0; j < m; j++) scale = Math.max(scale, Math.abs(q[j]!) / a[j]!);
        let worst = 1e-13 * scale;
        let worstIndex = -1;
        for (let j = 0; j < m; j++) {
          if (state[j] === 0 || blocked[j] === 1) continue;
          const mu = (q[j]! + lambda * a[j]!) / a[j]!;
          const viol = state[j] === -1 ? -mu : mu;
          if (viol > worst) {
            worst = viol;
            worstIndex = j;
          }
        }
        if (worstIndex < 0) return;
        state[worstIndex] = 0;
        continue;
      }
      // Ratio test along p.
      let alpha = 1;
      let block = -1;
      for (let k = 0; k < nf; k++) {
        const j = free[k]!;
        const pj = p[j]!;
        const x = z[j]! + d[j]!;
        if (pj < 0 && x + pj < 0) {
          const t = -x / pj;
          if (t < alpha) {
            alpha = t;
            block = j;
          }
        } else if (pj > 0 && x + pj > 1) {
          const t = (1 - x) / pj;
          if (t < alpha) {
            alpha = t;
            block = j;
          }
        }
      }
      for (let k = 0; k < nf; k++) {
        const j = free[k]!;
        d[j] = d[j]! + alpha * p[j]!;
      }
      if (block >= 0) {
        state[block] = p[block]! < 0 ? -1 : 1;
        d[block] = state[block] === -1 ? -z[block]! : 1 - z[block]!;
        if (alpha === 0) blocked[block] = 1;
      } else {
        blocked.fill(0);
      }
    }
  }
}
