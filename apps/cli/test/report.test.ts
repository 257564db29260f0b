import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../src/command.js';
import type { CliIo } from '../src/io.js';
import { reportCommand } from '../src/commands/report.js';
import { run, tempDir } from './helpers.js';

let dir: string;
const small = ['--chains', '2', '--warmup', '150', '--draws', '100', '--parallel', '0', '--quiet'];

// The lead registers the command in main.ts; until then it is driven directly.
async function report(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), isTty: false, cwd: dir };
  try {
    const code = await reportCommand.run(parseCommandArgs(reportCommand, argv), io);
    return { code, stdout, stderr };
  } catch (e) {
    return { code: (e as { code?: string }).code === 'CLI_USAGE' ? 2 : 1, stdout, stderr: stderr + (e as Error).message };
  }
}

beforeAll(async () => {
  dir = await tempDir();
  expect((await run(['generate', '--seed', '3', '--out', 'data'], dir)).code).toBe(0);
  for (const model of ['unpooled', 'hierarchical']) {
    const fit = await run(['fit', 'data/volta_marketing.csv', '--model', model, '--seed', '5', ...small], dir);
    expect(fit.code).toBe(0);
  }
});

describe('tributary report', () => {
  it('writes one self-contained HTML file with every section', async () => {
    const res = await report(['results', '--out', 'out/report.html']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Wrote .*report\.html/);
    const html = await readFile(join(dir, 'out', 'report.html'), 'utf8');
    for (const id of ['data', 'transforms', 'diagnostics', 'roas', 'shrinkage', 'comparison', 'fit', 'truth', 'failure', 'plan']) {
      expect(html).toContain(`id="${id}"`);
    }
    expect(html).toContain('<svg');
    expect(html).toContain('Sampling time'); // from each fit's timing.json
    expect(html).not.toMatch(/src="http|href="http|<link\b/);
    expect(html).not.toContain('id="backtest"');
    expect(html).not.toContain('id="calibration"');
  });

  it('adds the backtest section with --backtest', async () => {
    const tiny = ['--folds', '1', '--horizon', '8', '--chains', '1', '--warmup', '60', '--draws', '40', '--parallel', '0', '--quiet'];
    expect((await run(['backtest', 'data/volta_marketing.csv', '--out', 'bt', ...tiny], dir)).code).toBe(0);
    const res = await report(['results', '--backtest', 'bt', '--out', 'out/with-backtest.html']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(', backtest)');
    const html = await readFile(join(dir, 'out', 'with-backtest.html'), 'utf8');
    expect(html).toContain('id="backtest"');
    expect(html).toContain('Forecast error per market');
    const missing = await report(['results', '--backtest', 'nowhere', '--out', 'out/x.html']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nowhere.*tributary backtest/);
  });

  it('names the problem for a folder without results', async () => {
    const res = await report(['nowhere']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/nowhere.*tributary fit/);
  });

  it('rejects unknown flags', () => {
    expect(() => parseCommandArgs(reportCommand, ['results', '--colour', 'red'])).toThrow(/colour/);
  });
});

describe('tributary report: the calibration section', () => {
  // The same hierarchical model with a time-varying Meta effect, fitted with and without two
  // (made-up) TikTok lift tests; tiny chains, so only the plumbing is checked, not the numbers.
  const tiny = ['--model', 'hierarchical', '--time-varying', 'meta_spend', '--knot-every', '8', '--chains', '2', '--warmup', '80', '--draws', '40', '--max-treedepth', '6', '--parallel', '0', '--seed', '5', '--quiet'];
  const tests = [
    { market: 'DE', start: '2025-03-03', end: '2025-03-24', delta: 2000, lift: 5000, se: 800, truth: 5200 },
    { market: 'UK', start: '2025-06-02', end: '2025-06-23', delta: 1500, lift: 4000, se: 700, truth: 3900 },
  ];

  beforeAll(async () => {
    const csv = ['market,channel,start,end,delta_spend,lift,lift_se', ...tests.map((t) => `${t.market},tiktok,${t.start},${t.end},${t.delta},${t.lift},${t.se}`), ''].join('\n');
    await writeFile(join(dir, 'lift.csv'), csv);
    // A ground truth with the fields of the biased and drift scenarios: true lifts, a drifting Meta effect.
    const truth = JSON.parse(await readFile(join(dir, 'data', 'ground_truth.json'), 'utf8')) as Record<string, unknown>;
    truth.lift_tests = tests.map((t) => ({ market: t.market, channel: 'tiktok_spend', start: t.start, end: t.end, true_lift: t.truth }));
    truth.drift = { channel: 'meta_spend', multiplier: Array.from({ length: 104 }, (_, w) => 1 + 0.4 * Math.sin((2 * Math.PI * w) / 52)) };
    await writeFile(join(dir, 'truth-cal.json'), JSON.stringify(truth));
    expect((await run(['fit', 'data/volta_marketing.csv', '--lift-tests', 'lift.csv', '--out', 'cal', ...tiny], dir)).code).toBe(0);
    expect((await run(['fit', 'data/volta_marketing.csv', '--out', 'uncal', ...tiny], dir)).code).toBe(0);
  });

  it('shows the lift tests, the ROAS without vs with them (as evaluate reports them) and the multiplier over time', async () => {
    const res = await report(['cal', '--uncalibrated', 'uncal', '--truth', 'truth-cal.json', '--out', 'out/calibration.html']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(', calibration)');
    const html = await readFile(join(dir, 'out', 'calibration.html'), 'utf8');
    expect(html).toContain('href="#calibration">5. Calibration');
    const section = html.slice(html.indexOf('<section id="calibration"'), html.indexOf('<section id="shrinkage"'));
    const svgs = section.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    // One chart per lift test (experiment, with, without), the ROAS forest, the multiplier.
    expect(svgs).toHaveLength(4);
    expect(svgs[0]).toContain('DE · TikTok: +€2k per week for 4 weeks');
    expect(svgs[0]).toContain('true €5.2k');
    expect(svgs[1]).toContain('UK · TikTok: +€1.5k per week for 4 weeks');
    for (const svg of svgs.slice(0, 2)) expect(svg.match(/class="mark forest-point"/g)).toHaveLength(3);
    expect(section).toMatch(/The model (agrees with the experiments|disagrees with \d of 2 experiments)/);
    expect(section).toContain('Against the true lifts of the simulation');
    expect(section).toContain('DE · TikTok</td>');
    expect(section).toContain('UK · TikTok</td>');
    expect(section).toContain('Implied without the tests');

    // The ROAS of every market: without and with the tests, truth diamonds; the sentences use evaluate's numbers.
    expect(svgs[2]).toContain('TikTok: ROAS per market without vs with the lift tests');
    expect(new Set([...svgs[2]!.matchAll(/data-row="([^"]+)"/g)].map((m) => m[1])).size).toBe(8);
    expect(svgs[2]!.match(/class="mark truth"/g)).toHaveLength(8);
    const roasOf = async (folder: string) => {
      const ev = await run(['evaluate', folder, '--json'], dir);
      expect(ev.code).toBe(0);
      const doc = JSON.parse(ev.stdout) as { roas: { market: string; channel: string; mean: number; hdi_low: number; hdi_high: number }[] };
      const r = doc.roas.find((x) => x.market === 'DE' && x.channel === 'tiktok_spend')!;
      return `${r.mean.toFixed(2)} [${r.hdi_low.toFixed(2)}, ${r.hdi_high.toFixed(2)}]`;
    };
    const truthDe = (JSON.parse(await readFile(join(dir, 'truth-cal.json'), 'utf8')) as { roas: Record<string, Record<string, number>> }).roas.DE!.tiktok_spend!;
    expect(section).toContain(`Adding the lift tests moved TikTok ROAS in DE from ${await roasOf('uncal/hierarchical')} to ${await roasOf('cal/hierarchical')} (truth ${truthDe.toFixed(2)}).`);
    expect(section).toMatch(/moved TikTok ROAS in UK from /);

    // The multiplier at its 14 knots (103 weeks / 8, plus the origin) with the true one overlaid.
    expect(svgs[3]).toContain('Meta: effect multiplier over time');
    expect(svgs[3]!.match(/class="mark band"/g)).toHaveLength(1);
    expect(svgs[3]!.match(/class="mark point"/g)).toHaveLength(14);
    expect(svgs[3]).toContain('true multiplier (rescaled)');
    expect(section).toMatch(/The band contains the true multiplier at \d+ of 13 knots\./);
    expect(html).toContain('Lift tests</div>'); // in the summary
  });

  it('names the problem with --uncalibrated: a missing folder is an error, results without lift tests a note', async () => {
    const missing = await report(['cal', '--uncalibrated', 'nowhere', '--out', 'out/x.html']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--uncalibrated .*nowhere.*without --lift-tests/);
    const noTests = await report(['results', '--uncalibrated', 'uncal', '--out', 'out/no-tests.html']);
    expect(noTests.code).toBe(0);
    expect(noTests.stderr).toMatch(/note: --uncalibrated uncal was given, but no model in the results was fitted with lift tests/);
    expect(await readFile(join(dir, 'out', 'no-tests.html'), 'utf8')).not.toContain('id="calibration"');
  });
});
