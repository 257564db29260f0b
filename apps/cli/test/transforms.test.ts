// `tributary fit --transforms FILE` (issue 13 part 4): per-channel adstock × saturation kinds,
// fixed or learned, recorded in the manifest and rebuilt by `evaluate`; bad files are refused
// before sampling, naming the file, the key and what is allowed.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run, tempDir } from './helpers.js';

let dir: string;
const small = ['--chains', '2', '--warmup', '150', '--draws', '100', '--parallel', '0', '--quiet'];

beforeAll(async () => {
  dir = await tempDir();
  const gen = await run(['generate', '--seed', '3', '--out', 'data'], dir);
  expect(gen.code).toBe(0);
});

describe('tributary fit --transforms', () => {
  it('fits learned mixed kinds (JSON); the manifest records them and evaluate rebuilds the model', async () => {
    const file = {
      meta_spend: { adstock: 'weibull_pdf', saturation: 'logistic' },
      radio_spend: { adstock: 'delayed', theta: 2, saturation: 'hill', K: 0.6, S: 1.5 },
      tiktok_spend: { adstock: 'geometric', alpha: 0.4, saturation: 'tanh' },
      youtube: { adstock: 'weibull_cdf', shape: 2, saturation: 'michaelis_menten', lam: 0.5 },
    };
    await writeFile(join(dir, 'transforms.json'), JSON.stringify(file));
    const res = await run(
      ['fit', 'data/volta_marketing.csv', '--model', 'pooled', '--transforms', 'transforms.json', '--learn-transforms', '--max-treedepth', '6', '--out', 'kinds', ...small],
      dir,
    );
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const manifest = JSON.parse(await readFile(join(dir, 'kinds', 'pooled', 'manifest.json'), 'utf8'));
    expect(manifest.transforms_file).toBe(join(dir, 'transforms.json'));
    expect(manifest.transforms.meta_spend).toMatchObject({ adstock: 'weibull_pdf', saturation: 'logistic', lam: expect.any(Number), shape: expect.any(Number), scale: expect.any(Number) });
    expect(manifest.transforms.radio_spend).toEqual({ adstock: 'delayed', alpha: 0.7, theta: 2, K: 0.6, S: 1.5, lMax: 8 });
    expect(manifest.transforms.tiktok_spend).toMatchObject({ adstock: 'geometric', alpha: 0.4, saturation: 'tanh' });
    expect(manifest.transforms.youtube_spend).toMatchObject({ adstock: 'weibull_cdf', shape: 2, saturation: 'michaelis_menten', lam: 0.5 });
    expect(manifest.transforms.spotify_ads_spend).toEqual({ adstock: 'geometric', alpha: 0.45, theta: 0, K: 0.4, S: 2, lMax: 8 });
    const header = (await readFile(join(dir, 'kinds', 'pooled', 'draws.csv'), 'utf8')).split('\n')[0]!;
    for (const name of ['adstock_shape[meta_spend]', 'adstock_scale[youtube_spend]', 'sat_lam[meta_spend]', 'adstock_alpha[radio_spend]', 'sat_K[radio_spend]', 'sat_b[tiktok_spend]', 'sat_c[tiktok_spend]', 'sat_lam[youtube_spend]']) {
      expect(header).toContain(name);
    }
    expect(header).not.toContain('sat_K[meta_spend]');
    const ev = await run(['evaluate', join('kinds', 'pooled'), '--json'], dir);
    expect(ev.stderr).toBe('');
    expect(ev.code).toBe(0);
    const evJson = JSON.parse(ev.stdout);
    expect(JSON.stringify(evJson)).toContain('meta_spend');
    // The report draws each channel's own kinds (learned: posterior bands) and names them.
    const rep = await run(['report', join('kinds', 'pooled'), '--out', 'kinds.html'], dir);
    expect(rep.code).toBe(0);
    const html = await readFile(join(dir, 'kinds.html'), 'utf8');
    for (const text of ['logistic (λ', 'tanh (b', 'Michaelis–Menten (λ', 'Hill (K', 'Weibull PDF', 'Weibull CDF']) expect(html).toContain(text);
    // Per-draw curves of learned mixed kinds in the optimizer.
    const opt = await run(['optimize', join('kinds', 'pooled'), '--budget', '300000', '--weeks', '8', '--json'], dir);
    expect(opt.code).toBe(0);
    expect(JSON.parse(opt.stdout).spend).toBeCloseTo(300000, 2);
  }, 600_000);

  it('fits fixed kinds from a YAML file (pooled)', async () => {
    await writeFile(join(dir, 'transforms.yaml'), ['meta: { adstock: weibull_cdf, saturation: michaelis_menten }', 'radio_spend:', '  saturation: logistic', '  lam: 2', ''].join('\n'));
    const res = await run(['fit', 'data/volta_marketing.csv', '--model', 'pooled', '--transforms', 'transforms.yaml', '--out', 'kinds-fixed', ...small], dir);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const manifest = JSON.parse(await readFile(join(dir, 'kinds-fixed', 'pooled', 'manifest.json'), 'utf8'));
    expect(manifest.transforms.meta_spend).toMatchObject({ adstock: 'weibull_cdf', saturation: 'michaelis_menten' });
    expect(manifest.transforms.radio_spend).toMatchObject({ adstock: 'delayed', theta: 2, saturation: 'logistic', lam: 2 });
    const ev = await run(['evaluate', join('kinds-fixed', 'pooled')], dir);
    expect(ev.code).toBe(0);
    expect(ev.stdout).toContain('ROAS');
    const rep = await run(['report', join('kinds-fixed', 'pooled'), '--out', 'kinds-fixed.html'], dir);
    expect(rep.code).toBe(0);
    expect(await readFile(join(dir, 'kinds-fixed.html'), 'utf8')).toContain('Michaelis–Menten (λ');
    // optimize plans with each channel's own adstock and saturation (the model's forecast basis).
    const opt = await run(['optimize', join('kinds-fixed', 'pooled'), '--budget', '500000', '--json'], dir);
    expect(opt.code).toBe(0);
    const plan = JSON.parse(opt.stdout);
    expect(plan.spend).toBeCloseTo(500000, 2);
    expect(plan.response.mean).toBeGreaterThan(0);
  }, 600_000);

  const bad: [string, string, string, RegExp][] = [
    ['unknown channel', 'bad1.json', JSON.stringify({ cinema_spend: { adstock: 'geometric' } }), /bad1\.json: "cinema_spend" is not a channel of the data \(.*meta_spend.*\)/],
    ['unknown adstock', 'bad2.json', JSON.stringify({ meta_spend: { adstock: 'exponential' } }), /bad2\.json: meta_spend\.adstock = "exponential" is not an adstock kind; expected one of geometric, delayed, weibull_cdf, weibull_pdf/],
    ['unknown saturation', 'bad3.yaml', 'meta_spend: { saturation: sigmoid }\n', /bad3\.yaml: meta_spend\.saturation = "sigmoid" is not a saturation kind; expected one of hill, logistic, michaelis_menten, tanh/],
    ['parameter of another kind', 'bad4.json', JSON.stringify({ meta_spend: { saturation: 'logistic', K: 0.5 } }), /bad4\.json: meta_spend\.K is not a parameter of geometric adstock with logistic saturation; allowed: adstock, saturation, alpha, lMax, lam/],
    ['bad value', 'bad5.json', JSON.stringify({ meta_spend: { adstock: 'weibull_pdf', shape: -1 } }), /bad5\.json: meta_spend\.shape = -1; expected a finite number > 0/],
    ['not a mapping', 'bad6.json', '[1, 2]', /bad6\.json: expected a mapping from channel/],
    ['invalid JSON', 'bad7.json', '{ "meta_spend": ', /bad7\.json: not valid JSON/],
  ];
  for (const [label, name, text, message] of bad) {
    it(`refuses a bad transforms file before sampling: ${label}`, async () => {
      await writeFile(join(dir, name), text);
      const res = await run(['fit', 'data/volta_marketing.csv', '--transforms', name, '--out', 'nope', ...small], dir);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(message);
      await expect(readdir(join(dir, 'nope'))).rejects.toThrow();
    });
  }

  it('backtest takes the same option (fixed kinds, one fold) and records the file', async () => {
    await writeFile(join(dir, 'bt-transforms.yaml'), 'meta_spend: { adstock: weibull_pdf, saturation: logistic }\ntiktok_spend: { saturation: tanh }\n');
    const res = await run(['backtest', 'data/volta_marketing.csv', '--model', 'pooled', '--folds', '1', '--horizon', '4', '--transforms', 'bt-transforms.yaml', '--out', 'bt-ok', ...small], dir);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const doc = JSON.parse(await readFile(join(dir, 'bt-ok', 'backtest.json'), 'utf8'));
    expect(doc.settings.transforms_file).toBe(join(dir, 'bt-transforms.yaml'));
    expect(doc.scores.length).toBeGreaterThan(0);
  }, 600_000);

  it('backtest takes the same option and refuses the same bad file', async () => {
    await writeFile(join(dir, 'bt-bad.json'), JSON.stringify({ meta_spend: { adstock: 'exponential' } }));
    const res = await run(['backtest', 'data/volta_marketing.csv', '--transforms', 'bt-bad.json', '--out', 'bt', ...small], dir);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/bt-bad\.json: meta_spend\.adstock = "exponential" is not an adstock kind/);
  });
});
