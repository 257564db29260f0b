/**
 * Why the log density's row loop calls models' `hillPoint` and not @tributary/transforms'
 * `hillWithGradient`: both evaluated over the same 3,102 adstocked values (VOLTA: 517 rows ×
 * 6 channels, one call per channel of 517 values), writing h, ∂h/∂a, ∂h/∂K, ∂h/∂S into
 * buffers. The kernel also checks its arguments and each value, and uses pow + log per value
 * where `hillPoint` uses log + exp. Median of 15 repeats of 2,000 passes, CPU time.
 *
 *   pnpm exec tsx --conditions=@tributary/source bench/hill-kernel.bench.ts
 */
import { hillWithGradient } from '@tributary/transforms';
import seedrandom from 'seedrandom';
import { hillPoint } from '../src/math.js';

const N = 517;
const C = 6;
const rng = seedrandom('hill');
const a = Array.from({ length: C }, () => Float64Array.from({ length: N }, () => (rng() < 0.1 ? 0 : 2 * rng())));
const K = Array.from({ length: C }, () => 0.3 + rng());
const S = Array.from({ length: C }, () => 0.5 + 2 * rng());
const h = new Float64Array(N);
const dA = new Float64Array(N);
const dK = new Float64Array(N);
const dS = new Float64Array(N);

function cpuNs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

function viaKernel(): void {
  for (let c = 0; c < C; c++) hillWithGradient(a[c]!, K[c]!, S[c]!, h, dK, dS, dA);
}

function viaHillPoint(): void {
  for (let c = 0; c < C; c++) {
    const ac = a[c]!;
    const logK = Math.log(K[c]!);
    for (let n = 0; n < N; n++) h[n] = hillPoint(ac[n]!, 1, logK, K[c]!, S[c]!, dA, dK, dS, n);
  }
}

function time(f: () => void): number {
  const t0 = cpuNs();
  for (let i = 0; i < 2000; i++) f();
  return (cpuNs() - t0) / 2000;
}

const tk: number[] = [];
const tp: number[] = [];
time(viaKernel);
time(viaHillPoint);
for (let r = 0; r < 15; r++) {
  tk.push(time(viaKernel));
  tp.push(time(viaHillPoint));
}
const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
console.log(`hillWithGradient: ${median(tk).toFixed(0)} ns per pass; hillPoint: ${median(tp).toFixed(0)} ns per pass; kernel / helper ${(median(tk) / median(tp)).toFixed(2)}`);
