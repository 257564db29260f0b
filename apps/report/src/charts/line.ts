// Line charts with optional uncertainty bands and points: time series (x in days since
// 1970-01-01, month ticks) or numeric x (curves such as saturation or a budget scenario).
import { escapeXml, formatNumber, px } from './format.js';
import { AXIS } from './palette.js';
import { dateTicks, extent, linearScale, niceDomain } from './scale.js';
import {
  bandPath,
  emptyChart,
  frame,
  headerHeight,
  legend,
  legendHeight,
  linePath,
  text,
  textWidth,
  xAxisLinear,
  yAxisLinear,
  type LegendItem,
  type Plot,
} from './svg.js';

export interface LineSeries {
  name: string;
  color: string;
  /** x values: days since 1970-01-01 when the chart's `xType` is 'date'. */
  x: readonly number[];
  /** y values; null (or NaN) breaks the line. */
  y: readonly (number | null)[];
  /** A band around the line (e.g. a 94% interval). */
  lower?: readonly (number | null)[];
  upper?: readonly (number | null)[];
  /** Draw markers instead of (or in addition to) the line. */
  style?: 'line' | 'dashed' | 'points' | 'line+points';
  /** Line width (default 2). */
  strokeWidth?: number;
  /** Hide from the legend. */
  hideInLegend?: boolean;
}

export interface VerticalMarker {
  x: number;
  label: string;
  color?: string;
}

export interface LineChartOptions {
  title: string;
  subtitle?: string;
  series: readonly LineSeries[];
  xType?: 'date' | 'number';
  xLabel?: string;
  yLabel?: string;
  xFormat?: (v: number) => string;
  yFormat?: (v: number) => string;
  /** Force y to include 0 (default true). */
  includeZero?: boolean;
  /** Fixed y domain. */
  yDomain?: [number, number];
  xDomain?: [number, number];
  markers?: readonly VerticalMarker[];
  /** Shade an x range (e.g. "outside the observed range"). */
  shade?: { from: number; to: number; label: string };
  legend?: readonly LegendItem[];
  width?: number;
  height?: number;
}

export function lineChart(o: LineChartOptions): string {
  const width = o.width ?? 720;
  const height = o.height ?? 280;
  const fmtY = o.yFormat ?? ((v: number) => formatNumber(v));
  const xs = extent(...o.series.map((s) => s.x));
  const ys = extent(...o.series.flatMap((s) => [s.y.map(nz), (s.lower ?? []).map(nz), (s.upper ?? []).map(nz)]));
  if (!Number.isFinite(xs[0]) || !Number.isFinite(ys[0])) return emptyChart(o.title, 'No data to show.', width);
  const yDomain = o.yDomain ?? niceDomain(ys[0], ys[1], 5, { includeZero: o.includeZero ?? true });
  const xDomain = o.xDomain ?? (o.xType === 'date' ? xs : niceDomain(xs[0], xs[1], 6));
  const items: LegendItem[] =
    (o.legend as LegendItem[] | undefined) ??
    o.series
      .filter((s) => !s.hideInLegend && s.name)
      .map((s) => ({
        label: s.name,
        color: s.color,
        shape: s.style === 'points' ? 'circle' : s.style === 'dashed' ? 'dashed' : s.lower ? 'band' : 'line',
      }));
  const top = headerHeight(o.subtitle);
  const legendH = items.length ? legendHeight(items, width) + 6 : 0;
  const y0 = linearScale(yDomain, [1, 0]);
  const left = Math.max(40, ...y0.ticks(5).map((t) => textWidth(fmtY(t)) + 12)) + (o.yLabel ? 18 : 0);
  const plot: Plot = { x0: left, x1: width - 14, y0: top + legendH + 10, y1: height - (o.xLabel ? 44 : 26) };
  const x = linearScale(xDomain, [plot.x0, plot.x1]);
  const y = linearScale(yDomain, [plot.y1, plot.y0]);

  let body = legend(items, 0, top + 6, width).svg + yAxisLinear(y, plot, fmtY, o.yLabel);
  if (o.xType === 'date') {
    const maxTicks = Math.max(2, Math.floor((plot.x1 - plot.x0) / 70));
    const ticks = dateTicks(xDomain[0], xDomain[1], maxTicks);
    body += `<g class="axis axis-x"><line x1="${px(plot.x0)}" x2="${px(plot.x1)}" y1="${px(plot.y1)}" y2="${px(plot.y1)}" stroke="${AXIS}" />`;
    for (const t of ticks) {
      const tx = x(t.day);
      body += `<line x1="${px(tx)}" x2="${px(tx)}" y1="${px(plot.y1)}" y2="${px(plot.y1 + 4)}" stroke="${AXIS}" />`;
      body += text(tx, plot.y1 + 17, t.label, { anchor: 'middle', fill: '#5c6370' });
    }
    if (o.xLabel) body += text((plot.x0 + plot.x1) / 2, plot.y1 + 36, o.xLabel, { anchor: 'middle', fill: '#5c6370' });
    body += '</g>';
  } else {
    body += xAxisLinear(x, plot, o.xFormat ?? ((v) => formatNumber(v)), o.xLabel);
  }
  if (o.shade) {
    const a = Math.max(plot.x0, x(o.shade.from));
    const b = Math.min(plot.x1, x(o.shade.to));
    if (b > a) {
      body += `<rect x="${px(a)}" y="${px(plot.y0)}" width="${px(b - a)}" height="${px(plot.y1 - plot.y0)}" fill="#fdf0e1" />`;
      body += text(b - 4, plot.y0 + 12, o.shade.label, { anchor: 'end', size: 11, fill: '#9c5a00' });
    }
  }
  body += `<g class="marks">`;
  for (const s of o.series) {
    const px_ = s.x.map((v) => x(v));
    const py = s.y.map((v) => (v === null || !Number.isFinite(v) ? null : y(v)));
    if (s.lower && s.upper) {
      const lo = s.lower.map((v) => (v === null || !Number.isFinite(v) ? null : y(v)));
      const hi = s.upper.map((v) => (v === null || !Number.isFinite(v) ? null : y(v)));
      const d = bandPath(px_, lo, hi);
      if (d) body += `<path class="mark band" d="${d}" fill="${escapeXml(s.color)}" fill-opacity="0.18" stroke="none" />`;
    }
    const style = s.style ?? 'line';
    if (style !== 'points') {
      const d = linePath(px_, py);
      if (d) {
        body += `<path class="mark line" d="${d}" fill="none" stroke="${escapeXml(s.color)}" stroke-width="${s.strokeWidth ?? 2}" stroke-linejoin="round"${style === 'dashed' ? ' stroke-dasharray="5 4"' : ''}><title>${escapeXml(s.name)}</title></path>`;
      }
    }
    if (style === 'points' || style === 'line+points') {
      const r = style === 'points' && s.x.length > 60 ? 2 : 3;
      for (let i = 0; i < px_.length; i++) {
        const yy = py[i];
        if (yy === null || yy === undefined) continue;
        body += `<circle class="mark point" cx="${px(px_[i]!)}" cy="${px(yy)}" r="${r}" fill="${escapeXml(s.color)}" />`;
      }
    }
  }
  body += '</g>';
  for (const m of o.markers ?? []) {
    const mx = x(m.x);
    if (mx < plot.x0 - 0.5 || mx > plot.x1 + 0.5) continue;
    body += `<line x1="${px(mx)}" x2="${px(mx)}" y1="${px(plot.y0)}" y2="${px(plot.y1)}" stroke="${escapeXml(m.color ?? '#333')}" stroke-dasharray="3 3" />`;
    const anchor = mx > (plot.x0 + plot.x1) / 2 ? 'end' : 'start';
    body += text(mx + (anchor === 'end' ? -4 : 4), plot.y0 + 12, m.label, { anchor, size: 11, fill: m.color ?? '#333' });
  }
  return frame({ width, height, title: o.title, ...(o.subtitle ? { subtitle: o.subtitle } : {}), kind: 'line' }, body);
}

function nz(v: number | null): number {
  return v === null ? NaN : v;
}
