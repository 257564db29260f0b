// SVG building blocks: the chart frame (title, accessible <title>/<desc>), axes with grid lines,
// legends, and a rough text-width estimate used to lay labels out without overlaps.
import { escapeXml, px } from './format.js';
import { AXIS, GRID, INK, MUTED } from './palette.js';
import type { BandScale, LinearScale } from './scale.js';

export const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
export const FONT_SIZE = 12;
export const TITLE_SIZE = 14;

/** Approximate rendered width of `text` at `size` px in the report's sans-serif font. */
export function textWidth(text: string, size = FONT_SIZE): number {
  let w = 0;
  for (const ch of text) {
    if (/[ilj.,:;'|!]/.test(ch)) w += 0.3;
    else if (/[mwMW€]/.test(ch)) w += 0.85;
    else if (/[A-Z0-9]/.test(ch)) w += 0.64;
    else if (ch === ' ') w += 0.3;
    else w += 0.55;
  }
  return w * size;
}

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface FrameOptions {
  width: number;
  height: number;
  title: string;
  /** A one-line explanation under the title. */
  subtitle?: string;
  /** Longer text for screen readers. */
  description?: string;
  /** Extra CSS class on the <svg>, e.g. the chart kind. */
  kind: string;
}

/** The outer <svg>: scales with its container (viewBox), carries the title and a description. */
export function frame(options: FrameOptions, body: string): string {
  const { width, height, title, subtitle, description, kind } = options;
  const id = `t${hash(kind + title)}`;
  return (
    `<svg class="chart chart-${escapeXml(kind)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${px(width)} ${px(height)}" ` +
    `width="${px(width)}" height="${px(height)}" style="max-width:${px(width)}px" role="img" aria-labelledby="${id}" font-family="${escapeXml(FONT)}" font-size="${FONT_SIZE}">` +
    `<title id="${id}">${escapeXml(title)}</title>` +
    (description ? `<desc>${escapeXml(description)}</desc>` : '') +
    `<text class="chart-title" x="0" y="16" font-size="${TITLE_SIZE}" font-weight="600" fill="${INK}">${escapeXml(title)}</text>` +
    (subtitle ? `<text class="chart-subtitle" x="0" y="34" fill="${MUTED}">${escapeXml(subtitle)}</text>` : '') +
    body +
    `</svg>`
  );
}

/** Vertical space taken by the title (and subtitle) at the top of a frame. */
export function headerHeight(subtitle?: string): number {
  return subtitle ? 46 : 28;
}

function hash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0).toString(36);
}

export interface TextOptions {
  anchor?: 'start' | 'middle' | 'end';
  size?: number;
  fill?: string;
  weight?: number | string;
  rotate?: number;
  baseline?: 'middle' | 'hanging' | 'auto';
  className?: string;
}

export function text(x: number, y: number, content: string, o: TextOptions = {}): string {
  const attrs = [`x="${px(x)}"`, `y="${px(y)}"`];
  if (o.anchor && o.anchor !== 'start') attrs.push(`text-anchor="${o.anchor}"`);
  if (o.size) attrs.push(`font-size="${o.size}"`);
  attrs.push(`fill="${o.fill ?? INK}"`);
  if (o.weight) attrs.push(`font-weight="${o.weight}"`);
  if (o.baseline === 'middle') attrs.push('dominant-baseline="central"');
  if (o.baseline === 'hanging') attrs.push('dominant-baseline="hanging"');
  if (o.rotate) attrs.push(`transform="rotate(${o.rotate} ${px(x)} ${px(y)})"`);
  if (o.className) attrs.push(`class="${escapeXml(o.className)}"`);
  return `<text ${attrs.join(' ')}>${escapeXml(content)}</text>`;
}

export interface Plot {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Left y axis of a linear scale: tick labels, horizontal grid lines, rotated axis title. */
export function yAxisLinear(scale: LinearScale, plot: Plot, format: (v: number) => string, label?: string, ticks?: number[]): string {
  const values = ticks ?? yTicksFor(scale, plot.y1 - plot.y0);
  let out = '<g class="axis axis-y">';
  for (const v of values) {
    const y = scale(v);
    out += `<line x1="${px(plot.x0)}" x2="${px(plot.x1)}" y1="${px(y)}" y2="${px(y)}" stroke="${GRID}" />`;
    out += text(plot.x0 - 6, y, format(v), { anchor: 'end', baseline: 'middle', fill: MUTED });
  }
  if (label) {
    const widest = Math.max(0, ...values.map((v) => textWidth(format(v))));
    out += text(plot.x0 - widest - 18, (plot.y0 + plot.y1) / 2, label, { anchor: 'middle', rotate: -90, fill: MUTED });
  }
  return out + '</g>';
}

/** Ticks of a vertical axis: about one per 40 px, never closer than 22 px. */
export function yTicksFor(scale: LinearScale, height: number): number[] {
  const max = Math.max(2, Math.floor(height / 22) + 1);
  for (let n = Math.max(2, Math.min(6, Math.round(height / 40))); n >= 1; n--) {
    const t = scale.ticks(n);
    if (t.length <= max) return t;
  }
  return scale.ticks(1);
}

/** Bottom x axis of a linear scale: ticks, labels, vertical grid lines (optional) and title. */
export function xAxisLinear(
  scale: LinearScale,
  plot: Plot,
  format: (v: number) => string,
  label?: string,
  options: { ticks?: number[]; grid?: boolean; count?: number } = {},
): string {
  const values = options.ticks ?? thinTicks(scale, format, options.count ?? 6, plot);
  let out = `<g class="axis axis-x"><line x1="${px(plot.x0)}" x2="${px(plot.x1)}" y1="${px(plot.y1)}" y2="${px(plot.y1)}" stroke="${AXIS}" />`;
  for (const v of values) {
    const x = scale(v);
    if (options.grid) out += `<line x1="${px(x)}" x2="${px(x)}" y1="${px(plot.y0)}" y2="${px(plot.y1)}" stroke="${GRID}" />`;
    out += `<line x1="${px(x)}" x2="${px(x)}" y1="${px(plot.y1)}" y2="${px(plot.y1 + 4)}" stroke="${AXIS}" />`;
    out += text(x, plot.y1 + 17, format(v), { anchor: 'middle', fill: MUTED });
  }
  if (label) out += text((plot.x0 + plot.x1) / 2, plot.y1 + 36, label, { anchor: 'middle', fill: MUTED });
  return out + '</g>';
}

/** Fewer ticks until their labels no longer overlap. */
function thinTicks(scale: LinearScale, format: (v: number) => string, count: number, plot: Plot): number[] {
  for (let n = count; n >= 2; n--) {
    const ticks = scale.ticks(n);
    const room = (plot.x1 - plot.x0) / Math.max(ticks.length, 1);
    if (ticks.every((t) => textWidth(format(t)) + 8 < room)) return ticks;
  }
  return scale.ticks(2);
}

/** Bottom axis of a band scale: labels centred under bands, rotated when they would collide. */
export function xAxisBand(scale: BandScale, plot: Plot, labels: readonly string[], label?: string): { svg: string; height: number } {
  const widest = Math.max(0, ...labels.map((l) => textWidth(l)));
  const rotate = widest + 6 > scale.step;
  let out = `<g class="axis axis-x"><line x1="${px(plot.x0)}" x2="${px(plot.x1)}" y1="${px(plot.y1)}" y2="${px(plot.y1)}" stroke="${AXIS}" />`;
  scale.keys.forEach((k, i) => {
    const x = scale(k) + scale.bandwidth / 2;
    const l = labels[i] ?? k;
    out += rotate
      ? text(x + 4, plot.y1 + 12, l, { anchor: 'end', rotate: -35, fill: INK })
      : text(x, plot.y1 + 17, l, { anchor: 'middle', fill: INK });
  });
  const height = rotate ? Math.min(widest, 120) * 0.6 + 20 : 24;
  if (label) out += text((plot.x0 + plot.x1) / 2, plot.y1 + height + 14, label, { anchor: 'middle', fill: MUTED });
  return { svg: out + '</g>', height: height + (label ? 18 : 0) };
}

/** Height the band axis will need below the plot (see xAxisBand). */
export function bandAxisHeight(step: number, labels: readonly string[], label?: string): number {
  const widest = Math.max(0, ...labels.map((l) => textWidth(l)));
  const rotate = widest + 6 > step;
  return (rotate ? Math.min(widest, 120) * 0.6 + 20 : 24) + (label ? 18 : 0);
}

export interface LegendItem {
  label: string;
  color: string;
  shape?: 'rect' | 'line' | 'dashed' | 'circle' | 'band' | 'diamond';
}

/** A legend laid out in rows that wrap at `maxWidth`; returns the markup and its height. */
export function legend(items: readonly LegendItem[], x: number, y: number, maxWidth: number): { svg: string; height: number } {
  if (items.length === 0) return { svg: '', height: 0 };
  let out = '<g class="legend">';
  let cx = x;
  let cy = y;
  const rowHeight = 18;
  for (const item of items) {
    const w = 22 + textWidth(item.label) + 16;
    if (cx > x && cx + w > x + maxWidth) {
      cx = x;
      cy += rowHeight;
    }
    out += swatch(cx, cy, item);
    out += text(cx + 20, cy, item.label, { baseline: 'middle', fill: INK });
    cx += w;
  }
  return { svg: out + '</g>', height: cy - y + rowHeight };
}

/** Height a legend will take (see `legend`). */
export function legendHeight(items: readonly LegendItem[], maxWidth: number): number {
  return legend(items, 0, 0, maxWidth).height;
}

function swatch(x: number, y: number, item: LegendItem): string {
  const c = escapeXml(item.color);
  switch (item.shape ?? 'rect') {
    case 'line':
      return `<line x1="${px(x)}" x2="${px(x + 16)}" y1="${px(y)}" y2="${px(y)}" stroke="${c}" stroke-width="2.5" />`;
    case 'dashed':
      return `<line x1="${px(x)}" x2="${px(x + 16)}" y1="${px(y)}" y2="${px(y)}" stroke="${c}" stroke-width="2" stroke-dasharray="4 3" />`;
    case 'circle':
      return `<circle cx="${px(x + 8)}" cy="${px(y)}" r="4.5" fill="${c}" />`;
    case 'diamond':
      return `<path d="M${px(x + 8)} ${px(y - 5)}L${px(x + 13)} ${px(y)}L${px(x + 8)} ${px(y + 5)}L${px(x + 3)} ${px(y)}Z" fill="${c}" />`;
    case 'band':
      return `<rect x="${px(x)}" y="${px(y - 6)}" width="16" height="12" fill="${c}" fill-opacity="0.25" /><line x1="${px(x)}" x2="${px(x + 16)}" y1="${px(y)}" y2="${px(y)}" stroke="${c}" stroke-width="2" />`;
    default:
      return `<rect x="${px(x)}" y="${px(y - 6)}" width="16" height="12" rx="2" fill="${c}" />`;
  }
}

/** An SVG path through points, breaking the line at null/NaN values. */
export function linePath(xs: readonly number[], ys: readonly (number | null)[]): string {
  let d = '';
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i];
    if (y === null || y === undefined || !Number.isFinite(y) || !Number.isFinite(xs[i]!)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${px(xs[i]!)} ${px(y)}`;
    pen = true;
  }
  return d;
}

/** A closed band between lower and upper y values (segments split at missing values). */
export function bandPath(xs: readonly number[], lo: readonly (number | null)[], hi: readonly (number | null)[]): string {
  let d = '';
  let seg: number[] = [];
  const flush = () => {
    if (seg.length > 0) {
      d += 'M' + seg.map((i) => `${px(xs[i]!)} ${px(hi[i]!)}`).join('L');
      d += 'L' + [...seg].reverse().map((i) => `${px(xs[i]!)} ${px(lo[i]!)}`).join('L') + 'Z';
    }
    seg = [];
  };
  for (let i = 0; i < xs.length; i++) {
    const a = lo[i];
    const b = hi[i];
    if (a === null || b === null || a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b)) flush();
    else seg.push(i);
  }
  flush();
  return d;
}

/** A message inside an empty chart frame (no data to draw). */
export function emptyChart(title: string, message: string, width = 720): string {
  return frame(
    { width, height: 90, title, kind: 'empty' },
    text(width / 2, 60, message, { anchor: 'middle', fill: MUTED }),
  );
}
