// Bar charts: simple bars (one value per category, each bar its own colour) and grouped bars
// (one bar per series within each category), vertical or horizontal, with optional error bars.
import { escapeXml, formatNumber, px } from './format.js';
import { AXIS, INK, MUTED } from './palette.js';
import { bandScale, extent, linearScale, niceDomain } from './scale.js';
import {
  bandAxisHeight,
  emptyChart,
  frame,
  headerHeight,
  legend,
  legendHeight,
  text,
  textWidth,
  xAxisBand,
  xAxisLinear,
  yAxisLinear,
  type LegendItem,
} from './svg.js';

export interface Bar {
  label: string;
  value: number;
  color: string;
  /** Text drawn at the end of the bar (e.g. "n = 26"); default the formatted value. */
  note?: string;
}

export interface BarChartOptions {
  title: string;
  subtitle?: string;
  bars: readonly Bar[];
  valueFormat?: (v: number) => string;
  valueLabel?: string;
  categoryLabel?: string;
  legend?: readonly LegendItem[];
  horizontal?: boolean;
  width?: number;
  height?: number;
}

/** One bar per category. */
export function barChart(o: BarChartOptions): string {
  return groupedBarChart({
    title: o.title,
    ...(o.subtitle ? { subtitle: o.subtitle } : {}),
    groups: o.bars.map((b) => b.label),
    series: [{ name: '', color: INK, values: o.bars.map((b) => b.value), colors: o.bars.map((b) => b.color), notes: o.bars.map((b) => b.note) }],
    ...(o.valueFormat ? { valueFormat: o.valueFormat } : {}),
    ...(o.valueLabel ? { valueLabel: o.valueLabel } : {}),
    ...(o.categoryLabel ? { categoryLabel: o.categoryLabel } : {}),
    legend: o.legend ?? [],
    showValues: true,
    ...(o.horizontal ? { horizontal: true } : {}),
    ...(o.width ? { width: o.width } : {}),
    ...(o.height ? { height: o.height } : {}),
  });
}

export interface BarSeries {
  name: string;
  color: string;
  values: readonly number[];
  /** Per-bar colours overriding `color`. */
  colors?: readonly string[];
  /** Optional interval per bar (error bars), e.g. a 90% band. */
  lower?: readonly number[];
  upper?: readonly number[];
  /** Per-bar note text (replaces the value label). */
  notes?: readonly (string | undefined)[];
  /** Per-bar flag: draw the bar hatched/outlined (e.g. outside the observed range). */
  flagged?: readonly boolean[];
}

export interface GroupedBarChartOptions {
  title: string;
  subtitle?: string;
  groups: readonly string[];
  series: readonly BarSeries[];
  valueFormat?: (v: number) => string;
  valueLabel?: string;
  categoryLabel?: string;
  /** Legend items (default: one per named series). */
  legend?: readonly LegendItem[];
  showValues?: boolean;
  horizontal?: boolean;
  width?: number;
  height?: number;
}

export function groupedBarChart(o: GroupedBarChartOptions): string {
  const width = o.width ?? 720;
  const fmt = o.valueFormat ?? ((v: number) => formatNumber(v));
  const all = o.series.flatMap((s) => [...s.values, ...(s.lower ?? []), ...(s.upper ?? [])]);
  const [lo, hi] = extent(all);
  if (o.groups.length === 0 || !Number.isFinite(lo)) return emptyChart(o.title, 'No data to show.', width);
  const domain = niceDomain(lo, hi, 5, { includeZero: true });
  const items = o.legend ?? o.series.filter((s) => s.name).map((s) => ({ label: s.name, color: s.color }));
  const top = headerHeight(o.subtitle);
  const legendH = items.length ? legendHeight(items, width) + 6 : 0;
  const nSeries = Math.max(o.series.length, 1);
  return o.horizontal ? horizontal() : vertical();

  function marks(pos: (g: string) => number, step: number, value: (v: number) => number, isVertical: boolean): string {
    let out = '';
    const inner = step / nSeries;
    o.groups.forEach((g, gi) => {
      o.series.forEach((s, si) => {
        const v = s.values[gi];
        if (v === undefined || !Number.isFinite(v)) return;
        const color = s.colors?.[gi] ?? s.color;
        const a = pos(g) + si * inner;
        const b0 = value(0);
        const b1 = value(v);
        const flagged = s.flagged?.[gi] === true;
        const fill = flagged ? `fill="${escapeXml(color)}" fill-opacity="0.45" stroke="${escapeXml(color)}" stroke-width="1.5" stroke-dasharray="3 2"` : `fill="${escapeXml(color)}"`;
        const tip = `${o.groups[gi]}${s.name ? ` · ${s.name}` : ''}: ${fmt(v)}`;
        const thick = Math.max(inner - (nSeries > 1 ? 2 : 0), 1);
        if (isVertical) {
          out += `<rect class="mark" x="${px(a)}" y="${px(Math.min(b0, b1))}" width="${px(thick)}" height="${px(Math.max(Math.abs(b1 - b0), 0.5))}" ${fill}><title>${escapeXml(tip)}</title></rect>`;
        } else {
          out += `<rect class="mark" x="${px(Math.min(b0, b1))}" y="${px(a)}" width="${px(Math.max(Math.abs(b1 - b0), 0.5))}" height="${px(thick)}" ${fill}><title>${escapeXml(tip)}</title></rect>`;
        }
        const l = s.lower?.[gi];
        const u = s.upper?.[gi];
        const mid = a + thick / 2;
        if (l !== undefined && u !== undefined && Number.isFinite(l) && Number.isFinite(u)) {
          out += isVertical
            ? `<path d="M${px(mid)} ${px(value(l))}V${px(value(u))}M${px(mid - 3)} ${px(value(l))}H${px(mid + 3)}M${px(mid - 3)} ${px(value(u))}H${px(mid + 3)}" stroke="${INK}" stroke-width="1.2" fill="none" />`
            : `<path d="M${px(value(l))} ${px(mid)}H${px(value(u))}M${px(value(l))} ${px(mid - 3)}V${px(mid + 3)}M${px(value(u))} ${px(mid - 3)}V${px(mid + 3)}" stroke="${INK}" stroke-width="1.2" fill="none" />`;
        }
        if (o.showValues) {
          const label = s.notes?.[gi] ?? fmt(v);
          const room = isVertical ? thick : Infinity;
          if (textWidth(label, 11) <= room + 16) {
            out += isVertical
              ? text(mid, Math.min(b0, b1) - 4, label, { anchor: 'middle', size: 11, fill: MUTED })
              : text(Math.max(b0, b1) + 4, mid, label, { baseline: 'middle', size: 11, fill: MUTED });
          }
        }
      });
    });
    return out;
  }

  function vertical(): string {
    const height = o.height ?? 300;
    const yTicks = linearScale(domain, [0, 1]).ticks(5);
    const left = Math.max(44, ...yTicks.map((t) => textWidth(fmt(t)) + 14)) + (o.valueLabel ? 18 : 0);
    const plotX0 = left;
    const plotX1 = width - 10;
    const band = bandScale(o.groups, [plotX0, plotX1], nSeries > 1 ? 0.25 : 0.3);
    const axisH = bandAxisHeight(band.step, o.groups, o.categoryLabel);
    const plot = { x0: plotX0, x1: plotX1, y0: top + legendH + 10, y1: height - axisH - 4 };
    const y = linearScale(domain, [plot.y1, plot.y0]);
    const leg = legend(items, 0, top + 6, width).svg;
    const axis = xAxisBand(band, plot, o.groups, o.categoryLabel);
    const body =
      leg +
      yAxisLinear(y, plot, fmt, o.valueLabel) +
      `<g class="marks">${marks((g) => band(g), band.bandwidth, y, true)}</g>` +
      `<line x1="${px(plot.x0)}" x2="${px(plot.x1)}" y1="${px(y(0))}" y2="${px(y(0))}" stroke="${AXIS}" />` +
      axis.svg;
    return frame({ width, height, title: o.title, ...(o.subtitle ? { subtitle: o.subtitle } : {}), kind: 'bar' }, body);
  }

  function horizontal(): string {
    const rowStep = nSeries > 1 ? 12 * nSeries + 10 : 24;
    const plotTop = top + legendH + 8;
    const height = o.height ?? plotTop + rowStep * o.groups.length + 44 + (o.valueLabel ? 14 : 0);
    const left = Math.max(60, ...o.groups.map((g) => textWidth(g) + 14));
    const plot = { x0: left, x1: width - 60, y0: plotTop, y1: height - 40 - (o.valueLabel ? 8 : 0) };
    const band = bandScale(o.groups, [plot.y0, plot.y1], nSeries > 1 ? 0.2 : 0.25);
    const x = linearScale(domain, [plot.x0, plot.x1]);
    let labels = '<g class="axis axis-y">';
    o.groups.forEach((g) => (labels += text(plot.x0 - 8, band(g) + band.bandwidth / 2, g, { anchor: 'end', baseline: 'middle' })));
    labels += '</g>';
    const body =
      legend(items, 0, top + 6, width).svg +
      xAxisLinear(x, plot, fmt, o.valueLabel, { grid: true }) +
      labels +
      `<g class="marks">${marks((g) => band(g), band.bandwidth, x, false)}</g>` +
      `<line x1="${px(x(0))}" x2="${px(x(0))}" y1="${px(plot.y0)}" y2="${px(plot.y1)}" stroke="${AXIS}" />`;
    return frame({ width, height, title: o.title, ...(o.subtitle ? { subtitle: o.subtitle } : {}), kind: 'bar' }, body);
  }
}
