// Tributary's model log density at given points, for the fixed-point lp check of
// bench/lp_check_calibrated.R (through the public API of the built packages: buildPanel,
// readLiftTests, buildModel, model.unconstrain, model.logDensity; needs the packages' dist/).
// Usage: node bench/lp_tributary.mjs CSV LIFT_CSV|- TV_CHANNELS|- KNOT_EVERY POINTS.json
//   POINTS.json: an array of records { "alpha_mu": ..., "beta_z[DE,meta_spend]": ..., ... }
//   (constrained parameters by Tributary's names). Prints a JSON array of log densities.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const data = await import(join(root, 'packages/data/dist/index.js'));
const models = await import(join(root, 'packages/models/dist/index.js'));

const [csv, lift, tv, every, pointsFile] = process.argv.slice(2);
const panel = data.buildPanel(data.parseMarketingCsv(await readFile(resolve(csv), 'utf8')));
const tests = lift === '-' ? [] : (await data.readLiftTests(resolve(lift), panel)).tests;
const options = { kind: 'hierarchical' };
if (tests.length > 0) {
  options.liftTests = tests.map((t) => ({
    market: t.market, channel: t.channel, startT: t.startT, endT: t.endT,
    deltaSpend: t.deltaSpend, lift: t.lift, liftSe: t.liftSe,
  }));
}
if (tv !== '-') options.timeVarying = { channels: tv.split(','), knotEvery: Number(every) };
const model = models.buildModel(panel, options);
const points = JSON.parse(await readFile(resolve(pointsFile), 'utf8'));
const out = points.map((p) => model.logDensity(model.unconstrain(p)));
process.stdout.write(JSON.stringify({ path: model.path, dim: model.dim, lp: out }) + '\n');
