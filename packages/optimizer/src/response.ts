/**
 * The response of a plan, from a fitted model and its posterior draws (README "The response of
 * a plan").
 *
 * A plan spends s[g,c] per week, constant over a horizon of W weeks that starts the week after
 * market g's last observed week. Per draw, with x = spend / spendScale[g,c] (model-spec §2, the
 * market-channel's largest observed weekly spend) and the channel's normalized lag weights w_l,
 * l = 0..L−1 (§3), for horizon weeks k = 0..W+L−2 (the horizon and the L−1 weeks after it):
 *
 *   a_hist[k] = Σ_{l=k+1}^{L−1} w_l · x_obs[T_g + k − l]     (carry-over of the observed weeks)
 *   a_plan[k] = (s / spendScale) · φ_k,   φ_k = Σ_{l=max(0,k−W+1)}^{min(k,L−1)} w_l
 *   R = Σ_{g,c} beta[g,c] · y_scale[g] · Σ_k ( h(a_hist[k] + a_plan[k]) − h(a_hist[k]) )
 *
 * with Hill h of the channel (§3). Adstock is linear, so the plan's adstock adds to the
 * carry-over exactly. Weeks k ∈ [L−1, W−1] have no carry-over and φ = 1: they are one term
 * with multiplicity W−L+1, so a cell has 2L−1 terms (15 for L = 8) whatever W is. With learned
 * transforms (`adstock_alpha[c]`, `sat_K[c]`, `sat_S[c]` in the draw) w, K and S are taken per
 * draw, otherwise from `model.transforms`. With time-varying effects (model.ts) beta[g,c] is
 * scaled, per draw, by the channel's multiplier at the last observed week
 * (`model.latestMultipliers`): a random walk's best forecast is its last value. The decision variable of the solver is the total
 * spend of each market-channel over the horizon, W·s[g,c].
 *
 * Deviations from PyMC-Marketing's `BudgetOptimizer` (budget_optimizer.py): it simulates the
 * horizon plus `adstock_periods` zero weeks from zero adstock, i.e. the carry-over of the
 * observed weeks is neither added to the plan's adstock nor subtracted as a baseline; here the
 * plan is credited only with its increment over that carry-over. Its default bounds are
 * [0, total budget] per cell; ours are [0, 2 × the largest observed weekly spend] (bounds.ts),
 * which keeps plans near the data the model has seen, and every cell outside the observed range
 * is flagged.
 */
import { adstockWeights, buildAdstockSpec } from '@tributary/transforms';
import type { Model, PanelData } from '@tributary/models';
import { buildResponseCurves, type ResponseCurves } from './curves.js';
import { OptimizerError } from './errors.js';

export interface BuildResponseModelOptions {
  readonly model: Model;
  /** The panel the model was built from (the same markets, channels and grid). */
  readonly panel: PanelData;
  /**
   * Constrained draws in `model.constrainedNames` order: one row-major matrix
   * (numDraws × constrainedDim) or one matrix per chain (concatenated in order).
   */
  readonly draws: Float64Array | readonly Float64Array[];
  /** Column names of the draws; checked against `model.constrainedNames` when given. */
  readonly names?: readonly string[];
  /** Horizon length W in weeks (default 13). */
  readonly weeks?: number;
}

export interface ResponseModel {
  readonly markets: readonly string[];
  readonly channels: readonly string[];
  /** Horizon length W. */
  readonly weeks: number;
  readonly numDraws: number;
  /** G·C market-channel cells, cell i = g·C + c. */
  readonly numCells: number;
  readonly isLearnedTransforms: boolean;
  /** Response per draw of the cells' total spends over the horizon (money). */
  readonly curves: ResponseCurves;
  /** G×C: largest observed weekly spend (model-spec §2 spend scale); 0 if never spent. */
  readonly spendScale: Float64Array;
  /** G×C: smallest and largest observed weekly spend (observed rows only). */
  readonly observedMin: Float64Array;
  readonly observedMax: Float64Array;
  /** G×C: mean weekly spend over the last W grid weeks of each market (gap weeks count as 0). */
  readonly recentWeeklySpend: Float64Array;
  /** G×C: mean weekly spend over each market's whole grid. */
  readonly historyWeeklySpend: Float64Array;
}

function fail(message: string): never {
  throw new OptimizerError('OPTIMIZER_INVALID_INPUT', message);
}

/** Term structure of a channel with L lags over W weeks: list of [k values] per term. */
function termsOf(L: number, W: number): number[][] {
  const terms: number[][] = [];
  const steady: number[] = [];
  for (let k = 0; k <= W + L - 2; k++) {
    if (k >= L - 1 && k <= W - 1) steady.push(k);
    else terms.push([k]);
  }
  if (steady.length > 0) terms.splice(L - 1, 0, steady);
  return terms;
}

/** Builds the response model of `options.model` for a horizon of `weeks` weeks. */
export function buildResponseModel(options: BuildResponseModelOptions): ResponseModel {
  const { model, panel } = options;
  const W = options.weeks ?? 13;
  if (!Number.isInteger(W) || W < 1 || W > 520) {
    throw new OptimizerError('OPTIMIZER_INVALID_OPTIONS', `weeks = ${W}; expected an integer from 1 to 520`);
  }
  const G = model.markets.length;
  const C = model.channels.length;
  if (panel.markets.length !== G || panel.markets.some((m, g) => m !== model.markets[g])) {
    fail(`the panel's markets (${panel.markets.join(', ')}) differ from the model's (${model.markets.join(', ')}); pass the panel the model was built from`);
  }
  if (panel.channels.length !== C || panel.channels.some((c, i) => c !== model.channels[i])) {
    fail(`the panel's channels (${panel.channels.join(', ')}) differ from the model's (${model.channels.join(', ')})`);
  }
  if (options.names !== undefined) {
    const names = options.names;
    const expected = model.constrainedNames;
    const bad = expected.findIndex((name, j) => names[j] !== name);
    if (names.length !== expected.length || bad >= 0) {
      const at = bad >= 0 ? bad : Math.min(names.length, expected.length);
      fail(
        `draw column ${at + 1} is "${names[at] ?? '(missing)'}" but the model expects "${expected[at] ?? '(none)'}" ` +
          `(${names.length} columns given, ${expected.length} expected); the draws do not belong to this model`,
      );
    }
  }

  // Draws.
  const cdim = model.constrainedDim;
  const chains = options.draws instanceof Float64Array ? [options.draws] : options.draws;
  let numDraws = 0;
  for (const [k, chain] of chains.entries()) {
    if (!(chain instanceof Float64Array) || chain.length % cdim !== 0) {
      fail(`draws[${k}] has ${chain?.length} values, not a multiple of constrainedDim ${cdim}`);
    }
    numDraws += chain.length / cdim;
  }
  if (numDraws < 1) fail('no draws');
  const draw = (d: number): Float64Array => {
    let r = d;
    for (const chain of chains) {
      const rows = chain.length / cdim;
      if (r < rows) return chain.subarray(r * cdim, (r + 1) * cdim);
      r -= rows;
    }
    fail(`draw ${d} out of range`);
  };

  const layout = model.layout;
  const P = layout.numCoef;
  const K = layout.numControls;
  const isPooled = layout.numSets === 1;
  const n = G * C;
  const D = numDraws;
  const coef = new Float64Array(D * n);
  // Time-varying effects: the forecast uses each channel's multiplier at the last observed week.
  const multipliers = new Float64Array(C).fill(1);
  const isTimeVarying = model.timeVarying !== null;
  for (let d = 0; d < D; d++) {
    const c0 = draw(d);
    if (isTimeVarying) model.latestMultipliers(c0, multipliers);
    for (let g = 0; g < G; g++) {
      const set = isPooled ? 0 : g;
      for (let c = 0; c < C; c++) {
        const j = layout.coefIndex[set * P + 6 + K + c]!;
        const beta = c0[j]!;
        if (!(beta >= 0 && beta < Infinity)) fail(`draw ${d + 1}: ${model.constrainedNames[j]} = ${beta}; expected a finite number >= 0`);
        coef[d * n + g * C + c] = beta * multipliers[c]! * panel.yScale[g]!;
      }
    }
  }

  // Panel summaries per cell.
  const spendScale = Float64Array.from(panel.spendScale);
  const observedMin = new Float64Array(n).fill(Infinity);
  const observedMax = new Float64Array(n);
  for (let r = 0; r < panel.numObs; r++) {
    const g = panel.obsMarket[r]!;
    for (let c = 0; c < C; c++) {
      const v = panel.spend[r * C + c]!;
      const i = g * C + c;
      if (v < observedMin[i]!) observedMin[i] = v;
      if (v > observedMax[i]!) observedMax[i] = v;
    }
  }
  for (let i = 0; i < n; i++) if (observedMin[i] === Infinity) observedMin[i] = 0;
  const recentWeeklySpend = new Float64Array(n);
  const historyWeeklySpend = new Float64Array(n);
  for (let g = 0; g < G; g++) {
    const start = panel.gridOffset[g]!;
    const T = panel.marketLength[g]!;
    for (let c = 0; c < C; c++) {
      const i = g * C + c;
      let all = 0;
      let recent = 0;
      for (let t = 0; t < T; t++) {
        const v = panel.gridX[(start + t) * C + c]! * spendScale[i]!;
        all += v;
        if (t >= T - W) recent += v;
      }
      historyWeeklySpend[i] = all / T;
      recentWeeklySpend[i] = recent / Math.min(W, T);
    }
  }

  // Curves: terms per channel, padded to the largest count.
  const transforms = model.transforms;
  const termLists = transforms.map((t) => termsOf(t.lMax, W));
  const m = Math.max(...termLists.map((t) => t.length));
  const multiplicity = new Float64Array(n * m);
  for (let g = 0; g < G; g++) {
    for (let c = 0; c < C; c++) {
      const terms = termLists[c]!;
      for (let k = 0; k < terms.length; k++) multiplicity[(g * C + c) * m + k] = terms[k]!.length;
    }
  }
  const isLearned = model.isLearnedTransforms;
  const numShapes = isLearned ? D : 1;
  const Kc = new Float64Array(numShapes * n);
  const Sc = new Float64Array(numShapes * n);
  const carry = new Float64Array(numShapes * n * m);
  const slope = new Float64Array(numShapes * n * m);
  const maxLag = Math.max(...transforms.map((t) => t.lMax));
  const w = new Float64Array(maxLag);
  const xLast = new Float64Array(maxLag);
  for (let s = 0; s < numShapes; s++) {
    const c0 = isLearned ? draw(s) : undefined;
    for (let c = 0; c < C; c++) {
      const t = transforms[c]!;
      let alpha = t.alpha;
      let Kv = t.K;
      let Sv = t.S;
      if (c0 !== undefined) {
        alpha = Math.min(c0[layout.adstockAlphaIndex[c]!]!, 1 - 1e-12);
        Kv = c0[layout.satKIndex[c]!]!;
        Sv = c0[layout.satSIndex[c]!]!;
        if (!(alpha >= 0 && Kv > 0 && Kv < Infinity && Sv > 0 && Sv < Infinity)) {
          fail(`draw ${s + 1}: transforms of ${model.channels[c]} (adstock_alpha ${alpha}, sat_K ${Kv}, sat_S ${Sv}) are invalid`);
        }
      }
      const L = t.lMax;
      const wc = w.subarray(0, L);
      adstockWeights(buildAdstockSpec({ ...t, alpha }), wc);
      const terms = termLists[c]!;
      for (let g = 0; g < G; g++) {
        const i = g * C + c;
        Kc[s * n + i] = Kv;
        Sc[s * n + i] = Sv;
        const scale = spendScale[i]!;
        if (!(scale > 0)) continue; // never spent: no response (slope 0), bounds force 0
        const start = panel.gridOffset[g]!;
        const T = panel.marketLength[g]!;
        // xLast[j] = x at local week T−1−j (j = 0..L−1), 0 before the market's first week.
        for (let j = 0; j < L; j++) xLast[j] = T - 1 - j >= 0 ? panel.gridX[(start + T - 1 - j) * C + c]! : 0;
        const o = (s * n + i) * m;
        for (let q = 0; q < terms.length; q++) {
          const k = terms[q]![0]!;
          // Carry-over: Σ_{l=k+1}^{L−1} w_l · x[T + k − l]; x[T + k − l] = xLast[l − k − 1].
          let a = 0;
          for (let l = k + 1; l < L; l++) a += wc[l]! * xLast[l - k - 1]!;
          let phi = 0;
          for (let l = Math.max(0, k - W + 1); l <= Math.min(k, L - 1); l++) phi += wc[l]!;
          carry[o + q] = a;
          slope[o + q] = phi / (W * scale);
        }
      }
    }
  }
  const curves = buildResponseCurves({
    numDraws: D,
    numCells: n,
    numTerms: m,
    coef,
    K: Kc,
    S: Sc,
    carry,
    slope,
    multiplicity,
  });
  return {
    markets: model.markets,
    channels: model.channels,
    weeks: W,
    numDraws: D,
    numCells: n,
    isLearnedTransforms: isLearned,
    curves,
    spendScale,
    observedMin,
    observedMax,
    recentWeeklySpend,
    historyWeeklySpend,
  };
}
