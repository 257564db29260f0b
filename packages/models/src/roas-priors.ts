/**
 * The prior of each log media coefficient: the spec's beta_log_mu prior (model-spec §5), or a
 * ROAS prior mapped onto the coefficient (issue 8, `priors.roas`, as Meridian's ROAS
 * parameterization).
 *
 * A ROAS prior is a LogNormal with the given mean and sd, moment-matched: s² = log(1 +
 * sd²/mean²), m = log mean − s²/2, on a channel's ROAS over the observed period. With the
 * model's transforms fixed, ROAS is linear in the coefficient, roas = beta · k with
 * k = Σ_g yScale[g]·Σ_n H[n,c] / Σ_g spend[g,c] over the markets the coefficient covers
 * (spec §6), so the prior becomes `log beta ~ Normal(m − log k, s)` (a constant Jacobian) in
 * place of the beta_log_mu prior: unpooled — per market (optionally with per-market moments);
 * pooled — the shared beta; hierarchical — the population effect beta_log_mu (k pooled over
 * markets: the ROAS the channel would have if every market had the population effect).
 * Meridian samples roas and derives beta; with fixed transforms that is the same density.
 * With learned transforms k is taken at the prior centres of α, K, S (a deviation: the
 * mapping does not move with them). A coefficient whose markets never spend or respond keeps
 * the beta_log_mu prior.
 */
import type { ModelData } from './design.js';
import type { ModelKind } from './layout.js';
import { configError } from './options.js';
import type { Priors } from './priors.js';

/** Normal(mean[slot], sd[slot]) per slot: C slots when hierarchical, numSets × C otherwise. */
export interface MediaPriors {
  readonly mean: Float64Array;
  readonly sd: Float64Array;
}

export function mediaPriors(data: ModelData, priors: Priors, kind: ModelKind): MediaPriors {
  const { G, C, N, P, X, layout, markets, channels } = data;
  const sumH = new Float64Array(G * C);
  const media0 = layout.mediaColumn(0);
  for (let n = 0; n < N; n++) {
    const g = data.obsMarket[n]!;
    for (let c = 0; c < C; c++) sumH[g * C + c]! += X[n * P + media0 + c]!;
  }
  const slots = kind === 'hierarchical' ? C : data.numSets * C;
  const mean = new Float64Array(slots).fill(priors.beta_log_mu.normal[0]);
  const sd = new Float64Array(slots).fill(priors.beta_log_mu.normal[1]);

  for (const [name, prior] of Object.entries(priors.roas)) {
    const c = channels.indexOf(name);
    if (c < 0) configError(`priors.roas has key "${name}", which is not a channel (${channels.join(', ')})`);
    const perMarket = prior.markets ?? {};
    for (const market of Object.keys(perMarket)) {
      if (!markets.includes(market)) {
        configError(`priors.roas.${name}.markets has key "${market}", which is not a market (${markets.join(', ')})`);
      }
      if (kind !== 'unpooled') {
        configError(
          `priors.roas.${name}.markets: per-market ROAS priors need the unpooled model; in the ${kind} model the channel's ROAS prior sets ${kind === 'hierarchical' ? 'the population effect beta_log_mu' : 'the shared effect'} through the pooled spend and saturation`,
        );
      }
    }
    const mapTo = (slot: number, moments: { mean: number; sd: number }, covered: number[]): void => {
      let num = 0;
      let den = 0;
      for (const g of covered) {
        num += data.yScale[g]! * sumH[g * C + c]!;
        den += data.spendTotal[g * C + c]!;
      }
      if (!(num > 0 && den > 0)) return; // no spend or no response: the coefficient has no ROAS
      const s2 = Math.log1p((moments.sd * moments.sd) / (moments.mean * moments.mean));
      mean[slot] = Math.log(moments.mean) - 0.5 * s2 - Math.log(num / den);
      sd[slot] = Math.sqrt(s2);
    };
    if (kind === 'unpooled') {
      for (let g = 0; g < G; g++) mapTo(g * C + c, perMarket[markets[g]!] ?? prior, [g]);
    } else {
      mapTo(c, prior, Array.from({ length: G }, (_, g) => g));
    }
  }
  return { mean, sd };
}
