import { resolve } from 'node:path';
import { buildPanel, formatSummary, readLiftTests, readMarketingCsv, summarizeDataset, type LiftTest } from '@tributary/data';
import { listOption, type CommandSpec } from '../command.js';

export const validateCommand: CommandSpec = {
  name: 'validate',
  summary:
    'Check a marketing CSV (and optionally a lift-test CSV) against every data rule (model-spec §1) and print a dataset summary, or every problem found (exit code 1).',
  positionals: [{ name: 'FILE', description: 'Long CSV, one row per market-week.', required: true }],
  options: {
    target: { type: 'string', valueName: 'NAME', description: 'Target column.', default: 'streaming_revenue' },
    channels: { type: 'string', valueName: 'A,B', description: 'Media spend columns (default: every *_spend column).' },
    controls: { type: 'string', valueName: 'C,D', description: 'Control columns entering linearly.' },
    'lift-tests': {
      type: 'string',
      valueName: 'LIFT.csv',
      description: 'Also check a lift-test CSV (market,channel,start,end,delta_spend,lift,lift_se) against FILE and list its experiments.',
    },
  },
  examples: [
    'tributary validate data/volta_marketing.csv',
    'tributary validate sales.csv --target revenue --channels tv,search --controls price',
    'tributary validate data/volta_marketing.csv --lift-tests data/lift_tests.csv',
  ],
  async run(args, io) {
    const file = resolve(io.cwd, args.positionals[0]!);
    const data = await readMarketingCsv(file, dataOptions(args.values));
    const panel = buildPanel(data);
    const liftArg = args.values['lift-tests'];
    const liftFile = typeof liftArg === 'string' ? resolve(io.cwd, liftArg) : undefined;
    // Check both files before printing anything, so that a bad lift-test file fails the command.
    const lift = liftFile === undefined ? undefined : await readLiftTests(liftFile, panel);
    io.out(`${file}: valid\n\n${formatSummary(summarizeDataset(data))}`);
    if (liftFile !== undefined && lift !== undefined) {
      const n = lift.tests.length;
      io.out(`\n${liftFile}: valid, ${n} lift test${n === 1 ? '' : 's'}\n${lift.tests.map((t) => `  ${formatLiftTest(t)}\n`).join('')}`);
    }
    const warnings = [...new Set([...data.warnings, ...panel.warnings, ...(lift?.warnings ?? [])])];
    if (warnings.length) io.err(`Warnings:\n${warnings.map((w) => `  - ${w}`).join('\n')}\n`);
    return 0;
  },
};

const amount = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** One line per experiment, e.g. `line 2: DE tiktok_spend 2024-02-04 … 2024-02-25 (4 weeks, t 4–7): +250/week, lift 12,000 ± 3,000`. */
function formatLiftTest(t: LiftTest): string {
  const weeks = t.endT - t.startT + 1;
  const delta = `${t.deltaSpend > 0 ? '+' : ''}${amount(t.deltaSpend)}/week${t.deltaSpend < 0 ? ' (go-dark)' : ''}`;
  return `line ${t.line}: ${t.market} ${t.channel} ${t.start} … ${t.end} (${weeks} week${weeks === 1 ? '' : 's'}, t ${t.startT}–${t.endT}): ${delta}, lift ${amount(t.lift)} ± ${amount(t.liftSe)}`;
}

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
