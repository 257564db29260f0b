// Distributions per group: a violin (kernel density, mirrored) with a box (quartiles) and the
// median, from raw values; or, when only a summary is known, an interval bar (5%–95%) with the
// mean. Also a plain histogram.
import { escapeXml, formatNumber, px } from './format.js';
import { INK } from './palette.js';
import { bandScale, extent, linearScale, niceDomain } from './scale.js';
import { bandAxisHeight, emptyChart, frame, headerHeight, legend, legendHeight, xAxisBand, xAxisLinear, yAxisLinear, textWidth, type LegendItem, type Plot } from './svg.js';

export interface DistributionGroup {
  label: string;
  color: string;
  /** Raw values (draws or observations). */
  values?: readonly number[];
  /** A summary when no raw values are at hand. */
  summary?: { mean: number; q05: number; q95: number; q25?: number; q75?: number };
}

export interface DistributionOptions {
  title: string;
  subtitle?: string;
  groups: readonly DistributionGroup[];
  yLabel?: string;
  yFormat?: (v: number) => string;
  includeZero?: boolean;
  legend?: readonly LegendItem[];
  width?: number;
  height?: number;
}

/** Sorted-copy quantile (type 7). */
export function quantileOf(values: readonly number[], p: number): number {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const h = (s.length - 1) * p;
  const i = Math.floor(h);
  return s[i]! + (h - i) * ((s[Math.min(i + 1, s.length - 1)] ?? s[i]!) - s[i]!);
}

/** Gaussian kernel density on `points`, bandwidth by Silverman's rule. */
export function kernelDensity(values: readonly number[], points: readonly number[]): number[] {
  const v = values.filter((x) => Number.isFinite(x));
  const n = v.length;
  if (n === 0) return points.map(() => 0);
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(n - 1, 1));
  const iqr = quantileOf(v, 0.75) - quantileOf(v, 0.25);
  const spread = Math.min(sd, iqr > 0 ? iqr / 1.34 : sd) || sd || Math.abs(mean) * 0.05 || 1;
  const bw = 0.9 * spread * n ** -0.2;
  return points.map((p) => {
    let s = 0;
    for (const x of v) s += Math.exp(-0.5 * ((p - x) / bw) ** 2);
    return s / (n * bw * Math.sqrt(2 * Math.PI));
  });
}

export function distributionChart(o: DistributionOptions): string {
  const width = o.width ?? 720;
  const height = o.height ?? 300;
  const fmt = o.yFormat ?? ((v: number) => formatNumber(v));
  const all = o.groups.flatMap((g) => [...(g.values ?? []), ...(g.summary ? [g.summary.q05, g.summary.q95, g.summary.mean] : [])]);
  const [lo, hi] = extent(all);
  if (o.groups.length === 0 || !Number.isFinite(lo)) return emptyChart(o.title, 'No data to show.', width);
  const domain = niceDomain(lo, hi, 5, { includeZero: o.includeZero ?? false });
  const top = headerHeight(o.subtitle);
  const items = o.legend ?? [];
  const legendH = items.length ? legendHeight(items, width) + 6 : 0;
  const yTicks = linearScale(domain, [1, 0]).ticks(5);
  const left = Math.max(40, ...yTicks.map((t) => textWidth(fmt(t)) + 12)) + (o.yLabel ? 18 : 0);
  const labels = o.groups.map((g) => g.label);
  const band0 = bandScale(labels, [left, width - 10], 0.25);
  const axisH = bandAxisHeight(band0.step, labels);
  const plot: Plot = { x0: left, x1: width - 10, y0: top + legendH + 10, y1: height - axisH - 4 };
  const band = bandScale(labels, [plot.x0, plot.x1], 0.25);
  const y = linearScale(domain, [plot.y1, plot.y0]);
  let body = legend(items, 0, top + 6, width).svg + yAxisLinear(y, plot, fmt, o.yLabel) + xAxisBand(band, plot, labels).svg;
  body += '<g class="marks">';
  for (const g of o.groups) {
    const cx = band(g.label) + band.bandwidth / 2;
    const c = escapeXml(g.color);
    const half = Math.min(band.bandwidth / 2, 40);
    if (g.values && g.values.length > 1) {
      const [a, b] = extent(g.values);
      const n = 40;
      const pts = Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
      const dens = kernelDensity(g.values, pts);
      const maxD = Math.max(...dens) || 1;
      const right = pts.map((p, i) => `${px(cx + (half * dens[i]!) / maxD)} ${px(y(p))}`);
      const leftSide = pts.map((p, i) => `${px(cx - (half * dens[i]!) / maxD)} ${px(y(p))}`).reverse();
      const q1 = quantileOf(g.values, 0.25);
      const q3 = quantileOf(g.values, 0.75);
      const med = quantileOf(g.values, 0.5);
      const tip = `${g.label}: median ${fmt(med)}, middle half ${fmt(q1)} to ${fmt(q3)}`;
      body += `<g class="mark violin"><title>${escapeXml(tip)}</title>`;
      body += `<path d="M${right.join('L')}L${leftSide.join('L')}Z" fill="${c}" fill-opacity="0.3" stroke="${c}" stroke-width="1" />`;
      body += `<rect x="${px(cx - 5)}" y="${px(y(q3))}" width="10" height="${px(Math.max(y(q1) - y(q3), 1))}" fill="${c}" />`;
      body += `<line x1="${px(cx - 8)}" x2="${px(cx + 8)}" y1="${px(y(med))}" y2="${px(y(med))}" stroke="#fff" stroke-width="2" /></g>`;
    } else if (g.summary) {
      const s = g.summary;
      const tip = `${g.label}: mean ${fmt(s.mean)}, 90% between ${fmt(s.q05)} and ${fmt(s.q95)}`;
      body += `<g class="mark interval"><title>${escapeXml(tip)}</title>`;
      body += `<rect x="${px(cx - half / 2)}" y="${px(y(s.q95))}" width="${px(half)}" height="${px(Math.max(y(s.q05) - y(s.q95), 1))}" fill="${c}" fill-opacity="0.25" stroke="${c}" />`;
      if (s.q25 !== undefined && s.q75 !== undefined) {
        body += `<rect x="${px(cx - half / 4)}" y="${px(y(s.q75))}" width="${px(half / 2)}" height="${px(Math.max(y(s.q25) - y(s.q75), 1))}" fill="${c}" fill-opacity="0.5" />`;
      }
      body += `<line x1="${px(cx - half / 2)}" x2="${px(cx + half / 2)}" y1="${px(y(s.mean))}" y2="${px(y(s.mean))}" stroke="${INK}" stroke-width="2.5" /></g>`;
    }
  }
  body += '</g>';
  return frame({ width, height, title: o.title, ...(o.subtitle ? { subtitle: o.subtitle } : {}), kind: 'distribution' }, body);
}

export interface HistogramOptions {
  title: string;
  subtitle?: string;
  values: readonly number[];
  bins?: number;
  color: string;
  xLabel?: string;
  xFormat?: (v: number) => string;
  width?: number;
  height?: number;
}

export function histogram(o: HistogramOptions): string {
  const width = o.width ?? 480;
  const height = o.height ?? 240;
  const fmt = o.xFormat ?? ((v: number) => formatNumber(v));
  const [lo, hi] = extent(o.values);
  if (!Number.isFinite(lo)) return emptyChart(o.title, 'No data to show.', width);
  const nb = o.bins ?? Math.min(30, Math.max(5, Math.ceil(Math.sqrt(o.values.length))));
  const w = hi > lo ? (hi - lo) / nb : 1;
  const counts = new Array<number>(nb).fill(0);
  for (const v of o.values) if (Number.isFinite(v)) counts[Math.min(nb - 1, Math.floor((v - lo) / w))]!++;
  const top = headerHeight(o.subtitle);
  const plot: Plot = { x0: 44, x1: width - 12, y0: top + 8, y1: height - (o.xLabel ? 46 : 28) };
  const x = linearScale([lo, lo + nb * w], [plot.x0, plot.x1]);
  const y = linearScale(niceDomain(0, Math.max(...counts), 4, { includeZero: true }), [plot.y1, plot.y0]);
  let body = yAxisLinear(y, plot, (v) => formatNumber(v)) + xAxisLinear(x, plot, fmt, o.xLabel);
  body += '<g class="marks">';
  counts.forEach((n, i) => {
    if (n === 0) return;
    body += `<rect class="mark" x="${px(x(lo + i * w) + 0.5)}" y="${px(y(n))}" width="${px(Math.max(x(lo + (i + 1) * w) - x(lo + i * w) - 1, 0.5))}" height="${px(y(0) - y(n))}" fill="${escapeXml(o.color)}" />`;
  });
  body += '</g>';
  return frame({ width, height, title: o.title, ...(o.subtitle ? { subtitle: o.subtitle } : {}), kind: 'histogram' }, body);
}
