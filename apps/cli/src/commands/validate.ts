import { resolve } from 'node:path';
import { buildPanel, formatSummary, readMarketingCsv, summarizeDataset } from '@tributary/data';
import { listOption, type CommandSpec } from '../command.js';

export const validateCommand: CommandSpec = {
  name: 'validate',
  summary:
    'Check a marketing CSV against every data rule (model-spec §1) and print a dataset summary, or every problem found (exit code 1).',
  positionals: [{ name: 'FILE', description: 'Long CSV, one row per market-week.', required: true }],
  options: {
    target: { type: 'string', valueName: 'NAME', description: 'Target column.', default: 'streaming_revenue' },
    channels: { type: 'string', valueName: 'A,B', description: 'Media spend columns (default: every *_spend column).' },
    controls: { type: 'string', valueName: 'C,D', description: 'Control columns entering linearly.' },
  },
  examples: ['tributary validate data/volta_marketing.csv', 'tributary validate sales.csv --target revenue --channels tv,search --controls price'],
  async run(args, io) {
    const file = resolve(io.cwd, args.positionals[0]!);
    const data = await readMarketingCsv(file, dataOptions(args.values));
    const panel = buildPanel(data);
    io.out(`${file}: valid\n\n${formatSummary(summarizeDataset(data))}`);
    const warnings = [...new Set([...data.warnings, ...panel.warnings])];
    if (warnings.length) io.err(`Warnings:\n${warnings.map((w) => `  - ${w}`).join('\n')}\n`);
    return 0;
  },
};

/** The data-selection flags shared by every command that reads a CSV. */
export function dataOptions(values: Record<string, unknown>): { target?: string; channels?: string[]; controls?: string[] } {
  const channels = listOption(values.channels, 'channels');
  const controls = listOption(values.controls, 'controls');
  return {
    ...(values.target !== undefined ? { target: String(values.target) } : {}),
    ...(channels ? { channels } : {}),
    ...(controls ? { controls } : {}),
  };
}
