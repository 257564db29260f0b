// loadResults: a folder written like `tributary fit`, read back with numbers intact, and clear
// errors (file, line, column) for every way the folder can be broken.
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvaluationError } from '../src/errors.js';
import { rebuildModel } from '../src/rebuild.js';
import { loadResults, parameterDraws, splitCsvLine } from '../src/results.js';
import { fitSmall, makeCsv, removeTempDirs, tempDir, type SmallFit } from './helpers.js';

let root: string;
let fit: SmallFit;
let numBroken = 0;

beforeAll(async () => {
  root = await tempDir();
  const csv = makeCsv();
  await writeFile(join(root, 'data.csv'), csv);
  fit = await fitSmall(join(root, 'results'), join(root, 'data.csv'), csv, 'pooled', { chains: 2, warmup: 60, draws: 20 });
});

afterAll(removeTempDirs);

/** A copy of the fitted folder with one file changed. */
async function broken(file: string, edit: (text: string) => string): Promise<string> {
  const dir = join(root, `broken-${++numBroken}`);
  await cp(fit.dir, dir, { recursive: true });
  await writeFile(join(dir, file), edit(await readFile(join(dir, file), 'utf8')));
  return dir;
}

/** `text` with the cell of `column` on 1-based line `lineNo` replaced by `value`. */
function setCell(text: string, lineNo: number, column: string, value: string): string {
  const lines = text.split('\n');
  const j = splitCsvLine(lines[0]!).indexOf(column);
  if (j < 0) throw new Error(`no column ${column}`);
  const cells = lines[lineNo - 1]!.split(',');
  cells[j] = value;
  lines[lineNo - 1] = cells.join(',');
  return lines.join('\n');
}

async function loadError(dir: string): Promise<EvaluationError> {
  try {
    await loadResults(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(EvaluationError);
    return e as EvaluationError;
  }
  throw new Error('expected loadResults to throw');
}

describe('loadResults', () => {
  it('reads manifest, draws and sample stats exactly', async () => {
    const r = await loadResults(fit.dir);
    expect(r.name).toBe('pooled');
    expect(r.manifest.model).toBe('pooled');
    expect(r.names).toEqual(fit.model.constrainedNames);
    expect(r.numChains).toBe(2);
    expect(r.numDraws).toBe(20);
    // constrained draw 5 of chain 2, bit for bit
    const c = fit.model.constrain(fit.posterior.draws[1]!.subarray(5 * fit.posterior.dim, 6 * fit.posterior.dim));
    const dim = r.names.length;
    expect(Array.from(r.draws[1]!.subarray(5 * dim, 6 * dim))).toEqual(Array.from(c));
    expect(Array.from(r.sampleStats.energy![0]!)).toEqual(Array.from(fit.posterior.sampleStats.energy[0]!));
    expect(parameterDraws(r, 'sigma')[1]![5]).toBe(c[r.names.indexOf('sigma')]);
    expect(() => parameterDraws(r, 'nope')).toThrow(/parameter "nope" is not in/);
  });

  it('splits quoted CSV headers', () => {
    expect(splitCsvLine('.chain,"beta[DE,meta_spend]","a""b"')).toEqual(['.chain', 'beta[DE,meta_spend]', 'a"b']);
  });

  it('names a missing folder or file', async () => {
    const e = await loadError(join(root, 'nowhere'));
    expect(e.code).toBe('RESULTS_NOT_FOUND');
    expect(e.message).toMatch(/manifest\.json.*Run tributary fit first/s);
    const dir = await broken('draws.csv', (t) => t);
    await rm(join(dir, 'sample_stats.csv'));
    expect((await loadError(dir)).message).toMatch(/sample_stats\.csv/);
  });

  it('validates the manifest with zod, naming the field', async () => {
    const e = await loadError(await broken('manifest.json', (t) => t.replace('"likelihood": "normal"', '"likelihood": "poisson"')));
    expect(e.code).toBe('RESULTS_INVALID');
    expect(e.message).toMatch(/manifest\.json is not a valid tributary results manifest/);
    expect(e.message).toMatch(/options\.likelihood/);
    const e2 = await loadError(await broken('manifest.json', (t) => t.replace(/"sha256": "[0-9a-f]+"/, '"sha256": "abc"')));
    expect(e2.message).toMatch(/data\.sha256: must be a 64-character/);
    expect((await loadError(await broken('manifest.json', () => '{ not json'))).message).toMatch(/not valid JSON/);
  });

  it('names the line and column of a bad number', async () => {
    const e = await loadError(
      await broken('draws.csv', (t) => {
        const lines = t.split('\n');
        const cells = lines[3]!.split(',');
        cells[4] = '1.2.3';
        lines[3] = cells.join(',');
        return lines.join('\n');
      }),
    );
    expect(e.line).toBe(4);
    expect(e.message).toMatch(/draws\.csv: line 4, column .+: "1\.2\.3" is not a number/);
  });

  it('reads decimal cells as Number() does and rejects what the decimal pattern rejects', async () => {
    for (const cell of ['0x10', '0b1', '0o7', '', ' ', '1_0', '1e', '+', '.', '--1', '1.2e3.4']) {
      const e = await loadError(await broken('draws.csv', (t) => setCell(t, 5, 'beta[tv_spend]', cell)));
      expect(e.message).toContain(`draws.csv: line 5, column beta[tv_spend]: "${cell}" is not a number`);
    }
    const j = fit.model.constrainedNames.indexOf('beta[tv_spend]');
    for (const [cell, value] of [
      [' 1.5 ', 1.5],
      ['+.5e-3', 0.0005],
      ['-0', -0],
      ['7.', 7],
      ['1E2', 100],
    ] as const) {
      const results = await loadResults(await broken('draws.csv', (t) => setCell(t, 5, 'beta[tv_spend]', cell)));
      expect(Object.is(results.draws[0]![3 * results.names.length + j], value)).toBe(true);
    }
  });

  it('rejects wrong field counts, chain order, parameter names and inconsistent stats', async () => {
    expect((await loadError(await broken('draws.csv', (t) => t.replace(/\n1,2,([^,\n]*),/, '\n1,2,')))).message).toMatch(/line 3 has \d+ fields, expected/);
    expect((await loadError(await broken('draws.csv', (t) => t.replace(/\n1,3,/, '\n1,4,')))).message).toMatch(/line 4: expected \.chain 1 and \.iteration 3/);
    expect((await loadError(await broken('draws.csv', (t) => t.replace('delta', 'gamma_x')))).message).toMatch(/does not list the parameters of manifest\.json/);
    expect((await loadError(await broken('sample_stats.csv', (t) => t.split('\n').filter((l) => !l.startsWith('2,')).join('\n')))).message).toMatch(
      /has 1 chains × 20 draws but draws\.csv has 2 × 20; the folder is inconsistent/,
    );
    expect((await loadError(await broken('sample_stats.csv', (t) => t.replace('divergent', 'diverged')))).message).toMatch(/no "divergent" column/);
  });

  it('rejects NA, NaN, Inf and -Inf in draws.csv, naming the line and the parameter', async () => {
    for (const cell of ['NA', 'NaN', 'Inf', '-Inf', '+Infinity', '1e999']) {
      const e = await loadError(await broken('draws.csv', (t) => setCell(t, 7, 'beta[tv_spend]', cell)));
      expect(e.code).toBe('RESULTS_INVALID');
      expect(e.line).toBe(7);
      expect(e.file).toMatch(/draws\.csv$/);
      expect(e.message).toContain(`draws.csv: line 7, column beta[tv_spend]: "${cell}" is not a finite number`);
      expect(e.message).toMatch(/the file is damaged\. Re-run tributary fit/);
    }
  });

  it('rejects non-finite sampler statistics (stepsize, energy, lp, accept_stat are finite in every valid fit)', async () => {
    for (const [column, cell] of [
      ['stepsize', 'NA'],
      ['energy', 'Inf'],
      ['lp', '-Inf'],
      ['accept_stat', 'NaN'],
    ] as const) {
      const e = await loadError(await broken('sample_stats.csv', (t) => setCell(t, 2, column, cell)));
      expect(e.code).toBe('RESULTS_INVALID');
      expect(e.line).toBe(2);
      expect(e.message).toContain(`sample_stats.csv: line 2, column ${column}: "${cell}" is not a finite number; a valid fit writes only finite sampler statistics`);
    }
  });
});

describe('rebuildModel', () => {
  /** A copy of the fitted folder with manifest.json edited as an object. */
  const brokenManifest = (edit: (m: Record<string, unknown>) => void) =>
    broken('manifest.json', (t) => {
      const m = JSON.parse(t) as Record<string, unknown>;
      edit(m);
      return JSON.stringify(m, null, 2) + '\n';
    });

  async function rebuildError(dir: string): Promise<EvaluationError> {
    const err = await rebuildModel(await loadResults(dir)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EvaluationError);
    return err as EvaluationError;
  }

  it('rebuilds the fitted model when the manifest matches the data file', async () => {
    const { panel } = await rebuildModel(await loadResults(fit.dir));
    expect(panel.markets).toEqual(['A', 'B', 'C']);
  });

  it('rejects a manifest whose markets differ from the data file, naming both lists and the manifest', async () => {
    const dir = await brokenManifest((m) => {
      m.markets = ['A', 'B', 'D'];
    });
    const e = await rebuildError(dir);
    expect(e.code).toBe('DATA_MISMATCH');
    expect(e.file).toBe(join(dir, 'manifest.json'));
    expect(e.message).toContain(`${join(dir, 'manifest.json')} does not match the data file ${join(root, 'data.csv')}`);
    expect(e.message).toContain('the manifest lists markets [A, B, D], the data file has [A, B, C]');
    expect(e.message).toMatch(/manifest was edited or the data file is a different one: pass the data file that was fitted with --data FILE/);
    expect(e.message).not.toMatch(/channels/);
  });

  it('rejects a manifest whose channels differ from the data file (order included)', async () => {
    const e = await rebuildError(
      await brokenManifest((m) => {
        m.channels = ['search_spend', 'tv_spend'];
      }),
    );
    expect(e.code).toBe('DATA_MISMATCH');
    expect(e.message).toContain('the manifest lists channels [search_spend, tv_spend], the data file has [tv_spend, search_spend]');
  });
});
