#!/usr/bin/env node
// CPU seconds per phase of `evaluate` on one thread, in this process, with a built
// @tributary/evaluation (default packages/evaluation/dist; --dist points at another build, e.g. a
// copy of an older dist next to a node_modules link, to compare two builds phase by phase):
//
//   node packages/evaluation/bench/evaluate-phases.mjs /tmp/evalbench/results/hierarchical
//   node packages/evaluation/bench/evaluate-phases.mjs DIR --dist /tmp/before/dist/index.js
//
// Phases use the public functions both builds have (summarizeResults, passOverDraws with every
// part, summarizeDerived, posteriorPredictiveChecks, relativeEffOfLogLik, psisLoo), so they add up
// to a little more than evaluateResults (which fuses r_eff and PSIS-LOO and reads ROAS from the
// contributions). Then evaluateFolder itself: one thread and, when the build has the `threads`
// option, two (wall and CPU seconds of the whole process, worker included). Prints one JSON line.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { dist: { type: 'string' } } });
const dir = resolve(positionals[0] ?? '/tmp/evalbench/results/hierarchical');
const dist = values.dist ? resolve(values.dist) : new URL('../dist/index.js', import.meta.url).pathname;
const ev = await import(pathToFileURL(dist).href);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const round = (x) => +x.toFixed(2);
const phases = {};
const phase = async (name, f) => {
  const t0 = cpu();
  const r = await f();
  phases[name] = round(cpu() - t0);
  return r;
};
const results = await phase('loadResults', () => ev.loadResults(dir));
const fitted = await phase('rebuildModel', () => ev.rebuildModel(results));
await phase('summarizeResults (R-hat, ESS, MCSE, HDI of every parameter)', () => ev.summarizeResults(results));
const pass = await phase('passOverDraws (one loadDraw per draw, every part)', () =>
  ev.passOverDraws(results, fitted.model, { derived: true, ppc: true, logLik: true, liftTests: true }),
);
await phase('summarizeDerived', () => ev.summarizeDerived(results, fitted, { pass }));
await phase('posteriorPredictiveChecks', () => ev.posteriorPredictiveChecks(results, fitted, { pass }));
const ll = ev.pointwiseLogLikelihood(results, fitted.model, { pass });
const rEff = await phase('relativeEffOfLogLik (r_eff)', () => ev.relativeEffOfLogLik(ll));
await phase('psisLoo (PSIS smoothing, elpd, mcse)', () => ev.psisLoo(ll, { rEff }));
const sum = round(Object.values(phases).reduce((a, b) => a + b, 0));
const whole = async (options) => {
  const c0 = cpu();
  const t0 = performance.now();
  await ev.evaluateFolder(dir, options);
  return { wallSeconds: round((performance.now() - t0) / 1000), cpuSeconds: round(cpu() - c0) };
};
const oneThread = await whole({ threads: 1 });
const twoThreads = typeof ev.evaluateResultsParallel === 'function' ? await whole({ threads: 2 }) : null;
console.log(JSON.stringify({ dist, dir, phasesCpuSeconds: phases, phasesTotal: sum, evaluateFolderOneThread: oneThread, evaluateFolderTwoThreads: twoThreads }));
