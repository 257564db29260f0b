import { resolve } from 'node:path';
import { formatSummary, parseMarketingCsv, summarizeDataset } from '@tributary/data';
import { GEO_LIMITS, generateScenario, geoScenario, GROUND_TRUTH_FILE, LIFT_TESTS_FILE, listScenarios, MULTIPLIER_FILE, scenarioCsvFileName, scenarioPreset, writeScenario } from '@tributary/synthetic';
import { CliUsageError, intOption, type CommandSpec } from '../command.js';
import { checkOutputLocation } from '../util/atomic.js';

/** One-line purpose of each built-in scenario, for --help. */
const SCENARIO_BLURBS: Readonly<Record<string, string>> = {
  volta: 'moderately different effects across markets',
  divergent: 'wildly different effects',
  biased: 'TikTok spend confounded by a hidden demand driver, plus lift_tests.csv',
  drift: 'time-varying Meta effect, plus truth_multiplier.csv',
  geo: 'many regional markets of DMA-like sizes; size set by --markets, --weeks, --channels',
};

/** The geo-only size flags with their ranges (from @tributary/synthetic). */
const GEO_FLAGS = ['markets', 'weeks', 'channels'] as const;

function scenarioList(): string {
  return listScenarios()
    .map((name) => (SCENARIO_BLURBS[name] ? `${name} (${SCENARIO_BLURBS[name]})` : name))
    .join(', ');
}

export const generateCommand: CommandSpec = {
  name: 'generate',
  summary:
    'Generate a synthetic marketing dataset with known ground truth (CSV + ground_truth.json; ' +
    'lift_tests.csv or truth_multiplier.csv for the calibration scenarios).',
  positionals: [],
  options: {
    scenario: { type: 'string', valueName: 'NAME', description: `Scenario preset: ${scenarioList()}.`, default: 'volta' },
    seed: { type: 'string', valueName: 'N', description: 'Random seed; the same seed gives identical files.', default: '42' },
    out: { type: 'string', valueName: 'DIR', description: 'Output folder.', default: 'data' },
    markets: { type: 'string', valueName: 'M', description: `--scenario geo: number of markets, ${GEO_LIMITS.markets.min}-${GEO_LIMITS.markets.max} (default ${GEO_LIMITS.markets.default}).` },
    weeks: { type: 'string', valueName: 'W', description: `--scenario geo: weeks per market, ${GEO_LIMITS.weeks.min}-${GEO_LIMITS.weeks.max} (default ${GEO_LIMITS.weeks.default}).` },
    channels: { type: 'string', valueName: 'C', description: `--scenario geo: media channels, ${GEO_LIMITS.channels.min}-${GEO_LIMITS.channels.max} (default ${GEO_LIMITS.channels.default}).` },
  },
  examples: [
    'tributary generate',
    'tributary generate --scenario divergent --seed 7 --out data/divergent',
    'tributary generate --scenario biased --out data/biased',
    'tributary generate --scenario geo --markets 200 --weeks 156 --channels 10 --out data/geo',
  ],
  async run(args, io) {
    const name = String(args.values.scenario);
    if (!listScenarios().includes(name)) {
      throw new CliUsageError(`--scenario "${name}" is not known; choose one of: ${listScenarios().join(', ')}`);
    }
    const given = GEO_FLAGS.filter((flag) => args.values[flag] !== undefined);
    if (name !== 'geo' && given.length > 0) {
      throw new CliUsageError(`--${given[0]} applies to --scenario geo only (the ${name} scenario has a fixed layout)`);
    }
    const size: { markets?: number; weeks?: number; channels?: number } = {};
    for (const flag of given) size[flag] = intOption(args.values[flag], flag, GEO_LIMITS[flag].min, GEO_LIMITS[flag].max);
    const seed = intOption(args.values.seed, 'seed', 0, 2 ** 32 - 1);
    const outDir = resolve(io.cwd, String(args.values.out));
    const config = name === 'geo' ? geoScenario(size) : scenarioPreset(name as Parameters<typeof scenarioPreset>[0]);
    const result = generateScenario(config, seed);
    // Files of the same names in --out are replaced only when the folder is a generated data set.
    const files = [scenarioCsvFileName(result.groundTruth.scenario), GROUND_TRUTH_FILE, LIFT_TESTS_FILE, MULTIPLIER_FILE];
    await checkOutputLocation(outDir, 'dataset', '--out', { files });
    const written = await writeScenario(result, outDir);
    const paths = [written.csvPath, written.truthPath, written.liftTestsPath, written.multiplierPath].filter(
      (p): p is string => p !== undefined,
    );
    const summary = summarizeDataset(parseMarketingCsv(result.csv));
    io.out(`${paths.map((p) => `Wrote ${p}`).join('\n')}\n\n${formatSummary(summary)}`);
    return 0;
  },
};
