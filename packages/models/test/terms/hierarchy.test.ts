/**
 * terms/hierarchy.ts: priors, Jacobians and the backward from the coefficient adjoints, for the
 * hierarchical and the flat (unpooled, pooled) blocks, closed by the linear probe.
 */
import { describe, test } from 'vitest';
import type { ModelKind } from '../../src/index.js';
import { assertTermGradient, parts, probe } from './harness.js';

describe('hierarchy term: analytic gradient = finite differences', () => {
  for (const kind of ['hierarchical', 'unpooled', 'pooled'] as ModelKind[]) {
    test(kind, () => {
      const p = parts({ kind });
      assertTermGradient(p, [p.hierarchy], `${kind}, priors only`);
      assertTermGradient(p, [p.hierarchy, probe(p)], `${kind}, with the probe`);
    });
  }
});
