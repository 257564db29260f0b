// Step-size adaptation by Nesterov dual averaging, as { init, update, final } pieces.
//
// References
// - M. D. Hoffman & A. Gelman (2014), "The No-U-Turn Sampler", JMLR 15, Sec. 3.2 and
//   Algorithm 5 (dual averaging of log epsilon, with gamma = 0.05, t0 = 10, kappa = 0.75,
//   mu = log(10 epsilon0)); Y. Nesterov (2009), "Primal-dual subgradient methods for convex
//   problems".
// - Stan: src/stan/mcmc/stepsize_adaptation.hpp (learn_stepsize, restart, complete_adaptation)
//   and src/stan/mcmc/hmc/nuts/adapt_diag_e_nuts.hpp (restart with mu = log(10 epsilon) after
//   each metric update).
//
// Followed exactly: the adaptation statistic is capped at 1; eta = 1 / (t + t0);
// s_bar = (1 - eta) s_bar + eta (delta - stat); x = mu - s_bar sqrt(t) / gamma;
// x_bar = (1 - t^-kappa) x_bar + t^-kappa x; epsilon = exp(x) during warmup and exp(x_bar) at
// the end.
// Deviation: finalDualAveraging keeps the current step size when no update happened since the
// last restart (counter 0), instead of returning exp(0) = 1 (Stan's behaviour before 2.37 with
// term_buffer = 0; fixed upstream in stan-dev/stan#3346).

export interface DualAveragingOptions {
  /** Target acceptance statistic delta, in (0, 1) (Stan's adapt_delta, default 0.8). */
  readonly targetAccept?: number;
  readonly gamma?: number;
  readonly kappa?: number;
  readonly t0?: number;
}

export interface DualAveragingState {
  counter: number;
  sBar: number;
  xBar: number;
  mu: number;
  /** The step size of the latest update (exp(x)). */
  stepSize: number;
  readonly delta: number;
  readonly gamma: number;
  readonly kappa: number;
  readonly t0: number;
}

/** Starts dual averaging around `stepSize` (mu = log(10 stepSize)). */
export function initDualAveraging(stepSize: number, options: DualAveragingOptions = {}): DualAveragingState {
  return {
    counter: 0,
    sBar: 0,
    xBar: 0,
    mu: Math.log(10 * stepSize),
    stepSize,
    delta: options.targetAccept ?? 0.8,
    gamma: options.gamma ?? 0.05,
    kappa: options.kappa ?? 0.75,
    t0: options.t0 ?? 10,
  };
}

/** Restarts the averages with mu = log(10 stepSize) (after a metric update). */
export function restartDualAveraging(state: DualAveragingState, stepSize: number): void {
  state.counter = 0;
  state.sBar = 0;
  state.xBar = 0;
  state.mu = Math.log(10 * stepSize);
  state.stepSize = stepSize;
}

/** One update with the acceptance statistic of the latest transition; returns the next step size. */
export function updateDualAveraging(state: DualAveragingState, acceptStat: number): number {
  state.counter += 1;
  const t = state.counter;
  const stat = acceptStat > 1 ? 1 : acceptStat;
  const eta = 1 / (t + state.t0);
  state.sBar = (1 - eta) * state.sBar + eta * (state.delta - stat);
  const x = state.mu - (state.sBar * Math.sqrt(t)) / state.gamma;
  const xEta = Math.pow(t, -state.kappa);
  state.xBar = (1 - xEta) * state.xBar + xEta * x;
  state.stepSize = Math.exp(x);
  return state.stepSize;
}

/** The adapted step size exp(x_bar) (or the current one if there was no update since a restart). */
export function finalDualAveraging(state: DualAveragingState): number {
  return state.counter > 0 ? Math.exp(state.xBar) : state.stepSize;
}
