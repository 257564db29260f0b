import { describe, expect, it } from 'vitest';
import {
  CHANNEL_DEFAULTS,
  DEFAULT_L_MAX,
  FALLBACK_CHANNEL_DEFAULTS,
  type ChannelTransformDefaults,
  applyAdstock,
  buildAdstockSpec,
  channelDefaults,
  hill,
} from '../src/index.js';

// model-spec.md §3, transcribed row by row: channel, adstock, α, θ (– is 0), K, S.
const SPEC_TABLE: Array<[string, 'geometric' | 'delayed', number, number, number, number]> = [
  ['spotify_ads_spend', 'geometric', 0.45, 0, 0.4, 2.0],
  ['meta_spend', 'geometric', 0.55, 0, 0.5, 2.2],
  ['tiktok_spend', 'geometric', 0.35, 0, 0.3, 2.8],
  ['youtube_spend', 'geometric', 0.5, 0, 0.45, 2.0],
  ['radio_spend', 'delayed', 0.7, 2, 0.6, 1.5],
  ['playlist_spend', 'delayed', 0.6, 1, 0.5, 1.8],
];

describe('channel defaults (model-spec §3)', () => {
  it('DEFAULT_L_MAX is 8', () => {
    expect(DEFAULT_L_MAX).toBe(8);
  });

  it('the table is exactly model-spec §3, in order, with l_max = 8', () => {
    expect(Object.keys(CHANNEL_DEFAULTS)).toEqual(SPEC_TABLE.map((r) => r[0]));
    for (const [column, adstock, alpha, theta, K, S] of SPEC_TABLE) {
      const expected: ChannelTransformDefaults = { adstock, alpha, theta, K, S, lMax: 8 };
      expect(CHANNEL_DEFAULTS[column]).toEqual(expected);
      expect(channelDefaults(column)).toEqual(expected);
    }
  });

  it('the fallback row is geometric, α = 0.5, K = 0.5, S = 2.0, l_max = 8', () => {
    expect(FALLBACK_CHANNEL_DEFAULTS).toEqual({ adstock: 'geometric', alpha: 0.5, theta: 0, K: 0.5, S: 2.0, lMax: 8 });
  });

  it('unknown names get the fallback row (exact, case-sensitive match; no prototype keys)', () => {
    for (const name of ['tv_spend', 'Meta_spend', 'meta', '', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(channelDefaults(name)).toEqual(FALLBACK_CHANNEL_DEFAULTS);
    }
  });

  it('channelDefaults returns a fresh copy; the table and the fallback are frozen', () => {
    const d = channelDefaults('meta_spend');
    d.alpha = 0.9;
    expect(channelDefaults('meta_spend').alpha).toBe(0.55);
    expect(channelDefaults('nope')).not.toBe(FALLBACK_CHANNEL_DEFAULTS);
    expect(Object.isFrozen(CHANNEL_DEFAULTS)).toBe(true);
    expect(Object.isFrozen(FALLBACK_CHANNEL_DEFAULTS)).toBe(true);
    for (const row of Object.values(CHANNEL_DEFAULTS)) expect(Object.isFrozen(row)).toBe(true);
  });

  it('buildAdstockSpec maps a row to its AdstockSpec', () => {
    expect(buildAdstockSpec(channelDefaults('meta_spend'))).toEqual({ kind: 'geometric', alpha: 0.55, lMax: 8 });
    expect(buildAdstockSpec(channelDefaults('radio_spend'))).toEqual({ kind: 'delayed', alpha: 0.7, theta: 2, lMax: 8 });
  });

  it('every row is valid for the kernels: adstock then Hill of a pulse', () => {
    for (const column of [...Object.keys(CHANNEL_DEFAULTS), 'other_spend']) {
      const d = channelDefaults(column);
      const x = new Float64Array(12);
      x[0] = 1;
      const a = applyAdstock(x, buildAdstockSpec(d), new Float64Array(12));
      const h = hill(a, d.K, d.S, new Float64Array(12));
      let argmax = 0;
      for (let t = 1; t < 12; t++) if (a[t]! > a[argmax]!) argmax = t;
      expect(argmax).toBe(d.theta);
      expect(a.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
      for (const v of h) expect(v >= 0 && v < 1).toBe(true);
    }
  });
});
