// The calibration section's numbers come from passes that are shared: the calibrated folder's
// implied lifts are its evaluation report's (no second pass), and the uncalibrated fit's ROAS and
// implied lifts come from one pass over its draws. They equal what @tributary/evaluation computes
// on its own.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { liftTestChecks, loadResults, rebuildModel, summarizeDerived } from '@tributary/evaluation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitCommand } from '../../cli/src/commands/fit.js';
import { generateCommand } from '../../cli/src/commands/generate.js';
import { buildReportInput, type ReportInput } from '../src/index.js';
import { runCommand, SMALL_FIT } from './fixture.js';

let dir: string;
let input: ReportInput;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tributary-report-calibration-'));
  await runCommand(generateCommand, ['--scenario', 'biased', '--seed', '42', '--out', 'data'], dir);
  const csv = 'data/biased_marketing.csv';
  await runCommand(fitCommand, [csv, '--model', 'hierarchical', '--lift-tests', 'data/lift_tests.csv', '--seed', '3', '--out', 'cal', ...SMALL_FIT], dir);
  await runCommand(fitCommand, [csv, '--model', 'hierarchical', '--seed', '3', '--out', 'uncal', ...SMALL_FIT], dir);
  input = await buildReportInput({ resultsDir: 'cal', uncalibratedDir: 'uncal', maxDraws: 50, cwd: dir });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('calibration section', () => {
  it('shows the implied lifts of the calibrated and the uncalibrated fit as evaluation computes them', async () => {
    const tests = input.calibration!.liftTests;
    expect(tests.length).toBeGreaterThan(0);
    const cal = await loadResults(join(dir, 'cal', 'hierarchical'));
    const calChecks = liftTestChecks(cal, (await rebuildModel(cal)).model);
    const uncal = await loadResults(join(dir, 'uncal', 'hierarchical'));
    // rebuilt with the calibrated folder's tests, as the report does
    const text = await readFile(join(dir, 'data', 'biased_marketing.csv'), 'utf8');
    const uncalFitted = await rebuildModel({ ...uncal, manifest: { ...uncal.manifest, lift_tests: [...cal.manifest.lift_tests!] } }, { csvText: text });
    const uncalChecks = liftTestChecks(uncal, uncalFitted.model);
    tests.forEach((t, j) => {
      expect(t.implied).toEqual({ mean: calChecks[j]!.implied.mean, lower: calChecks[j]!.implied.hdiLow, upper: calChecks[j]!.implied.hdiHigh });
      expect(t.impliedSd).toBe(calChecks[j]!.implied.sd);
      expect(t.uncalibrated!.implied.mean).toBe(uncalChecks[j]!.implied.mean);
      expect(t.uncalibrated!.impliedSd).toBe(uncalChecks[j]!.implied.sd);
    });
    const shift = input.calibration!.roasShift;
    if (shift) {
      const roas = summarizeDerived(uncal, uncalFitted).roas;
      for (const ch of shift) {
        input.markets.forEach((m, g) => {
          const row = roas.find((r) => r.market === m && r.channel === ch.channel)!;
          if (ch.without[g]) expect(ch.without[g]!.mean).toBe(row.mean);
        });
      }
    }
  });
});
