/**
 * Stan equivalence: a line-by-line TypeScript transcription of the Stan programs in README.md
 * ("Stan equivalence"), fed `model.stanData()` and the constrained draw, computes Stan's
 * `lp__` (the `~` statements drop constant terms; the Jacobians of <lower=0> and
 * <lower=0, upper=1> parameters are added). It must equal `model.logDensity(theta)`, for every
 * kind × {fixed, learned transforms} × {normal, student-t} on the small 3-market panel.
 */
import seedrandom from 'seedrandom';
import { describe, expect, test } from 'vitest';
import { buildModel, type Likelihood, type Model, type ModelKind } from '../src/index.js';
import { buildPanel, parseMarketingCsv } from '@tributary/data';
import { smallCsv, smallPanel } from './fixtures.js';

type Data = Record<string, number | number[] | number[][]>;
const num = (d: Data, k: string): number => d[k] as number;
const vec = (d: Data, k: string): number[] => d[k] as number[];
const mat = (d: Data, k: string): number[][] => d[k] as number[][];

// Stan's propto `~` kernels.
const normal = (x: number, m: number, s: number): number => -0.5 * ((x - m) / s) ** 2;
const normalParam = (x: number, m: number, s: number): number => -Math.log(s) - 0.5 * ((x - m) / s) ** 2; // s a parameter
const lognormal = (x: number, m: number, s: number): number => -Math.log(x) - 0.5 * ((Math.log(x) - m) / s) ** 2;
const beta = (x: number, a: number, b: number): number => (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x);
const studentT = (y: number, nu: number, mu: number, s: number): number =>
  -Math.log(s) - ((nu + 1) / 2) * Math.log1p(((y - mu) / s) ** 2 / nu);

function stanLp(model: Model, d: Data, draw: Float64Array, likelihood: Likelihood, learned: boolean): number {
  const at = (name: string): number => {
    const i = model.constrainedNames.indexOf(name);
    if (i < 0) throw new Error(`no ${name}`);
    return draw[i]!;
  };
  const N = num(d, 'N');
  const G = num(d, 'G');
  const C = num(d, 'C');
  const K = num(d, 'K');
  const markets = model.markets;
  const channels = model.channels;
  const controls = model.controls;
  const market = vec(d, 'market');
  let lp = 0;
  // Jacobians of constrained parameters (Stan adds them to lp__).
  const positive = (x: number): number => Math.log(x);

  // H: data, or computed as in the README's learned-transforms block.
  let H = mat(d, 'H');
  if (learned) {
    const xg = mat(d, 'x_grid');
    const gridStart = vec(d, 'grid_start');
    const row = vec(d, 'obs_grid_row');
    H = Array.from({ length: N }, () => new Array<number>(C).fill(0));
    for (let c = 0; c < C; c++) {
      const ch = channels[c]!;
      const a0 = at(`adstock_alpha[${ch}]`);
      const K0 = at(`sat_K[${ch}]`);
      const S0 = at(`sat_S[${ch}]`);
      const kappa = num(d, 'adstock_alpha_concentration');
      lp += beta(a0, kappa * vec(d, 'alpha0')[c]!, kappa * (1 - vec(d, 'alpha0')[c]!)) + Math.log(a0) + Math.log1p(-a0);
      lp += lognormal(K0, Math.log(vec(d, 'K0')[c]!), num(d, 'sat_K_sd')) + positive(K0);
      lp += lognormal(S0, Math.log(vec(d, 'S0')[c]!), num(d, 'sat_S_sd')) + positive(S0);
      const L = vec(d, 'lags')[c]!;
      const delayed = vec(d, 'adstock_delayed')[c]! === 1;
      const th = vec(d, 'adstock_theta')[c]!;
      const w = Array.from({ length: L }, (_, l) => (delayed ? Math.pow(a0, (l - th) ** 2) : Math.pow(a0, l)));
      const sw = w.reduce((x, y) => x + y, 0);
      for (let n = 0; n < N; n++) {
        const r = row[n]!; // 1-based
        const week = r - gridStart[market[n]! - 1]!; // 0-based week in its market
        let a = 0;
        for (let l = 1; l <= Math.min(L, week + 1); l++) a += (w[l - 1]! / sw) * xg[r - l]![c]!;
        H[n]![c] = a > 0 ? Math.pow(a, S0) / (Math.pow(K0, S0) + Math.pow(a, S0)) : 0;
      }
    }
  }

  const pa = vec(d, 'prior_alpha_mu');
  const pd = vec(d, 'prior_delta');
  const pg = vec(d, 'prior_gamma');
  const pc = vec(d, 'prior_gamma_control');
  const pb = vec(d, 'prior_beta_log_mu');
  const mu = new Array<number>(N).fill(0);
  const sigmaOf: number[] = [];
  const F = mat(d, 'F');
  const Xc = mat(d, 'Xc');
  const tau = vec(d, 'tau');
  const kind = model.kind;
  if (kind === 'hierarchical') {
    const amu = at('alpha_mu');
    const asig = at('alpha_sigma');
    lp += normal(amu, pa[0]!, pa[1]!) + normal(asig, 0, num(d, 'prior_alpha_sigma')) + positive(asig);
    for (let g = 0; g < G; g++) lp += normal(at(`alpha_z[${markets[g]}]`), 0, 1) + normal(at(`delta[${markets[g]}]`), pd[0]!, pd[1]!);
    for (let k = 1; k <= 4; k++) lp += normal(at(`gamma[${k}]`), pg[0]!, pg[1]!);
    for (let j = 0; j < K; j++) lp += normal(at(`gamma_control[${controls[j]}]`), pc[0]!, pc[1]!);
    for (let c = 0; c < C; c++) {
      const bs = at(`beta_sigma[${channels[c]}]`);
      lp += normal(at(`beta_log_mu[${channels[c]}]`), pb[0]!, pb[1]!) + normal(bs, 0, num(d, 'prior_beta_sigma')) + positive(bs);
      for (let g = 0; g < G; g++) lp += normal(at(`beta_z[${markets[g]},${channels[c]}]`), 0, 1);
    }
    for (let g = 0; g < G; g++) {
      const s = at(`sigma[${markets[g]}]`);
      lp += normal(s, 0, num(d, 'prior_sigma')) + positive(s);
      sigmaOf.push(s);
    }
    for (let n = 0; n < N; n++) {
      const m = markets[market[n]! - 1]!;
      // transformed parameters, recomputed from the primaries as the Stan program does
      const alpha = amu + asig * at(`alpha_z[${m}]`);
      let v = alpha + at(`delta[${m}]`) * tau[n]!;
      for (let k = 0; k < 4; k++) v += F[n]![k]! * at(`gamma[${k + 1}]`);
      for (let j = 0; j < K; j++) v += Xc[n]![j]! * at(`gamma_control[${controls[j]}]`);
      for (let c = 0; c < C; c++) {
        const b = Math.exp(at(`beta_log_mu[${channels[c]}]`) + at(`beta_sigma[${channels[c]}]`) * at(`beta_z[${m},${channels[c]}]`));
        v += b * H[n]![c]!;
      }
      mu[n] = v;
    }
  } else {
    const sets = kind === 'pooled' ? [''] : [...markets];
    const nm = (base: string, s: string, rest?: string): string => {
      const parts = [s, rest].filter((x): x is string => x !== undefined && x !== '');
      return parts.length === 0 ? base : `${base}[${parts.join(',')}]`;
    };
    for (const s of sets) {
      lp += normal(at(nm('alpha', s)), pa[0]!, pa[1]!) + normal(at(nm('delta', s)), pd[0]!, pd[1]!);
      for (let k = 1; k <= 4; k++) lp += normal(at(nm('gamma', s, String(k))), pg[0]!, pg[1]!);
      for (let j = 0; j < K; j++) lp += normal(at(nm('gamma_control', s, controls[j])), pc[0]!, pc[1]!);
      for (let c = 0; c < C; c++) {
        const b = at(nm('beta', s, channels[c]));
        lp += lognormal(b, pb[0]!, pb[1]!) + positive(b);
      }
      const sg = at(nm('sigma', s));
      lp += normal(sg, 0, num(d, 'prior_sigma')) + positive(sg);
    }
    for (let g = 0; g < G; g++) sigmaOf.push(at(nm('sigma', sets.length === 1 ? '' : markets[g]!)));
    for (let n = 0; n < N; n++) {
      const s = sets.length === 1 ? '' : markets[market[n]! - 1]!;
      let v = at(nm('alpha', s)) + at(nm('delta', s)) * tau[n]!;
      for (let k = 0; k < 4; k++) v += F[n]![k]! * at(nm('gamma', s, String(k + 1)));
      for (let j = 0; j < K; j++) v += Xc[n]![j]! * at(nm('gamma_control', s, controls[j]));
      for (let c = 0; c < C; c++) v += at(nm('beta', s, channels[c])) * H[n]![c]!;
      mu[n] = v;
    }
  }
  const y = vec(d, 'y');
  for (let n = 0; n < N; n++) {
    const s = sigmaOf[market[n]! - 1]!;
    lp += likelihood === 'normal' ? normalParam(y[n]!, mu[n]!, s) : studentT(y[n]!, num(d, 'nu'), mu[n]!, s);
  }
  return lp;
}

describe("logDensity = Stan's lp__ of the README programs", () => {
  const panel = smallPanel();
  for (const kind of ['hierarchical', 'unpooled', 'pooled'] as ModelKind[]) {
    for (const learned of [false, true]) {
      for (const likelihood of ['normal', 'student-t'] as Likelihood[]) {
        test(`${kind}, ${learned ? 'learned' : 'fixed'}, ${likelihood}`, () => {
          const model = buildModel(panel, { kind, learnTransforms: learned, likelihood });
          const data = model.stanData();
          const rng = seedrandom(`${kind}${learned}${likelihood}`);
          for (let rep = 0; rep < 3; rep++) {
            const theta = Float64Array.from({ length: model.dim }, () => -1.5 + 3 * rng());
            const lp = model.logDensity(theta);
            const expected = stanLp(model, data, model.constrain(theta), likelihood, learned);
            expect(Math.abs(lp - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
          }
        });
      }
    }
  }

  test('learned transforms across weeks without spend (the geometric recursion restarts at exactly 0), far from the mode', () => {
    // DE has no meta (geometric) spend in its weeks 2–11, longer than the 8-week window: there H
    // must be exactly 0, as in the convolution, whatever rounding the recursion carried.
    let row = 0;
    const lines = smallCsv().trimEnd().split('\n');
    const metaCol = lines[0]!.split(',').indexOf('meta_spend');
    const text = lines
      .map((line, i) => {
        const cells = line.split(',');
        if (i === 0 || cells[1] !== 'DE') return line;
        if (row >= 2 && row <= 11) cells[metaCol] = '0';
        row++;
        return cells.join(',');
      })
      .join('\n');
    const panel = buildPanel(parseMarketingCsv(text + '\n', { controls: ['price'] }));
    for (const kind of ['hierarchical', 'pooled'] as ModelKind[]) {
      const model = buildModel(panel, { kind, learnTransforms: true });
      const data = model.stanData();
      const rng = seedrandom(`gap${kind}`);
      for (let rep = 0; rep < 20; rep++) {
        const theta = Float64Array.from({ length: model.dim }, () => -2.5 + 5 * rng());
        const lp = model.logDensity(theta);
        const expected = stanLp(model, data, model.constrain(theta), 'normal', true);
        expect(Math.abs(lp - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
      }
    }
  });

  test('stanData shapes', () => {
    const model = buildModel(panel, { kind: 'pooled' });
    const d = model.stanData();
    expect(d.N).toBe(panel.numObs);
    expect((d.H as number[][]).length).toBe(panel.numObs);
    expect((d.H as number[][])[0]!.length).toBe(3);
    expect((d.x_grid as number[][]).length).toBe(panel.numGrid);
    expect(d.grid_start).toEqual([1, 15, 26]);
    expect(d.grid_len).toEqual([14, 11, 9]);
    expect(Math.min(...(d.market as number[]))).toBe(1);
    expect(d.adstock_delayed).toEqual([0, 1, 0]);
  });
});
