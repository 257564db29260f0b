// The No-U-Turn sampler: multinomial sampling over the trajectory with the generalised U-turn
// criterion, as a state-as-data transition kernel.
//
// References
// - M. D. Hoffman & A. Gelman (2014), "The No-U-Turn Sampler", JMLR 15:1593–1623 (trajectory
//   doubling, Algorithm 6 dual averaging is in adaptation/dual-averaging.ts).
// - M. Betancourt (2017), "A Conceptual Introduction to Hamiltonian Monte Carlo",
//   arXiv:1701.02434, App. A (multinomial sampling, biased progressive sampling, the
//   generalised no-U-turn criterion on rho and p_sharp).
// - Stan: src/stan/mcmc/hmc/nuts/base_nuts.hpp (transition, build_tree, compute_criterion;
//   Stan >= 2.21 with the extra checks across merged subtrees), src/stan/mcmc/hmc/base_hmc.hpp
//   (init_stepsize).
//
// Followed exactly:
// - transition(): momentum p ~ N(0, M); each doubling picks the direction with one uniform
//   (> 0.5 is forward); the new subtree replaces the sample with probability
//   min(1, exp(log_sum_weight_subtree - log_sum_weight)) (biased progressive sampling); inside
//   build_tree the final subtree replaces the proposal with probability
//   exp(log_sum_weight_final - log_sum_weight_subtree) (uniform progressive sampling); the
//   criterion p_sharp_minus . rho > 0 && p_sharp_plus . rho > 0 over the merged trajectory plus
//   the two checks "between subtrees" (rho of one subtree extended by the adjacent momentum of
//   the other); the same order of random draws as Stan.
// - Divergence when H - H0 > 1000 (NaN energies count as +Infinity); a divergent or U-turning
//   subtree is rejected whole.
// - accept_stat = sum over all leapfrog states of min(1, exp(H0 - H)) / n_leapfrog;
//   energy = H at the selected state; lp = log density at the selected state.
// - init_stepsize(): Stan's heuristic (one trial leapfrog step decides the direction, then the
//   step size is doubled or halved until the acceptance of one step crosses 0.8).
// Deviations:
// - No step-size jitter (Stan's default jitter is 0 as well).
// - The kernel works in place on preallocated buffers (a pool of per-depth vectors) instead of
//   constructing Eigen vectors in every build_tree call; the proposal keeps (q, grad, lp, H)
//   rather than the whole phase-space point, since only those are needed afterwards.
// - Dot products are summed left to right, so results agree with Stan's to rounding only.

import { SamplerError } from './errors.js';
import { leapfrog } from './leapfrog.js';
import { applyInverseMetric, sampleMomentum, type Metric } from './metric.js';
import type { Rng } from './rng.js';
import type { LogDensity } from './types.js';

/** The sampler state between transitions: a position with its log density and gradient. */
export interface NutsState {
  readonly position: Float64Array;
  logDensity: number;
  readonly gradient: Float64Array;
}

export interface NutsParams {
  readonly stepSize: number;
  readonly metric: Metric;
  /** Maximum tree depth (Stan's max_depth, default 10). */
  readonly maxTreeDepth: number;
  /** Energy error above which a transition is divergent (Stan's max_deltaH, default 1000). */
  readonly maxDeltaH?: number;
}

/** What one transition did (Stan's sampler params). */
export interface NutsInfo {
  readonly acceptStat: number;
  readonly treeDepth: number;
  readonly numLeapfrog: number;
  readonly isDivergent: boolean;
  /** Hamiltonian at the selected state. */
  readonly energy: number;
  /** Log density at the selected state. */
  readonly logDensity: number;
}

/** Evaluates the target at `position` (copied) and returns the initial state. */
export function initState(position: ArrayLike<number>, target: LogDensity): NutsState {
  const q = Float64Array.from(position);
  const g = new Float64Array(q.length);
  const logDensity = target.logDensityAndGradient(q, g);
  return { position: q, logDensity, gradient: g };
}

interface PhasePoint {
  readonly q: Float64Array;
  readonly p: Float64Array;
  readonly g: Float64Array;
  lp: number;
}

/** A proposal: what the transition needs of a state once it is selected. */
interface Candidate {
  readonly q: Float64Array;
  readonly g: Float64Array;
  lp: number;
  /** Hamiltonian at the state. */
  h: number;
}

/** Buffers of one build_tree level (a node at depth d >= 1 uses level d). */
interface TreeLevel {
  readonly pInitEnd: Float64Array;
  readonly pSharpInitEnd: Float64Array;
  readonly rhoInit: Float64Array;
  readonly pFinalBeg: Float64Array;
  readonly pSharpFinalBeg: Float64Array;
  readonly rhoFinal: Float64Array;
  readonly proposeFinal: Candidate;
}

/** Preallocated work space of the NUTS kernel for one target (one per chain). */
export interface NutsScratch {
  readonly target: LogDensity;
  readonly dim: number;
  readonly zFwd: PhasePoint;
  readonly zBck: PhasePoint;
  readonly sample: Candidate;
  readonly propose: Candidate;
  readonly pFwdFwd: Float64Array;
  readonly pSharpFwdFwd: Float64Array;
  readonly pFwdBck: Float64Array;
  readonly pSharpFwdBck: Float64Array;
  readonly pBckFwd: Float64Array;
  readonly pSharpBckFwd: Float64Array;
  readonly pBckBck: Float64Array;
  readonly pSharpBckBck: Float64Array;
  readonly rho: Float64Array;
  readonly rhoFwd: Float64Array;
  readonly rhoBck: Float64Array;
  /** Scratch for the leapfrog (dense metric) and for momentum sampling. */
  readonly tmp: Float64Array;
  readonly normals: Float64Array;
  readonly levels: TreeLevel[];
  /** Gradient evaluations done through this scratch (leapfrog steps, step-size search). */
  numGradientEvaluations: number;
  // Per-transition working values (not meaningful between transitions).
  z: PhasePoint;
  rng: Rng | null;
  metric: Metric | null;
  signedStepSize: number;
  H0: number;
  maxDeltaH: number;
  numLeapfrog: number;
  sumMetroProb: number;
  isDivergent: boolean;
  subtreeLogSumWeight: number;
}

function buildPhasePoint(dim: number): PhasePoint {
  return { q: new Float64Array(dim), p: new Float64Array(dim), g: new Float64Array(dim), lp: 0 };
}

function buildCandidate(dim: number): Candidate {
  return { q: new Float64Array(dim), g: new Float64Array(dim), lp: 0, h: 0 };
}

function buildLevel(dim: number): TreeLevel {
  return {
    pInitEnd: new Float64Array(dim),
    pSharpInitEnd: new Float64Array(dim),
    rhoInit: new Float64Array(dim),
    pFinalBeg: new Float64Array(dim),
    pSharpFinalBeg: new Float64Array(dim),
    rhoFinal: new Float64Array(dim),
    proposeFinal: buildCandidate(dim),
  };
}

/** Allocates the work space for trees up to `maxTreeDepth` (grown on demand if exceeded). */
export function buildNutsScratch(target: LogDensity, maxTreeDepth = 10): NutsScratch {
  const dim = target.dim;
  const v = (): Float64Array => new Float64Array(dim);
  const levels: TreeLevel[] = [];
  for (let d = 0; d < Math.max(1, maxTreeDepth); d++) levels.push(buildLevel(dim));
  const zFwd = buildPhasePoint(dim);
  return {
    target,
    dim,
    zFwd,
    zBck: buildPhasePoint(dim),
    sample: buildCandidate(dim),
    propose: buildCandidate(dim),
    pFwdFwd: v(),
    pSharpFwdFwd: v(),
    pFwdBck: v(),
    pSharpFwdBck: v(),
    pBckFwd: v(),
    pSharpBckFwd: v(),
    pBckBck: v(),
    pSharpBckBck: v(),
    rho: v(),
    rhoFwd: v(),
    rhoBck: v(),
    tmp: v(),
    normals: v(),
    levels,
    numGradientEvaluations: 0,
    z: zFwd,
    rng: null,
    metric: null,
    signedStepSize: 0,
    H0: 0,
    maxDeltaH: 1000,
    numLeapfrog: 0,
    sumMetroProb: 0,
    isDivergent: false,
    subtreeLogSumWeight: -Infinity,
  };
}

/** log(exp(a) + exp(b)), exact for -Infinity arguments. */
export function logSumExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

function copyCandidate(from: Candidate, to: Candidate): void {
  to.q.set(from.q);
  to.g.set(from.g);
  to.lp = from.lp;
  to.h = from.h;
}

function copyPhasePoint(from: PhasePoint, to: PhasePoint): void {
  to.q.set(from.q);
  to.p.set(from.p);
  to.g.set(from.g);
  to.lp = from.lp;
}

/** No-U-turn check: pSharpMinus . (a + b) > 0 && pSharpPlus . (a + b) > 0 (b may be null). */
function criterion(pSharpMinus: Float64Array, pSharpPlus: Float64Array, a: Float64Array, b: Float64Array | null): boolean {
  const n = a.length;
  let dMinus = 0;
  let dPlus = 0;
  if (b === null) {
    for (let i = 0; i < n; i++) {
      dMinus += pSharpMinus[i]! * a[i]!;
      dPlus += pSharpPlus[i]! * a[i]!;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const r = a[i]! + b[i]!;
      dMinus += pSharpMinus[i]! * r;
      dPlus += pSharpPlus[i]! * r;
    }
  }
  return dPlus > 0 && dMinus > 0;
}

/**
 * Stan's build_tree: integrates 2^depth steps from `s.z` in the direction of `s.signedStepSize`.
 * Writes the subtree's proposal, boundary momenta (p and p_sharp at its beginning and end, in
 * integration order), adds its summed momenta into `rho`, and leaves its log sum of weights in
 * `s.subtreeLogSumWeight`. Returns false if the subtree diverged or U-turned.
 */
function buildTree(
  s: NutsScratch,
  depth: number,
  propose: Candidate,
  pSharpBeg: Float64Array,
  pSharpEnd: Float64Array,
  rho: Float64Array,
  pBeg: Float64Array,
  pEnd: Float64Array,
): boolean {
  const n = s.dim;
  const metric = s.metric!;
  if (depth === 0) {
    const z = s.z;
    const lp = leapfrog(s.target, metric, z.q, z.p, z.g, s.signedStepSize, s.tmp);
    z.lp = lp;
    s.numLeapfrog++;
    applyInverseMetric(metric, z.p, pSharpBeg);
    let tau = 0;
    for (let i = 0; i < n; i++) tau += z.p[i]! * pSharpBeg[i]!;
    let h = 0.5 * tau - lp;
    if (Number.isNaN(h)) h = Infinity;
    if (h - s.H0 > s.maxDeltaH) s.isDivergent = true;
    const w = s.H0 - h;
    s.subtreeLogSumWeight = w;
    s.sumMetroProb += w > 0 ? 1 : Math.exp(w);
    propose.q.set(z.q);
    propose.g.set(z.g);
    propose.lp = lp;
    propose.h = h;
    pSharpEnd.set(pSharpBeg);
    for (let i = 0; i < n; i++) rho[i] = rho[i]! + z.p[i]!;
    pBeg.set(z.p);
    pEnd.set(z.p);
    return !s.isDivergent;
  }

  if (depth >= s.levels.length) {
    // Grown only when params.maxTreeDepth exceeds the scratch's; never during normal runs.
    while (s.levels.length <= depth) s.levels.push(buildLevel(n));
  }
  const L = s.levels[depth]!;

  // Initial subtree.
  L.rhoInit.fill(0);
  if (!buildTree(s, depth - 1, propose, pSharpBeg, L.pSharpInitEnd, L.rhoInit, pBeg, L.pInitEnd)) return false;
  const logSumWeightInit = s.subtreeLogSumWeight;

  // Final subtree.
  L.rhoFinal.fill(0);
  if (!buildTree(s, depth - 1, L.proposeFinal, L.pSharpFinalBeg, pSharpEnd, L.rhoFinal, L.pFinalBeg, pEnd)) return false;
  const logSumWeightFinal = s.subtreeLogSumWeight;

  // Multinomial (uniform progressive) sample from the final subtree.
  const logSumWeightSubtree = logSumExp(logSumWeightInit, logSumWeightFinal);
  s.subtreeLogSumWeight = logSumWeightSubtree;
  if (logSumWeightFinal > logSumWeightSubtree) {
    copyCandidate(L.proposeFinal, propose);
  } else {
    const acceptProb = Math.exp(logSumWeightFinal - logSumWeightSubtree);
    if (s.rng!.uniform() < acceptProb) copyCandidate(L.proposeFinal, propose);
  }

  // rho_subtree = rho_init + rho_final; rho += rho_subtree; criterion around the merged subtree.
  const rhoInit = L.rhoInit;
  const rhoFinal = L.rhoFinal;
  let dBeg = 0;
  let dEnd = 0;
  for (let i = 0; i < n; i++) {
    const r = rhoInit[i]! + rhoFinal[i]!;
    rho[i] = rho[i]! + r;
    dBeg += pSharpBeg[i]! * r;
    dEnd += pSharpEnd[i]! * r;
  }
  let persist = dEnd > 0 && dBeg > 0;
  // Demand satisfaction between subtrees.
  persist = criterion(pSharpBeg, L.pSharpFinalBeg, rhoInit, L.pFinalBeg) && persist;
  persist = criterion(L.pSharpInitEnd, pSharpEnd, rhoFinal, L.pInitEnd) && persist;
  return persist;
}

/**
 * One NUTS transition from `state` (updated in place to the selected state). Allocation-free
 * apart from the returned info record.
 */
export function nutsTransition(rng: Rng, state: NutsState, params: NutsParams, scratch: NutsScratch): NutsInfo {
  const s = scratch;
  const metric = params.metric;
  if (metric.dim !== s.dim || state.position.length !== s.dim) {
    throw new SamplerError(
      'INVALID_OPTION',
      `nutsTransition: the state (dim ${state.position.length}), metric (dim ${metric.dim}) and scratch (dim ${s.dim}) must have the same dimension.`,
    );
  }
  const maxDepth = params.maxTreeDepth;
  const stepSize = params.stepSize;
  s.rng = rng;
  s.metric = metric;
  s.maxDeltaH = params.maxDeltaH ?? 1000;

  // Initialise: sample the momentum at the current position.
  const zFwd = s.zFwd;
  const zBck = s.zBck;
  zFwd.q.set(state.position);
  zFwd.g.set(state.gradient);
  zFwd.lp = state.logDensity;
  sampleMomentum(metric, rng, zFwd.p, s.normals);
  applyInverseMetric(metric, zFwd.p, s.pSharpFwdFwd);
  let tau = 0;
  for (let i = 0; i < s.dim; i++) tau += zFwd.p[i]! * s.pSharpFwdFwd[i]!;
  const H0 = 0.5 * tau - state.logDensity;
  s.H0 = H0;
  copyPhasePoint(zFwd, zBck);

  const sample = s.sample;
  sample.q.set(zFwd.q);
  sample.g.set(zFwd.g);
  sample.lp = zFwd.lp;
  sample.h = H0;

  s.pFwdFwd.set(zFwd.p);
  s.pFwdBck.set(zFwd.p);
  s.pBckFwd.set(zFwd.p);
  s.pBckBck.set(zFwd.p);
  s.pSharpFwdBck.set(s.pSharpFwdFwd);
  s.pSharpBckFwd.set(s.pSharpFwdFwd);
  s.pSharpBckBck.set(s.pSharpFwdFwd);
  s.rho.set(zFwd.p);

  let logSumWeight = 0; // log(exp(H0 - H0))
  s.numLeapfrog = 0;
  s.sumMetroProb = 0;
  s.isDivergent = false;
  let depth = 0;

  while (depth < maxDepth) {
    s.rhoFwd.fill(0);
    s.rhoBck.fill(0);
    let isValid: boolean;
    if (rng.uniform() > 0.5) {
      // Extend the trajectory forward: the old trajectory becomes the backward subtree.
      s.z = zFwd;
      s.signedStepSize = stepSize;
      s.rhoBck.set(s.rho);
      s.pBckFwd.set(s.pFwdFwd);
      s.pSharpBckFwd.set(s.pSharpFwdFwd);
      isValid = buildTree(s, depth, s.propose, s.pSharpFwdBck, s.pSharpFwdFwd, s.rhoFwd, s.pFwdBck, s.pFwdFwd);
    } else {
      // Extend backward: the old trajectory becomes the forward subtree.
      s.z = zBck;
      s.signedStepSize = -stepSize;
      s.rhoFwd.set(s.rho);
      s.pFwdBck.set(s.pBckBck);
      s.pSharpFwdBck.set(s.pSharpBckBck);
      isValid = buildTree(s, depth, s.propose, s.pSharpBckFwd, s.pSharpBckBck, s.rhoBck, s.pBckFwd, s.pBckBck);
    }
    if (!isValid) break;
    const logSumWeightSubtree = s.subtreeLogSumWeight;

    // Biased progressive sampling from the accepted subtree.
    depth++;
    if (logSumWeightSubtree > logSumWeight) {
      copyCandidate(s.propose, sample);
    } else {
      const acceptProb = Math.exp(logSumWeightSubtree - logSumWeight);
      if (rng.uniform() < acceptProb) copyCandidate(s.propose, sample);
    }
    logSumWeight = logSumExp(logSumWeight, logSumWeightSubtree);

    // rho = rho_bck + rho_fwd, and the no-U-turn checks around and between the subtrees.
    const rho = s.rho;
    const rhoBck = s.rhoBck;
    const rhoFwd = s.rhoFwd;
    let dBck = 0;
    let dFwd = 0;
    for (let i = 0; i < s.dim; i++) {
      const r = rhoBck[i]! + rhoFwd[i]!;
      rho[i] = r;
      dBck += s.pSharpBckBck[i]! * r;
      dFwd += s.pSharpFwdFwd[i]! * r;
    }
    let persist = dFwd > 0 && dBck > 0;
    persist = criterion(s.pSharpBckBck, s.pSharpFwdBck, rhoBck, s.pFwdBck) && persist;
    persist = criterion(s.pSharpBckFwd, s.pSharpFwdFwd, rhoFwd, s.pBckFwd) && persist;
    if (!persist) break;
  }

  const numLeapfrog = s.numLeapfrog;
  s.numGradientEvaluations += numLeapfrog;
  state.position.set(sample.q);
  state.gradient.set(sample.g);
  state.logDensity = sample.lp;
  s.rng = null;
  return {
    acceptStat: s.sumMetroProb / numLeapfrog,
    treeDepth: depth,
    numLeapfrog,
    isDivergent: s.isDivergent,
    energy: sample.h,
    logDensity: sample.lp,
  };
}

const LOG_0_8 = Math.log(0.8);

/**
 * Stan's init_stepsize heuristic (base_hmc.hpp): starting from `stepSize`, doubles or halves it
 * until the acceptance probability of a single leapfrog step from `state` (with a fresh momentum
 * each trial) crosses 0.8. Returns the new step size; `state` is left unchanged.
 */
export function initStepSize(rng: Rng, state: NutsState, stepSize: number, metric: Metric, scratch: NutsScratch): number {
  let eps = stepSize;
  // Skip initialisation for extreme step sizes.
  if (eps === 0 || eps > 1e7 || Number.isNaN(eps)) return eps;
  const z = scratch.zBck;
  const pSharp = scratch.pSharpBckBck;

  const trial = (): number => {
    z.q.set(state.position);
    z.g.set(state.gradient);
    sampleMomentum(metric, rng, z.p, scratch.normals);
    applyInverseMetric(metric, z.p, pSharp);
    let tau = 0;
    for (let i = 0; i < scratch.dim; i++) tau += z.p[i]! * pSharp[i]!;
    const h0 = 0.5 * tau - state.logDensity;
    const lp = leapfrog(scratch.target, metric, z.q, z.p, z.g, eps, scratch.tmp);
    scratch.numGradientEvaluations++;
    applyInverseMetric(metric, z.p, pSharp);
    tau = 0;
    for (let i = 0; i < scratch.dim; i++) tau += z.p[i]! * pSharp[i]!;
    let h = 0.5 * tau - lp;
    if (Number.isNaN(h)) h = Infinity;
    return h0 - h;
  };

  const direction = trial() > LOG_0_8 ? 1 : -1;
  for (;;) {
    const deltaH = trial();
    if (direction === 1 && !(deltaH > LOG_0_8)) break;
    else if (direction === -1 && !(deltaH < LOG_0_8)) break;
    else eps = direction === 1 ? 2 * eps : 0.5 * eps;
    if (eps > 1e7) {
      throw new SamplerError(
        'STEPSIZE_SEARCH_FAILED',
        'The step-size search grew past 1e7: the posterior looks improper (the log density does not decay in some direction). Check the model and its priors.',
      );
    }
    if (eps === 0) {
      throw new SamplerError(
        'STEPSIZE_SEARCH_FAILED',
        'No acceptably small step size could be found: the log density may be discontinuous or its gradient wrong. Check the gradient against finite differences.',
      );
    }
  }
  return eps;
}
