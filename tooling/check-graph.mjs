// Enforces the package graph of docs/architecture.md: every @tributary import in a
// package's sources is declared in its package.json, is on the allowed list below, and nothing
// imports an app. Run by `pnpm lint`.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const ALLOWED = {
  '@tributary/data': [],
  '@tributary/transforms': [],
  '@tributary/sampler': [],
  '@tributary/synthetic': ['@tributary/data', '@tributary/transforms'],
  '@tributary/models': ['@tributary/data', '@tributary/transforms'],
  '@tributary/evaluation': ['@tributary/data', '@tributary/transforms', '@tributary/models', '@tributary/sampler'],
  '@tributary/optimizer': ['@tributary/data', '@tributary/transforms', '@tributary/models'],
};
const APPS = new Set(['tributary', '@tributary/report']);
// Apps compose the libraries. The CLI also embeds the report app (`tributary report` renders the
// same HTML as @tributary/report); no other app, and no library, may depend on an app.
const LIBRARIES = Object.keys(ALLOWED);
const APP_ALLOWED = {
  tributary: [...LIBRARIES, '@tributary/report'],
  '@tributary/report': LIBRARIES,
};

function* tsFiles(dir) {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) yield* tsFiles(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

const problems = [];
for (const root of ['packages', 'apps']) {
  if (!existsSync(root)) continue;
  for (const d of readdirSync(root)) {
    const pj = join(root, d, 'package.json');
    if (!existsSync(pj)) continue;
    const pkg = JSON.parse(readFileSync(pj, 'utf8'));
    const declared = new Set(Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }));
    const isApp = APPS.has(pkg.name);
    if (!isApp && !(pkg.name in ALLOWED)) problems.push(`${pj}: ${pkg.name} is not in tooling/check-graph.mjs ALLOWED; add it with its allowed dependencies.`);
    for (const dep of declared) {
      if (isApp && (dep.startsWith('@tributary/') || APPS.has(dep))) {
        if (!(APP_ALLOWED[pkg.name] ?? []).includes(dep)) problems.push(`${pj}: the app ${pkg.name} may not depend on ${dep} (see tooling/check-graph.mjs APP_ALLOWED).`);
      } else if (APPS.has(dep)) problems.push(`${pj}: depends on the app ${dep}; nothing may import an app.`);
      else if (!isApp && dep.startsWith('@tributary/') && !(ALLOWED[pkg.name] ?? []).includes(dep))
        problems.push(`${pj}: ${pkg.name} may not depend on ${dep} (see docs/architecture.md).`);
    }
    for (const f of tsFiles(join(root, d, 'src'))) {
      const src = readFileSync(f, 'utf8');
      for (const m of src.matchAll(/from\s+['"](@tributary\/[a-z-]+|tributary)['"]/g)) {
        if (m[1] !== pkg.name && !declared.has(m[1])) problems.push(`${f}: imports ${m[1]} which ${pj} does not declare as a dependency.`);
      }
    }
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('package graph ok');
