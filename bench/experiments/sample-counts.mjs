import { readFileSync } from 'node:fs';
const root = process.env.ROOT ?? new URL('../..', import.meta.url).pathname;
const data = await import(root + '/packages/data/dist/index.js');
const models = await import(root + '/packages/models/dist/index.js');
const sampler = await import(root + '/packages/sampler/dist/index.js');
const [coords, metricInit, initOptimize, learn] = process.argv.slice(2);
const panel = data.buildPanel(data.parseMarketingCsv(readFileSync(process.env.CSV ?? 'data/volta_marketing.csv', 'utf8')));
const m = models.buildModel(panel, { kind: 'hierarchical', learnTransforms: learn === 'learn' });
const target = coords === 'model' ? m : m.sampling;
let calls = 0; const counted = { dim: target.dim, parameterNames: target.parameterNames, logDensityAndGradient: (a, b) => { calls++; return target.logDensityAndGradient(a, b); } };
const buckets = new Map(); let last = 0;
const onProgress = (e) => { if (e.chain !== 0) return; const b = [75, 100, 150, 250, 450, 950, 1000, 2000].find((x) => e.iteration <= x); buckets.set(b, (buckets.get(b) ?? 0) + calls - last); last = calls; };
const t0 = process.cpuUsage();
const post = await sampler.sample(counted, { chains: 4, warmup: 1000, draws: 1000, seed: 42, metricInit, initOptimize: initOptimize === 'opt', onProgress });
const cpu = (process.cpuUsage(t0).user) / 1e6;
let lf = 0, n = 0; for (const a of post.sampleStats.n_leapfrog) for (const v of a) { lf += v; n++; }
const ge = post.numGradientEvaluations.reduce((a, b) => a + b, 0);
const cd = m.constrainedDim; let minEss = Infinity, minName = '';
const cons = post.draws.map((ch) => { const out = new Float64Array(post.numDraws * cd); for (let i = 0; i < post.numDraws; i++) (coords === 'model' ? m : m.sampling).constrain(ch.subarray(i * post.dim, (i + 1) * post.dim), out.subarray(i * cd, (i + 1) * cd)); return out; });
for (let j = 0; j < cd; j++) { const e = sampler.essBulk(cons.map((c) => Float64Array.from({ length: post.numDraws }, (_, i) => c[i * cd + j]))); if (e < minEss) { minEss = e; minName = m.constrainedNames[j]; } }
console.log(`${coords} ${metricInit} ${initOptimize} ${learn ?? 'fixed'}: leapfrog/draw ${(lf / n).toFixed(1)} grads ${ge} minESS ${minEss.toFixed(0)} (${minName}) ESS/1k grads ${(minEss / ge * 1000).toFixed(2)} cpu ${cpu.toFixed(1)}s chain0 ${JSON.stringify(Object.fromEntries(buckets))}`);
