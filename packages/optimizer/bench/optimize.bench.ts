/**
 * Benchmark of one budget optimization at the size of the brief: 4000 posterior draws,
 * 8 markets × 6 channels (48 variables), a 13-week horizon, on a synthetic plain panel
 * (104 weeks per market, no @tributary/synthetic) with a hierarchical model whose draws are
 * jittered around plausible values (seeded, deterministic).
 *
 * Times (wall clock, best of 3 runs after a warm-up run, on whatever else the machine is doing):
 * building the response model from the draws, one `optimizeBudget` (3 starts: historical,
 * equal split, grid) for the mean, CVaR and Sharpe utilities, and one objective + gradient
 * evaluation; for fixed and for learned transforms. Run: `pnpm bench`.
 */
import { buildModel, type Model, type PanelData } from '@tributary/models';
import { buildResponseModel, buildUtility, optimizeBudget, type ResponseModel } from '../src/index.js';

const CHANNELS = ['spotify_ads_spend', 'meta_spend', 'tiktok_spend', 'youtube_spend', 'radio_spend', 'playlist_spend'];

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function normal(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

function syntheticPanel(G: number, weeks: number): PanelData {
  const rnd = lcg(1);
  const C = CHANNELS.length;
  const N = G * weeks;
  const scale = Float64Array.from({ length: G * C }, () => 5_000 + 60_000 * rnd());
  const gridX = new Float64Array(N * C);
  for (let i = 0; i < N * C; i++) gridX[i] = rnd() < 0.15 ? 0 : 0.2 + 0.8 * rnd();
  for (let g = 0; g < G; g++) for (let c = 0; c < C; c++) gridX[(g * weeks) * C + c] = 1; // the max is observed
  const fourier = new Float64Array(N * 4);
  const trend = new Float64Array(N);
  const period = 365.25 / 7;
  const y = new Float64Array(N);
  const spend = new Float64Array(N * C);
  for (let g = 0; g < G; g++) {
    for (let t = 0; t < weeks; t++) {
      const n = g * weeks + t;
      fourier.set([Math.sin((2 * Math.PI * t) / period), Math.cos((2 * Math.PI * t) / period), Math.sin((4 * Math.PI * t) / period), Math.cos((4 * Math.PI * t) / period)], n * 4);
      trend[n] = t / (weeks - 1);
      y[n] = 0.8 + 0.4 * rnd();
      for (let c = 0; c < C; c++) spend[n * C + c] = gridX[n * C + c]! * scale[g * C + c]!;
    }
  }
  return {
    markets: Array.from({ length: G }, (_, g) => `M${g}`),
    channels: CHANNELS,
    controls: [],
    gridOffset: Int32Array.from({ length: G }, (_, g) => g * weeks),
    marketLength: new Int32Array(G).fill(weeks),
    numGrid: N,
    gridX,
    spendScale: scale,
    yScale: Float64Array.from({ length: G }, () => 2e5 + 2e6 * rnd()),
    numObs: N,
    obsMarket: Int32Array.from({ length: N }, (_, n) => Math.floor(n / weeks)),
    obsGridRow: Int32Array.from({ length: N }, (_, n) => n),
    yScaled: y,
    spend,
    fourier,
    trend,
    controlValues: new Float64Array(0),
  };
}

function syntheticDraws(model: Model, numDraws: number): Float64Array {
  const rnd = lcg(2);
  const out = new Float64Array(numDraws * model.constrainedDim);
  const theta = new Float64Array(model.dim);
  for (let d = 0; d < numDraws; d++) {
    model.parameterNames.forEach((name, j) => {
      const c = Math.max(0, CHANNELS.findIndex((ch) => name.endsWith(`${ch}]`)));
      const t = model.transforms[c]!;
      let centre = 0;
      let sd = 0.05;
      if (name.startsWith('beta_log_mu[')) [centre, sd] = [Math.log(0.15), 0.2];
      else if (name.startsWith('beta_sigma_log[')) centre = Math.log(0.3);
      else if (name.startsWith('beta_z[')) sd = 1;
      else if (name.startsWith('sigma_log') || name.startsWith('alpha_sigma_log')) centre = Math.log(0.1);
      else if (name === 'alpha_mu') centre = 0.5;
      else if (name.startsWith('adstock_alpha_logit[')) [centre, sd] = [Math.log(t.alpha / (1 - t.alpha)), 0.3];
      else if (name.startsWith('sat_K_log[')) [centre, sd] = [Math.log(t.K), 0.15];
      else if (name.startsWith('sat_S_log[')) [centre, sd] = [Math.log(t.S), 0.15];
      theta[j] = centre + sd * normal(rnd);
    });
    model.constrain(theta, out.subarray(d * model.constrainedDim, (d + 1) * model.constrainedDim));
  }
  return out;
}

function best(fn: () => void, rounds = 3): number {
  fn(); // warm-up
  let min = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

function evaluationMs(rm: ResponseModel): number {
  const R = new Float64Array(rm.numDraws);
  const w = new Float64Array(rm.numDraws);
  const g = new Float64Array(rm.numCells);
  const x = Float64Array.from(rm.recentWeeklySpend, (v) => v * 13 * 0.05);
  const u = buildUtility('cvar:0.05');
  const reps = rm.curves.isShared ? 200 : 5;
  return (
    best(() => {
      for (let k = 0; k < reps; k++) {
        rm.curves.evaluate(x, R, true);
        u.evaluate(R, 1, w);
        rm.curves.pullback(w, g);
      }
    }) / reps
  );
}

const G = 8;
const weeks = 104;
const numDraws = 4000;
const panel = syntheticPanel(G, weeks);
console.log(`optimizer bench: ${numDraws} draws, ${G} markets × ${CHANNELS.length} channels (${G * CHANNELS.length} variables), W = 13 weeks`);
for (const learnTransforms of [false, true]) {
  const model = buildModel(panel, { kind: 'hierarchical', learnTransforms });
  const draws = syntheticDraws(model, numDraws);
  let rm!: ResponseModel;
  const buildMs = best(() => {
    rm = buildResponseModel({ model, panel, draws, weeks: 13 });
  }, 1);
  const quarter = rm.recentWeeklySpend.reduce((a, b) => a + b, 0) * 13;
  const budget = Math.round(0.05 * quarter);
  const label = learnTransforms ? 'learned transforms' : 'fixed transforms';
  console.log(`\n${label}: response model built in ${buildMs.toFixed(0)} ms; one utility + gradient evaluation ${evaluationMs(rm).toFixed(2)} ms`);
  for (const utility of ['mean', 'cvar:0.05', 'sharpe']) {
    let plan!: ReturnType<typeof optimizeBudget>;
    const ms = best(() => {
      plan = optimizeBudget(rm, { budget, utility });
    }, learnTransforms ? 1 : 3);
    const evals = plan.solver.starts.reduce((a, s) => a + s.evaluations, 0);
    console.log(
      `  ${utility.padEnd(10)} one optimization ${(ms / 1000).toFixed(2)} s  (${plan.solver.starts.length} starts, ${evals} evaluations, ` +
        `all converged: ${plan.solver.starts.every((s) => s.isConverged)}, budget ${budget.toLocaleString('en-US')})`,
    );
  }
}
