// `tributary evaluate`: the evaluation report of one results folder (diagnostics, ROAS and
// contributions, shrinkage, stability, posterior predictive checks, PSIS-LOO, failure modes,
// and ground-truth recovery with --truth), as text or as one JSON document (--json).
import { resolve } from 'node:path';
import { evaluateFolder, evaluationToJson, formatEvaluationText, toJsonText } from '@tributary/evaluation';
import { intOption, type CommandSpec } from '../command.js';

export const evaluateCommand: CommandSpec = {
  name: 'evaluate',
  summary: 'Evaluate one fitted model: diagnostics, ROAS, contributions, shrinkage, predictive checks, PSIS-LOO.',
  positionals: [{ name: 'DIR', description: 'Results folder of one model, written by tributary fit (e.g. results/hierarchical).', required: true }],
  options: {
    data: { type: 'string', valueName: 'FILE', description: 'The fitted CSV, if it moved (must be the same file: sha256 is checked).' },
    truth: { type: 'string', valueName: 'FILE', description: 'ground_truth.json of tributary generate: report parameter recovery.' },
    seed: { type: 'string', valueName: 'N', description: 'Seed of the posterior predictive draws.', default: '1' },
    json: { type: 'boolean', description: 'Print one machine-readable JSON document instead of the text report.' },
  },
  examples: [
    'tributary evaluate results/hierarchical',
    'tributary evaluate results/hierarchical --truth data/ground_truth.json',
    'tributary evaluate results/hierarchical --data moved/volta_marketing.csv --json > evaluation.json',
  ],
  async run(args, io) {
    const v = args.values;
    const seed = intOption(v.seed, 'seed', 0, 2 ** 32 - 1);
    const report = await evaluateFolder(resolve(io.cwd, args.positionals[0]!), {
      seed,
      ...(v.data === undefined ? {} : { dataFile: resolve(io.cwd, String(v.data)) }),
      ...(v.truth === undefined ? {} : { truthFile: resolve(io.cwd, String(v.truth)) }),
    });
    io.out(v.json ? toJsonText(evaluationToJson(report)) : formatEvaluationText(report));
    return 0;
  },
};
