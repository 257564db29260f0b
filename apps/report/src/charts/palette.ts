// Colours: one fixed colour per channel (by position), per model and per data tier, used by
// every chart so that a channel looks the same everywhere in the report.

/** Okabe–Ito-inspired, colour-blind friendly, distinct in print. */
export const CHANNEL_COLORS = ['#1f77b4', '#e8710a', '#2ca02c', '#c2185b', '#7b4fb5', '#8c6d31', '#17becf', '#7f7f7f', '#bcbd22', '#d62728'] as const;

export function channelColor(index: number): string {
  return CHANNEL_COLORS[((index % CHANNEL_COLORS.length) + CHANNEL_COLORS.length) % CHANNEL_COLORS.length]!;
}

export const MODEL_COLORS: Record<string, string> = {
  pooled: '#8a8f98',
  unpooled: '#d98a1b',
  hierarchical: '#1a5fb4',
};

export function modelColor(kind: string): string {
  return MODEL_COLORS[kind] ?? '#555555';
}

export const TIER_COLORS: Record<string, string> = {
  sparse: '#d9480f',
  medium: '#f0a43a',
  rich: '#2b8a3e',
};

export const INK = '#1f2430';
export const MUTED = '#5c6370';
export const GRID = '#e3e6eb';
export const AXIS = '#9aa1ab';
export const HIGHLIGHT = '#fff1e6';
export const TRUTH = '#111111';
export const GOOD = '#2b8a3e';
export const WARN = '#c77700';
export const BAD = '#c92a2a';

/** Sequential colour in [0, 1] from light to dark blue (for heatmaps). */
export function sequentialColor(t: number): string {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  // interpolate #f1f5fb → #0b3d91 through #6b9bd1
  const stops: [number, number, number][] = [
    [241, 245, 251],
    [107, 155, 209],
    [11, 61, 145],
  ];
  const seg = u < 0.5 ? 0 : 1;
  const f = u < 0.5 ? u / 0.5 : (u - 0.5) / 0.5;
  const a = stops[seg]!;
  const b = stops[seg + 1]!;
  const c = a.map((v, i) => Math.round(v + (b[i]! - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** Black or white text for a background made by `sequentialColor(t)`. */
export function textOn(t: number): string {
  return t > 0.55 ? '#ffffff' : INK;
}
