/**
 * terms/lift-tests.ts: the lift likelihood's adjoints for beta (fixed transforms), for α, K, S
 * (learned) and for the knots (time-varying), carried onto θ by the other terms' backwards.
 */
import { describe, test } from 'vitest';
import type { ModelKind } from '../../src/index.js';
import { LIFTS } from '../draw-cases.js';
import { assertTermGradient, parts } from './harness.js';

describe('lift-tests term: analytic gradient = finite differences', () => {
  for (const kind of ['hierarchical', 'unpooled', 'pooled'] as ModelKind[]) {
    test(`${kind}, fixed transforms`, () => {
      const p = parts({ kind, liftTests: LIFTS });
      assertTermGradient(p, [p.hierarchy, p.lift], kind);
    });
    test(`${kind}, learned transforms and a time-varying channel`, () => {
      const p = parts({ kind, liftTests: LIFTS, learnTransforms: true, timeVarying: { channels: ['meta_spend'], knotEvery: 4 } });
      assertTermGradient(p, [p.learned!, p.hierarchy, p.tv, p.lift], `${kind}, learned + tv`);
    });
  }
});
