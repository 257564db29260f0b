#!/usr/bin/env node
// Times `tributary evaluate` (and `report`) against `tributary fit` on a 40-market × 156-week ×
// 5-channel synthetic data set (issue 13: evaluate must take at most a quarter of the fit's time).
//
//   cd /work/main && pnpm build --output-logs=errors-only
//   node packages/evaluation/bench/evaluate-speed.mjs --out /tmp/evalbench            # data + fit + evaluate + report
//   node packages/evaluation/bench/evaluate-speed.mjs --out /tmp/evalbench --skip-fit # re-time evaluate/report only
//   … --runs 5 --no-report --phases   # evaluate 5 times (the machine is shared: min and all runs), no report, CPU per phase
//   … --fit-args="--warmup-start stan --coordinates model"   # extra options of the fit (e.g. the defaults before the sampling coordinates)
//
// Prints one JSON line: fit wall seconds (timing.json's wall_seconds and the process's
// elapsed time), evaluate and report wall seconds, CPU seconds (user + system, /usr/bin/time)
// of each command, evaluate / fit (wall; the fastest of --runs evaluations) and the load average
// at the end. With --phases a second line: CPU seconds per phase on one thread and evaluateFolder
// on one and two threads (bench/evaluate-phases.mjs). `evaluate --json` is saved to
// OUT/evaluate-<label>.json so two builds can be compared (bench/json-diff.mjs).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../../..');
const bin = join(root, 'apps/cli/dist/bin.js');
const { values } = parseArgs({
  options: {
    out: { type: 'string', default: '/tmp/evalbench' },
    'skip-fit': { type: 'boolean', default: false },
    label: { type: 'string', default: 'run' },
    runs: { type: 'string', default: '1' },
    'no-report': { type: 'boolean', default: false },
    phases: { type: 'boolean', default: false },
    'fit-args': { type: 'string', default: '' },
    markets: { type: 'string', default: '40' },
    weeks: { type: 'string', default: '156' },
    seed: { type: 'string', default: '42' },
  },
});
const out = resolve(values.out);
const G = Number(values.markets);
const W = Number(values.weeks);

const { generateScenario, writeScenario } = await import(join(root, 'packages/synthetic/dist/index.js'));

const channels = [
  { name: 'spotify_ads_spend', spendShare: 0.018, burstiness: 0.35, betaMu: 0.14, betaSigma: 0.25 },
  { name: 'meta_spend', spendShare: 0.016, burstiness: 0.25, betaMu: 0.11, betaSigma: 0.3 },
  { name: 'tiktok_spend', spendShare: 0.012, burstiness: 0.6, betaMu: 0.075, betaSigma: 0.3 },
  { name: 'youtube_spend', spendShare: 0.011, burstiness: 0.5, betaMu: 0.08, betaSigma: 0.2 },
  { name: 'radio_spend', spendShare: 0.01, burstiness: 0.8, campaignWeeks: 5, betaMu: 0.14, betaSigma: 0.3 },
];
const config = {
  name: 'evalbench',
  description: `${G} markets × ${W} weeks × ${channels.length} channels (evaluation speed benchmark).`,
  endDate: '2026-09-28',
  target: 'streaming_revenue',
  markets: Array.from({ length: G }, (_, g) => ({ name: `M${String(g + 1).padStart(2, '0')}`, size: 20_000 + 5_000 * (g % 20), numWeeks: W })),
  channels,
  spendMixJitter: 0.2,
  spendSeasonality: 0.25,
  noise: { sigma: 0.04, jitter: 0.2 },
  trend: { mu: 0.1, sd: 0.06 },
  seasonality: { sd: 0.04 },
};

const seconds = (f) => {
  const t0 = process.hrtime.bigint();
  const r = f();
  return { r, s: Number(process.hrtime.bigint() - t0) / 1e9 };
};
// CPU seconds (user + system) of the child, from /usr/bin/time when it exists.
const timeFile = join(tmpdir(), `evaluate-speed-${process.pid}.time`);
const hasTime = existsSync('/usr/bin/time');
let lastCpu = null;
const run = (args) => {
  const out = hasTime
    ? execFileSync('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, process.execPath, bin, ...args], { cwd: root, maxBuffer: 1 << 30, encoding: 'utf8' })
    : execFileSync(process.execPath, [bin, ...args], { cwd: root, maxBuffer: 1 << 30, encoding: 'utf8' });
  lastCpu = hasTime ? readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-2).reduce((a, v) => a + Number(v), 0) : null;
  return out;
};
const round = (x) => (x === null ? null : +x.toFixed(2));

const csv = join(out, 'evalbench_marketing.csv');
const results = join(out, 'results');
let fitElapsed = null;
let fitCpu = null;
if (!values['skip-fit'] || !existsSync(join(results, 'hierarchical', 'manifest.json'))) {
  const written = await writeScenario(generateScenario(config, Number(values.seed)), out);
  if (resolve(written.csvPath) !== csv) throw new Error(`unexpected CSV path ${written.csvPath}`);
  fitElapsed = seconds(() =>
    run(['fit', csv, '--model', 'hierarchical', '--chains', '4', '--warmup', '1000', '--draws', '1000', '--seed', '1', '--out', results, ...values['fit-args'].split(/\s+/).filter(Boolean)]),
  ).s;
  fitCpu = lastCpu;
}
// timing.json since the manifest became byte-reproducible; the manifest's timing in older folders.
const timingFile = join(results, 'hierarchical', 'timing.json');
const timing = existsSync(timingFile)
  ? JSON.parse(readFileSync(timingFile, 'utf8'))
  : JSON.parse(readFileSync(join(results, 'hierarchical', 'manifest.json'), 'utf8')).timing;
const fitWall = timing?.wall_seconds ?? fitElapsed;
const evRuns = [];
for (let k = 0; k < Math.max(1, Number(values.runs)); k++) {
  const e = seconds(() => run(['evaluate', join(results, 'hierarchical'), '--json']));
  evRuns.push({ s: e.s, cpu: lastCpu, r: e.r });
}
const ev = evRuns.reduce((a, b) => (b.s < a.s ? b : a));
const evCpu = ev.cpu;
writeFileSync(join(out, `evaluate-${values.label}.json`), ev.r);
const rep = values['no-report'] ? { s: null } : seconds(() => run(['report', results, '--data', csv, '--out', join(out, `report-${values.label}.html`)]));
const repCpu = values['no-report'] ? null : lastCpu;
console.log(
  JSON.stringify({
    label: values.label,
    data: `${G} markets × ${W} weeks × ${channels.length} channels`,
    fitWallSeconds: fitWall,
    fitElapsedSeconds: round(fitElapsed),
    fitCpuSeconds: round(fitCpu),
    evaluateSeconds: round(ev.s),
    evaluateCpuSeconds: round(evCpu),
    evaluateRuns: evRuns.map((e) => ({ seconds: round(e.s), cpuSeconds: round(e.cpu) })),
    reportSeconds: round(rep.s),
    reportCpuSeconds: round(repCpu),
    evaluateOverFit: +(ev.s / fitWall).toFixed(3),
    loadAverage: loadavg().map((x) => +x.toFixed(2)),
  }),
);
if (values.phases) {
  process.stdout.write(execFileSync(process.execPath, [join(here, 'evaluate-phases.mjs'), join(results, 'hierarchical')], { encoding: 'utf8', maxBuffer: 1 << 26 }));
}
