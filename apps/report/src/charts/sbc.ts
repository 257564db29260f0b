// One small multiple of simulation-based calibration (Talts et al. 2018; Säilynoja, Bürkner &
// Vehtari 2022) per parameter: on the left the histogram of the ranks of the true values with
// the pointwise 99% binomial band of a uniform count (grey) and its expectation (dashed); on the
// right the ECDF of the ranks minus the uniform CDF with the simultaneous 99% band. A calibrated
// fit keeps the bars inside the grey band (all but about 1 in 100) and the line inside its band.
import { escapeXml, formatNumber, px } from './format.js';
import { BAD, GRID, INK, MUTED } from './palette.js';
import { linearScale } from './scale.js';
import { frame, headerHeight, linePath, bandPath, text, type Plot } from './svg.js';

const BAND = '#d5d9e0';

export interface SbcPanelOptions {
  title: string;
  subtitle?: string;
  ranks: readonly number[];
  /** Largest possible rank L (ranks 0 … L). */
  maxRank: number;
  /** Histogram: bin edges over the ranks and the band of each bin's count. */
  edges: readonly number[];
  countLower: readonly number[];
  countUpper: readonly number[];
  /** ECDF: evaluation points and the band of ECDF − z there. */
  z: readonly number[];
  ecdfLower: readonly number[];
  ecdfUpper: readonly number[];
  /** Draw the marks in the alarm colour (the parameter failed a check). */
  isFlagged?: boolean;
  width?: number;
  height?: number;
}

export function sbcPanel(o: SbcPanelOptions): string {
  const width = o.width ?? 360;
  const height = o.height ?? 150;
  const top = headerHeight(o.subtitle) + 4;
  const gap = 18;
  const half = (width - gap) / 2;
  const left: Plot = { x0: 26, x1: half, y0: top, y1: height - 18 };
  const right: Plot = { x0: half + gap + 26, x1: width - 4, y0: top, y1: height - 18 };
  const color = o.isFlagged ? BAD : INK;
  return frame(
    { width, height, title: o.title, ...(o.subtitle ? { subtitle: o.subtitle } : {}), kind: 'sbc', description: `Rank histogram and ECDF difference of ${o.ranks.length} SBC ranks` },
    histogramPanel(o, left, color) + ecdfPanel(o, right, color),
  );
}

function histogramPanel(o: SbcPanelOptions, plot: Plot, color: string): string {
  const B = o.edges.length - 1;
  const counts = new Array<number>(B).fill(0);
  for (const r of o.ranks) {
    let b = 0;
    while (b < B - 1 && r >= o.edges[b + 1]!) b++;
    counts[b]!++;
  }
  const maxY = Math.max(...counts, ...o.countUpper, 1);
  const x = linearScale([0, o.maxRank + 1], [plot.x0, plot.x1]);
  const y = linearScale([0, maxY * 1.05], [plot.y1, plot.y0]);
  let body = `<line x1="${px(plot.x0)}" x2="${px(plot.x1)}" y1="${px(plot.y1)}" y2="${px(plot.y1)}" stroke="${GRID}" />`;
  for (let b = 0; b < B; b++) {
    const x0 = x(o.edges[b]!);
    const x1 = x(o.edges[b + 1]!);
    body += `<rect x="${px(x0)}" y="${px(y(o.countUpper[b]!))}" width="${px(x1 - x0)}" height="${px(Math.max(y(o.countLower[b]!) - y(o.countUpper[b]!), 0.5))}" fill="${BAND}" />`;
  }
  body += '<g class="marks">';
  counts.forEach((n, b) => {
    const x0 = x(o.edges[b]!);
    const x1 = x(o.edges[b + 1]!);
    if (n > 0) body += `<rect class="mark" x="${px(x0 + 0.5)}" y="${px(y(n))}" width="${px(Math.max(x1 - x0 - 1, 0.5))}" height="${px(y(0) - y(n))}" fill="${escapeXml(color)}" fill-opacity="0.75"><title>ranks ${o.edges[b]}–${o.edges[b + 1]! - 1}: ${n}</title></rect>`;
  });
  body += '</g>';
  const expected = o.ranks.length / B;
  body += `<line x1="${px(plot.x0)}" x2="${px(plot.x1)}" y1="${px(y(expected))}" y2="${px(y(expected))}" stroke="${MUTED}" stroke-dasharray="4 3" />`;
  body += text(plot.x0 - 4, y(0), '0', { anchor: 'end', baseline: 'middle', size: 10, fill: MUTED });
  body += text(plot.x0 - 4, y(maxY), formatNumber(maxY), { anchor: 'end', baseline: 'middle', size: 10, fill: MUTED });
  body += text((plot.x0 + plot.x1) / 2, plot.y1 + 13, `rank 0–${o.maxRank}`, { anchor: 'middle', size: 10, fill: MUTED });
  return body;
}

function ecdfPanel(o: SbcPanelOptions, plot: Plot, color: string): string {
  const N = Math.max(o.ranks.length, 1);
  const L = o.maxRank;
  const counts = new Array<number>(L + 1).fill(0);
  for (const r of o.ranks) counts[Math.min(Math.max(r, 0), L)]!++;
  let below = 0;
  const diff = o.z.map((z, k) => {
    below += counts[k]!;
    return below / N - z;
  });
  const span = Math.max(0.05, ...o.ecdfUpper.map(Math.abs), ...o.ecdfLower.map(Math.abs), ...diff.map(Math.abs));
  const x = linearScale([0, 1], [plot.x0, plot.x1]);
  const y = linearScale([-span * 1.05, span * 1.05], [plot.y1, plot.y0]);
  const xs = [0, ...o.z, 1].map(x);
  let body = `<path d="${bandPath(xs, [0, ...o.ecdfLower, 0].map(y), [0, ...o.ecdfUpper, 0].map(y))}" fill="${BAND}" />`;
  body += `<line x1="${px(plot.x0)}" x2="${px(plot.x1)}" y1="${px(y(0))}" y2="${px(y(0))}" stroke="${MUTED}" stroke-dasharray="4 3" />`;
  body += `<g class="marks"><path class="mark" d="${linePath(xs, [0, ...diff, 0].map(y))}" fill="none" stroke="${escapeXml(color)}" stroke-width="1.5" /></g>`;
  const label = formatNumber(Math.round(span * 100) / 100);
  body += text(plot.x0 - 4, y(span), `+${label}`, { anchor: 'end', baseline: 'middle', size: 10, fill: MUTED });
  body += text(plot.x0 - 4, y(-span), `−${label}`, { anchor: 'end', baseline: 'middle', size: 10, fill: MUTED });
  body += text((plot.x0 + plot.x1) / 2, plot.y1 + 13, 'ECDF − uniform', { anchor: 'middle', size: 10, fill: MUTED });
  return body;
}
