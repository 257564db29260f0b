import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { isTributaryReport, REPORT_MARKER, REPORT_SECTIONS, renderReport, type BacktestInput, type CalibrationInput, type ReportInput } from '../src/index.js';

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

describe('report marker', () => {
  it('is a stable generator meta tag in the head, within the first 1024 bytes', () => {
    expect(REPORT_MARKER).toBe('<meta name="generator" content="tributary-report">');
    const html = renderReport(minimalInput());
    const at = html.indexOf(REPORT_MARKER);
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(html.indexOf('</head>'));
    expect(Buffer.byteLength(html.slice(0, at + REPORT_MARKER.length), 'utf8')).toBeLessThanOrEqual(1024);
    // However long the title, it comes before the title.
    const long = renderReport({ ...minimalInput(), title: 'ü'.repeat(3000) });
    expect(Buffer.byteLength(long.slice(0, long.indexOf(REPORT_MARKER) + REPORT_MARKER.length), 'utf8')).toBeLessThanOrEqual(1024);
  });

  it('isTributaryReport recognises the first 4096 bytes of a report and nothing else', () => {
    const head = (html: string) => Buffer.from(html, 'utf8').subarray(0, 4096).toString('utf8');
    expect(isTributaryReport(head(renderReport(minimalInput())))).toBe(true);
    expect(isTributaryReport(head(renderReport({ ...minimalInput(), title: '€'.repeat(2000) })))).toBe(true);
    expect(isTributaryReport('<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>My notes</title></head><body><p>Hello</p></body></html>\n')).toBe(false);
    expect(isTributaryReport('<html><head><meta name="generator" content="Hugo 0.120"></head><body></body></html>')).toBe(false);
    expect(isTributaryReport('')).toBe(false);
    // Quoted in the body of someone else's page (e.g. notes about the report) is not the marker.
    expect(isTributaryReport(`<html><head><title>x</title></head><body><pre>${REPORT_MARKER}</pre></body></html>`)).toBe(false);
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
    expect(section).toContain('The hierarchical model was refitted');
    const tv = renderReport({ ...minimalInput(), backtest: { ...backtestInput(), variant: 'time-varying meta_spend, lift tests' } });
    expect(tv).toContain('The hierarchical model (time-varying meta_spend, lift tests) was refitted');
    expect(section).toContain('5.0%'); // overall MAPE in the key message
    expect(html).toContain('Forecasts'); // in the summary
    // Without it, the sections keep their usual numbers.
    expect(renderReport(minimalInput())).toContain('href="#truth">8. Ground truth');
  });
});

function calibrationInput(): CalibrationInput {
  const e = (mean: number, lower: number, upper: number) => ({ mean, lower, upper });
  return {
    model: 'hierarchical',
    kind: 'hierarchical',
    liftTests: [
      {
        market: 'DE',
        channel: 'tiktok_spend',
        start: '2025-10-20',
        end: '2025-11-10',
        weeks: 4,
        deltaSpend: 1339,
        lift: 9637.53,
        liftSe: 1302.19,
        implied: e(10_700, 8_410, 13_100),
        impliedSd: 1_250,
        z: 0.58,
        uncalibrated: { implied: e(21_000, 14_400, 28_500), impliedSd: 3_700, z: 2.84 },
        truth: 10_851.56,
      },
      {
        market: 'PL',
        channel: 'tiktok_spend',
        start: '2025-12-29',
        end: '2026-01-19',
        weeks: 4,
        deltaSpend: -500,
        lift: -2_000,
        liftSe: 300,
        implied: e(-4_000, -5_000, -3_000),
        impliedSd: 500,
        z: -3.43,
        uncalibrated: { implied: e(-4_400, -6_000, -2_900), impliedSd: 800, z: -2.81 },
        truth: -2_100,
      },
    ],
    uncalibratedModel: 'hierarchical',
    roasShift: [
      {
        channel: 'tiktok_spend',
        without: [e(2.63, 1.95, 3.29), e(3, 1, 5)],
        with: [e(1.56, 1.27, 1.86), e(2, 1.2, 3)],
        truth: [1.44, 1.8],
        testedMarkets: ['DE'],
      },
    ],
    timeVarying: [
      {
        model: 'hierarchical-tv',
        channel: 'meta_spend',
        knotEvery: 4,
        dates: ['2025-01-06', '2025-02-03', '2025-03-03', '2025-03-31'],
        multiplier: [e(0.6, 0.4, 0.8), e(0.9, 0.7, 1.1), e(1.3, 1.1, 1.5), e(1.5, 1.2, 1.9)],
        sigma: e(0.15, 0.1, 0.2),
        latest: e(1.45, 1.2, 1.8),
        lastDate: '2025-03-24',
        truth: {
          dates: ['2025-01-06', '2025-01-13', '2025-01-20', '2025-01-27', '2025-02-03', '2025-02-10', '2025-02-17', '2025-02-24', '2025-03-03', '2025-03-10', '2025-03-17', '2025-03-24'],
          multiplier: [0.5, 0.6, 0.7, 0.8, 1.2, 1.1, 1.2, 1.25, 1.3, 1.35, 1.4, 1.45],
        },
      },
    ],
  };
}

describe('calibration section', () => {
  const base = (): ReportInput => ({ ...minimalInput(), channels: ['meta_spend', 'tiktok_spend'] });

  it('appears only with calibration input, numbered after ROAS, with a chart per lift test, the table, the ROAS shift and the multiplier', () => {
    const html = renderReport({ ...base(), calibration: calibrationInput() });
    expect(html).toContain('href="#calibration">5. Calibration');
    expect(html).toContain('href="#shrinkage">6. Shrinkage');
    expect(html).toContain('href="#truth">9. Ground truth');
    const section = html.slice(html.indexOf('<section id="calibration"'), html.indexOf('<section id="shrinkage"'));
    expect(section).toContain('<span class="num">5</span>');
    expect(section).toContain('Calibration: experiments and effects over time');
    // Two lift-test charts, one ROAS forest, one multiplier chart.
    const svgs = section.match(/<svg[\s\S]*?<\/svg>/g)!;
    expect(svgs).toHaveLength(4);
    const [de, pl, roas, tv] = svgs as [string, string, string, string];
    expect(de).toContain('DE · TikTok: +€1.34k per week for 4 weeks');
    expect(de.match(/class="mark forest-point"/g)).toHaveLength(3);
    expect(de).toContain('true €10.9k');
    expect(de).not.toContain('class="legend"');
    expect(pl).toContain('PL · TikTok: −€500 per week for 4 weeks');
    // The verdict: one test disagrees even after calibration; without the tests both did.
    expect(section).toContain('The model disagrees with 1 of 2 experiments');
    expect(section).toContain('PL TikTok: the model implies −€4k, the experiment measured −€2k ± €300, z = −3.4');
    expect(section).toContain('Without the experiments the model disagreed with 2 of 2 (DE TikTok: it implied €21k, the experiment measured €9.64k ± €1.3k, z = 2.8;');
    expect(section).toContain('contains the truth for 1 of 2 tests (without the tests: 0 of 2)');
    // The table: one row per test, z-scores coloured by agreement.
    expect(section).toContain('DE · TikTok');
    expect(section).toContain('20 Oct – 10 Nov 2025');
    expect(section).toContain('29 Dec 2025 – 19 Jan 2026');
    expect(section).toContain('+€1.34k/wk × 4');
    expect(section).toContain('<span class="good-value">0.6</span>');
    expect(section).toContain('<span class="bad-value">−3.4</span>');
    expect(section).toContain('<span class="warn-value">2.8</span>');
    expect(section).toContain('€10.9k</td>'); // true lift column
    // ROAS without vs with the tests.
    expect(section).toContain('Adding the lift tests moved TikTok ROAS in DE from 2.63 [1.95, 3.29] to 1.56 [1.27, 1.86] (truth 1.44).');
    expect(section).toContain(
      'In the 1 market without a TikTok test its ROAS changed by ×0.67 on average (the experiments reach them through the shared population effect); there it is ×1.11 the true ROAS on average.',
    );
    expect(roas.match(/class="mark forest-point"/g)).toHaveLength(4);
    expect(roas.match(/class="mark truth"/g)).toHaveLength(2);
    expect(roas).toContain('market with a lift test');
    // The multiplier: band, model line with knot points, the truth dashed, where the data end.
    expect(tv).toContain('Meta: effect multiplier over time');
    expect(tv.match(/class="mark band"/g)).toHaveLength(1);
    expect(tv.match(/class="mark line"/g)).toHaveLength(2);
    expect(tv.match(/class="mark point"/g)).toHaveLength(4);
    expect(tv).toContain('stroke-dasharray="5 4"');
    expect(tv).toContain('last week of data');
    expect(section).toContain('ranges from ×0.60 (6 Jan 2025) to ×1.30 (3 Mar 2025)');
    expect(section).toContain('At the last week of data it is ×1.45 [×1.20, ×1.80]');
    expect(section).toContain('The band contains the true multiplier at 2 of 3 knots.');
    // The summary.
    expect(html).toContain('model disagrees with 1 of 2');
  });

  it('shows only what it has: time-varying effects alone, lift tests without --uncalibrated', () => {
    const cal = calibrationInput();
    const tvOnly = renderReport({ ...base(), calibration: { liftTests: [], timeVarying: cal.timeVarying } });
    const section = tvOnly.slice(tvOnly.indexOf('<section id="calibration"'), tvOnly.indexOf('<section id="shrinkage"'));
    expect(section).toContain('Calibration: effects over time');
    expect(section).not.toContain('<table');
    expect(section.match(/<svg/g)).toHaveLength(1);
    expect(tvOnly).not.toContain('Lift tests</div>');

    const liftOnly = renderReport({
      ...base(),
      calibration: { model: 'hierarchical', kind: 'hierarchical', liftTests: cal.liftTests.slice(0, 1).map(({ uncalibrated: _, ...t }) => t), timeVarying: [] },
    });
    const s2 = liftOnly.slice(liftOnly.indexOf('<section id="calibration"'), liftOnly.indexOf('<section id="shrinkage"'));
    expect(s2).toContain('Calibration: experiments');
    expect(s2).toContain('The model agrees with the experiments');
    expect(s2).toContain('--uncalibrated DIR');
    expect(s2).not.toContain('What the experiments changed');
    expect(s2).not.toContain('Implied without the tests');
    expect(s2.match(/<svg/g)).toHaveLength(1);
    expect(liftOnly).toContain('model agrees with the experiment');
  });
});

describe('public surface', () => {
  it('exports exactly these names (change on purpose, then update the snapshot)', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "REPORT_MARKER",
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
        "isTributaryReport",
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
