/**
 * terms/learned-transforms.ts: the α, K, S priors and Jacobians alone, then ∂H/∂(α, K, S)
 * chained from the probe's row adjoints (through the coefficient block's media columns).
 */
import { describe, expect, test } from 'vitest';
import type { Likelihood, ModelKind } from '../../src/index.js';
import { assertTermGradient, parts, probe } from './harness.js';

describe('learned-transforms term: analytic gradient = finite differences', () => {
  for (const kind of ['hierarchical', 'unpooled', 'pooled'] as ModelKind[]) {
    test(kind, () => {
      const p = parts({ kind, learnTransforms: true });
      const learned = p.learned!;
      expect(learned).not.toBeNull();
      assertTermGradient(p, [learned], `${kind}, priors only`);
      assertTermGradient(p, [learned, p.hierarchy, probe(p)], `${kind}, through H`);
    });
  }

  for (const likelihood of ['normal', 'student-t'] as Likelihood[]) {
    test(`with the ${likelihood} likelihood`, () => {
      const p = parts({ kind: 'hierarchical', learnTransforms: true, likelihood });
      assertTermGradient(p, [p.learned!, p.hierarchy, p.likelihoodTerm], likelihood);
    });
  }
});
