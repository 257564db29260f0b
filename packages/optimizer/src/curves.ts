/**
 * Response curves of a plan, per posterior draw: the hot kernel of the optimizer.
 *
 * A plan is a vector x of n decision variables (here: the total spend of each market-channel
 * over the horizon). Given draw d, the response is separable across cells:
 *
 *   R_d(x) = Σ_i coef[d,i] · Σ_k mult[i,k] · ( h(carry[d,i,k] + slope[d,i,k]·x_i) − h(carry[d,i,k]) )
 *   h(a)   = a^S / (K^S + a^S),  h(0) = 0,  K = K[d,i], S = S[d,i]          (model-spec §3 Hill)
 *
 * or, per cell (`saturation`), the logistic, Michaelis–Menten or tanh curve of the channel (the
 * transforms' scalar kernels, parameters in K and S). Hill stays the inlined hot path.
 *
 * Each term k stands for `mult[i,k]` weeks of the horizon or of the carry-over tail that share
 * the same adstock: `carry` is the adstock carried over from the observed weeks and `slope` the
 * plan's adstock per unit of x_i (adstock is linear, so a_plan = slope·x_i exactly).
 * `buildResponseModel` (response.ts) derives these from a fitted model; the SLSQP fixtures build
 * them directly. The derivative is ∂R_d/∂x_i = coef[d,i] · Σ_k mult·slope·h'(a),
 * h'(a) = S·h·(1 − h)/a.
 *
 * Two layouts, chosen from the lengths of K, S, carry and slope:
 * - shared (fixed transforms): the curve of cell i is the same for every draw up to the factor
 *   coef[d,i] (= β[g,c]·y_scale[g]), so one evaluation costs n·m Hill evaluations plus a D×n
 *   product: ~0.2 ms for 4000 draws × 48 cells;
 * - per draw (learned transforms): D·n·m Hill evaluations (one log and one exp each).
 *
 * Deviation from model-spec §3: for S < 1 (only in draws of learned transforms) Hill has an
 * infinite slope at a = 0; below a = 1e-6·K (about a cent a week) it is replaced by a C¹
 * quadratic with a finite slope, so the optimizer does not chase sub-cent spends. h and h' are
 * `hillSmoothScalar` of @tributary/transforms (its documentation gives the construction); this
 * file keeps no Hill of its own.
 *
 * Deviation from PyMC-Marketing (pymc_marketing/mmm/budget_optimizer.py): there the response is
 * the media contribution of the plan over the horizon and `adstock_periods` zero weeks after it,
 * starting from zero adstock; here it is the *incremental* response h(a_hist + a_plan) −
 * h(a_hist) on top of the carry-over of the observed weeks, so the saturation the carry-over
 * already uses up is not credited to the plan.
 */
import {
  hillSmoothScalar,
  logisticSaturationScalarWithGradient,
  michaelisMentenScalarWithGradient,
  tanhSaturationScalarWithGradient,
  type SaturationKind,
} from '@tributary/transforms';
import { OptimizerError } from './errors.js';

/** Plain-data description of a set of response curves (structured-cloneable, JSON-able). */
export interface CurveSpec {
  readonly numDraws: number;
  readonly numCells: number;
  /** Terms per cell (m). */
  readonly numTerms: number;
  /** D × n, row-major: money per unit of saturated response (β[g,c]·y_scale[g]). */
  readonly coef: ArrayLike<number>;
  /**
   * Saturation kind of each cell (n; default: all 'hill'). The parameters below are the kind's:
   * Hill K, S; logistic and Michaelis–Menten λ in `K` (`S` unused, pass 1); tanh b, c.
   */
  readonly saturation?: readonly SaturationKind[];
  /** First saturation parameter (Hill half-saturation K) > 0: n (same for all draws) or D × n. */
  readonly K: ArrayLike<number>;
  /** Second saturation parameter (Hill shape S) > 0: n or D × n. */
  readonly S: ArrayLike<number>;
  /** Carried-over adstock of each term (≥ 0): n × m or D × n × m. */
  readonly carry: ArrayLike<number>;
  /** Plan adstock per unit of the decision variable (≥ 0): n × m or D × n × m. */
  readonly slope: ArrayLike<number>;
  /** Number of weeks each term stands for (≥ 0): n × m. */
  readonly multiplicity: ArrayLike<number>;
}

export interface ResponseCurves {
  readonly numDraws: number;
  readonly numCells: number;
  readonly numTerms: number;
  /** True when every draw shares the curve shape (fixed transforms). */
  readonly isShared: boolean;
  /**
   * Per-draw response R_d(x) into `responseOut` (length D); x_i must be ≥ 0. With
   * `isGradientNeeded`, also keeps ∂R_d/∂x_i for `pullback`.
   */
  evaluate(x: ArrayLike<number>, responseOut: Float64Array, isGradientNeeded?: boolean): Float64Array;
  /**
   * gradOut_i = Σ_d weights[d]·∂R_d/∂x_i at the x of the last `evaluate(x, out, true)` (the
   * vector–Jacobian product; a utility's gradient is pulled back to the plan this way).
   */
  pullback(weights: Float64Array, gradOut: Float64Array): Float64Array;
  /** Per-draw response of cell i alone at x_i, into `out` (length D). */
  cellResponse(i: number, xi: number, out: Float64Array): Float64Array;
  /**
   * Posterior-mean response of cell i at x_i. Exact for shared curves; for per-draw curves it
   * averages a fixed thinned subset of at most 256 draws (used only to build starting points).
   */
  cellMeanResponse(i: number, xi: number): number;
  /**
   * The same curves on an evenly thinned subset of at most `maxDraws` draws (every k-th draw);
   * `this` when there are no more draws than that.
   */
  thin(maxDraws: number): ResponseCurves;
}

function fail(message: string): never {
  throw new OptimizerError('OPTIMIZER_INVALID_INPUT', message);
}

function checkArray(name: string, value: ArrayLike<number>, lengths: number[], test: (v: number) => boolean, rule: string): void {
  if (value === null || value === undefined || !lengths.includes(value.length)) {
    fail(`curves: ${name} has length ${value?.length}, expected ${lengths.join(' or ')}`);
  }
  for (let j = 0; j < value.length; j++) {
    if (!test(value[j]!)) fail(`curves: ${name}[${j}] = ${value[j]} is invalid; expected ${rule}`);
  }
}

const isFinite = (v: number): boolean => Number.isFinite(v);
const isPositive = (v: number): boolean => v > 0 && v < Infinity;
const isNonNegative = (v: number): boolean => v >= 0 && v < Infinity;

/** Validates a `CurveSpec` and returns its evaluator. */
export function buildResponseCurves(spec: CurveSpec): ResponseCurves {
  const D = spec.numDraws;
  const n = spec.numCells;
  const m = spec.numTerms;
  for (const [name, v] of [
    ['numDraws', D],
    ['numCells', n],
    ['numTerms', m],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) fail(`curves: ${name} = ${v}; expected an integer >= 1`);
  }
  checkArray('coef', spec.coef, [D * n], isFinite, 'a finite number');
  checkArray('K', spec.K, [n, D * n], isPositive, 'a finite number > 0');
  checkArray('S', spec.S, [n, D * n], isPositive, 'a finite number > 0');
  checkArray('carry', spec.carry, [n * m, D * n * m], isNonNegative, 'a finite number >= 0');
  checkArray('slope', spec.slope, [n * m, D * n * m], isNonNegative, 'a finite number >= 0');
  checkArray('multiplicity', spec.multiplicity, [n * m], isNonNegative, 'a finite number >= 0');
  if (spec.saturation !== undefined) {
    if (spec.saturation.length !== n) fail(`curves: saturation has length ${spec.saturation.length}, expected ${n}`);
    spec.saturation.forEach((kind, i) => {
      if (!(kind in SATURATION_CODE)) fail(`curves: saturation[${i}] = "${kind}"; expected one of ${Object.keys(SATURATION_CODE).join(', ')}`);
    });
  }
  const isShared = spec.K.length === n && spec.S.length === n && spec.carry.length === n * m && spec.slope.length === n * m;
  return isShared ? new SharedCurves(spec) : new PerDrawCurves(spec);
}

/** Saturation kinds as small codes (0 = Hill, the hot path). */
const SATURATION_CODE: Readonly<Record<SaturationKind, number>> = { hill: 0, logistic: 1, michaelis_menten: 2, tanh: 3 };
const KIND_OF_CODE: readonly SaturationKind[] = ['hill', 'logistic', 'michaelis_menten', 'tanh'];

function codesOf(spec: CurveSpec): Uint8Array {
  const codes = new Uint8Array(spec.numCells);
  spec.saturation?.forEach((kind, i) => (codes[i] = SATURATION_CODE[kind]));
  return codes;
}

/**
 * h and h' (into out[0], out[1]) of a non-Hill cell: logistic, Michaelis–Menten and tanh are
 * smooth at 0 (slopes λ/2, 1/λ, 1/c), so the transforms' scalar kernels serve as they are.
 * `out` must hold 4 values (the kernels also write their parameter derivatives).
 */
function otherSaturation(code: number, a: number, p2: number, p3: number, out: Float64Array): number {
  if (code === 1) return logisticSaturationScalarWithGradient(a, p2, out);
  if (code === 2) return michaelisMentenScalarWithGradient(a, p2, out);
  return tanhSaturationScalarWithGradient(a, p2, p3, out);
}

/** The first parameter as the classes keep it: ln K for Hill (the kernel's argument), else itself. */
const storedP2 = (code: number, v: number): number => (code === 0 ? Math.log(v) : v);
const specP2 = (code: number, v: number): number => (code === 0 ? Math.exp(v) : v);

class SharedCurves implements ResponseCurves {
  readonly numDraws: number;
  readonly numCells: number;
  readonly numTerms: number;
  readonly isShared = true;
  private readonly coef: Float64Array;
  /** Saturation code per cell; first parameter (ln K for Hill) per cell. */
  private readonly code: Uint8Array;
  private readonly lnK: Float64Array;
  private readonly S: Float64Array;
  private readonly carry: Float64Array;
  private readonly slope: Float64Array;
  private readonly mult: Float64Array;
  private readonly base: Float64Array;
  private readonly coefMean: Float64Array;
  private readonly f: Float64Array;
  private readonly fp: Float64Array;
  /** f'_i at the last evaluated x. */
  private readonly lastSlope: Float64Array;
  private readonly acc: Float64Array;
  /** [h, h', …] of the last saturation evaluation. */
  private readonly hs = new Float64Array(4);

  constructor(spec: CurveSpec) {
    const D = spec.numDraws;
    const n = spec.numCells;
    const m = spec.numTerms;
    this.numDraws = D;
    this.numCells = n;
    this.numTerms = m;
    this.coef = Float64Array.from(spec.coef);
    this.code = codesOf(spec);
    this.lnK = Float64Array.from(spec.K, (k, i) => storedP2(this.code[i]!, k));
    this.S = Float64Array.from(spec.S);
    this.carry = Float64Array.from(spec.carry);
    this.slope = Float64Array.from(spec.slope);
    this.mult = Float64Array.from(spec.multiplicity);
    this.base = new Float64Array(n);
    this.coefMean = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let b = 0;
      const code = this.code[i]!;
      for (let k = 0; k < m; k++) {
        const a = this.carry[i * m + k]!;
        b += this.mult[i * m + k]! * (code === 0 ? hillSmoothScalar(a, this.lnK[i]!, this.S[i]!, this.hs) : otherSaturation(code, a, this.lnK[i]!, this.S[i]!, this.hs));
      }
      this.base[i] = b;
    }
    for (let d = 0; d < D; d++) for (let i = 0; i < n; i++) this.coefMean[i]! += this.coef[d * n + i]! / D;
    this.f = new Float64Array(n);
    this.fp = new Float64Array(n);
    this.lastSlope = new Float64Array(n);
    this.acc = new Float64Array(n);
  }

  /** f_i(x_i) (saturated units, minus the carry-over baseline) and f'_i into this.f / this.fp. */
  private curve(i: number, xi: number): void {
    const m = this.numTerms;
    const lnK = this.lnK[i]!;
    const S = this.S[i]!;
    const code = this.code[i]!;
    const hs = this.hs;
    let h = 0;
    let hp = 0;
    for (let k = 0; k < m; k++) {
      const j = i * m + k;
      const mult = this.mult[j]!;
      if (mult === 0) continue;
      const slope = this.slope[j]!;
      const a = this.carry[j]! + slope * xi;
      h += mult * (code === 0 ? hillSmoothScalar(a, lnK, S, hs) : otherSaturation(code, a, lnK, S, hs));
      hp += mult * slope * hs[1]!;
    }
    this.f[i] = h - this.base[i]!;
    this.fp[i] = hp;
  }

  evaluate(x: ArrayLike<number>, responseOut: Float64Array): Float64Array {
    const D = this.numDraws;
    const n = this.numCells;
    for (let i = 0; i < n; i++) this.curve(i, x[i]!);
    this.lastSlope.set(this.fp);
    const f = this.f;
    const coef = this.coef;
    for (let d = 0; d < D; d++) {
      const o = d * n;
      let r = 0;
      for (let i = 0; i < n; i++) r += coef[o + i]! * f[i]!;
      responseOut[d] = r;
    }
    return responseOut;
  }

  pullback(weights: Float64Array, gradOut: Float64Array): Float64Array {
    const D = this.numDraws;
    const n = this.numCells;
    const coef = this.coef;
    const acc = this.acc;
    acc.fill(0);
    for (let d = 0; d < D; d++) {
      const w = weights[d]!;
      if (w === 0) continue;
      const o = d * n;
      for (let i = 0; i < n; i++) acc[i] = acc[i]! + w * coef[o + i]!;
    }
    for (let i = 0; i < n; i++) gradOut[i] = acc[i]! * this.lastSlope[i]!;
    return gradOut;
  }

  cellResponse(i: number, xi: number, out: Float64Array): Float64Array {
    this.curve(i, xi);
    const n = this.numCells;
    const fi = this.f[i]!;
    for (let d = 0; d < this.numDraws; d++) out[d] = this.coef[d * n + i]! * fi;
    return out;
  }

  cellMeanResponse(i: number, xi: number): number {
    this.curve(i, xi);
    return this.coefMean[i]! * this.f[i]!;
  }

  thin(maxDraws: number): ResponseCurves {
    const D = this.numDraws;
    if (D <= maxDraws) return this;
    const stride = Math.ceil(D / maxDraws);
    const n = this.numCells;
    const rows: number[] = [];
    for (let d = 0; d < D; d += stride) rows.push(d);
    const coef = new Float64Array(rows.length * n);
    rows.forEach((d, r) => coef.set(this.coef.subarray(d * n, (d + 1) * n), r * n));
    return new SharedCurves({
      numDraws: rows.length,
      numCells: n,
      numTerms: this.numTerms,
      coef,
      saturation: Array.from(this.code, (c) => KIND_OF_CODE[c]!),
      K: this.lnK.map((v, i) => specP2(this.code[i]!, v)),
      S: this.S,
      carry: this.carry,
      slope: this.slope,
      multiplicity: this.mult,
    });
  }
}

class PerDrawCurves implements ResponseCurves {
  readonly numDraws: number;
  readonly numCells: number;
  readonly numTerms: number;
  readonly isShared = false;
  private readonly coef: Float64Array;
  /** Saturation code per cell (n); first parameter per draw and cell (ln K for Hill). */
  private readonly code: Uint8Array;
  private readonly lnK: Float64Array;
  private readonly S: Float64Array;
  private readonly carry: Float64Array;
  private readonly slope: Float64Array;
  /** ln(slope), for the terms without carry-over: ln a = ln slope + ln x. */
  private readonly lnSlope: Float64Array;
  private readonly mult: Float64Array;
  private readonly base: Float64Array;
  private readonly thinStride: number;
  private readonly lnx: Float64Array;
  /** D × n: ∂R_d/∂x_i at the last x evaluated with isGradientNeeded. */
  private jacobian = new Float64Array(0);
  /** [h, h', …] of the last saturation evaluation. */
  private readonly hs = new Float64Array(4);
  /** ∂/∂x_i of the last `cell` evaluated with wantSlope. */
  private cellSlope = 0;

  constructor(spec: CurveSpec) {
    const D = spec.numDraws;
    const n = spec.numCells;
    const m = spec.numTerms;
    this.numDraws = D;
    this.numCells = n;
    this.numTerms = m;
    this.coef = Float64Array.from(spec.coef);
    const expand = (v: ArrayLike<number>, per: number): Float64Array => {
      if (v.length === D * per) return Float64Array.from(v);
      const out = new Float64Array(D * per);
      for (let d = 0; d < D; d++) for (let j = 0; j < per; j++) out[d * per + j] = v[j]!;
      return out;
    };
    this.code = codesOf(spec);
    this.lnK = expand(spec.K, n).map((k, j) => storedP2(this.code[j % n]!, k));
    this.S = expand(spec.S, n);
    this.carry = expand(spec.carry, n * m);
    this.slope = expand(spec.slope, n * m);
    this.lnSlope = this.slope.map((v) => (v > 0 ? Math.log(v) : -Infinity));
    this.mult = Float64Array.from(spec.multiplicity);
    this.base = new Float64Array(D * n);
    for (let d = 0; d < D; d++) {
      for (let i = 0; i < n; i++) {
        const c = d * n + i;
        const code = this.code[i]!;
        let b = 0;
        for (let k = 0; k < m; k++) {
          const a = this.carry[c * m + k]!;
          b += this.mult[i * m + k]! * (code === 0 ? hillSmoothScalar(a, this.lnK[c]!, this.S[c]!, this.hs) : otherSaturation(code, a, this.lnK[c]!, this.S[c]!, this.hs));
        }
        this.base[c] = b;
      }
    }
    this.thinStride = Math.max(1, Math.ceil(D / 64));
    this.lnx = new Float64Array(n);
  }

  /** Incremental response of draw d, cell i at x_i (saturated units); its slope into cellSlope when asked. */
  private cell(d: number, i: number, xi: number, lnx: number, wantSlope: boolean): number {
    const n = this.numCells;
    const m = this.numTerms;
    const c = d * n + i;
    const lnK = this.lnK[c]!;
    const S = this.S[c]!;
    const code = this.code[i]!;
    if (code !== 0) return this.otherCell(c, i, xi, code, lnK, S, wantSlope);
    const o = c * m;
    const mo = i * m;
    const carry = this.carry;
    const slope = this.slope;
    const lnSlope = this.lnSlope;
    const mult = this.mult;
    const hs = this.hs;
    let h = 0;
    let hp = 0;
    for (let k = 0; k < m; k++) {
      const mk = mult[mo + k]!;
      if (mk === 0) continue;
      const car = carry[o + k]!;
      const sl = slope[o + k]!;
      let a: number;
      let lnA: number;
      if (car === 0) {
        if (!(xi > 0) || sl === 0) {
          // a = 0: h = 0; the slope is h'(0) (0 for S > 1).
          if (wantSlope && sl > 0 && S <= 1) {
            hillSmoothScalar(0, lnK, S, hs);
            hp += mk * sl * hs[1]!;
          }
          continue;
        }
        // No carry-over: log a = log slope + log x, which saves a logarithm.
        a = sl * xi;
        lnA = lnSlope[o + k]! + lnx;
      } else {
        a = car + sl * xi;
        lnA = Math.log(a);
      }
      // One call site for the hot path keeps the kernel inlined here.
      h += mk * hillSmoothScalar(a, lnK, S, hs, lnA);
      if (wantSlope) hp += mk * sl * hs[1]!;
    }
    this.cellSlope = hp;
    return h - this.base[c]!;
  }

  /** `cell` for a non-Hill saturation (smooth at 0, no logarithm shortcut). */
  private otherCell(c: number, i: number, xi: number, code: number, p2: number, p3: number, wantSlope: boolean): number {
    const m = this.numTerms;
    const o = c * m;
    const mo = i * m;
    const hs = this.hs;
    let h = 0;
    let hp = 0;
    for (let k = 0; k < m; k++) {
      const mk = this.mult[mo + k]!;
      if (mk === 0) continue;
      const sl = this.slope[o + k]!;
      h += mk * otherSaturation(code, this.carry[o + k]! + sl * (xi > 0 ? xi : 0), p2, p3, hs);
      if (wantSlope) hp += mk * sl * hs[1]!;
    }
    this.cellSlope = hp;
    return h - this.base[c]!;
  }

  evaluate(x: ArrayLike<number>, responseOut: Float64Array, isGradientNeeded = false): Float64Array {
    const D = this.numDraws;
    const n = this.numCells;
    const coef = this.coef;
    const lnx = this.lnx;
    for (let i = 0; i < n; i++) lnx[i] = x[i]! > 0 ? Math.log(x[i]!) : -Infinity;
    if (isGradientNeeded && this.jacobian.length !== D * n) this.jacobian = new Float64Array(D * n);
    const J = this.jacobian;
    for (let d = 0; d < D; d++) {
      const o = d * n;
      let r = 0;
      for (let i = 0; i < n; i++) {
        const f = this.cell(d, i, x[i]!, lnx[i]!, isGradientNeeded);
        const cf = coef[o + i]!;
        r += cf * f;
        if (isGradientNeeded) J[o + i] = cf * this.cellSlope;
      }
      responseOut[d] = r;
    }
    return responseOut;
  }

  pullback(weights: Float64Array, gradOut: Float64Array): Float64Array {
    const D = this.numDraws;
    const n = this.numCells;
    const J = this.jacobian;
    if (J.length !== D * n) throw new OptimizerError('OPTIMIZER_INVALID_INPUT', 'pullback: call evaluate(x, out, true) first');
    gradOut.fill(0, 0, n);
    for (let d = 0; d < D; d++) {
      const w = weights[d]!;
      if (w === 0) continue;
      const o = d * n;
      for (let i = 0; i < n; i++) gradOut[i] = gradOut[i]! + w * J[o + i]!;
    }
    return gradOut;
  }

  cellResponse(i: number, xi: number, out: Float64Array): Float64Array {
    const n = this.numCells;
    const lnx = xi > 0 ? Math.log(xi) : -Infinity;
    for (let d = 0; d < this.numDraws; d++) out[d] = this.coef[d * n + i]! * this.cell(d, i, xi, lnx, false);
    return out;
  }

  cellMeanResponse(i: number, xi: number): number {
    const n = this.numCells;
    const lnx = xi > 0 ? Math.log(xi) : -Infinity;
    let sum = 0;
    let count = 0;
    for (let d = 0; d < this.numDraws; d += this.thinStride) {
      sum += this.coef[d * n + i]! * this.cell(d, i, xi, lnx, false);
      count++;
    }
    return sum / count;
  }

  thin(maxDraws: number): ResponseCurves {
    const D = this.numDraws;
    if (D <= maxDraws) return this;
    const stride = Math.ceil(D / maxDraws);
    const keep: number[] = [];
    for (let d = 0; d < D; d += stride) keep.push(d);
    const n = this.numCells;
    const m = this.numTerms;
    const pick = (v: Float64Array, per: number): Float64Array => {
      const out = new Float64Array(keep.length * per);
      keep.forEach((d, r) => out.set(v.subarray(d * per, (d + 1) * per), r * per));
      return out;
    };
    return new PerDrawCurves({
      numDraws: keep.length,
      numCells: n,
      numTerms: m,
      coef: pick(this.coef, n),
      saturation: Array.from(this.code, (c) => KIND_OF_CODE[c]!),
      K: pick(this.lnK, n).map((v, j) => specP2(this.code[j % n]!, v)),
      S: pick(this.S, n),
      carry: pick(this.carry, n * m),
      slope: pick(this.slope, n * m),
      multiplicity: this.mult,
    });
  }
}
