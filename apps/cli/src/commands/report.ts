// `tributary report`: one self-contained HTML file (inline CSS and SVG charts, no network) from a
// results folder, optionally with the data, the ground truth, a budget plan and a second results
// folder (the divergent scenario) shown side by side in "when hierarchical fails", the
// backtest of `tributary backtest` (--backtest DIR), the same model fitted without its lift
// tests (--uncalibrated DIR) for the calibration section, and the sbc.json of `tributary sbc`
// (--sbc FILE; without RESULTS the report has only that section).
import { resolve } from 'node:path';
import { buildReportInput, renderReport } from '@tributary/report';
import { CliUsageError, intOption, usageLine, type CommandSpec } from '../command.js';
import { checkOutputLocation, writeFileAtomic } from '../util/atomic.js';

export const reportCommand: CommandSpec = {
  name: 'report',
  summary: 'Write a self-contained HTML report (charts, diagnostics, ROAS, comparison, plan) of a results folder.',
  positionals: [{ name: 'RESULTS', description: 'Results folder of tributary fit (with pooled/, unpooled/, hierarchical/), or one model folder (optional with --sbc).', required: false }],
  options: {
    data: { type: 'string', valueName: 'FILE', description: "Data CSV (default: the path in the results' manifest)." },
    truth: { type: 'string', valueName: 'FILE', description: 'ground_truth.json of tributary generate (default: next to the data file, if there).' },
    plan: { type: 'string', valueName: 'FILE', description: 'plan.json of tributary optimize, for the budget-plan section.' },
    divergent: { type: 'string', valueName: 'DIR', description: 'A second results folder (e.g. the divergent scenario) shown beside the first in "when hierarchical fails".' },
    'divergent-data': { type: 'string', valueName: 'FILE', description: 'Data CSV of the --divergent results (default: from its manifest).' },
    backtest: { type: 'string', valueName: 'DIR', description: 'Output folder of tributary backtest, for the backtest section (shown only with it).' },
    uncalibrated: {
      type: 'string',
      valueName: 'DIR',
      description: 'Results of the same model fitted to the same data without --lift-tests: the calibration section then shows ROAS without vs with the lift tests.',
    },
    sbc: { type: 'string', valueName: 'FILE', description: 'sbc.json of tributary sbc: adds the simulation-based calibration section (alone when no RESULTS is given).' },
    title: { type: 'string', valueName: 'TEXT', description: 'Page title (default: from the scenario).' },
    'max-draws': { type: 'string', valueName: 'N', description: 'Posterior draws used for the per-week charts (evenly thinned).', default: '1000' },
    out: { type: 'string', valueName: 'FILE', description: 'Output HTML file.', default: 'report.html' },
  },
  examples: [
    'tributary report results/ --out report.html',
    'tributary report results/ --data data/volta_marketing.csv --truth data/ground_truth.json --plan plan.json',
    'tributary report results/ --divergent results-divergent/ --out report.html',
    'tributary report results/ --backtest backtest/ --out report.html',
    'tributary report results/ --uncalibrated results-uncalibrated/ --out report.html',
    'tributary report --sbc sbc/sbc.json --out sbc.html',
  ],
  async run(args, io) {
    const v = args.values;
    const str = (k: string) => (v[k] === undefined ? undefined : String(v[k]));
    const started = Date.now();
    if (args.positionals[0] === undefined && v.sbc === undefined) throw new CliUsageError(`missing RESULTS (or --sbc FILE): ${usageLine(reportCommand)}`);
    const out = resolve(io.cwd, String(v.out));
    await checkOutputLocation(out, 'report', '--out');
    const input = await buildReportInput({
      cwd: io.cwd,
      ...(args.positionals[0] !== undefined ? { resultsDir: args.positionals[0] } : {}),
      ...(str('sbc') ? { sbcFile: str('sbc')! } : {}),
      ...(str('data') ? { dataFile: str('data')! } : {}),
      ...(str('truth') ? { truthFile: str('truth')! } : {}),
      ...(str('plan') ? { planFile: str('plan')! } : {}),
      ...(str('divergent') ? { divergentDir: str('divergent')! } : {}),
      ...(str('divergent-data') ? { divergentDataFile: str('divergent-data')! } : {}),
      ...(str('backtest') ? { backtestDir: str('backtest')! } : {}),
      ...(str('uncalibrated') ? { uncalibratedDir: str('uncalibrated')! } : {}),
      ...(str('title') ? { title: str('title')! } : {}),
      maxDraws: intOption(v['max-draws'], 'max-draws', 10, 1_000_000),
    });
    const html = renderReport(input);
    await writeFileAtomic(out, 'report', html);
    const kb = Math.round(Buffer.byteLength(html) / 1024);
    io.out(`Wrote ${out} (${kb} KB, ${input.models.length} models${input.plan ? ', budget plan' : ''}${input.divergent ? ', second results' : ''}${input.backtest ? ', backtest' : ''}${input.calibration ? ', calibration' : ''}${input.sbc ? ', simulation-based calibration' : ''}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    for (const note of input.notes) io.err(`note: ${note}\n`);
    return 0;
  },
};
