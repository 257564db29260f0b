/**
 * terms/time-varying.ts: the walk's priors and the chain through the multiplied design
 * (fixed and learned transforms), closed by the probe.
 */
import { describe, test } from 'vitest';
import type { ModelKind } from '../../src/index.js';
import { assertTermGradient, parts, probe } from './harness.js';

const timeVarying = { channels: ['meta_spend', 'tv_spend'], knotEvery: 3 };

describe('time-varying term: analytic gradient = finite differences', () => {
  for (const kind of ['hierarchical', 'unpooled', 'pooled'] as ModelKind[]) {
    test(`${kind}, fixed transforms`, () => {
      const p = parts({ kind, timeVarying });
      assertTermGradient(p, [p.hierarchy, p.tv], `${kind}, walk priors`);
      assertTermGradient(p, [p.hierarchy, p.tv, probe(p)], `${kind}, through the design`);
    });
  }

  test('learned transforms', () => {
    const p = parts({ kind: 'hierarchical', timeVarying, learnTransforms: true });
    assertTermGradient(p, [p.learned!, p.hierarchy, p.tv, probe(p)], 'learned');
  });
});
