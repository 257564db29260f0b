/**
 * terms/likelihood.ts: each likelihood path (sufficient, direct Normal, direct Student-t)
 * behind the coefficient block whose backward carries its adjoints gB and gLogSig onto θ.
 */
import { describe, test } from 'vitest';
import type { BuildModelOptions, ModelKind } from '../../src/index.js';
import { DirectLikelihood, DirectNormalLikelihood, SufficientLikelihood } from '../../src/terms/likelihood.js';
import { assertTermGradient, parts } from './harness.js';

const paths: [string, Omit<BuildModelOptions, 'kind'>, new (...args: never[]) => unknown][] = [
  ['sufficient', { path: 'sufficient' }, SufficientLikelihood],
  ['direct, normal', { path: 'direct' }, DirectNormalLikelihood],
  ['direct, student-t', { likelihood: 'student-t' }, DirectLikelihood],
];

describe('likelihood term: analytic gradient = finite differences', () => {
  for (const kind of ['hierarchical', 'unpooled', 'pooled'] as ModelKind[]) {
    for (const [name, options, type] of paths) {
      test(`${kind}, ${name}`, () => {
        const p = parts({ kind, ...options });
        if (!(p.likelihoodTerm instanceof type)) throw new Error(`expected a ${type.name}`);
        assertTermGradient(p, [p.hierarchy, p.likelihoodTerm], `${kind}, ${name}`);
      });
    }
  }
});
