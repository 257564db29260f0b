// Tributary's log density and gradient of the hierarchical model with learned transforms at
// given unconstrained points, for bench/lp_check_learned.R (through the public API of the built
// packages: parseMarketingCsv, buildPanel, buildModel({ kind: 'hierarchical', learnTransforms:
// true }), model.parameterNames, model.logDensityAndGradient, model.constrain; needs dist/).
// Usage: node bench/lp_tributary_learned.mjs CSV POINTS.json [model|sampling]
//   sampling: the points are in the sampling coordinates (model.sampling: its parameterNames,
//   logDensityAndGradient and constrain) instead of the model's θ.
//   POINTS.json: { "names": [unconstrained coordinate names, Tributary's spelling, in the
//   caller's order], "points": [[...], ...] } — coordinates are mapped by name, not position.
// Prints JSON { path, dim, lp: [...], grad: [[...] in the caller's order], constrained:
//   [{ name: value }] } (constrained draws by constrainedNames, for the caller's name check).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const data = await import(join(root, 'packages/data/dist/index.js'));
const models = await import(join(root, 'packages/models/dist/index.js'));

const [csv, pointsFile, coordinates = 'model'] = process.argv.slice(2);
const panel = data.buildPanel(data.parseMarketingCsv(await readFile(resolve(csv), 'utf8')));
const built = models.buildModel(panel, { kind: 'hierarchical', learnTransforms: true });
if (coordinates !== 'model' && coordinates !== 'sampling') throw new Error(`coordinates must be model or sampling, got ${coordinates}`);
const target = coordinates === 'sampling' ? built.sampling : built;
const model = { path: built.path, dim: target.dim, parameterNames: target.parameterNames, constrainedNames: built.constrainedNames,
  logDensityAndGradient: (t, g) => target.logDensityAndGradient(t, g), constrain: (t) => target.constrain(t) };
const { names, points } = JSON.parse(await readFile(resolve(pointsFile), 'utf8'));
const index = new Map(model.parameterNames.map((n, i) => [n, i]));
const perm = names.map((n) => {
  const i = index.get(n);
  if (i === undefined) throw new Error(`no Tributary coordinate named ${n}`);
  return i;
});
if (new Set(perm).size !== model.dim || names.length !== model.dim) {
  throw new Error(`name map is not a bijection: ${names.length} names, dim ${model.dim}`);
}
const lp = [];
const grad = [];
const constrained = [];
for (const p of points) {
  const theta = new Float64Array(model.dim);
  perm.forEach((i, k) => { theta[i] = p[k]; });
  const g = new Float64Array(model.dim);
  lp.push(model.logDensityAndGradient(theta, g));
  grad.push(perm.map((i) => g[i]));
  const c = model.constrain(theta);
  constrained.push(Object.fromEntries(model.constrainedNames.map((n, i) => [n, c[i]])));
}
process.stdout.write(JSON.stringify({ path: model.path, dim: model.dim, lp, grad, constrained }) + '\n');
