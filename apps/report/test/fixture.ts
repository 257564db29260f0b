// A CI-sized fixture made through the CLI's own command objects: generate VOLTA (and the
// divergent scenario), fit pooled, unpooled and hierarchical with short chains, optionally
// backtest the hierarchical model (2 folds, shorter chains still), and write a budget plan with
// @tributary/optimizer (the same plan.json `tributary optimize` writes, with the `results` record
// of the folder it was made from: dir, model, draws, manifest_sha256 and the fit's verdict).
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadResults, rebuildModel } from '@tributary/evaluation';
import { budgetScenarios, buildResponseModel, optimizeBudget, planToJson } from '@tributary/optimizer';
// The CLI is an app (nothing may depend on it); its tests-only use here reads its sources.
import { backtestCommand } from '../../cli/src/commands/backtest.js';
import { fitCommand } from '../../cli/src/commands/fit.js';
import { generateCommand } from '../../cli/src/commands/generate.js';
import { parseCommandArgs, type CommandSpec } from '../../cli/src/command.js';
import type { CliIo } from '../../cli/src/io.js';

export const SMALL_FIT = ['--chains', '2', '--warmup', '150', '--draws', '100', '--parallel', '0', '--quiet'];

export async function runCommand(spec: CommandSpec, argv: string[], cwd: string): Promise<void> {
  let err = '';
  const io: CliIo = { out: () => {}, err: (t) => void (err += t), isTty: false, cwd };
  const code = await spec.run(parseCommandArgs(spec, argv), io);
  if (code !== 0) throw new Error(`tributary ${spec.name} ${argv.join(' ')} exited ${code}: ${err}`);
}

export interface Fixture {
  dir: string;
  results: string;
  data: string;
  truth: string;
  plan: string;
  divergentResults?: string;
  backtest?: string;
}

export async function makeFixture(options: { divergent?: boolean; backtest?: boolean } = {}): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-report-'));
  await runCommand(generateCommand, ['--scenario', 'volta', '--seed', '42', '--out', 'data'], dir);
  await runCommand(fitCommand, ['data/volta_marketing.csv', '--model', 'all', '--seed', '3', ...SMALL_FIT], dir);
  const fixture: Fixture = {
    dir,
    results: join(dir, 'results'),
    data: join(dir, 'data', 'volta_marketing.csv'),
    truth: join(dir, 'data', 'ground_truth.json'),
    plan: join(dir, 'plan.json'),
  };
  if (options.divergent) {
    await runCommand(generateCommand, ['--scenario', 'divergent', '--seed', '7', '--out', 'data/divergent'], dir);
    for (const model of ['unpooled', 'hierarchical']) {
      await runCommand(fitCommand, ['data/divergent/divergent_marketing.csv', '--model', model, '--seed', '3', '--out', 'results-divergent', ...SMALL_FIT], dir);
    }
    fixture.divergentResults = join(dir, 'results-divergent');
  }
  if (options.backtest) {
    const short = ['--chains', '2', '--warmup', '120', '--draws', '80', '--parallel', '0', '--quiet'];
    await runCommand(backtestCommand, ['data/volta_marketing.csv', '--folds', '2', '--horizon', '8', '--seed', '3', '--out', 'backtest', ...short], dir);
    fixture.backtest = join(dir, 'backtest');
  }
  const hier = await loadResults(join(fixture.results, 'hierarchical'));
  const fitted = await rebuildModel(hier);
  const response = buildResponseModel({ model: fitted.model, panel: fitted.panel, draws: hier.draws, names: hier.names, weeks: 13 });
  const budget = 1_500_000;
  const plan = optimizeBudget(response, { budget });
  const scenarios = budgetScenarios(response, { budget, multipliers: [0.6, 1, 1.4] });
  await writeFile(fixture.plan, JSON.stringify({ ...planToJson(plan, { scenarios }), results: await planResults(hier.dir, response.numDraws) }, null, 2) + '\n');
  return fixture;
}

/** The `results` record of a plan made from the model folder `dir`, as `tributary optimize` writes it. */
export async function planResults(dir: string, draws: number): Promise<Record<string, unknown>> {
  const bytes = await readFile(join(dir, 'manifest.json'));
  const manifest = JSON.parse(bytes.toString('utf8')) as { model: string; diagnostics?: { status: string; divergences: number; max_rhat: number; min_ess_bulk: number } };
  const d = manifest.diagnostics;
  return {
    dir,
    model: manifest.model,
    draws,
    manifest_sha256: createHash('sha256').update(bytes).digest('hex'),
    ...(d ? { verdict: { status: d.status, divergences: d.divergences, max_rhat: d.max_rhat, min_ess_bulk: d.min_ess_bulk } } : {}),
  };
}
