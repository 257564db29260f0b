import { describe, expect, it } from 'vitest';
import {
  barChart,
  dateTicks,
  distributionChart,
  escapeXml,
  forestPlot,
  formatEuro,
  formatPercent,
  groupedBarChart,
  heatmap,
  lineChart,
  linearScale,
  niceDomain,
  niceTicks,
  rankHistogram,
  rankPlot,
  scatterChart,
  stackedAreaChart,
  tickStep,
} from '../src/charts/index.js';

const count = (svg: string, re: RegExp) => (svg.match(re) ?? []).length;

describe('scales and ticks', () => {
  it('maps a linear domain onto a range, and a zero-width domain to the middle', () => {
    const s = linearScale([0, 10], [100, 200]);
    expect(s(0)).toBe(100);
    expect(s(5)).toBe(150);
    expect(s(10)).toBe(200);
    expect(linearScale([3, 3], [0, 10])(3)).toBe(5);
  });

  it('chooses 1-2-5 steps and round ticks inside the domain', () => {
    expect(tickStep(10, 5)).toBe(2);
    expect(tickStep(1, 5)).toBe(0.2);
    expect(tickStep(3000, 5)).toBe(500);
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0.13, 0.91, 4)).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(-3, 3, 3)).toEqual([-2, 0, 2]);
    expect(niceTicks(5, 5)).toEqual([5]);
  });

  it('extends a domain to round numbers and includes zero when asked', () => {
    expect(niceDomain(0.3, 9.2)).toEqual([0, 10]);
    expect(niceDomain(12, 18, 5, { includeZero: true })).toEqual([0, 20]);
    const [lo, hi] = niceDomain(7, 7);
    expect(lo).toBeLessThan(7);
    expect(hi).toBeGreaterThan(7);
  });

  it('puts date ticks on the first of a month, at most the number asked for', () => {
    const day = (iso: string) => Date.parse(iso) / 86_400_000;
    const ticks = dateTicks(day('2024-10-07'), day('2026-09-28'), 8);
    expect(ticks.length).toBeLessThanOrEqual(8);
    expect(ticks.length).toBeGreaterThan(3);
    for (const t of ticks) expect(new Date(t.day * 86_400_000).getUTCDate()).toBe(1);
    expect(ticks.some((t) => /2025/.test(t.label))).toBe(true);
  });
});

describe('formatting and escaping', () => {
  it('formats euros compactly with the euro sign', () => {
    expect(formatEuro(1_234_567)).toBe('€1.23M');
    expect(formatEuro(350_000)).toBe('€350k');
    expect(formatEuro(12.5)).toBe('€12.5');
    expect(formatEuro(-3000)).toBe('−€3k');
    expect(formatEuro(2_500_000_000)).toBe('€2.5bn');
    expect(formatEuro(NaN)).toBe('–');
    expect(formatPercent(0.123)).toBe('12%');
    expect(formatPercent(0.004)).toBe('0.4%');
  });

  it('escapes markup in every text that reaches a chart', () => {
    expect(escapeXml(`<b>"A&B's"</b>`)).toBe('&lt;b&gt;&quot;A&amp;B&#39;s&quot;&lt;/b&gt;');
    const evil = '<script>alert(1)</script>';
    const svg = barChart({ title: evil, bars: [{ label: evil, value: 3, color: '"red' }] });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).not.toContain('fill=""red"');
  });
});

describe('charts', () => {
  const est = (m: number) => ({ mean: m, lower: m - 1, upper: m + 1 });

  it('forest plot: one row per market, one mark per market and model, truth diamonds', () => {
    const markets = ['DE', 'UK', 'FR', 'PL'];
    const svg = forestPlot({
      title: 'Meta: ROAS per market',
      rows: markets.map((m) => ({ label: m, highlight: m === 'PL' })),
      series: [
        { name: 'Unpooled', color: '#d98a1b', estimates: markets.map((_, i) => est(2 + i)) },
        { name: 'Hierarchical', color: '#1a5fb4', estimates: [est(2), est(2.5), null, est(3)] },
      ],
      truth: [2, 2.5, 3, 3.5],
      highlightLabel: 'sparse market',
    });
    const rows = [...svg.matchAll(/data-row="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(rows)).toEqual(new Set(markets));
    expect(rows).toHaveLength(7);
    expect(count(svg, /class="mark truth"/g)).toBe(4);
    expect(svg).toContain('sparse market');
    expect(svg.startsWith('<svg')).toBe(true);
  });

  it('forest plots can centre every series on the row (dodge 0) and leave the legend out', () => {
    const est = (m: number) => ({ mean: m, lower: m - 1, upper: m + 1 });
    const svg = forestPlot({
      title: 'One row per quantity',
      rows: [{ label: 'Experiment' }, { label: 'Model' }],
      series: [
        { name: 'measured', color: '#e8710a', estimates: [est(5), null] },
        { name: 'implied', color: '#1a5fb4', estimates: [null, est(6)] },
      ],
      reference: { value: 5.5, label: 'true 5.5' },
      dodge: 0,
      showLegend: false,
    });
    expect(svg).not.toContain('class="legend"');
    expect(count(svg, /class="mark forest-point"/g)).toBe(2);
    expect(svg).toContain('true 5.5');
    // Both points sit on their row's centre line: rows are 20 px apart.
    const ys = [...svg.matchAll(/<circle cx="[^"]+" cy="([^"]+)"/g)].map((m) => Number(m[1]));
    expect(ys).toHaveLength(2);
    expect(ys[1]! - ys[0]!).toBe(20);
  });

  it('bar charts draw one rect per value, grouped bars one per series and group', () => {
    const bars = barChart({ title: 'Weeks', bars: ['a', 'b', 'c'].map((l, i) => ({ label: l, value: i + 1, color: '#333' })) });
    expect(count(bars, /<rect class="mark"/g)).toBe(3);
    const grouped = groupedBarChart({
      title: 'Stability',
      groups: ['x', 'y'],
      series: [
        { name: 'pooled', color: '#999', values: [1, 2] },
        { name: 'hierarchical', color: '#00f', values: [3, 4] },
      ],
      horizontal: true,
    });
    expect(count(grouped, /<rect class="mark"/g)).toBe(4);
    expect(grouped).toContain('hierarchical');
  });

  it('line chart with a band, points, breaks at missing values', () => {
    const svg = lineChart({
      title: 'Fit',
      xType: 'date',
      series: [
        { name: 'predicted', color: '#00f', x: [20000, 20007, 20014], y: [1, null, 3], lower: [0.5, 1, 2.5], upper: [1.5, 3, 3.5] },
        { name: 'observed', color: '#000', x: [20000, 20007, 20014], y: [1.1, 2, 2.9], style: 'points' },
      ],
    });
    expect(count(svg, /class="mark band"/g)).toBe(1);
    expect(count(svg, /class="mark point"/g)).toBe(3);
    const line = /class="mark line" d="([^"]+)"/.exec(svg)![1]!;
    expect(count(line, /M/g)).toBe(2); // broken at the null
  });

  it('stacked areas stack layers in order and every other chart kind has data marks', () => {
    const area = stackedAreaChart({ title: 'Contributions', x: [20000, 20007], layers: [{ name: 'base', color: '#ccc', values: [5, 6] }, { name: 'meta', color: '#f00', values: [1, 2] }] });
    expect(count(area, /class="mark area"/g)).toBe(2);
    const hm = heatmap({ title: 'Shrinkage', rows: ['PL', 'DE'], rowNotes: ['n = 26', 'n = 104'], columns: ['Meta', 'TikTok'], values: [[0.9, 0.8], [0.3, null]], domain: [0, 1] });
    expect(count(hm, /class="mark cell"/g)).toBe(3);
    expect(hm).toContain('n = 26');
    const sc = scatterChart({ title: 'Truth', series: [{ name: 'h', color: '#00f', points: [{ x: 1, y: 1.1, yLower: 0.9, yUpper: 1.3 }] }], diagonal: true });
    expect(count(sc, /class="mark point"/g)).toBe(1);
    const dist = distributionChart({ title: 'Revenue', groups: [{ label: 'DE', color: '#0a0', values: [1, 2, 3, 4, 5] }, { label: 'plan', color: '#0a0', summary: { mean: 3, q05: 1, q95: 5 } }] });
    expect(count(dist, /class="mark violin"/g)).toBe(1);
    expect(count(dist, /class="mark interval"/g)).toBe(1);
    const rp = rankPlot({ title: 'alpha_mu', chains: [[1, 2, 3, 4], [5, 6, 7, 8]], colors: ['#00f', '#f00'], bins: 2 });
    expect(count(rp, /class="mark rank-line"/g)).toBe(2);
  });

  it('rank histogram: chains from the same distribution fill bins evenly; separated chains do not', () => {
    const a = Array.from({ length: 100 }, (_, i) => 2 * i);
    const b = Array.from({ length: 100 }, (_, i) => 2 * i + 1);
    const mixed = rankHistogram([a, b], 4);
    for (const c of mixed) for (const n of c) expect(n).toBe(25);
    const apart = rankHistogram([a, a.map((v) => v + 1000)], 2);
    expect(apart).toEqual([[100, 0], [0, 100]]);
  });

  it('empty input gives a titled chart with a message instead of throwing', () => {
    expect(forestPlot({ title: 'None', rows: [], series: [] })).toContain('No estimates');
    expect(lineChart({ title: 'None', series: [] })).toContain('No data');
  });
});
