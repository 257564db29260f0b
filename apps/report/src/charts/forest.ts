// Forest plot: one row per item (market), a point estimate with its interval for each series
// (model), dodged vertically within the row; highlighted rows (sparse markets) get a tinted
// background, and an optional true value per row is drawn as a black diamond.
import { escapeXml, formatNumber, px } from './format.js';
import { HIGHLIGHT, INK, MUTED, TRUTH } from './palette.js';
import { extent, linearScale, niceDomain } from './scale.js';
import { emptyChart, frame, headerHeight, legend, legendHeight, text, textWidth, xAxisLinear, type LegendItem, type Plot } from './svg.js';

export interface Estimate {
  mean: number;
  lower: number;
  upper: number;
}

export interface ForestRow {
  label: string;
  /** Small text right of the label, e.g. "26 wk". */
  note?: string;
  highlight?: boolean;
}

export interface ForestSeries {
  name: string;
  color: string;
  /** One estimate per row (null: not available for that row). */
  estimates: readonly (Estimate | null)[];
}

export interface ForestPlotOptions {
  title: string;
  subtitle?: string;
  rows: readonly ForestRow[];
  series: readonly ForestSeries[];
  truth?: readonly (number | null)[];
  xLabel?: string;
  /** Format of values in tooltips (default: 3 significant digits). */
  xFormat?: (v: number) => string;
  /** Format of the axis ticks (default: 3 significant digits, so 0, 2.5, 5). */
  tickFormat?: (v: number) => string;
  /** A vertical reference line, e.g. ROAS = 1 (break-even). */
  reference?: { value: number; label: string };
  highlightLabel?: string;
  /** Fixed x domain (so that several forest plots share one scale). */
  xDomain?: [number, number];
  /** Vertical distance (px) between the series within a row (default 8; 0 puts them all on the row's centre line). */
  dodge?: number;
  /** Draw the legend of the series (default true); off when the row labels already name them. */
  showLegend?: boolean;
  width?: number;
}

export function forestPlot(o: ForestPlotOptions): string {
  const width = o.width ?? 360;
  const fmt = o.xFormat ?? ((v: number) => formatNumber(v));
  const values = o.series.flatMap((s) => s.estimates.flatMap((e) => (e ? [e.lower, e.upper, e.mean] : [])));
  const [lo, hi] = extent(values, (o.truth ?? []).map((v) => (v === null ? NaN : v)), o.reference ? [o.reference.value] : []);
  if (o.rows.length === 0 || !Number.isFinite(lo)) return emptyChart(o.title, 'No estimates to show.', width);
  const domain = o.xDomain ?? niceDomain(lo, hi, 4, { includeZero: true });
  const items: LegendItem[] = o.showLegend === false ? [] : o.series.map((s) => ({ label: s.name, color: s.color, shape: 'circle' }));
  if (o.truth) items.push({ label: 'true value', color: TRUTH, shape: 'diamond' });
  if (o.highlightLabel && o.rows.some((r) => r.highlight)) items.push({ label: o.highlightLabel, color: '#f6c9a4' });
  const top = headerHeight(o.subtitle);
  const legendH = items.length ? legendHeight(items, width) + 6 : 0;
  const nS = Math.max(1, o.series.length);
  const dodge = o.dodge ?? 8;
  const rowH = Math.max(20, dodge * nS + 10);
  const labelW = Math.max(...o.rows.map((r) => textWidth(r.label) + (r.note ? textWidth(r.note, 10) + 6 : 0))) + 12;
  const plot: Plot = { x0: labelW, x1: width - 12, y0: top + legendH + 6, y1: top + legendH + 6 + rowH * o.rows.length };
  const height = plot.y1 + (o.xLabel ? 46 : 28);
  const x = linearScale(domain, [plot.x0, plot.x1]);
  let body = legend(items, 0, top + 6, width).svg;
  // row backgrounds and labels
  o.rows.forEach((r, i) => {
    const ry = plot.y0 + i * rowH;
    if (r.highlight) body += `<rect x="0" y="${px(ry)}" width="${px(width)}" height="${px(rowH)}" fill="${HIGHLIGHT}" />`;
    else if (i % 2 === 1) body += `<rect x="${px(plot.x0)}" y="${px(ry)}" width="${px(plot.x1 - plot.x0)}" height="${px(rowH)}" fill="#f7f8fa" />`;
    body += text(4, ry + rowH / 2, r.label, { baseline: 'middle', fill: INK, weight: r.highlight ? 600 : 400 });
    if (r.note) body += text(4 + textWidth(r.label) + 6, ry + rowH / 2, r.note, { baseline: 'middle', size: 10, fill: MUTED });
  });
  body += xAxisLinear(x, plot, o.tickFormat ?? ((v: number) => formatNumber(v)), o.xLabel, { grid: true, count: 5 });
  if (o.reference && o.reference.value >= domain[0] && o.reference.value <= domain[1]) {
    const rx = x(o.reference.value);
    body += `<line x1="${px(rx)}" x2="${px(rx)}" y1="${px(plot.y0)}" y2="${px(plot.y1)}" stroke="#888" stroke-dasharray="4 3" />`;
    body += text(rx + 3, plot.y0 - 3, o.reference.label, { size: 10, fill: MUTED });
  }
  body += '<g class="marks">';
  o.rows.forEach((r, i) => {
    const ry = plot.y0 + i * rowH;
    o.series.forEach((s, si) => {
      const e = s.estimates[i];
      if (!e || !Number.isFinite(e.mean)) return;
      const cy = ry + rowH / 2 + (si - (nS - 1) / 2) * dodge;
      const tip = `${r.label} · ${s.name}: ${fmt(e.mean)} (${fmt(e.lower)} to ${fmt(e.upper)})`;
      const c = escapeXml(s.color);
      body += `<g class="mark forest-point" data-row="${escapeXml(r.label)}"><title>${escapeXml(tip)}</title>`;
      if (Number.isFinite(e.lower) && Number.isFinite(e.upper)) {
        body += `<line x1="${px(x(Math.max(e.lower, domain[0])))}" x2="${px(x(Math.min(e.upper, domain[1])))}" y1="${px(cy)}" y2="${px(cy)}" stroke="${c}" stroke-width="2" />`;
      }
      body += `<circle cx="${px(x(e.mean))}" cy="${px(cy)}" r="3.5" fill="${c}" stroke="#fff" stroke-width="0.8" /></g>`;
    });
    const t = o.truth?.[i];
    if (t !== undefined && t !== null && Number.isFinite(t)) {
      const tx = x(t);
      const cy = ry + rowH / 2;
      body += `<path class="mark truth" d="M${px(tx)} ${px(cy - 5)}L${px(tx + 4.5)} ${px(cy)}L${px(tx)} ${px(cy + 5)}L${px(tx - 4.5)} ${px(cy)}Z" fill="${TRUTH}" fill-opacity="0.85"><title>${escapeXml(`${r.label} true value: ${fmt(t)}`)}</title></path>`;
    }
  });
  body += '</g>';
  return frame({ width, height, title: o.title, ...(o.subtitle ? { subtitle: o.subtitle } : {}), kind: 'forest' }, body);
}
