// Heatmap: rows × columns of values in a sequential colour scale, each cell labelled with its
// value; missing values are drawn hatched grey. A colour bar explains the scale.
import { escapeXml, formatNumber, px } from './format.js';
import { INK, MUTED, sequentialColor, textOn } from './palette.js';
import { emptyChart, frame, headerHeight, text, textWidth } from './svg.js';

export interface HeatmapOptions {
  title: string;
  subtitle?: string;
  rows: readonly string[];
  /** Small text after each row label, e.g. "n = 26". */
  rowNotes?: readonly string[];
  columns: readonly string[];
  /** values[row][column]; NaN/null for missing. */
  values: readonly (readonly (number | null)[])[];
  format?: (v: number) => string;
  /** Colour scale domain (default: min..max of the values). */
  domain?: [number, number];
  /** Label of the colour bar, e.g. "shrinkage (0 = own data, 1 = group)". */
  scaleLabel?: string;
  width?: number;
}

export function heatmap(o: HeatmapOptions): string {
  const width = o.width ?? 720;
  const fmt = o.format ?? ((v: number) => formatNumber(v, 2));
  if (o.rows.length === 0 || o.columns.length === 0) return emptyChart(o.title, 'No data to show.', width);
  const flat = o.values.flatMap((r) => r.filter((v): v is number => v !== null && Number.isFinite(v)));
  const lo = o.domain?.[0] ?? Math.min(...flat);
  const hi = o.domain?.[1] ?? Math.max(...flat);
  const norm = (v: number) => (hi > lo ? (v - lo) / (hi - lo) : 0.5);
  const top = headerHeight(o.subtitle);
  const labelW = Math.max(...o.rows.map((r, i) => textWidth(r) + (o.rowNotes?.[i] ? textWidth(o.rowNotes[i]!, 10) + 8 : 0))) + 14;
  const colW = (width - labelW - 8) / o.columns.length;
  const rotate = Math.max(...o.columns.map((c) => textWidth(c))) > colW - 6;
  const headH = rotate ? 60 : 22;
  const cellH = 26;
  const gridY = top + 8 + headH;
  const barY = gridY + cellH * o.rows.length + 18;
  const height = barY + 42;
  let body = '';
  o.columns.forEach((c, j) => {
    const cx = labelW + (j + 0.5) * colW;
    body += rotate
      ? text(cx - 4, gridY - 6, c, { anchor: 'start', rotate: -30, fill: INK })
      : text(cx, gridY - 8, c, { anchor: 'middle', fill: INK });
  });
  body += '<g class="marks">';
  o.rows.forEach((r, i) => {
    const ry = gridY + i * cellH;
    body += text(4, ry + cellH / 2, r, { baseline: 'middle', fill: INK });
    const note = o.rowNotes?.[i];
    if (note) body += text(4 + textWidth(r) + 6, ry + cellH / 2, note, { baseline: 'middle', size: 10, fill: MUTED });
    o.columns.forEach((c, j) => {
      const v = o.values[i]?.[j];
      const cx = labelW + j * colW;
      if (v === null || v === undefined || !Number.isFinite(v)) {
        body += `<rect x="${px(cx + 1)}" y="${px(ry + 1)}" width="${px(colW - 2)}" height="${px(cellH - 2)}" fill="#eeeeee" />`;
        body += text(cx + colW / 2, ry + cellH / 2, '–', { anchor: 'middle', baseline: 'middle', fill: MUTED });
        return;
      }
      const t = norm(v);
      body += `<rect class="mark cell" x="${px(cx + 1)}" y="${px(ry + 1)}" width="${px(colW - 2)}" height="${px(cellH - 2)}" fill="${sequentialColor(t)}"><title>${escapeXml(`${r} · ${c}: ${fmt(v)}`)}</title></rect>`;
      body += text(cx + colW / 2, ry + cellH / 2, fmt(v), { anchor: 'middle', baseline: 'middle', size: 11, fill: textOn(t) });
    });
  });
  body += '</g>';
  // colour bar
  const barW = Math.min(240, width - labelW - 20);
  const steps = 24;
  for (let k = 0; k < steps; k++) {
    body += `<rect x="${px(labelW + (k * barW) / steps)}" y="${px(barY)}" width="${px(barW / steps + 0.5)}" height="10" fill="${sequentialColor(k / (steps - 1))}" />`;
  }
  body += text(labelW, barY + 24, fmt(lo), { anchor: 'start', size: 11, fill: MUTED });
  body += text(labelW + barW, barY + 24, fmt(hi), { anchor: 'end', size: 11, fill: MUTED });
  if (o.scaleLabel) body += text(labelW + barW + 12, barY + 9, o.scaleLabel, { size: 11, fill: MUTED });
  return frame({ width, height, title: o.title, ...(o.subtitle ? { subtitle: o.subtitle } : {}), kind: 'heatmap' }, body);
}
