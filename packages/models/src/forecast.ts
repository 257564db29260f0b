/**
 * The forecast basis: what the response of a future media plan needs from a fitted model, per
 * posterior draw and market-channel cell — so that the optimizer builds its curves from the model
 * and never reads the coefficient layout, the pooled-set rule or the transform parameters itself.
 *
 * A plan spends s[g,c] per week, constant over a horizon of W weeks that starts the week after
 * the last observed week of market g. Per draw, with x = s / spendScale[g,c] (model-spec §2)
 * and the channel's normalized lag weights w_l, l = 0..L−1 (§3), for horizon weeks
 * k = 0..W+L−2 (the horizon and the L−1 weeks of carry-over after it):
 *
 *   a_hist[k] = Σ_{l=k+1}^{L−1} w_l · x_obs[T_g + k − l]       (carry-over of the observed weeks)
 *   a_plan[k] = s · φ_k / spendScale[g,c],  φ_k = Σ_{l=max(0,k−W+1)}^{min(k,L−1)} w_l
 *   R = Σ_{g,c} coef[g,c] · Σ_k ( h(a_hist[k] + a_plan[k]) − h(a_hist[k]) )
 *   coef[g,c] = beta[g,c] · m_c(T_max) · y_scale[g]
 *
 * with h the channel's saturation (any of the four kinds) and w the weights of the channel's
 * adstock kind (any of the four) and m_c(T_max) the time-varying multiplier at the
 * last observed week (1 for constant effects; a random walk's best forecast is its last value).
 * Adstock is linear, so the plan's adstock adds to the carry-over exactly. Weeks
 * k ∈ [L−1, W−1] have no carry-over and φ = 1: they are one term with multiplicity W−L+1, so a
 * cell has 2L−1 terms (15 for L = 8) whatever W is (padded to the largest L over channels, with
 * multiplicity 0). With fixed transforms the shape (K, S, carry, slope) is shared by all draws;
 * with learned transforms it is per draw.
 *
 * `slope[k]` is φ_k / spendScale, the plan's adstock per unit of WEEKLY spend (money); a cell
 * that was never spent has slope 0 (no response). The optimizer, whose decision variable is
 * the total over the horizon, divides by W.
 *
 * R is a cell response of response.ts (its header has it next to marginal ROAS and the lift
 * tests): the coefficient (`cellMoney` of m_c(T_max) units) and the draw's transform parameters
 * (`drawSlots`) come from there.
 */
import { adstockWeights, type SaturationKind } from '@tributary/transforms';
import { ModelError } from './errors.js';
import type { ModelData } from './design.js';
import { latestMultipliers } from './derived.js';
import { cellMoney, coefSlot, drawSlots } from './response.js';
import type { TimeVaryingTerm } from './terms/time-varying.js';
import { adstockSpecOf, channelSlots, saturationKind } from './transform-kinds.js';

/** Per draw and cell (cell i = g·C + c): the response curves of a plan (see the header). */
export interface ForecastBasis {
  readonly markets: readonly string[];
  readonly channels: readonly string[];
  /** Horizon W in weeks. */
  readonly weeks: number;
  readonly numDraws: number;
  /** G·C. */
  readonly numCells: number;
  /** Terms per cell (m = 2·max L − 1). */
  readonly numTerms: number;
  /** The saturation kind of each cell (n); K and S below are its parameters. */
  readonly saturation: readonly SaturationKind[];
  /** True when K, S, carry and slope are shared by every draw (fixed transforms). */
  readonly isShared: boolean;
  /** D × n: money per unit of saturated response, beta · multiplier · y_scale. */
  readonly coef: Float64Array;
  /**
   * The saturation's parameters, n (shared) or D × n: Hill K and S; logistic and
   * Michaelis–Menten λ in K (S = 1, unused); tanh b in K and c in S.
   */
  readonly K: Float64Array;
  readonly S: Float64Array;
  /** Carried-over adstock of each term: n × m (shared) or D × n × m. */
  readonly carry: Float64Array;
  /** Plan adstock per unit of weekly spend (money) of each term: n × m (shared) or D × n × m. */
  readonly slope: Float64Array;
  /** Weeks each term stands for: n × m. */
  readonly multiplicity: Float64Array;
}

function fail(message: string): never {
  throw new ModelError('MODEL_INVALID_INPUT', message);
}

/** Term structure of a channel with L lags over W weeks: the k values of each term. */
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

/** Rows of the draws (one matrix, or one per chain, concatenated in order), as subarrays. */
function drawRows(draws: Float64Array | readonly Float64Array[], cdim: number): Float64Array[] {
  const chains = draws instanceof Float64Array ? [draws] : draws;
  const rows: Float64Array[] = [];
  for (const [k, chain] of chains.entries()) {
    if (!(chain instanceof Float64Array) || chain.length % cdim !== 0) {
      fail(`draws[${k}] has ${chain?.length} values, not a multiple of constrainedDim ${cdim}`);
    }
    for (let r = 0; r < chain.length / cdim; r++) rows.push(chain.subarray(r * cdim, (r + 1) * cdim));
  }
  if (rows.length < 1) fail('no draws');
  return rows;
}

export function forecastBasis(
  data: ModelData,
  tv: TimeVaryingTerm,
  isLearned: boolean,
  constrainedNames: readonly string[],
  draws: Float64Array | readonly Float64Array[],
  weeks: number,
): ForecastBasis {
  const W = weeks;
  if (!Number.isInteger(W) || W < 1 || W > 520) throw new ModelError('MODEL_INVALID_OPTIONS', `weeks = ${W}; expected an integer from 1 to 520`);
  const { G, C, layout, transforms, spendScale } = data;
  const rows = drawRows(draws, layout.constrainedDim);
  const D = rows.length;
  const n = G * C;

  // Coefficients: beta of the cell's set × latest multiplier × y_scale.
  const coef = new Float64Array(D * n);
  const multipliers = new Float64Array(C).fill(1);
  const knots = new Float64Array(tv.count * tv.numKnots);
  for (let d = 0; d < D; d++) {
    const row = rows[d]!;
    if (tv.count > 0) {
      tv.loadKnots(row, layout, knots);
      latestMultipliers(tv, knots, data.lastWeek, multipliers);
    }
    for (let g = 0; g < G; g++) {
      for (let c = 0; c < C; c++) {
        const j = layout.coefIndex[coefSlot(layout, g, c)]!;
        const beta = row[j]!;
        if (!(beta >= 0 && beta < Infinity)) fail(`draw ${d + 1}: ${constrainedNames[j]} = ${beta}; expected a finite number >= 0`);
        coef[d * n + g * C + c] = cellMoney(data, g, beta, multipliers[c]!);
      }
    }
  }

  // Terms per channel, padded to the largest count.
  const termLists = transforms.map((t) => termsOf(t.lMax, W));
  const m = Math.max(...termLists.map((t) => t.length));
  const multiplicity = new Float64Array(n * m);
  for (let g = 0; g < G; g++) {
    for (let c = 0; c < C; c++) {
      const terms = termLists[c]!;
      for (let k = 0; k < terms.length; k++) multiplicity[(g * C + c) * m + k] = terms[k]!.length;
    }
  }

  const numShapes = isLearned ? D : 1;
  const K = new Float64Array(numShapes * n);
  const S = new Float64Array(numShapes * n);
  const carry = new Float64Array(numShapes * n * m);
  const slope = new Float64Array(numShapes * n * m);
  const maxLag = Math.max(...transforms.map((t) => t.lMax));
  const w = new Float64Array(maxLag);
  const xLast = new Float64Array(maxLag);
  const saturation = transforms.map(saturationKind);
  for (let s = 0; s < numShapes; s++) {
    // The draw's transform parameters (the fixed values when not learned: the same for every draw).
    const par = drawSlots(data, rows[s]!);
    for (let c = 0; c < C; c++) {
      const t = transforms[c]!;
      const spec = adstockSpecOf(t, par[4 * c]!, par[4 * c + 1]!);
      const adstock = spec.kind === 'geometric' || spec.kind === 'delayed' ? { ...spec, alpha: Math.min(spec.alpha, 1 - 1e-12) } : spec;
      // Saturation parameters in K, S (see ForecastBasis): slot 2, and slot 3 where the kind has one.
      const names = channelSlots(t).names;
      const Kv = par[4 * c + 2]!;
      const Sv = names[3] === null ? 1 : par[4 * c + 3]!;
      if (isLearned) {
        const bad = Object.entries(adstock).some(([key, v]) => key !== 'kind' && key !== 'lMax' && !(typeof v === 'number' && v >= 0 && v < Infinity));
        if (bad || !(Kv > 0 && Kv < Infinity && Sv > 0 && Sv < Infinity)) {
          const sat = `${saturation[c]} ${names[2]} = ${Kv}${names[3] === null ? '' : `, ${names[3]} = ${Sv}`}`;
          fail(`draw ${s + 1}: transforms of ${data.channels[c]} (${JSON.stringify(adstock)}, ${sat}) are invalid`);
        }
      }
      const L = t.lMax;
      const wc = w.subarray(0, L);
      adstockWeights(adstock, wc);
      const terms = termLists[c]!;
      for (let g = 0; g < G; g++) {
        const i = g * C + c;
        K[s * n + i] = Kv;
        S[s * n + i] = Sv;
        const scale = spendScale[i]!;
        if (!(scale > 0)) continue; // never spent: no response
        // xLast[j] = x at the market's local week T−1−j (j = 0..L−1), 0 before its first week.
        const x = data.vX[i]!;
        const T = x.length;
        for (let j = 0; j < L; j++) xLast[j] = T - 1 - j >= 0 ? x[T - 1 - j]! : 0;
        const o = (s * n + i) * m;
        for (let q = 0; q < terms.length; q++) {
          const k = terms[q]![0]!;
          let a = 0;
          for (let l = k + 1; l < L; l++) a += wc[l]! * xLast[l - k - 1]!;
          let phi = 0;
          for (let l = Math.max(0, k - W + 1); l <= Math.min(k, L - 1); l++) phi += wc[l]!;
          carry[o + q] = a;
          slope[o + q] = phi / scale;
        }
      }
    }
  }
  return {
    markets: data.markets,
    channels: data.channels,
    weeks: W,
    numDraws: D,
    numCells: n,
    numTerms: m,
    saturation: Array.from({ length: n }, (_, i) => saturation[i % C]!),
    isShared: !isLearned,
    coef,
    K,
    S,
    carry,
    slope,
    multiplicity,
  };
}
