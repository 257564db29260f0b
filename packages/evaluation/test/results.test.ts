// loadResults: a folder written like `tributary fit`, read back with numbers intact, and clear
// errors (file, line, column) for every way the folder can be broken.
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EvaluationError } from '../src/errors.js';
import { loadResults, parameterDraws, splitCsvLine } from '../src/results.js';
import { fitSmall, makeCsv, tempDir, type SmallFit } from './helpers.js';

let root: string;
let fit: SmallFit;
let numBroken = 0;

beforeAll(async () => {
  root = await tempDir();
  const csv = makeCsv();
  await writeFile(join(root, 'data.csv'), csv);
  fit = await fitSmall(join(root, 'results'), join(root, 'data.csv'), csv, 'pooled', { chains: 2, warmup: 60, draws: 20 });
});

/** A copy of the fitted folder with one file changed. */
async function broken(file: string, edit: (text: string) => string): Promise<string> {
  const dir = join(root, `broken-${++numBroken}`);
  await cp(fit.dir, dir, { recursive: true });
  await writeFile(join(dir, file), edit(await readFile(join(dir, file), 'utf8')));
  return dir;
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

  it('rejects wrong field counts, chain order, parameter names and inconsistent stats', async () => {
    expect((await loadError(await broken('draws.csv', (t) => t.replace(/\n1,2,([^,\n]*),/, '\n1,2,')))).message).toMatch(/line 3 has \d+ fields, expected/);
    expect((await loadError(await broken('draws.csv', (t) => t.replace(/\n1,3,/, '\n1,4,')))).message).toMatch(/line 4: expected \.chain 1 and \.iteration 3/);
    expect((await loadError(await broken('draws.csv', (t) => t.replace('delta', 'gamma_x')))).message).toMatch(/does not list the parameters of manifest\.json/);
    expect((await loadError(await broken('sample_stats.csv', (t) => t.split('\n').filter((l) => !l.startsWith('2,')).join('\n')))).message).toMatch(
      /has 1 chains × 20 draws but draws\.csv has 2 × 20; the folder is inconsistent/,
    );
    expect((await loadError(await broken('sample_stats.csv', (t) => t.replace('divergent', 'diverged')))).message).toMatch(/no "divergent" column/);
  });

  it('accepts NA and Inf as R writes them', async () => {
    const dir = await broken('sample_stats.csv', (t) => t.replace(/\n1,1,[^,]+,/, '\n1,1,NA,'));
    const r = await loadResults(dir);
    expect(r.sampleStats.stepsize![0]![0]).toBeNaN();
  });
});
