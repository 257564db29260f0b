/**
 * Side-by-side timing of one log density + gradient evaluation, this source tree against an
 * older build of the package (default: the build of commit 89a12e6, the last one before the
 * term split), on the VOLTA data of `tributary generate`:
 *
 *   node apps/cli/dist/bin.js generate --out /tmp/volta-bench
 *   git archive 89a12e6 packages/models | tar -x -C /tmp/models-old
 *   (cd /tmp/models-old/packages/models && ln -s /work/main/packages/models/node_modules . \
 *     && cp -r /work/main/tooling /tmp/models-old/ && node_modules/.bin/tsup --no-dts)
 *   cd packages/models && pnpm exec tsx --conditions=@tributary/source bench/compare.bench.ts \
 *     [/tmp/volta-bench/volta_marketing.csv] [/tmp/models-old/packages/models/dist/index.js] \
 *     [/tmp/models-new/dist/index.js]
 *
 * The optional last argument is a tsup build of this tree (`node_modules/.bin/tsup --no-dts
 * -d /tmp/models-new/dist`), so that both sides run bundled the same way; without it the new
 * side runs from the TypeScript sources (one module per file, as tsx loads them).
 *
 * For each configuration (hierarchical; fixed transforms on the sufficient path, learned
 * transforms on the direct path, Student-t on the direct path, and learned + Student-t +
 * time-varying) both models are built from the same Panel, checked to give the same lp at 16
 * random points, then timed in alternation: 9 repeats of 500–30,000 evaluations each (after a
 * warm-up), CPU time of this process. Prints the median ns per evaluation of each and the
 * ratio new / old.
 */
import { readFileSync } from 'node:fs';
import { buildPanel, parseMarketingCsv } from '@tributary/data';
import seedrandom from 'seedrandom';
import * as source from '../src/index.js';
import type { BuildModelOptions, Model, PanelData } from '../src/index.js';

interface ModelModule {
  buildModel(panel: PanelData, options: BuildModelOptions): Model;
}

const csvPath = process.argv[2] ?? '/tmp/volta-bench/volta_marketing.csv';
const oldPath = process.argv[3] ?? '/tmp/models-old/packages/models/dist/index.js';
/** Optional: a tsup build of this tree, so both sides are bundled the same way. */
const newPath = process.argv[4];
const old = (await import(oldPath)) as ModelModule;
const current = (newPath === undefined ? source : await import(newPath)) as ModelModule;
const panel = buildPanel(parseMarketingCsv(readFileSync(csvPath, 'utf8')));

function cpuNs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

function run(model: Model, points: Float64Array[], count: number): number {
  const grad = new Float64Array(model.dim);
  let sink = 0;
  const t0 = cpuNs();
  for (let i = 0; i < count; i++) sink += model.logDensityAndGradient(points[i % points.length]!, grad);
  const ns = (cpuNs() - t0) / count;
  if (!Number.isFinite(sink)) throw new Error('non-finite log density in the benchmark');
  return ns;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Label, options, evaluations per repeat (~60–150 ms of CPU each). */
const configs: [string, BuildModelOptions, number][] = [
  ['fixed transforms (sufficient)', { kind: 'hierarchical' }, 30_000],
  ['fixed, student-t (direct)', { kind: 'hierarchical', likelihood: 'student-t' }, 3_000],
  ['learned transforms (direct)', { kind: 'hierarchical', learnTransforms: true }, 500],
  ['learned, student-t, time-varying', { kind: 'hierarchical', learnTransforms: true, likelihood: 'student-t', timeVarying: { channels: ['meta_spend', 'tiktok_spend'], knotEvery: 8 } }, 500],
];

console.log(`VOLTA: ${panel.markets.length} markets × ${panel.channels.length} channels, ${panel.numObs} rows`);
for (const [label, options, count] of configs) {
  const a = old.buildModel(panel, options);
  const b = current.buildModel(panel, options);
  const rng = seedrandom(label);
  const points = Array.from({ length: 16 }, () => Float64Array.from({ length: b.dim }, () => -1 + 2 * rng()));
  for (const theta of points) {
    const ga = new Float64Array(a.dim);
    const gb = new Float64Array(b.dim);
    const la = a.logDensityAndGradient(theta, ga);
    const lb = b.logDensityAndGradient(theta, gb);
    if (!(Math.abs(la - lb) <= 1e-9 * Math.max(1, Math.abs(la)))) throw new Error(`${label}: lp old ${la} vs new ${lb}`);
  }
  run(a, points, count);
  run(b, points, count);
  const ta: number[] = [];
  const tb: number[] = [];
  for (let r = 0; r < 9; r++) {
    if (r % 2 === 0) {
      ta.push(run(a, points, count));
      tb.push(run(b, points, count));
    } else {
      tb.push(run(b, points, count));
      ta.push(run(a, points, count));
    }
  }
  const ma = median(ta);
  const mb = median(tb);
  console.log(`${label.padEnd(36)} old ${ma.toFixed(0).padStart(8)} ns   new ${mb.toFixed(0).padStart(8)} ns   new/old ${(mb / ma).toFixed(3)}`);
}
