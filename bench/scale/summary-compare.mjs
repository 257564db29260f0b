// The fit's summary (summary.csv) two ways on one results folder, side by side in one process:
// @tributary/evaluation's summarizeParameters (one sort per parameter, direct-lag ESS), which
// `tributary fit` and `backtest` use, and @tributary/sampler's summarize (the reference it
// falls back to). Prints CPU seconds of each and the largest relative difference over every
// column. Usage (after pnpm build): node bench/scale/summary-compare.mjs RESULTS/hierarchical
const root = new URL('../../', import.meta.url).pathname;
const E = await import(root + 'packages/evaluation/dist/index.js');
const S = await import(root + 'packages/sampler/dist/index.js');
const r = await E.loadResults(process.argv[2]);
const dim = r.names.length;
let t = process.cpuUsage();
const a = E.summarizeParameters(r.draws, dim, r.names);
const ta = process.cpuUsage(t);
t = process.cpuUsage();
const b = S.summarize(r.draws, dim, r.names);
const tb = process.cpuUsage(t);
let worst = 0;
for (let i = 0; i < a.length; i++) {
  for (const k of ['essBulk', 'essTail', 'rHat', 'mean', 'sd', 'mcseMean', 'mcseSd', 'hdiLower', 'hdiUpper']) {
    const x = a[i][k];
    const y = b[i][k];
    if (Number.isFinite(y)) worst = Math.max(worst, Math.abs(x - y) / Math.max(1e-300, Math.abs(y)));
  }
}
const cpu = (u) => ((u.user + u.system) / 1e6).toFixed(2);
console.log(`parameters ${dim}, draws ${r.numChains} × ${r.numDraws}: summarizeParameters ${cpu(ta)} s CPU, sampler summarize ${cpu(tb)} s CPU, max relative difference ${worst.toExponential(2)}`);
