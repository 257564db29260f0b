/**
 * A hand-built one-market, one-channel, one-control panel (7 grid weeks, one gap), and an
 * independent naive implementation of model-spec §3–§5 to check the model against.
 */
import type { PanelData } from '../src/index.js';

export const TINY_SPEND = [100, 0, 50, 0, 80, 120, 30]; // grid weeks t = 0..6; t = 3 is a gap
export const TINY_OBSERVED = [0, 1, 2, 4, 5, 6];
export const TINY_Y = [1200, 900, 1100, 1300, 1500, 1000];
export const TINY_PRICE = [9.5, 9.9, 10.4, 10.1, 9.7, 10.2];
const PERIOD = 365.25 / 7;

export function tinyPanel(): PanelData {
  const N = TINY_OBSERVED.length;
  const scale = Math.max(...TINY_OBSERVED.map((t) => TINY_SPEND[t]!));
  const yScale = TINY_Y.reduce((a, b) => a + b, 0) / N;
  const tMax = 6;
  const fourier: number[] = [];
  for (const t of TINY_OBSERVED) {
    fourier.push(
      Math.sin((2 * Math.PI * t) / PERIOD),
      Math.cos((2 * Math.PI * t) / PERIOD),
      Math.sin((4 * Math.PI * t) / PERIOD),
      Math.cos((4 * Math.PI * t) / PERIOD),
    );
  }
  return {
    markets: ['XX'],
    channels: ['meta_spend'],
    controls: ['price'],
    gridOffset: [0],
    marketLength: [7],
    numGrid: 7,
    gridX: TINY_SPEND.map((s) => s / scale),
    spendScale: [scale],
    yScale: [yScale],
    numObs: N,
    obsMarket: TINY_OBSERVED.map(() => 0),
    obsGridRow: TINY_OBSERVED,
    yScaled: TINY_Y.map((y) => y / yScale),
    spend: TINY_OBSERVED.map((t) => TINY_SPEND[t]!),
    fourier,
    trend: TINY_OBSERVED.map((t) => t / tMax),
    controlValues: TINY_PRICE,
  };
}

// ---- naive model-spec implementation -------------------------------------------------------

export function naiveAdstock(x: number[], alpha: number, L = 8): number[] {
  const w = Array.from({ length: L }, (_, l) => Math.pow(alpha, l));
  const sum = w.reduce((a, b) => a + b, 0);
  return x.map((_, t) => {
    let a = 0;
    for (let l = 0; l < L; l++) if (t - l >= 0) a += (w[l]! / sum) * x[t - l]!;
    return a;
  });
}

export function naiveHill(a: number, K: number, S: number): number {
  return a === 0 ? 0 : Math.pow(a, S) / (Math.pow(K, S) + Math.pow(a, S));
}

export const logNormalPdf = (x: number, m: number, s: number): number =>
  -0.5 * Math.log(2 * Math.PI) - Math.log(s) - (0.5 * (x - m) ** 2) / s ** 2;
export const logHalfNormalPdf = (x: number, s: number): number => Math.log(2) + logNormalPdf(x, 0, s);
export const logLogNormalPdf = (x: number, m: number, s: number): number => logNormalPdf(Math.log(x), m, s) - Math.log(x);

function lgamma(x: number): number {
  // Stirling series with shift; accurate to ~1e-13 for x > 0.
  let shift = 0;
  while (x < 20) {
    shift -= Math.log(x);
    x += 1;
  }
  const x2 = x * x;
  return (
    shift + (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x2) + 1 / (1260 * x2 * x2 * x)
  );
}

export const logBetaPdf = (x: number, a: number, b: number): number =>
  (a - 1) * Math.log(x) + (b - 1) * Math.log(1 - x) - (lgamma(a) + lgamma(b) - lgamma(a + b));

export const logStudentTPdf = (y: number, nu: number, mu: number, s: number): number =>
  lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * Math.log(nu * Math.PI) - Math.log(s) -
  ((nu + 1) / 2) * Math.log(1 + ((y - mu) / s) ** 2 / nu);

/** Media feature H at the observed rows for (α, K, S). */
export function naiveH(alpha: number, K: number, S: number, spend: number[] = TINY_SPEND): number[] {
  const scale = Math.max(...TINY_OBSERVED.map((t) => TINY_SPEND[t]!));
  const a = naiveAdstock(
    spend.map((s) => s / scale),
    alpha,
  );
  return TINY_OBSERVED.map((t) => naiveHill(a[t]!, K, S));
}

export function standardizedPrice(): number[] {
  const n = TINY_PRICE.length;
  const mean = TINY_PRICE.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(TINY_PRICE.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return TINY_PRICE.map((p) => (p - mean) / sd);
}
