// Scatter plot with optional error bars, point labels, a y = x diagonal and connecting lines
// (e.g. shrinkage against weeks of data, or true against recovered values).
import { escapeXml, formatNumber, px } from './format.js';
import { MUTED } from './palette.js';
import { extent, linearScale, niceDomain } from './scale.js';
import { emptyChart, frame, headerHeight, legend, legendHeight, text, textWidth, xAxisLinear, yAxisLinear, type LegendItem, type Plot } from './svg.js';

export interface ScatterPoint {
  x: number;
  y: number;
  /** Interval on y (e.g. ±1 sd). */
  yLower?: number;
  yUpper?: number;
  xLower?: number;
  xUpper?: number;
  label?: string;
}

export interface ScatterSeries {
  name: string;
  color: string;
  points: readonly ScatterPoint[];
  /** Connect the points in x order. */
  connect?: boolean;
  shape?: 'circle' | 'diamond';
}

export interface ScatterOptions {
  title: string;
  subtitle?: string;
  series: readonly ScatterSeries[];
  xLabel?: string;
  yLabel?: string;
  xFormat?: (v: number) => string;
  yFormat?: (v: number) => string;
  /** Draw y = x (and use the same domain on both axes). */
  diagonal?: boolean;
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** Horizontal spread (in px) of points sharing an x value, by series index, to avoid overlap. */
  jitter?: number;
  legend?: readonly LegendItem[];
  width?: number;
  height?: number;
}

export function scatterChart(o: ScatterOptions): string {
  const width = o.width ?? 480;
  const height = o.height ?? 320;
  const fmtX = o.xFormat ?? ((v: number) => formatNumber(v));
  const fmtY = o.yFormat ?? ((v: number) => formatNumber(v));
  const pts = o.series.flatMap((s) => s.points);
  let xr = extent(pts.map((p) => p.x), pts.map((p) => p.xLower ?? NaN), pts.map((p) => p.xUpper ?? NaN));
  let yr = extent(pts.map((p) => p.y), pts.map((p) => p.yLower ?? NaN), pts.map((p) => p.yUpper ?? NaN));
  if (!Number.isFinite(xr[0]) || !Number.isFinite(yr[0])) return emptyChart(o.title, 'No data to show.', width);
  if (o.diagonal) {
    const both = extent([...xr, ...yr]);
    xr = both;
    yr = both;
  }
  const xDomain = o.xDomain ?? niceDomain(xr[0], xr[1], 5, { includeZero: o.diagonal ?? false });
  const yDomain = o.yDomain ?? (o.diagonal ? xDomain : niceDomain(yr[0], yr[1], 5));
  const items: LegendItem[] = (o.legend as LegendItem[] | undefined) ?? o.series.filter((s) => s.name).map((s) => ({ label: s.name, color: s.color, shape: s.shape ?? 'circle' }));
  const top = headerHeight(o.subtitle);
  const legendH = items.length ? legendHeight(items, width) + 6 : 0;
  const yTicks = linearScale(yDomain, [1, 0]).ticks(5);
  const left = Math.max(36, ...yTicks.map((t) => textWidth(fmtY(t)) + 12)) + (o.yLabel ? 18 : 0);
  const plot: Plot = { x0: left, x1: width - 16, y0: top + legendH + 10, y1: height - (o.xLabel ? 46 : 28) };
  const x = linearScale(xDomain, [plot.x0, plot.x1]);
  const y = linearScale(yDomain, [plot.y1, plot.y0]);
  let body = legend(items, 0, top + 6, width).svg + yAxisLinear(y, plot, fmtY, o.yLabel) + xAxisLinear(x, plot, fmtX, o.xLabel, { grid: true });
  if (o.diagonal) {
    const a = Math.max(xDomain[0], yDomain[0]);
    const b = Math.min(xDomain[1], yDomain[1]);
    body += `<line x1="${px(x(a))}" y1="${px(y(a))}" x2="${px(x(b))}" y2="${px(y(b))}" stroke="#999" stroke-dasharray="4 4" />`;
    body += text(x(b) - 4, y(b) + 14, 'perfect recovery', { anchor: 'end', size: 10, fill: MUTED });
  }
  body += '<g class="marks">';
  const nS = o.series.length;
  o.series.forEach((s, si) => {
    const dx = o.jitter ? (si - (nS - 1) / 2) * o.jitter : 0;
    const c = escapeXml(s.color);
    if (s.connect && s.points.length > 1) {
      const sorted = [...s.points].sort((a, b) => a.x - b.x);
      body += `<path d="${sorted.map((p, i) => `${i ? 'L' : 'M'}${px(x(p.x) + dx)} ${px(y(p.y))}`).join('')}" fill="none" stroke="${c}" stroke-width="1.2" stroke-opacity="0.6" />`;
    }
    for (const p of s.points) {
      if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
      const cx = x(p.x) + dx;
      const cy = y(p.y);
      const tip = `${s.name}${p.label ? ` · ${p.label}` : ''}: (${fmtX(p.x)}, ${fmtY(p.y)})`;
      body += `<g class="mark point"><title>${escapeXml(tip)}</title>`;
      if (p.yLower !== undefined && p.yUpper !== undefined && Number.isFinite(p.yLower) && Number.isFinite(p.yUpper)) {
        body += `<line x1="${px(cx)}" x2="${px(cx)}" y1="${px(y(p.yLower))}" y2="${px(y(p.yUpper))}" stroke="${c}" stroke-width="1.5" />`;
      }
      if (p.xLower !== undefined && p.xUpper !== undefined && Number.isFinite(p.xLower) && Number.isFinite(p.xUpper)) {
        body += `<line x1="${px(x(p.xLower))}" x2="${px(x(p.xUpper))}" y1="${px(cy)}" y2="${px(cy)}" stroke="${c}" stroke-width="1.5" />`;
      }
      body +=
        s.shape === 'diamond'
          ? `<path d="M${px(cx)} ${px(cy - 5)}L${px(cx + 5)} ${px(cy)}L${px(cx)} ${px(cy + 5)}L${px(cx - 5)} ${px(cy)}Z" fill="${c}" />`
          : `<circle cx="${px(cx)}" cy="${px(cy)}" r="4" fill="${c}" stroke="#fff" stroke-width="0.8" />`;
      body += '</g>';
      if (p.label) body += text(cx + 6, cy - 6, p.label, { size: 10, fill: MUTED });
    }
  });
  body += '</g>';
  return frame({ width, height, title: o.title, ...(o.subtitle ? { subtitle: o.subtitle } : {}), kind: 'scatter' }, body);
}
