// `tributary compare`: evaluates every model folder under a results folder and compares them:
// PSIS-LOO table with stacking weights, stability across markets, ROAS side by side, shrinkage,
// and which model is best by how many standard errors.
import { resolve } from 'node:path';
import { compareFolder, comparisonToJson, formatComparisonText, toJsonText } from '@tributary/evaluation';
import { intOption, type CommandSpec } from '../command.js';

export const compareCommand: CommandSpec = {
  name: 'compare',
  summary: 'Compare every fitted model in a results folder: PSIS-LOO, stacking weights, stability, ROAS, shrinkage.',
  positionals: [{ name: 'DIR', description: 'Folder with one sub-folder per fitted model (tributary fit --out).', required: true }],
  options: {
    data: { type: 'string', valueName: 'FILE', description: 'The fitted CSV, if it moved (must be the same file: sha256 is checked).' },
    seed: { type: 'string', valueName: 'N', description: 'Seed of the posterior predictive draws.', default: '1' },
    json: { type: 'boolean', description: 'Print one machine-readable JSON document instead of the text report.' },
  },
  examples: ['tributary compare results/', 'tributary compare results/ --json > comparison.json'],
  async run(args, io) {
    const v = args.values;
    const seed = intOption(v.seed, 'seed', 0, 2 ** 32 - 1);
    const comparison = await compareFolder(resolve(io.cwd, args.positionals[0]!), {
      seed,
      ...(v.data === undefined ? {} : { dataFile: resolve(io.cwd, String(v.data)) }),
    });
    io.out(v.json ? toJsonText(comparisonToJson(comparison)) : formatComparisonText(comparison));
    return 0;
  },
};
