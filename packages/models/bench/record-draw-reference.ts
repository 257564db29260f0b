/**
 * Writes test/reference/draw-view.json: the per-method outputs (mean, y_rep, pointwise
 * log-likelihood, contributions, ROAS, marginal ROAS, lift predictions, latest multipliers) of
 * the draw cases in test/draw-cases.ts, computed by a given build of this package — the build
 * of 89a12e6 (before the term split and the draw view), so that test/draw-view.test.ts checks
 * the refactored code against the code it replaced:
 *
 *   pnpm exec tsx --conditions=@tributary/source bench/record-draw-reference.ts \
 *     /tmp/models-old/packages/models/dist/index.js 'build of 89a12e6'
 *
 * JSON numbers round-trip doubles exactly; NaN (ROAS of a channel that never spends) is
 * written as null.
 */
import { writeFileSync } from 'node:fs';
import type { BuildModelOptions, Model, PanelData } from '../src/index.js';
import { DRAW_CASES, DRAWS_PER_CASE, caseDraw, recordMethods, type Recorded } from '../test/draw-cases.js';
import { smallPanel } from '../test/fixtures.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: record-draw-reference.ts <path of the models build to record>');
const mod = (await import(path)) as { buildModel(panel: PanelData, options: BuildModelOptions): Model };
const panel = smallPanel();
const out: Record<string, Recorded[]> = {};
for (const c of DRAW_CASES) {
  const model = mod.buildModel(panel, c.options);
  out[c.name] = Array.from({ length: DRAWS_PER_CASE }, (_, i) => recordMethods(model, caseDraw(model, c.name, i), c.name, i));
}
const target = new URL('../test/reference/draw-view.json', import.meta.url);
writeFileSync(target, JSON.stringify({ recordedFrom: process.argv[3] ?? path, cases: out }) + '\n');
console.log(`wrote ${target.pathname}`);
