// `tributary demo`: the whole VOLTA story end to end on built-in synthetic data — generate,
// validate, fit the three models, compare them, backtest the hierarchical model (3 folds of 8
// weeks, short chains), optimize a €500k quarter, and write the HTML report (plus the divergent
// scenario for the "when hierarchical fails" section).
import { join, resolve } from 'node:path';
import { CliUsageError, intOption, parseCommandArgs, type CommandSpec } from '../command.js';
import { backtestCommand } from './backtest.js';
import { compareCommand } from './compare.js';
import { fitCommand } from './fit.js';
import { generateCommand } from './generate.js';
import { optimizeCommand } from './optimize.js';
import { reportCommand } from './report.js';
import { validateCommand } from './validate.js';

export const demoCommand: CommandSpec = {
  name: 'demo',
  summary: 'Run the whole VOLTA case study: generate → validate → fit 3 models → compare → backtest → optimize → HTML report.',
  positionals: [],
  options: {
    quick: { type: 'boolean', description: 'Shorter chains (about 1–2 minutes on 2 cores instead of a few).' },
    seed: { type: 'string', valueName: 'N', description: 'Seed for the data and the sampler.', default: '42' },
    budget: { type: 'string', valueName: 'EUR', description: 'Quarterly budget to allocate.', default: '500000' },
    out: { type: 'string', valueName: 'DIR', description: 'Output folder (data/, results/, plan.json, report.html).', default: 'demo' },
  },
  examples: ['tributary demo', 'tributary demo --quick --out /tmp/demo'],
  async run(args, io) {
    const v = args.values;
    const seed = String(intOption(v.seed, 'seed', 0, 2 ** 32 - 1));
    const budget = String(intOption(v.budget, 'budget', 1));
    const out = resolve(io.cwd, String(v.out));
    const run = [
      '--chains', '4',
      '--warmup', v.quick ? '300' : '1000',
      '--draws', v.quick ? '250' : '1000',
    ];
    // The backtest refits the hierarchical model 3 times: shorter chains keep it a small share of the demo.
    const backtestRun = ['--chains', '4', '--warmup', v.quick ? '150' : '400', '--draws', v.quick ? '100' : '300'];
    const started = Date.now();
    const step = async (title: string, command: CommandSpec, argv: string[]) => {
      io.err(`\n== ${title}\n`);
      const code = await command.run(parseCommandArgs(command, argv), io);
      if (code !== 0) throw new CliUsageError(`step "${title}" failed with exit code ${code}`);
    };
    const data = join(out, 'data', 'volta_marketing.csv');
    const divergentData = join(out, 'data-divergent', 'divergent_marketing.csv');
    await step('1/8 generate the VOLTA data (8 markets, 6 channels, known truth)', generateCommand, ['--scenario', 'volta', '--seed', seed, '--out', join(out, 'data')]);
    await step('2/8 validate it', validateCommand, [data]);
    await step('3/8 fit pooled, unpooled and hierarchical models', fitCommand, [data, '--model', 'all', '--seed', seed, '--out', join(out, 'results'), ...run]);
    await step('4/8 compare the models', compareCommand, [join(out, 'results')]);
    await step('5/8 backtest the hierarchical model: refit on the data before 3 cutoffs, predict the next 8 weeks', backtestCommand, [
      data, '--model', 'hierarchical', '--folds', '3', '--horizon', '8', '--seed', seed, '--out', join(out, 'backtest'), '--quiet', ...backtestRun,
    ]);
    await step(`6/8 optimize a €${Number(budget).toLocaleString('en-US')} quarter`, optimizeCommand, [
      join(out, 'results', 'hierarchical'), '--budget', budget, '--weeks', '13', '--scenarios', '0.6,0.8,1,1.2,1.8', '--out', join(out, 'plan.json'),
    ]);
    await step('7/8 the divergent scenario, where pooling should fail', generateCommand, ['--scenario', 'divergent', '--seed', seed, '--out', join(out, 'data-divergent')]);
    await step('7/8 fit it: unpooled', fitCommand, [divergentData, '--model', 'unpooled', '--seed', seed, '--out', join(out, 'results-divergent'), '--quiet', ...run]);
    await step('7/8 fit it: hierarchical', fitCommand, [divergentData, '--model', 'hierarchical', '--seed', seed, '--out', join(out, 'results-divergent'), '--quiet', ...run]);
    await step('8/8 write the report', reportCommand, [
      join(out, 'results'), '--plan', join(out, 'plan.json'), '--divergent', join(out, 'results-divergent'), '--backtest', join(out, 'backtest'), '--out', join(out, 'report.html'),
    ]);
    const minutes = ((Date.now() - started) / 60000).toFixed(1);
    io.out(`\nDemo finished in ${minutes} min. Open ${join(out, 'report.html')} in a browser.\n`);
    return 0;
  },
};

