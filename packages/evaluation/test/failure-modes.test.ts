// Failure-mode indicators fire exactly at the documented thresholds.
import type { Panel } from '@tributary/data';
import type { SummaryRow } from '@tributary/sampler';
import { describe, expect, it } from 'vitest';
import { FAILURE_MODE_THRESHOLDS, failureModes, residualAutocorrelation } from '../src/failure-modes.js';
import type { PpcMarket } from '../src/ppc.js';

const row = (name: string, mean: number) => ({ name, mean }) as SummaryRow;
const ppc = (market: string, p: Partial<PpcMarket> = {}): PpcMarket => ({
  market,
  numObs: 30,
  pMean: 0.5,
  pSd: 0.5,
  pMin: 0.5,
  pMax: 0.5,
  coverage50: 0.5,
  coverage94: 0.94,
  ...p,
});

/** A panel-like object with the fields residualAutocorrelation and failureModes read. */
function panel(y: number[][], gapAt?: number): Panel {
  const obsT: number[] = [];
  const obsMarket: number[] = [];
  const obsOffset: number[] = [];
  y.forEach((ys, g) => {
    obsOffset.push(obsT.length);
    ys.forEach((_, i) => {
      obsT.push(i + (gapAt !== undefined && i >= gapAt ? 1 : 0));
      obsMarket.push(g);
    });
  });
  return {
    markets: y.map((_, g) => `M${g}`),
    y: Float64Array.from(y.flat()),
    obsT: Int32Array.from(obsT),
    obsMarket: Int32Array.from(obsMarket),
    obsOffset: Int32Array.from(obsOffset),
    marketNumObs: Int32Array.from(y.map((ys) => ys.length)),
    obsDates: obsT.map((t) => `week-${t}`),
  } as unknown as Panel;
}

describe('failure-mode indicators', () => {
  it('computes the lag-1 autocorrelation of residuals over consecutive weeks', () => {
    const alternating = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 1 : -1));
    const smooth = Array.from({ length: 40 }, (_, i) => Math.sin(i / 6));
    const p = panel([alternating, smooth]);
    const r = residualAutocorrelation(p, new Float64Array(80));
    expect(r[0]!.r1).toBeCloseTo(-39 / 40, 12);
    expect(r[1]!.r1).toBeGreaterThan(0.8);
    expect(r[0]!.threshold).toBe(Math.max(0.3, 2 / Math.sqrt(40)));
    // a gap breaks the pair across it
    const withGap = residualAutocorrelation(panel([alternating], 20), new Float64Array(40));
    expect(withGap[0]!.r1).toBeCloseTo(-38 / 40, 12);
  });

  it('flags beta_sigma, shrinkage extremes, residual structure, extreme p-values and high Pareto k', () => {
    const p = panel([Array.from({ length: 30 }, (_, i) => (i % 2 ? 1 : -1)), Array.from({ length: 30 }, () => 0)]);
    const th = FAILURE_MODE_THRESHOLDS;
    const out = failureModes({
      kind: 'hierarchical',
      summary: [row('beta_sigma[tv]', th.betaSigmaHigh + 0.01), row('beta_sigma[radio]', th.betaSigmaHigh - 0.01)],
      channels: ['tv', 'radio'],
      shrinkage: [
        { market: 'M0', channel: 'tv', value: 0.1 },
        { market: 'M0', channel: 'radio', value: 0.2 },
        { market: 'M1', channel: 'tv', value: 0.95 },
        { market: 'M1', channel: 'radio', value: 0.9 },
      ],
      residuals: residualAutocorrelation(p, new Float64Array(60)),
      ppc: [ppc('M0', { pMax: 0.99 }), ppc('M1', { pMean: 0.02 })],
      loo: { paretoKThreshold: 0.7, pointwise: { paretoK: Float64Array.from({ length: 60 }, (_, i) => (i === 31 ? 0.8 : 0.1)) } } as never,
      panel: p,
    });
    expect(out.map((f) => `${f.kind}:${f.subject}`)).toEqual([
      'high_between_market_spread:tv',
      'low_shrinkage:M0',
      'high_shrinkage:M1',
      'residual_autocorrelation:M0',
      'ppc_extreme:M0 max',
      'ppc_extreme:M1 mean',
      'high_pareto_k:M1 week-1',
    ]);
  });
});
