// Renders the report of a small real fit in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core): no console errors, no network request besides the page itself,
// every section present with a chart that has data marks; saves screenshots to
// test/screenshots/ (gitignored). Skipped only when Chromium is absent and CI is not set.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportInput, isTributaryReport, renderReport, REPORT_SECTIONS } from '../src/index.js';
import { makeFixture, type Fixture } from './fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');

if (!HAS_CHROMIUM && !process.env.CI) {
  console.warn(`browser test skipped: ${CHROMIUM} not found (install it with: apt-get install -y chromium). In CI (CI set) this test fails instead.`);
}

describe.skipIf(!HAS_CHROMIUM && !process.env.CI)('report in headless Chromium', () => {
  let fixture: Fixture;
  let html: string;
  let file: string;
  let context: BrowserContext;
  let userDataDir: string;

  beforeAll(async () => {
    fixture = await makeFixture({ divergent: true, backtest: true });
    const input = await buildReportInput({
      resultsDir: fixture.results,
      dataFile: fixture.data,
      truthFile: fixture.truth,
      planFile: fixture.plan,
      divergentDir: fixture.divergentResults!,
      backtestDir: fixture.backtest!,
    });
    html = renderReport(input);
    file = join(fixture.dir, 'report.html');
    await writeFile(file, html);
    userDataDir = await mkdtemp(join(tmpdir(), 'tributary-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
  });

  afterAll(async () => {
    await context?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    if (fixture) await rm(fixture.dir, { recursive: true, force: true });
  });

  it('is marked as a report in its first 4096 bytes, and shows the budget plan of its own results', async () => {
    const handle = await open(file, 'r');
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, 4096, 0);
    await handle.close();
    expect(isTributaryReport(buffer.subarray(0, bytesRead).toString('utf8'))).toBe(true);
    // The fixture's plan records the hierarchical folder and its manifest sha256: accepted, no note.
    expect(html).toContain('id="plan"');
    expect(html).not.toContain('does not record the results folder');
    expect(html).not.toContain('checked only by its folder');
    const plan = JSON.parse(await readFile(fixture.plan, 'utf8')) as { results: { verdict?: { status: string } } };
    const status = plan.results.verdict?.status;
    expect(status).toBeDefined();
    expect(html.includes(`it comes from a fit whose diagnostics are ${status}`)).toBe(status === 'warning' || status === 'bad');
  });

  it('loads with no console errors and no network requests, shows every section with a chart, and prints', async () => {
    const pageUrl = pathToFileURL(file).href;
    const requests: string[] = [];
    const blocked: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      requests.push(url);
      if (url === pageUrl) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('requestfailed', (r) => {
      if (r.url() !== pageUrl) blocked.push(r.url());
    });
    await page.goto(pageUrl, { waitUntil: 'load' });

    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
    expect(requests).toEqual([pageUrl]);

    for (const { id, isOptional } of REPORT_SECTIONS) {
      // The fixture has a backtest but no lift tests or time-varying channels (calibration: render.test.ts, the CLI's report.test.ts).
      if (isOptional && id !== 'backtest') {
        expect(html.includes(`id="${id}"`), `optional section ${id} is absent`).toBe(false);
        continue;
      }
      const counts = await page.$eval(`section#${id}`, (el) => {
        const charts = [...el.querySelectorAll('svg.chart')];
        return {
          charts: charts.length,
          withMarks: charts.filter((svg) => svg.querySelectorAll('.mark').length > 0).length,
          visible: (el as unknown as { offsetHeight: number }).offsetHeight,
        };
      });
      expect(counts.visible, `section ${id} is rendered`).toBeGreaterThan(100);
      expect(counts.charts, `section ${id} has charts`).toBeGreaterThan(0);
      expect(counts.withMarks, `section ${id} has a chart with data marks`).toBeGreaterThan(0);
    }
    // The backtest: one forecast chart per market, each with a band and observed points.
    const backtestCharts = await page.$$eval('#backtest svg.chart-line', (svgs) => svgs.map((s) => [s.querySelectorAll('.mark.band').length, s.querySelectorAll('.mark.point').length]));
    expect(backtestCharts).toHaveLength(8);
    for (const [bands, points] of backtestCharts) {
      expect(bands).toBeGreaterThan(0);
      expect(points).toBeGreaterThan(0);
    }
    // Both results folders side by side in "when pooling fails".
    expect(await page.$$eval('#failure .failure-panel', (els) => els.length)).toBe(2);
    // Forest plots: one row of marks per market and model.
    const forestRows = await page.$$eval('#roas svg.chart-forest', (svgs) => svgs.map((s) => new Set([...s.querySelectorAll('.forest-point')].map((p) => p.getAttribute('data-row'))).size));
    expect(forestRows.slice(1)).toEqual(new Array(6).fill(8));

    await mkdir(SCREENSHOTS, { recursive: true });
    for (const { id } of [{ id: 'summary' }, ...REPORT_SECTIONS]) {
      const el = await page.$(`#${id}`);
      await el?.screenshot({ path: join(SCREENSHOTS, `section-${id}.png`) });
    }
    // Sorting a table by clicking its header works (the inline script runs without errors).
    await page.click('#data table.sortable th:nth-child(5)');
    expect(await page.$eval('#data table.sortable th:nth-child(5)', (th) => th.getAttribute('aria-sort'))).toBe('ascending');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.byteLength).toBeGreaterThan(10_000);
    await writeFile(join(SCREENSHOTS, 'report.pdf'), pdf);
    expect(errors).toEqual([]);
  });
});
