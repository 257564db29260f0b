// Stacked areas over time (contribution decomposition): layers stack in the given order from
// the zero line; negative layer values are clipped to 0 and reported in the description.
import { escapeXml, formatNumber, px } from './format.js';
import { AXIS, INK, MUTED } from './palette.js';
import { dateTicks, extent, linearScale, niceDomain } from './scale.js';
import { emptyChart, frame, headerHeight, legend, legendHeight, linePath, text, textWidth, yAxisLinear, type LegendItem, type Plot } from './svg.js';

export interface AreaLayer {
  name: string;
  color: string;
  values: readonly number[];
}

export interface StackedAreaOptions {
  title: string;
  subtitle?: string;
  /** Days since 1970-01-01 (one per column of every layer). */
  x: readonly number[];
  layers: readonly AreaLayer[];
  /** A line drawn over the stack (e.g. the observed target). */
  overlay?: { name: string; color: string; values: readonly (number | null)[] };
  yLabel?: string;
  yFormat?: (v: number) => string;
  width?: number;
  height?: number;
}

export function stackedAreaChart(o: StackedAreaOptions): string {
  const width = o.width ?? 720;
  const height = o.height ?? 300;
  const fmtY = o.yFormat ?? ((v: number) => formatNumber(v));
  const n = o.x.length;
  if (n === 0 || o.layers.length === 0) return emptyChart(o.title, 'No data to show.', width);
  const cum: number[][] = [];
  const base = new Array<number>(n).fill(0);
  let clipped = 0;
  for (const layer of o.layers) {
    const next = base.map((b, i) => {
      const v = layer.values[i] ?? 0;
      if (!(v >= 0)) clipped++;
      return b + (v > 0 ? v : 0);
    });
    cum.push(next);
    for (let i = 0; i < n; i++) base[i] = next[i]!;
  }
  const [, hi] = extent(base, (o.overlay?.values ?? []).map((v) => (v === null ? NaN : v)));
  const domain = niceDomain(0, hi, 5, { includeZero: true });
  const items: LegendItem[] = o.layers.map((l) => ({ label: l.name, color: l.color }));
  if (o.overlay) items.push({ label: o.overlay.name, color: o.overlay.color, shape: 'line' });
  const top = headerHeight(o.subtitle);
  const legendH = legendHeight(items, width) + 6;
  const yTicks = linearScale(domain, [1, 0]).ticks(5);
  const left = Math.max(40, ...yTicks.map((t) => textWidth(fmtY(t)) + 12)) + (o.yLabel ? 18 : 0);
  const plot: Plot = { x0: left, x1: width - 14, y0: top + legendH + 10, y1: height - 26 };
  const [x0, x1] = extent(o.x);
  const x = linearScale([x0, x1], [plot.x0, plot.x1]);
  const y = linearScale(domain, [plot.y1, plot.y0]);
  let body = legend(items, 0, top + 6, width).svg + yAxisLinear(y, plot, fmtY, o.yLabel);
  body += '<g class="marks">';
  const xs = o.x.map((v) => x(v));
  let lower = new Array<number>(n).fill(0);
  o.layers.forEach((layer, li) => {
    const upper = cum[li]!;
    const d =
      'M' +
      xs.map((xx, i) => `${px(xx)} ${px(y(upper[i]!))}`).join('L') +
      'L' +
      [...xs.keys()].reverse().map((i) => `${px(xs[i]!)} ${px(y(lower[i]!))}`).join('L') +
      'Z';
    body += `<path class="mark area" d="${d}" fill="${escapeXml(layer.color)}" fill-opacity="0.85" stroke="#ffffff" stroke-width="0.5"><title>${escapeXml(layer.name)}</title></path>`;
    lower = upper;
  });
  if (o.overlay) {
    const d = linePath(xs, o.overlay.values.map((v) => (v === null || !Number.isFinite(v) ? null : y(v))));
    if (d) body += `<path class="mark line" d="${d}" fill="none" stroke="${escapeXml(o.overlay.color)}" stroke-width="1.5" />`;
  }
  body += '</g>';
  const maxTicks = Math.max(2, Math.floor((plot.x1 - plot.x0) / 70));
  body += `<g class="axis axis-x"><line x1="${px(plot.x0)}" x2="${px(plot.x1)}" y1="${px(plot.y1)}" y2="${px(plot.y1)}" stroke="${AXIS}" />`;
  for (const t of dateTicks(x0, x1, maxTicks)) {
    body += `<line x1="${px(x(t.day))}" x2="${px(x(t.day))}" y1="${px(plot.y1)}" y2="${px(plot.y1 + 4)}" stroke="${AXIS}" />`;
    body += text(x(t.day), plot.y1 + 17, t.label, { anchor: 'middle', fill: MUTED });
  }
  body += '</g>';
  const description = clipped > 0 ? `${clipped} negative values were drawn as 0.` : undefined;
  return frame(
    { width, height, title: o.title, ...(o.subtitle ? { subtitle: o.subtitle } : {}), ...(description ? { description } : {}), kind: 'area' },
    body + (clipped > 0 ? text(plot.x1, plot.y0 - 2, 'negative parts drawn as 0', { anchor: 'end', size: 10, fill: INK }) : ''),
  );
}
