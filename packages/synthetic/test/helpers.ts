// Test helpers: the model's mean on the scaled target, recomputed from a Panel and the ground truth.
import type { Panel } from '@tributary/data';
import { applyAdstock, buildAdstockSpec, channelDefaults, hill } from '@tributary/transforms';
import type { GroundTruth } from '../src/index.js';

/** H[n*C + c] from the Panel's gridX with the channel-default transforms, as the model builds it. */
export function designFromPanel(panel: Panel): Float64Array {
  const C = panel.channels.length;
  const H = new Float64Array(panel.numObs * C);
  for (let g = 0; g < panel.markets.length; g++) {
    const L = panel.marketLength[g]!;
    const off = panel.gridOffset[g]!;
    for (let c = 0; c < C; c++) {
      const d = channelDefaults(panel.channels[c]!);
      const x = new Float64Array(L);
      for (let w = 0; w < L; w++) x[w] = panel.gridX[(off + w) * C + c]!;
      const a = applyAdstock(x, buildAdstockSpec(d), new Float64Array(L));
      const h = hill(a, d.K, d.S, new Float64Array(L));
      for (let w = 0; w < L; w++) {
        const n = panel.gridObserved[off + w]!;
        if (n >= 0) H[n * C + c] = h[w]!;
      }
    }
  }
  return H;
}

/** mu[n] = alpha[g] + delta[g]·tau[n] + F[n]·gamma + Σ_c beta[g,c]·H[n,c], with the true parameters. */
export function trueMean(panel: Panel, gt: GroundTruth, H: Float64Array): Float64Array {
  const C = panel.channels.length;
  const p = gt.parameters;
  const mu = new Float64Array(panel.numObs);
  for (let n = 0; n < panel.numObs; n++) {
    const g = panel.markets[panel.obsMarket[n]!]!;
    let m = p[`alpha[${g}]`]! + p[`delta[${g}]`]! * panel.trend[n]!;
    for (let k = 0; k < 4; k++) m += panel.fourier[n * 4 + k]! * p[`gamma[${k + 1}]`]!;
    for (let c = 0; c < C; c++) m += p[`beta[${g},${panel.channels[c]}]`]! * H[n * C + c]!;
    mu[n] = m;
  }
  return mu;
}

/** Per market: mean and sd (divisor n − 1) of `values` over its observed rows. */
export function perMarketStats(panel: Panel, values: Float64Array): { mean: number; sd: number; n: number }[] {
  return panel.markets.map((_, g) => {
    const v: number[] = [];
    for (let n = 0; n < panel.numObs; n++) if (panel.obsMarket[n] === g) v.push(values[n]!);
    const mean = v.reduce((s, x) => s + x, 0) / v.length;
    const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1));
    return { mean, sd, n: v.length };
  });
}
