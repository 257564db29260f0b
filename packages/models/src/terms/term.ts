/**
 * The shape every term of the log density has, and the scratch the terms share.
 *
 * A term is `{ forward(θ, grad, s): lp; backward(θ, grad, s) }` over the shared ModelData
 * (design.ts). `logDensityAndGradient` (model.ts) zeroes the adjoints, runs every forward in
 * order and sums their contributions, then every backward in reverse order: reverse-mode
 * differentiation with hand-written adjoints. A forward adds the gradient of its own density
 * with respect to θ directly to `grad` (priors, Jacobians) and fills the intermediates later
 * terms read (B, sig, the design's media columns, ∂H, the walk W); a term that reads
 * intermediates adds ∂lp/∂(intermediate) into the matching adjoint (gB, gLogSig, eRow, gT*,
 * gTvW), in the same pass as its value where that saves a pass over the rows; the backward of
 * the term that produced an intermediate turns its adjoint into ∂lp/∂θ. The order is
 *
 *   learned transforms → hierarchy → time-varying → likelihood → lift tests
 *
 * so every adjoint is complete when the backward that consumes it runs.
 */

export interface Term {
  /** Log density contribution; may fill intermediates in `s` and add to `grad` and adjoints. */
  forward(theta: Float64Array, grad: Float64Array, s: Scratch): number;
  /** Adds ∂lp/∂θ of the intermediates this term produced (from their adjoints) to `grad`. */
  backward(theta: Float64Array, grad: Float64Array, s: Scratch): void;
}

/** Shared per-evaluation buffers (allocation-free evaluation). */
export interface Scratch {
  /** One buffer holding every accumulated adjoint (gB, gLogSig, gT*, gTvW are views of it). */
  readonly adjoints: Float64Array;
  /** N×P design of this evaluation: ModelData.X, or a copy whose media columns are rewritten (learned). */
  readonly X: Float64Array;
  /** The design the likelihood reads: X, or a copy with media columns × multipliers (time-varying). */
  readonly design: Float64Array;
  /** numSets × P coefficients b and their adjoint. */
  readonly B: Float64Array;
  readonly gB: Float64Array;
  /** numSets: σ and the adjoint with respect to log σ. */
  readonly sig: Float64Array;
  readonly gLogSig: Float64Array;
  /** N: ∂lp/∂μ (scaled) per observed row, written by the direct likelihood for every row. */
  readonly eRow: Float64Array;
  /**
   * Learned transforms, C × 4 channel-major (slots of transform-kinds.ts: adstock 0, 1,
   * saturation 2, 3): each slot's value this evaluation, dValue/du (the chain to θ), and the
   * adjoints other terms add (the lift tests); log K of Hill channels (C). Empty when fixed.
   */
  readonly tPar: Float64Array;
  readonly tJac: Float64Array;
  readonly gTPar: Float64Array;
  readonly tLogK: Float64Array;
  /** Per channel: lag weights w and ∂w/∂(slot 0), ∂w/∂(slot 1) of this evaluation (learned only). */
  readonly lagW: readonly Float64Array[];
  readonly lagDW: readonly Float64Array[];
  readonly lagDW2: readonly Float64Array[];
  /**
   * Per slot, C×N (channel-major): ∂H/∂(slot value) (× the time-varying multiplier once that
   * term ran); a slot no channel uses has an empty array.
   */
  readonly dH: readonly Float64Array[];
  /** T×J centred log-multipliers at the knots and their adjoint; N×T multipliers at the rows. */
  readonly tvW: Float64Array;
  readonly gTvW: Float64Array;
  readonly tvM: Float64Array;
}

export interface ScratchSizes {
  readonly N: number;
  readonly C: number;
  readonly P: number;
  readonly numSets: number;
  readonly isLearned: boolean;
  readonly lMax: readonly number[];
  /** Which of the 4 learned slots any channel uses. */
  readonly slotUsed: readonly boolean[];
  readonly numTv: number;
  readonly numKnots: number;
}

export function createScratch(X: Float64Array, z: ScratchSizes): Scratch {
  const { N, C, P, numSets: S, isLearned } = z;
  const T = z.numTv;
  const evalX = isLearned ? Float64Array.from(X) : X;
  const maxLag = Math.max(0, ...z.lMax);
  const lagAll = new Float64Array(isLearned ? C * maxLag : 0);
  const lagDAll = new Float64Array(isLearned ? C * maxLag : 0);
  const len = (c: number): number => (isLearned ? z.lMax[c]! : 0);
  const nT = isLearned ? C : 0;
  const adjoints = new Float64Array(S * P + S + 4 * nT + T * z.numKnots);
  let at = 0;
  const view = (n: number): Float64Array => adjoints.subarray(at, (at += n));
  const lagD2All = new Float64Array(isLearned && z.slotUsed[1] ? C * maxLag : 0);
  return {
    adjoints,
    X: evalX,
    design: T > 0 ? Float64Array.from(evalX) : evalX,
    B: new Float64Array(S * P),
    gB: view(S * P),
    sig: new Float64Array(S),
    gLogSig: view(S),
    eRow: new Float64Array(N),
    tPar: new Float64Array(4 * nT),
    tJac: new Float64Array(4 * nT),
    gTPar: view(4 * nT),
    tLogK: new Float64Array(C),
    lagW: Array.from({ length: C }, (_, c) => lagAll.subarray(c * maxLag, c * maxLag + len(c))),
    lagDW: Array.from({ length: C }, (_, c) => lagDAll.subarray(c * maxLag, c * maxLag + len(c))),
    lagDW2: Array.from({ length: C }, (_, c) => (lagD2All.length > 0 ? lagD2All.subarray(c * maxLag, c * maxLag + len(c)) : lagD2All)),
    dH: [0, 1, 2, 3].map((j) => new Float64Array(isLearned && z.slotUsed[j] ? N * C : 0)),
    tvW: new Float64Array(T * z.numKnots),
    gTvW: view(T * z.numKnots),
    tvM: new Float64Array(T > 0 ? N * T : 0),
  };
}

/** Zeroes every accumulated adjoint (called before the forwards; eRow is written, not accumulated). */
export function resetAdjoints(s: Scratch): void {
  s.adjoints.fill(0);
}
