// Rank plot (Vehtari et al. 2021): the draws of all chains are ranked together; each chain's
// ranks are binned, and for chains that sample the same distribution every bin holds about the
// same count. One step line per chain, with the uniform expectation as a dashed line.
import { escapeXml, formatNumber, px } from './format.js';
import { MUTED } from './palette.js';
import { linearScale, niceDomain } from './scale.js';
import { frame, headerHeight, legend, legendHeight, text, type Plot } from './svg.js';
import { emptyChart } from './svg.js';

/** Counts per bin of each chain's ranks among all chains' draws (ties get the average rank). */
export function rankHistogram(chains: readonly (readonly number[])[], bins = 20): number[][] {
  const all: { v: number; c: number }[] = [];
  chains.forEach((draws, c) => draws.forEach((v) => all.push({ v, c })));
  all.sort((a, b) => a.v - b.v);
  const n = all.length;
  const counts = chains.map(() => new Array<number>(bins).fill(0));
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && all[j + 1]!.v === all[i]!.v) j++;
    const rank = (i + j) / 2; // 0-based average rank
    for (let k = i; k <= j; k++) {
      const bin = Math.min(bins - 1, Math.floor((rank / n) * bins));
      counts[all[k]!.c]![bin]!++;
    }
    i = j + 1;
  }
  return counts;
}

export interface RankPlotOptions {
  title: string;
  subtitle?: string;
  /** Draws of one parameter, one array per chain. */
  chains: readonly (readonly number[])[];
  colors: readonly string[];
  bins?: number;
  width?: number;
  height?: number;
  /** Show the chain legend (default true). */
  showLegend?: boolean;
}

export function rankPlot(o: RankPlotOptions): string {
  const width = o.width ?? 260;
  const height = o.height ?? 170;
  if (o.chains.length === 0 || o.chains.every((c) => c.length === 0)) return emptyChart(o.title, 'No draws.', width);
  const bins = o.bins ?? 20;
  const counts = rankHistogram(o.chains, bins);
  const expected = counts.map((c) => c.reduce((a, b) => a + b, 0) / bins);
  const items = o.showLegend === false ? [] : o.chains.map((_, c) => ({ label: `chain ${c + 1}`, color: o.colors[c % o.colors.length]!, shape: 'line' as const }));
  const top = headerHeight(o.subtitle);
  const legendH = items.length ? legendHeight(items, width) + 4 : 0;
  const plot: Plot = { x0: 30, x1: width - 6, y0: top + legendH + 6, y1: height - 20 };
  const maxCount = Math.max(...counts.flat(), ...expected);
  const x = linearScale([0, bins], [plot.x0, plot.x1]);
  const y = linearScale(niceDomain(0, maxCount * 1.05, 3, { includeZero: true }), [plot.y1, plot.y0]);
  let body = legend(items, 0, top + 4, width).svg;
  for (const t of y.ticks(3)) {
    body += `<line x1="${px(plot.x0)}" x2="${px(plot.x1)}" y1="${px(y(t))}" y2="${px(y(t))}" stroke="#eceef1" />`;
    body += text(plot.x0 - 4, y(t), formatNumber(t), { anchor: 'end', baseline: 'middle', size: 10, fill: MUTED });
  }
  body += text((plot.x0 + plot.x1) / 2, plot.y1 + 14, 'rank of draw (all chains), low → high', { anchor: 'middle', size: 10, fill: MUTED });
  body += '<g class="marks">';
  counts.forEach((c, ci) => {
    let d = '';
    c.forEach((n, b) => {
      d += `${b === 0 ? 'M' : 'L'}${px(x(b))} ${px(y(n))}H${px(x(b + 1))}`;
    });
    const color = escapeXml(o.colors[ci % o.colors.length]!);
    body += `<path class="mark rank-line" d="${d}" fill="none" stroke="${color}" stroke-width="1.6" stroke-opacity="0.9"><title>chain ${ci + 1}</title></path>`;
  });
  const e = expected[0] ?? 0;
  body += `<line x1="${px(plot.x0)}" x2="${px(plot.x1)}" y1="${px(y(e))}" y2="${px(y(e))}" stroke="#333" stroke-dasharray="4 3" />`;
  body += '</g>';
  return frame({ width, height, title: o.title, ...(o.subtitle ? { subtitle: o.subtitle } : {}), kind: 'rank' }, body);
}
