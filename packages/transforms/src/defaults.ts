/**
 * Per-channel transform defaults: the table of model-spec.md §3, keyed by spend column name.
 *
 * These are the defaults of fixed transforms and the prior centres of learned transforms
 * (α_c ~ Beta(20·α0, 20·(1−α0)), K_c ~ LogNormal(log K0, 0.3), S_c ~ LogNormal(log S0, 0.3);
 * θ stays fixed). They must stay exactly these numbers: an independent implementation of
 * model-spec.md fitting the same CSV relies on them.
 */

import type { AdstockSpec } from './adstock.js';

/** Default number of adstock lags, L = l_max (model-spec §3). */
export const DEFAULT_L_MAX = 8;

/** Transform defaults of one media channel. `theta` is 0 for geometric adstock. */
export interface ChannelTransformDefaults {
  adstock: 'geometric' | 'delayed';
  alpha: number;
  theta: number;
  K: number;
  S: number;
  lMax: number;
}

function row(adstock: 'geometric' | 'delayed', alpha: number, theta: number, K: number, S: number): ChannelTransformDefaults {
  return Object.freeze({ adstock, alpha, theta, K, S, lMax: DEFAULT_L_MAX });
}

/** Defaults by spend column name (model-spec §3). Frozen; look names up with {@link channelDefaults}. */
export const CHANNEL_DEFAULTS: Readonly<Record<string, ChannelTransformDefaults>> = Object.freeze({
  spotify_ads_spend: row('geometric', 0.45, 0, 0.4, 2.0),
  meta_spend: row('geometric', 0.55, 0, 0.5, 2.2),
  tiktok_spend: row('geometric', 0.35, 0, 0.3, 2.8),
  youtube_spend: row('geometric', 0.5, 0, 0.45, 2.0),
  radio_spend: row('delayed', 0.7, 2, 0.6, 1.5),
  playlist_spend: row('delayed', 0.6, 1, 0.5, 1.8),
});

/** Defaults for any channel not in {@link CHANNEL_DEFAULTS} (model-spec §3 fallback row). */
export const FALLBACK_CHANNEL_DEFAULTS: ChannelTransformDefaults = row('geometric', 0.5, 0, 0.5, 2.0);

/**
 * The defaults for a spend column (exact, case-sensitive match on the column name), or the
 * fallback row for any other name. Returns a fresh, mutable copy, so callers may override fields.
 */
export function channelDefaults(column: string): ChannelTransformDefaults {
  const found = Object.hasOwn(CHANNEL_DEFAULTS, column) ? CHANNEL_DEFAULTS[column] : undefined;
  return { ...(found ?? FALLBACK_CHANNEL_DEFAULTS) };
}

/** The {@link AdstockSpec} of a channel's defaults (geometric, or delayed with its θ). */
export function buildAdstockSpec(defaults: ChannelTransformDefaults): AdstockSpec {
  return defaults.adstock === 'delayed'
    ? { kind: 'delayed', alpha: defaults.alpha, theta: defaults.theta, lMax: defaults.lMax }
    : { kind: 'geometric', alpha: defaults.alpha, lMax: defaults.lMax };
}
