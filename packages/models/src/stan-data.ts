/**
 * The model's inputs as plain JSON-able data for an independent Stan program (README "Stan
 * equivalence"): the exact y_s, τ, F, controls and H the log density uses (H at the fixed
 * transforms, or at the prior centres when learned), the grid for learned transforms, and the
 * prior constants. Indices are 1-based, as Stan's.
 */
import type { ModelData } from './design.js';
import { FOURIER_COLUMN, FOURIER_TERMS, TREND_COLUMN } from './layout.js';
import type { Priors } from './priors.js';
import { adstockCode, channelSlots, logNormalPrior, saturationCode } from './transform-kinds.js';

export function stanData(data: ModelData, pr: Priors): Record<string, number | number[] | number[][]> {
  const { N, G, C, K, P, X, layout, transforms, numGrid } = data;
  const rows = (count: number, width: number, at: (n: number, j: number) => number): number[][] =>
    Array.from({ length: count }, (_, n) => Array.from({ length: width }, (_, j) => at(n, j)));
  // ModelData.X holds H at the fixed transforms / prior centres; recomputed here all the same,
  // so the export never depends on what an evaluation left anywhere.
  const H = Float64Array.from(X);
  const centre = data.centreSlots();
  data.mediaColumns(centre, H, new Float64Array(N * C));
  // The transform family (hierarchical_kinds.stan): kind codes, slot centres (0 where absent)
  // and the log-sd of every LogNormal slot (0 for α and where absent).
  const slots = transforms.map(channelSlots);
  const slotCentre = (j: number): number[] => slots.map((_, c) => (Number.isNaN(centre[4 * c + j]!) ? 0 : centre[4 * c + j]!));
  const slotSd = (j: number): number[] =>
    slots.map((sl, c) => {
      const name = sl.names[j];
      return name === null || name === undefined || name === 'alpha' ? 0 : logNormalPrior(transforms[c]!, name, pr).sd;
    });
  const control0 = layout.controlColumn(0);
  const media0 = layout.mediaColumn(0);
  const first = (g: number): number => data.obsStart[g]!;
  return {
    N,
    G,
    C,
    K,
    market: Array.from(data.obsMarket, (g) => g + 1),
    y: Array.from(data.y),
    tau: Array.from({ length: N }, (_, n) => X[n * P + TREND_COLUMN]!),
    F: rows(N, FOURIER_TERMS, (n, k) => X[n * P + FOURIER_COLUMN + k]!),
    Xc: rows(N, K, (n, j) => X[n * P + control0 + j]!),
    H: rows(N, C, (n, c) => H[n * P + media0 + c]!),
    y_scale: Array.from(data.yScale),
    n_grid: numGrid,
    grid_start: Array.from({ length: G }, (_, g) => data.obsGridRow[first(g)]! - data.obsWeek[first(g)]! + 1),
    grid_len: data.vX.filter((_, i) => i % C === 0).map((v) => v.length),
    x_grid: rows(numGrid, C, (r, c) => data.gridXc[c * numGrid + r]!),
    obs_grid_row: Array.from(data.obsGridRow, (r) => r + 1),
    lags: transforms.map((t) => t.lMax),
    adstock_delayed: transforms.map((t) => (t.adstock === 'delayed' ? 1 : 0)),
    adstock_theta: transforms.map((t) => t.theta),
    alpha0: transforms.map((t) => t.alpha),
    K0: transforms.map((t) => t.K),
    S0: transforms.map((t) => t.S),
    adstock_kind: transforms.map((t) => adstockCode(t.adstock)),
    sat_kind: slots.map((sl) => saturationCode(sl.saturation)),
    ad_par0: slotCentre(0),
    ad_par1: slotCentre(1),
    sat_par0: slotCentre(2),
    sat_par1: slotCentre(3),
    ad_sd0: slotSd(0),
    ad_sd1: slotSd(1),
    sat_sd0: slotSd(2),
    sat_sd1: slotSd(3),
    nu: pr.student_t_nu,
    prior_alpha_mu: [...pr.alpha_mu.normal],
    prior_alpha_sigma: pr.alpha_sigma.half_normal,
    prior_delta: [...pr.delta.normal],
    prior_gamma: [...pr.gamma.normal],
    prior_gamma_control: [...pr.gamma_control.normal],
    prior_beta_log_mu: [...pr.beta_log_mu.normal],
    prior_beta_sigma: pr.beta_sigma.half_normal,
    prior_sigma: pr.sigma.half_normal,
    adstock_alpha_concentration: pr.adstock_alpha_concentration,
    sat_K_sd: pr.sat_K_sd,
    sat_S_sd: pr.sat_S_sd,
  };
}
