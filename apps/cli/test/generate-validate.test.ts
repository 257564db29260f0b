import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run, tempDir } from './helpers.js';

let dir: string;
let csv: string;

beforeAll(async () => {
  dir = await tempDir();
  const res = await run(['generate', '--seed', '42', '--out', 'data'], dir);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  csv = await readFile(join(dir, 'data', 'volta_marketing.csv'), 'utf8');
});

describe('tributary generate', () => {
  it('writes the CSV and the ground truth and prints the summary', async () => {
    const truth = JSON.parse(await readFile(join(dir, 'data', 'ground_truth.json'), 'utf8'));
    expect(truth['beta_mu']).toBeDefined();
    expect(csv.split('\n')[0]).toContain('streaming_revenue');
  });

  it('is reproducible: the same seed gives byte-identical files, another seed differs', async () => {
    const again = await tempDir();
    await run(['generate', '--seed', '42', '--out', 'd'], again);
    expect(await readFile(join(again, 'd', 'volta_marketing.csv'), 'utf8')).toBe(csv);
    await run(['generate', '--seed', '43', '--out', 'e'], again);
    expect(await readFile(join(again, 'e', 'volta_marketing.csv'), 'utf8')).not.toBe(csv);
  });

  it('writes lift_tests.csv for the biased scenario and truth_multiplier.csv for the drift scenario', async () => {
    const out = await tempDir();
    const b = await run(['generate', '--scenario', 'biased', '--out', 'b'], out);
    expect(b.code).toBe(0);
    expect(b.stdout).toContain(join(out, 'b', 'lift_tests.csv'));
    const lift = await readFile(join(out, 'b', 'lift_tests.csv'), 'utf8');
    expect(lift.split('\n')[0]).toBe('market,channel,start,end,delta_spend,lift,lift_se');
    expect(lift.trimEnd().split('\n')).toHaveLength(4);
    const truth = JSON.parse(await readFile(join(out, 'b', 'ground_truth.json'), 'utf8'));
    expect(truth.scenario).toBe('biased');
    expect(truth.lift_tests).toHaveLength(3);
    expect((await run(['validate', 'b/biased_marketing.csv'], out)).code).toBe(0);
    const again = await run(['generate', '--scenario', 'biased', '--out', 'b2'], out);
    expect(again.code).toBe(0);
    expect(await readFile(join(out, 'b2', 'lift_tests.csv'), 'utf8')).toBe(lift);
    expect(await readFile(join(out, 'b2', 'biased_marketing.csv'), 'utf8')).toBe(await readFile(join(out, 'b', 'biased_marketing.csv'), 'utf8'));

    const d = await run(['generate', '--scenario', 'drift', '--out', 'd'], out);
    expect(d.code).toBe(0);
    expect(d.stdout).toContain(join(out, 'd', 'truth_multiplier.csv'));
    const mult = await readFile(join(out, 'd', 'truth_multiplier.csv'), 'utf8');
    expect(mult.split('\n')[0]).toBe('date,t,channel,multiplier');
    expect(mult.trimEnd().split('\n')).toHaveLength(105);
  });

  it('generates a geo panel of the given size that validates', async () => {
    const out = await tempDir();
    const res = await run(['generate', '--scenario', 'geo', '--markets', '12', '--weeks', '20', '--channels', '3', '--out', 'g'], out);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const text = await readFile(join(out, 'g', 'geo_marketing.csv'), 'utf8');
    expect(text.split('\n')[0]).toBe('date,country,channel_01_spend,channel_02_spend,channel_03_spend,streaming_revenue');
    expect(text.trimEnd().split('\n')).toHaveLength(1 + 12 * 20);
    const truth = JSON.parse(await readFile(join(out, 'g', 'ground_truth.json'), 'utf8'));
    expect(truth.scenario).toBe('geo');
    expect(truth.markets).toHaveLength(12);
    expect(Object.keys(truth.derived).filter((k: string) => k.startsWith('roas['))).toHaveLength(36);
    const valid = await run(['validate', 'g/geo_marketing.csv'], out);
    expect(valid.code).toBe(0);
    expect(valid.stdout).toContain('geo_012');
  });

  it('checks the geo size flags: range named, and only with --scenario geo', async () => {
    const out = await tempDir();
    const cases: [string[], string][] = [
      [['--scenario', 'geo', '--markets', '1'], '--markets must be an integer from 2 to 1000, got "1"'],
      [['--scenario', 'geo', '--weeks', '600'], '--weeks must be an integer from 8 to 520'],
      [['--scenario', 'geo', '--channels', 'ten'], '--channels must be an integer from 1 to 99'],
      [['--scenario', 'volta', '--markets', '200'], '--markets applies to --scenario geo only'],
    ];
    for (const [flags, message] of cases) {
      const res = await run(['generate', ...flags, '--out', 'x'], out);
      expect(res.code, flags.join(' ')).toBe(2);
      expect(res.stderr).toContain(message);
    }
  });

  it('lists every scenario in --help', async () => {
    const help = await run(['generate', '--help'], dir);
    expect(help.code).toBe(0);
    for (const name of ['volta', 'divergent', 'biased', 'drift', 'geo']) expect(help.stdout).toContain(name);
    expect(help.stdout).toContain('--markets M');
    expect(help.stdout).toContain('lift_tests.csv');
  });

  it('rejects an unknown scenario and an unknown flag with exit code 2', async () => {
    const a = await run(['generate', '--scenario', 'nope', '--out', 'x'], dir);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--scenario');
    const b = await run(['generate', '--colour', 'red'], dir);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--colour');
  });
});

describe('tributary validate', () => {
  it('accepts the generated VOLTA file', async () => {
    const res = await run(['validate', 'data/volta_marketing.csv'], dir);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('valid');
    for (const m of ['DE', 'UK', 'FR', 'NL', 'ES', 'IT', 'PL', 'SE']) expect(res.stdout).toContain(m);
  });

  const lines = () => csv.trimEnd().split('\n');
  const header = () => lines()[0]!.split(',');
  const col = (name: string) => header().indexOf(name);
  const setCell = (rows: string[], line: number, column: string, value: string) => {
    const cells = rows[line - 1]!.split(',');
    cells[col(column)] = value;
    rows[line - 1] = cells.join(',');
  };

  async function validateText(text: string, extra: string[] = []) {
    const file = join(dir, `bad-${Math.abs(hash(text))}.csv`);
    await writeFile(file, text);
    return run(['validate', file, ...extra], dir);
  }

  it('rejects a negative spend, naming line and column', async () => {
    const rows = lines();
    setCell(rows, 5, 'meta_spend', '-20');
    const res = await validateText(rows.join('\n') + '\n');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/line 5\b.*meta_spend/);
    expect(res.stderr).toContain('-20');
  });

  it('rejects a duplicate market-week, naming the line', async () => {
    const rows = lines();
    rows.push(rows[3]!);
    const res = await validateText(rows.join('\n') + '\n');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(new RegExp(`line ${rows.length}\\b`));
    expect(res.stderr).toMatch(/already has a row for this date/);
  });

  it('rejects a date off the weekly grid, naming line and column', async () => {
    const rows = lines();
    const d = rows[199]!.split(',')[col('date')]!;
    const shifted = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    setCell(rows, 200, 'date', shifted);
    const res = await validateText(rows.join('\n') + '\n');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/line 200\b.*date/);
  });

  it('rejects a non-numeric cell, naming line, column and value', async () => {
    const rows = lines();
    setCell(rows, 9, 'tiktok_spend', 'abc');
    const res = await validateText(rows.join('\n') + '\n');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/line 9\b.*tiktok_spend/);
    expect(res.stderr).toContain('abc');
  });

  it('rejects a file without the target column, naming the column and the option', async () => {
    const res = await validateText(csv, ['--target', 'revenue']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/line 1\b.*revenue/);
  });

  it('rejects an empty file', async () => {
    const res = await validateText('');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/empty/i);
  });

  it('lists every problem, not just the first', async () => {
    const rows = lines();
    setCell(rows, 5, 'meta_spend', '-20');
    setCell(rows, 9, 'tiktok_spend', 'abc');
    const res = await validateText(rows.join('\n') + '\n');
    expect(res.stderr).toMatch(/line 5\b/);
    expect(res.stderr).toMatch(/line 9\b/);
  });

  it('reports a missing file clearly', async () => {
    const res = await run(['validate', 'no/such.csv'], dir);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('no/such.csv');
  });

  it('requires FILE and prints help', async () => {
    expect((await run(['validate'], dir)).code).toBe(2);
    const help = await run(['validate', '--help'], dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--target');
  });
});

describe('tributary validate --lift-tests', () => {
  /** Dates of market DE in the generated file, sorted. */
  const deDates = () => {
    const rows = csv.trimEnd().split('\n');
    const header = rows[0]!.split(',');
    const [d, c] = [header.indexOf('date'), header.indexOf('country')];
    return rows
      .slice(1)
      .map((r) => r.split(','))
      .filter((cells) => cells[c] === 'DE')
      .map((cells) => cells[d]!)
      .sort();
  };
  const channel = () => csv.split('\n')[0]!.split(',').find((h) => h.endsWith('_spend'))!;

  async function validateWithLift(name: string, text: string) {
    await writeFile(join(dir, name), text);
    return run(['validate', 'data/volta_marketing.csv', '--lift-tests', name], dir);
  }

  it('checks the experiments and prints one line per experiment', async () => {
    const d = deDates();
    const ch = channel();
    const text = [
      'market,channel,start,end,delta_spend,lift,lift_se',
      `DE,${ch},${d[4]},${d[7]},500,12000,3000`,
      `DE,${ch.replace(/_spend$/, '')},${d[6]},${d[9]},250.5,-100,50`,
    ].join('\n');
    const res = await validateWithLift('lift-ok.csv', text + '\n');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('lift-ok.csv: valid, 2 lift tests');
    expect(res.stdout).toContain(`line 2: DE ${ch} ${d[4]} … ${d[7]} (4 weeks, t 4–7): +500/week, lift 12,000 ± 3,000`);
    expect(res.stdout).toContain(`line 3: DE ${ch} ${d[6]} … ${d[9]} (4 weeks, t 6–9): +250.5/week, lift -100 ± 50`);
    // the windows overlap: a warning, not an error
    expect(res.stderr).toMatch(/lift tests on lines 2 and 3 .* overlap/);
  });

  it('rejects a bad lift-test file with exit code 1, naming file, line, column and value', async () => {
    const d = deDates();
    const text = ['market,channel,start,end,delta_spend,lift,lift_se', `XX,${channel()},${d[4]},${d[7]},500,12000,0`].join('\n');
    const res = await validateWithLift('lift-bad.csv', text + '\n');
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain('lift-bad.csv');
    expect(res.stderr).toMatch(/line 2, column market: value "XX" is not a market of the data/);
    expect(res.stderr).toMatch(/line 2, column lift_se: value "0" is 0/);
  });

  it('rejects an empty lift-test file and reports a missing one clearly', async () => {
    const empty = await validateWithLift('lift-empty.csv', 'market,channel,start,end,delta_spend,lift,lift_se\n');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('no experiments');
    const missing = await run(['validate', 'data/volta_marketing.csv', '--lift-tests', 'no/lift.csv'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Lift-test file not found');
    expect(missing.stderr).toContain(join('no', 'lift.csv'));
  });

  it('is documented in --help', async () => {
    const help = await run(['validate', '--help'], dir);
    expect(help.stdout).toContain('--lift-tests');
  });
});

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}
