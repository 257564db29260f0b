/**
 * The draw-view cases: every kind × {fixed transforms, Normal; learned transforms + Student-t +
 * time-varying + lift tests}, three draws each (constrained from seeded points in (−1, 1)),
 * and what is recorded of a draw through the per-method Model API. Shared by
 * test/draw-view.test.ts and bench/record-draw-reference.ts (which ran it against the build of
 * 89a12e6, before the term split, to write test/reference/draw-view.json).
 */
import seedrandom from 'seedrandom';
import type { BuildModelOptions, LiftTestInput, Model, ModelKind } from '../src/index.js';

export const LIFTS: LiftTestInput[] = [
  { market: 'DE', channel: 'meta_spend', startT: 4, endT: 5, deltaSpend: 80, lift: 400, liftSe: 60 },
  { market: 'FR', channel: 'radio_spend', startT: 3, endT: 6, deltaSpend: 120, lift: 150, liftSe: 40 },
];

export interface DrawCase {
  readonly name: string;
  readonly options: BuildModelOptions;
}

export const DRAW_CASES: DrawCase[] = (['hierarchical', 'unpooled', 'pooled'] as ModelKind[]).flatMap((kind) => [
  { name: `${kind}, fixed`, options: { kind } },
  {
    name: `${kind}, learned + student-t + time-varying + lift`,
    options: {
      kind,
      learnTransforms: true,
      likelihood: 'student-t',
      timeVarying: { channels: ['meta_spend', 'tv_spend'], knotEvery: 3 },
      liftTests: LIFTS,
    },
  },
]);

export const DRAWS_PER_CASE = 3;

/** Draw i of a case: constrain(θ), θ uniform in (−1, 1) from a seeded rng. */
export function caseDraw(model: Model, name: string, i: number): Float64Array {
  const rng = seedrandom(`${name}#${i}`);
  return model.constrain(Float64Array.from({ length: model.dim }, () => -1 + 2 * rng()));
}

export type Recorded = Record<string, number[]>;

/** The per-method outputs of one draw (the reference the draw view must reproduce). */
export function recordMethods(model: Model, draw: Float64Array, name: string, i: number): Recorded {
  const N = model.numObs;
  const GC = model.markets.length * model.channels.length;
  const arr = (a: Float64Array): number[] => Array.from(a);
  const parts = model.contributions(draw);
  return {
    draw: arr(draw),
    meanMoney: arr(model.mean(draw, new Float64Array(N))),
    meanScaled: arr(model.mean(draw, new Float64Array(N), { scale: 'scaled' })),
    yRepMoney: arr(model.posteriorPredictive(draw, seedrandom(`yrep ${name}#${i}`), new Float64Array(N))),
    yRepScaled: arr(model.posteriorPredictive(draw, seedrandom(`yrep ${name}#${i}`), new Float64Array(N), { scale: 'scaled' })),
    logLikScaled: arr(model.pointwiseLogLik(draw, new Float64Array(N))),
    logLikMoney: arr(model.pointwiseLogLik(draw, new Float64Array(N), { scale: 'money' })),
    baseline: arr(parts.baseline),
    trend: arr(parts.trend),
    seasonality: arr(parts.seasonality),
    controls: arr(parts.controls),
    channels: parts.channels.flatMap(arr),
    roas: arr(model.roas(draw, new Float64Array(GC))),
    marginalRoas: arr(model.marginalRoas(draw, new Float64Array(GC))),
    liftPredictions: arr(model.liftTestPredictions(draw, new Float64Array(model.liftTests.length))),
    latestMultipliers: arr(model.latestMultipliers(draw, new Float64Array(model.channels.length))),
  };
}
