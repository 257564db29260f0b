import { resolve } from 'node:path';
import { formatSummary, parseMarketingCsv, summarizeDataset } from '@tributary/data';
import { generateScenario, listScenarios, scenarioPreset, writeScenario } from '@tributary/synthetic';
import { CliUsageError, intOption, type CommandSpec } from '../command.js';

export const generateCommand: CommandSpec = {
  name: 'generate',
  summary: 'Generate a synthetic marketing dataset with known ground truth (CSV + ground_truth.json).',
  positionals: [],
  options: {
    scenario: { type: 'string', valueName: 'NAME', description: `Scenario preset: ${listScenarios().join(', ')}.`, default: 'volta' },
    seed: { type: 'string', valueName: 'N', description: 'Random seed; the same seed gives identical files.', default: '42' },
    out: { type: 'string', valueName: 'DIR', description: 'Output folder.', default: 'data' },
  },
  examples: ['tributary generate', 'tributary generate --scenario divergent --seed 7 --out data/divergent'],
  async run(args, io) {
    const name = String(args.values.scenario);
    if (!listScenarios().includes(name)) {
      throw new CliUsageError(`--scenario "${name}" is not known; choose one of: ${listScenarios().join(', ')}`);
    }
    const seed = intOption(args.values.seed, 'seed', 0, 2 ** 32 - 1);
    const outDir = resolve(io.cwd, String(args.values.out));
    const result = generateScenario(scenarioPreset(name as Parameters<typeof scenarioPreset>[0]), seed);
    const { csvPath, truthPath } = await writeScenario(result, outDir);
    const summary = summarizeDataset(parseMarketingCsv(result.csv));
    io.out(`Wrote ${csvPath}\nWrote ${truthPath}\n\n${formatSummary(summary)}`);
    return 0;
  },
};
