// The compact views of large panels (issue 17, build/markets.ts): above 24 markets the per-market
// charts show the top markets by revenue plus one "other N markets" row or chart, and every
// market is in a sortable table; small panels keep one row and one chart per market. Synthetic
// inputs (no fit), so the views are checked on exactly known markets.
import type { Panel } from '@tributary/data';
import { describe, expect, it } from 'vitest';
import { marketGroups, TOP_MARKETS } from '../src/build/markets.js';
import { renderReport, type ReportInput } from '../src/index.js';
import type { Estimate, FitSeries, MarketGroups, ModelInput, Tier } from '../src/types.js';

const CHANNELS = ['meta_spend', 'tv_spend'];
const WEEKS = 8;
const dates = Array.from({ length: WEEKS }, (_, t) => `2026-0${1 + Math.floor(t / 4)}-${String(5 + 7 * (t % 4)).padStart(2, '0')}`);
const name = (g: number) => `m${String(g + 1).padStart(2, '0')}`;
/** Market g's weekly revenue: market 7 is the largest, then 8, 9, … (so the top set is not the data order). */
const revenue = (g: number, G: number) => ((g - 7 + G) % G === 0 ? 1e6 : 1000 + 100 * (G - ((g - 7 + G) % G)));

/** The panel fields marketGroups reads. */
function panelOf(G: number): Panel {
  const y = new Float64Array(G * WEEKS);
  for (let g = 0; g < G; g++) for (let t = 0; t < WEEKS; t++) y[g * WEEKS + t] = revenue(g, G);
  return {
    markets: Array.from({ length: G }, (_, g) => name(g)),
    obsOffset: Int32Array.from({ length: G }, (_, g) => g * WEEKS),
    marketNumObs: Int32Array.from({ length: G }, () => WEEKS),
    y,
  } as unknown as Panel;
}

function est(mean: number): Estimate {
  return { mean, lower: mean * 0.8, upper: mean * 1.2 };
}

function fitOf(market: string, level: number): FitSeries {
  return { market, dates, observed: dates.map(() => level), mean: dates.map(() => level), lower: dates.map(() => level * 0.9), upper: dates.map(() => level * 1.1) };
}

/** A report input of G markets with one hierarchical model; groups as the build makes them. */
function inputOf(G: number): ReportInput {
  const markets = Array.from({ length: G }, (_, g) => name(g));
  const groups: MarketGroups | undefined = marketGroups(panelOf(G));
  const tiers: Tier[] = markets.map((_, g) => (g % 5 === 0 ? 'sparse' : 'rich'));
  const weeks = tiers.map((t) => (t === 'sparse' ? 26 : 104));
  const shown = groups ? groups.top : markets.map((_, g) => g);
  const model: ModelInput = {
    kind: 'hierarchical',
    status: 'good',
    statusReasons: [],
    numChains: 4,
    numDraws: 100,
    divergences: 0,
    divergentPercent: 0,
    maxRhat: 1,
    minEssBulk: 500,
    minEssTail: 500,
    treedepthHits: 0,
    globalParameters: [],
    rankDraws: [],
    roas: markets.map((_, g) => CHANNELS.map((_, c) => est(1 + g / 100 + c))),
    marginalRoas: markets.map((_, g) => CHANNELS.map((_, c) => est(0.5 + g / 100 + c))),
    roasTotal: CHANNELS.map((_, c) => est(1.3 + c)),
    marginalRoasTotal: CHANNELS.map((_, c) => est(0.8 + c)),
    contribution: markets.map(() => CHANNELS.map(() => 100)),
    stability: CHANNELS.map(() => 0.1),
    shrinkage: markets.map((_, g) => CHANNELS.map(() => (g % 5 === 0 ? 0.8 : 0.2))),
    fit: shown.map((g) => fitOf(markets[g]!, revenue(g, G))),
    ppcCoverage: markets.map((_, g) => 0.9 + (g % 7) / 100),
    contributionsOverTime: shown.map((g) => ({ market: markets[g]!, dates, base: dates.map(() => revenue(g, G) - 50), channels: CHANNELS.map(() => dates.map(() => 25)) })),
    ...(groups
      ? {
          rest: {
            roas: CHANNELS.map((_, c) => est(7.25 + c)),
            marginalRoas: CHANNELS.map((_, c) => est(3.5 + c)),
            fit: fitOf(groups.label, 50_000),
            fitCoverage: 0.95,
            contributions: { market: groups.label, dates, base: dates.map(() => 49_000), channels: CHANNELS.map(() => dates.map(() => 500)) },
          },
        }
      : {}),
  };
  return {
    title: 'Compact views',
    target: 'revenue',
    markets,
    channels: CHANNELS,
    marketWeeks: weeks,
    marketTiers: tiers,
    ...(groups ? { marketGroups: groups } : {}),
    sources: [],
    notes: [],
    data: {
      numRows: G * WEEKS,
      firstDate: dates[0]!,
      lastDate: dates[WEEKS - 1]!,
      markets: markets.map((market, g) => ({
        market,
        tier: tiers[g]!,
        firstDate: dates[0]!,
        lastDate: dates[WEEKS - 1]!,
        numWeeks: weeks[g]!,
        numObserved: weeks[g]!,
        numGaps: 0,
        target: dates.map(() => revenue(g, G)),
        targetMean: revenue(g, G),
        totalSpend: CHANNELS.map(() => 10),
      })),
      spendSeries: [],
      gaps: [],
      warnings: [],
    },
    transforms: [],
    models: [model],
    plan: {
      budget: 1000,
      weeks: 4,
      utility: 'expected_revenue',
      allocation: markets.flatMap((market, g) => CHANNELS.map((channel) => ({ market, channel, weeklySpend: g + 1, totalSpend: 4 * (g + 1), isOutsideObservedRange: false }))),
      response: { mean: 2000, q05: 1800, q95: 2200 },
      scenarios: [],
    },
  };
}

/** The HTML of one section. */
function sectionHtml(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}"`);
  expect(start, id).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</section>', start));
}

/** The row labels of the forest plot whose title starts with `title`. */
function forestRows(html: string, title: string): string[] {
  const start = html.indexOf(`>${title}`);
  expect(start, title).toBeGreaterThanOrEqual(0);
  const svg = html.slice(start, html.indexOf('</svg>', start));
  return [...new Set([...svg.matchAll(/data-row="([^"]*)"/g)].map((m) => m[1]!))];
}

/** The titles of the charts in `html` that contain `text`. */
function chartTitles(html: string, text: string): string[] {
  return [...html.matchAll(/class="chart-title"[^>]*>([^<]*)</g)].map((m) => m[1]!).filter((t) => t.includes(text));
}

/** The body rows of the table with this caption. */
function tableRows(html: string, caption: string): string[] {
  const start = html.indexOf(`<caption>${caption}`);
  expect(start, caption).toBeGreaterThanOrEqual(0);
  const table = html.slice(html.lastIndexOf('<table', start), html.indexOf('</table>', start));
  expect(table).toMatch(/^<table class="sortable/);
  return [...table.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => m[1]!).filter((r) => r.includes('<td'));
}

describe('marketGroups', () => {
  it('keeps small panels whole and splits large ones into the top markets by revenue and the rest', () => {
    expect(marketGroups(panelOf(8))).toBeUndefined();
    expect(marketGroups(panelOf(24))).toBeUndefined();
    const g = marketGroups(panelOf(60))!;
    expect(g.top).toHaveLength(TOP_MARKETS);
    // market 7 earns the most, then 8, 9, …
    expect(g.top).toEqual(Array.from({ length: TOP_MARKETS }, (_, i) => 7 + i));
    expect(g.rest).toHaveLength(60 - TOP_MARKETS);
    expect([...g.top, ...g.rest].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(g.rest).toEqual([...g.rest].sort((a, b) => a - b));
    expect(g.label).toBe('other 48 markets');
  });
});

describe('compact views (60 markets)', () => {
  const input = inputOf(60);
  const html = renderReport(input);
  const top = input.marketGroups!.top.map((g) => input.markets[g]!);

  it('draws the ROAS forest plots and the heatmap with the top markets and one "other 48 markets" row', () => {
    const rows = forestRows(html, 'Meta: ROAS per market');
    expect(rows).toEqual([...top, 'other 48 markets']);
    // the group's row is the model's `rest` ROAS, not an average of the markets
    expect(html).toContain('other 48 markets · Hierarchical: 7.25');
    const roas = sectionHtml(html, 'roas');
    expect(roas).toContain('>other 48 markets<');
    for (const m of input.markets.filter((x) => !top.includes(x))) expect(roas).not.toMatch(new RegExp(`<text[^>]*>${m}<`));
  });

  it('lists every market in sortable tables: ROAS, shrinkage, predictive coverage', () => {
    for (const caption of ['ROAS per market and channel', 'Shrinkage per market and channel', 'Share of observed weeks inside the 94% predictive band']) {
      const rows = tableRows(html, caption);
      expect(rows, caption).toHaveLength(60);
      for (const m of input.markets) expect(rows.some((r) => r.includes(`data-sort="${m}"`)), `${caption}: ${m}`).toBe(true);
    }
    expect(html).toContain('table-wrap table-scroll');
    expect(html).toContain("querySelectorAll('table.sortable')");
  });

  it('draws small multiples of the top markets and one chart of the rest summed, no chart per market', () => {
    const fit = sectionHtml(html, 'fit');
    expect(chartTitles(fit, ': weekly revenue')).toEqual([...top.map((m) => `${m}: weekly revenue`), 'other 48 markets: weekly revenue, summed']);
    expect(chartTitles(fit, 'where the revenue comes from')).toHaveLength(TOP_MARKETS + 1);
    // no column per market: the coverage table has one row per market instead
    expect(fit).not.toMatch(/<th[^>]*>m01<\/th>/);
  });

  it('bins the weeks and the shrinkage by history, and groups the plan by market', () => {
    const data = sectionHtml(html, 'data');
    expect(data).toContain('Markets by weeks of data');
    expect(data).not.toContain('m01 and m06');
    // the 60 markets have 26 or 104 weeks: 2 bins say little, so the top markets and the rest
    const shrinkage = sectionHtml(html, 'shrinkage');
    expect(shrinkage).toContain('Shrinkage per channel, largest markets');
    expect(shrinkage).toContain('>other 48 markets<');
    // with histories spread over 3+ bins, one row per bin
    const spread = inputOf(60);
    spread.marketWeeks = spread.markets.map((_, g) => 10 + 2 * g);
    const binned = sectionHtml(renderReport(spread), 'shrinkage');
    expect(binned).toContain('Shrinkage per channel, by weeks of data');
    expect(binned).toContain('>1–13 weeks<');
    expect(binned).not.toContain('>other 48 markets<');
    const plan = sectionHtml(html, 'plan');
    expect(plan).toContain(`the ${TOP_MARKETS} markets with the largest plan, then the average of the 48 others`);
    // markets 1…60 plan 1…60 a week per channel: the top are 60…49, the others average 24.5
    expect(plan).toContain('>other 48 markets (average)<');
    expect(plan).toContain('other 48 markets (average) · Meta: €24.5');
  });
});

describe('failure example (60 markets)', () => {
  it('shows the markets the hierarchical model moved furthest from their own data, not all 60', () => {
    const input = inputOf(60);
    // market g moved by g % 17 (unpooled 1, hierarchical 1 + (g % 17) / 10): the largest moves are 16, 33, 50, 15, 32, 49, …
    const rows = input.markets.map((market, g) => ({ market, tier: input.marketTiers[g]!, unpooled: est(1), hierarchical: est(1 + (g % 17) / 10) }));
    input.failure = { label: 'Geo', verdict: 'ok', status: 'good', indicators: [], example: { channel: 'meta_spend', rows } };
    const shown = forestRows(renderReport(input), 'Geo: Meta ROAS per market');
    expect(shown).toHaveLength(TOP_MARKETS);
    expect(shown.slice(0, 6)).toEqual(['m17', 'm34', 'm51', 'm16', 'm33', 'm50']);
  });
});

describe('small panels keep the full views', () => {
  it('draws every market in the forest plots and a chart per market (8 markets)', () => {
    const input = inputOf(8);
    expect(input.marketGroups).toBeUndefined();
    const html = renderReport(input);
    const rows = forestRows(html, 'Meta: ROAS per market');
    expect([...rows].sort()).toEqual([...input.markets].sort());
    expect(html).not.toMatch(/other \d+ markets/);
    expect(chartTitles(sectionHtml(html, 'fit'), ': weekly revenue')).toHaveLength(8);
    expect(html).not.toContain('table-wrap table-scroll');
    expect(html).toContain('Weeks of data per market');
  });
});
