/**
 * Micro-benchmark: one log density + gradient evaluation of the hierarchical model, on
 * synthetic panels built directly as plain PanelData (no @tributary/synthetic), 104 weeks per
 * market, for 8/32/128 markets × 6/12/24 channels, on the sufficient-statistics path and the
 * direct path; plus a VOLTA-sized panel (8 markets × 6 channels, 70 weeks each = 560 rows) on
 * every path (fixed/learned transforms, Normal/Student-t).
 *
 * Prints ns per evaluation and ns per (market · channel · week). Run: `pnpm bench`.
 */
import seedrandom from 'seedrandom';
import { buildModel, type BuildModelOptions, type PanelData } from '../src/index.js';

const CHANNELS = ['spotify_ads_spend', 'meta_spend', 'tiktok_spend', 'youtube_spend', 'radio_spend', 'playlist_spend'];

function syntheticPanel(G: number, C: number, weeks: number, seed = 'bench'): PanelData {
  const rng = seedrandom(seed);
  const channels = Array.from({ length: C }, (_, c) => CHANNELS[c] ?? `channel${c + 1}_spend`);
  const N = G * weeks;
  const gridX = new Float64Array(N * C);
  for (let i = 0; i < N * C; i++) gridX[i] = rng() < 0.15 ? 0 : rng();
  const fourier = new Float64Array(N * 4);
  const trend = new Float64Array(N);
  const period = 365.25 / 7;
  const y = new Float64Array(N);
  for (let g = 0; g < G; g++) {
    for (let t = 0; t < weeks; t++) {
      const n = g * weeks + t;
      fourier.set(
        [Math.sin((2 * Math.PI * t) / period), Math.cos((2 * Math.PI * t) / period), Math.sin((4 * Math.PI * t) / period), Math.cos((4 * Math.PI * t) / period)],
        n * 4,
      );
      trend[n] = t / (weeks - 1);
      y[n] = 0.8 + 0.4 * rng();
    }
  }
  return {
    markets: Array.from({ length: G }, (_, g) => `M${g}`),
    channels,
    controls: [],
    gridOffset: Int32Array.from({ length: G }, (_, g) => g * weeks),
    marketLength: new Int32Array(G).fill(weeks),
    numGrid: N,
    gridX,
    spendScale: new Float64Array(G * C).fill(1000),
    yScale: new Float64Array(G).fill(1e5),
    numObs: N,
    obsMarket: Int32Array.from({ length: N }, (_, n) => Math.floor(n / weeks)),
    obsGridRow: Int32Array.from({ length: N }, (_, n) => n),
    yScaled: y,
    spend: Float64Array.from(gridX, (x) => 1000 * x),
    fourier,
    trend,
    controlValues: new Float64Array(0),
  };
}

/**
 * ns per evaluation, measured in CPU time of this process (process.cpuUsage), not wall-clock:
 * the machine is shared, and CPU time excludes the time the process waits to be scheduled.
 * Reports the minimum over 7 rounds of ~20 ms CPU each, after >= 150 ms of warm-up.
 */
function cpuNs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

function timeGradient(panel: PanelData, options: BuildModelOptions, rounds = 7): number {
  const model = buildModel(panel, options);
  const rng = seedrandom('theta');
  const theta = Float64Array.from({ length: model.dim }, () => -1 + 2 * rng());
  const grad = new Float64Array(model.dim);
  let sink = 0;
  // Warm up (JIT tiers) for >= 150 ms CPU, then size a batch to ~20 ms CPU.
  let batch = 1;
  const warm = cpuNs();
  for (;;) {
    const t0 = cpuNs();
    for (let i = 0; i < batch; i++) sink += model.logDensityAndGradient(theta, grad);
    const t1 = cpuNs();
    if (t1 - t0 > 20e6 && t1 - warm > 150e6) break;
    if (t1 - t0 <= 20e6) batch *= 2;
  }
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = cpuNs();
    for (let i = 0; i < batch; i++) {
      theta[i % model.dim]! += 1e-12;
      sink += model.logDensityAndGradient(theta, grad);
    }
    best = Math.min(best, (cpuNs() - t0) / batch);
  }
  if (!Number.isFinite(sink)) console.log('(non-finite log density)');
  return best;
}

function fmt(x: number, digits = 0): string {
  return x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

const rows: string[] = [];
const header = `${'panel'.padEnd(32)} ${'path'.padEnd(28)} ${'ns/gradient'.padStart(14)} ${'ns/(g·c·week)'.padStart(14)}`;
console.log(header);
console.log('-'.repeat(header.length));
function report(label: string, path: string, G: number, C: number, weeks: number, ns: number): void {
  const line = `${label.padEnd(32)} ${path.padEnd(28)} ${fmt(ns).padStart(14)} ${fmt(ns / (G * C * weeks), 2).padStart(14)}`;
  rows.push(line);
  console.log(line);
}

// VOLTA-sized: 8 markets × 6 channels × 70 weeks = 560 observed rows.
{
  const panel = syntheticPanel(8, 6, 70, 'volta');
  const label = 'VOLTA-sized 8×6×70 (560 rows)';
  report(label, 'sufficient (normal, fixed)', 8, 6, 70, timeGradient(panel, { kind: 'hierarchical', path: 'sufficient' }));
  report(label, 'direct (normal, fixed)', 8, 6, 70, timeGradient(panel, { kind: 'hierarchical', path: 'direct' }));
  report(label, 'direct (student-t, fixed)', 8, 6, 70, timeGradient(panel, { kind: 'hierarchical', likelihood: 'student-t' }));
  report(label, 'direct (normal, learned)', 8, 6, 70, timeGradient(panel, { kind: 'hierarchical', learnTransforms: true }));
}

for (const G of [8, 32, 128]) {
  for (const C of [6, 12, 24]) {
    const panel = syntheticPanel(G, C, 104);
    const label = `${G} markets × ${C} channels × 104`;
    report(label, 'sufficient (normal, fixed)', G, C, 104, timeGradient(panel, { kind: 'hierarchical', path: 'sufficient' }));
    report(label, 'direct (normal, fixed)', G, C, 104, timeGradient(panel, { kind: 'hierarchical', path: 'direct' }));
  }
}
