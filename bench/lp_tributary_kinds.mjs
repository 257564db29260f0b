// Tributary's side of bench/lp_check_kinds.R: the hierarchical model with LEARNED transforms of
// mixed kinds (adstock geometric / delayed / weibull_cdf / weibull_pdf × saturation hill /
// logistic / michaelis_menten / tanh, per channel from a transforms file such as
// bench/transforms_kinds.json), through the public API (parseMarketingCsv, buildPanel,
// buildModel, model.stanData, model.logDensityAndGradient, model.constrain) of the SOURCES
// (run with tsx, no build needed):
//   cd packages/models && pnpm exec tsx --conditions=@tributary/source ../../bench/lp_tributary_kinds.mjs \
//     data CSV TRANSFORMS.json OUT.json          -> model.stanData() + Tributary's parameter names
//   ... lp CSV TRANSFORMS.json POINTS.json       -> JSON { path, dim, lp, grad, constrained }
// POINTS.json: { "names": [unconstrained names, Tributary's spelling, caller's order], "points": [[...]] };
// coordinates are mapped by name, not position.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const data = await import(join(root, 'packages/data/src/index.ts'));
const models = await import(join(root, 'packages/models/src/index.ts'));

const [mode, csv, transformsFile, file] = process.argv.slice(2);
const panel = data.buildPanel(data.parseMarketingCsv(await readFile(resolve(csv), 'utf8')));
const transforms = JSON.parse(await readFile(resolve(transformsFile), 'utf8'));
const model = models.buildModel(panel, { kind: 'hierarchical', learnTransforms: true, transforms });
if (mode === 'data') {
  const sd = model.stanData();
  await writeFile(resolve(file), JSON.stringify({ stan: sd, markets: model.markets, channels: model.channels, names: model.parameterNames }));
  process.exit(0);
}
const { names, points } = JSON.parse(await readFile(resolve(file), 'utf8'));
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
