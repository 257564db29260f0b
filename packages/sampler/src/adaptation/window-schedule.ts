// Stan's windowed warmup schedule: an initial fast buffer (step size only), a series of slow
// windows of doubling length (metric + step size; the metric is re-estimated at the end of
// each), and a terminal fast buffer (step size only).
//
// References
// - Stan Reference Manual, "HMC algorithm parameters: automatic parameter tuning".
// - Stan: src/stan/mcmc/windowed_adaptation.hpp (set_window_params, adaptation_window,
//   end_adaptation_window, compute_next_window).
//
// Followed exactly: defaults init_buffer 75, base window 25, term_buffer 50; no metric
// adaptation when num_warmup < 20; when init_buffer + base_window + term_buffer > num_warmup the
// stages become 15% / 75% / 10% (truncated like Stan's unsigned conversion); each window doubles
// and is stretched to the end of the slow phase when the next one would not fit. windowEnds are
// the 0-based warmup iterations after which the metric is updated (Stan's counter when
// end_adaptation_window() is true): for 1000 warmup iterations 99, 149, 249, 449, 949.
// Deviation: in the 15/75/10 branch Stan's set_window_params returns without calling
// restart(), so (read literally) its next-window counter keeps the constructor's value
// (unsigned 0 + 0 - 1) and the metric is never updated for 20 <= num_warmup < 150. We apply the
// documented 15/75/10 partition instead (one slow window ending at init_buffer + window - 1).

export interface WindowScheduleOptions {
  readonly initBuffer?: number;
  readonly baseWindow?: number;
  readonly termBuffer?: number;
}

export interface WindowSchedule {
  readonly numWarmup: number;
  /** False when num_warmup < 20: only the step size is adapted. */
  readonly isMetricAdapted: boolean;
  readonly initBuffer: number;
  readonly baseWindow: number;
  readonly termBuffer: number;
  /** 0-based warmup iterations after which the metric is re-estimated. */
  readonly windowEnds: readonly number[];
}

export function windowSchedule(numWarmup: number, options: WindowScheduleOptions = {}): WindowSchedule {
  let initBuffer = options.initBuffer ?? 75;
  let baseWindow = options.baseWindow ?? 25;
  let termBuffer = options.termBuffer ?? 50;
  if (numWarmup < 20) {
    return { numWarmup, isMetricAdapted: false, initBuffer: 0, baseWindow: 0, termBuffer: 0, windowEnds: [] };
  }
  if (initBuffer + baseWindow + termBuffer > numWarmup) {
    initBuffer = Math.trunc(0.15 * numWarmup);
    termBuffer = Math.trunc(0.1 * numWarmup);
    baseWindow = numWarmup - (initBuffer + termBuffer);
  }
  // restart()
  let windowSize = baseWindow;
  let nextWindow = initBuffer + windowSize - 1;
  const lastWindowEnd = numWarmup - termBuffer - 1;
  const windowEnds: number[] = [];
  for (let counter = 0; counter < numWarmup; counter++) {
    // end_adaptation_window()
    if (counter === nextWindow && counter !== numWarmup) {
      windowEnds.push(counter);
      // compute_next_window()
      if (nextWindow === lastWindowEnd) continue;
      windowSize *= 2;
      nextWindow = counter + windowSize;
      if (nextWindow === lastWindowEnd) continue;
      const nextWindowBoundary = nextWindow + 2 * windowSize;
      if (nextWindowBoundary >= numWarmup - termBuffer) nextWindow = lastWindowEnd;
    }
  }
  return { numWarmup, isMetricAdapted: windowEnds.length > 0, initBuffer, baseWindow, termBuffer, windowEnds };
}

/** Stan's adaptation_window(): is warmup iteration `counter` (0-based) inside the slow phase? */
export function isInAdaptationWindow(schedule: WindowSchedule, counter: number): boolean {
  return (
    schedule.isMetricAdapted &&
    counter >= schedule.initBuffer &&
    counter < schedule.numWarmup - schedule.termBuffer &&
    counter !== schedule.numWarmup
  );
}
