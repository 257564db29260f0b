import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { REPORT_SECTIONS, renderReport, type ReportInput } from '../src/index.js';

function minimalInput(): ReportInput {
  return {
    title: 'Test <report>',
    target: 'streaming_revenue',
    markets: ['DE', 'PL'],
    channels: ['meta_spend'],
    marketWeeks: [104, 26],
    marketTiers: ['rich', 'sparse'],
    sources: [],
    notes: [],
    transforms: [],
    models: [],
  };
}

describe('renderReport', () => {
  it('renders every section, with a plain message where an input is missing', () => {
    const html = renderReport(minimalInput());
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    for (const { id } of REPORT_SECTIONS) expect(html).toContain(`id="${id}"`);
    expect(html).toContain('Test &lt;report&gt;');
    expect(html).toContain('--data FILE');
    expect(html).toContain('tributary optimize');
  });

  it('is self-contained: no external URL, stylesheet link, image or font', () => {
    const html = renderReport(minimalInput());
    expect(html).not.toMatch(/<link\b|<img\b|@import|url\(|src="http|href="http/i);
    expect(html).toContain(`default-src 'none'`);
  });
});

describe('public surface', () => {
  it('exports exactly these names (change on purpose, then update the snapshot)', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "REPORT_SECTIONS",
        "RICH_FROM_WEEKS",
        "SPARSE_BELOW_WEEKS",
        "barChart",
        "buildReportInput",
        "distributionChart",
        "escapeHtml",
        "escapeXml",
        "forestPlot",
        "formatEuro",
        "groupedBarChart",
        "heatmap",
        "histogram",
        "lineChart",
        "linearScale",
        "niceTicks",
        "rankPlot",
        "renderReport",
        "scatterChart",
        "stackedAreaChart",
        "tierOf",
      ]
    `);
  });
});
