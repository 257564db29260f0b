import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { REPORT_SECTIONS, renderReport, type BacktestInput, type ReportInput } from '../src/index.js';

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
    for (const { id, isOptional } of REPORT_SECTIONS) expect(html.includes(`id="${id}"`), id).toBe(!isOptional);
    expect(html).not.toContain('href="#backtest"');
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

function backtestInput(): BacktestInput {
  const score = (market: string, fold: number | null, mape: number) => ({ market, fold, weeks: fold === null ? 4 : 2, crps: 1200, mape, coverage: 1, naiveLastMape: 9, naiveMeanMape: 12 });
  return {
    model: 'hierarchical',
    horizon: 2,
    settings: '2 folds of 2 weeks, 4 chains × 500 draws after 500 warmup, seed 42',
    folds: [
      { fold: 1, cutoff: '2024-03-03', testLastDate: '2024-03-10', notScored: [{ market: 'PL', reason: 'only 5 training weeks' }], divergences: 0, maxRhat: 1.002 },
      { fold: 2, cutoff: '2024-03-17', testLastDate: '2024-03-24', notScored: [], divergences: 3, maxRhat: 1.01 },
    ],
    scores: [score('DE', 1, 4), score('DE', 2, 6)],
    overall: [score('DE', null, 5)],
    series: [
      {
        market: 'DE',
        dates: ['2024-02-25', '2024-03-03', '2024-03-10', '2024-03-17', '2024-03-24'],
        observed: [100, 104, 98, 110, 107],
        mean: [null, 101, 100, 105, 106],
        lower: [null, 90, 89, 95, 96],
        upper: [null, 112, 111, 116, 117],
      },
    ],
  };
}

describe('backtest section', () => {
  it('appears only with a backtest, numbered after the fit, with charts, the score table and the notes', () => {
    const html = renderReport({ ...minimalInput(), backtest: backtestInput() });
    expect(html).toContain('href="#backtest">8. Backtest');
    expect(html).toContain('href="#truth">9. Ground truth');
    const section = html.slice(html.indexOf('<section id="backtest"'), html.indexOf('<section id="truth"'));
    expect(section).toContain('<span class="num">8</span>');
    // Per market: two fold segments of line + band, five observed points; one bar chart.
    const line = section.slice(0, section.indexOf('</svg>'));
    expect(line.match(/class="mark band"/g)).toHaveLength(2);
    expect(line.match(/class="mark line"/g)).toHaveLength(2);
    expect(line.match(/class="mark point"/g)).toHaveLength(5);
    expect(section.match(/<svg/g)).toHaveLength(2);
    expect(section).toContain('1 (from ');
    expect(section).toContain('all folds');
    expect(section).toContain('PL not scored (only 5 training weeks)');
    expect(section).toContain('Fold 2 sampled with 3 divergent transitions;');
    expect(section).not.toContain('Fold 1 sampled');
    expect(section).toContain('5.0%'); // overall MAPE in the key message
    expect(html).toContain('Forecasts'); // in the summary
    // Without it, the sections keep their usual numbers.
    expect(renderReport(minimalInput())).toContain('href="#truth">8. Ground truth');
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
