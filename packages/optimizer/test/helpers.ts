/**
 * Test helpers: a seeded generator, a small CSV panel built by @tributary/data exactly as the CLI
 * builds it (3 markets of different lengths, one with a gap week, geometric / delayed / fallback
 * adstock channels, a market-channel that never spends), and synthetic posterior draws for any
 * model kind made by constraining jittered unconstrained vectors (so every transformed
 * parameter is consistent).
 */
import { buildPanel, parseMarketingCsv, type Panel } from '@tributary/data';
import { buildModel, type Model, type ModelKind } from '@tributary/models';

/** Deterministic pseudo-random numbers in [0, 1) (no Math.random in packages or tests). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export function normal(rnd: () => number): number {
  const u1 = 1 - rnd();
  const u2 = rnd();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

const DAY = 86_400_000;
const isoDate = (start: string, week: number): string => new Date(Date.parse(`${start}T00:00:00Z`) + week * 7 * DAY).toISOString().slice(0, 10);

/** 3 markets (DE 30 weeks, FR 24 with a gap, SE 16 without tv), channels meta (geometric), radio (delayed), tv (fallback). */
export function smallCsv(): string {
  const rnd = lcg(2024);
  const lines = ['date,country,meta_spend,radio_spend,tv_spend,streaming_revenue'];
  const markets = [
    { name: 'DE', start: '2024-01-01', weeks: 30, size: 100_000, gap: -1, tv: true },
    { name: 'FR', start: '2024-02-05', weeks: 24, size: 60_000, gap: 7, tv: true },
    { name: 'SE', start: '2024-04-01', weeks: 16, size: 20_000, gap: -1, tv: false },
  ];
  for (const m of markets) {
    for (let w = 0; w < m.weeks; w++) {
      if (w === m.gap) continue;
      const meta = Math.round((m.size / 10) * (0.3 + rnd()));
      const radio = w % 3 === 0 ? 0 : Math.round((m.size / 8) * (0.2 + rnd()));
      const tv = m.tv ? Math.round((m.size / 5) * (0.1 + rnd())) : 0;
      const revenue = Math.round(m.size * (1 + 0.2 * rnd()) + 0.8 * meta + 0.5 * radio + 0.3 * tv);
      lines.push([isoDate(m.start, w), m.name, meta, radio, tv, revenue].join(','));
    }
  }
  return lines.join('\n') + '\n';
}

export function smallPanel(): Panel {
  return buildPanel(parseMarketingCsv(smallCsv()));
}

export interface SmallProblem {
  panel: Panel;
  model: Model;
  /** numDraws × constrainedDim, row-major. */
  draws: Float64Array;
  numDraws: number;
}

/**
 * A model of the small panel and `numDraws` synthetic draws: θ = centre + jitter, constrained.
 * Media effects are large enough that plans matter (beta around 0.4 on the scaled target).
 */
export function smallProblem(options: { kind?: ModelKind; learnTransforms?: boolean; numDraws?: number; seed?: number } = {}): SmallProblem {
  const panel = smallPanel();
  const model = buildModel(panel, { kind: options.kind ?? 'hierarchical', learnTransforms: options.learnTransforms === true });
  const numDraws = options.numDraws ?? 120;
  const rnd = lcg(options.seed ?? 11);
  const draws = new Float64Array(numDraws * model.constrainedDim);
  const theta = new Float64Array(model.dim);
  const centre = (name: string, c: number): number => {
    const t = model.transforms[c]!;
    if (name.startsWith('beta_log_mu[') || name.startsWith('beta_log[')) return Math.log(0.4) + 0.4 * ((c * 7) % 3 - 1);
    if (name.startsWith('beta_sigma_log[')) return Math.log(0.3);
    if (name.startsWith('sigma_log')) return Math.log(0.1);
    if (name.startsWith('alpha_sigma_log')) return Math.log(0.1);
    if (name === 'alpha_mu' || name.startsWith('alpha[') || name === 'alpha') return 0.5;
    if (name.startsWith('adstock_alpha_logit[')) return Math.log(t.alpha / (1 - t.alpha));
    if (name.startsWith('sat_K_log[')) return Math.log(t.K);
    if (name.startsWith('sat_S_log[')) return Math.log(t.S);
    return 0;
  };
  const spread = (name: string): number => {
    if (name.startsWith('beta_z[')) return 0.8;
    if (name.startsWith('beta_log')) return 0.25;
    if (name.startsWith('adstock_alpha_logit[')) return 0.3;
    if (name.startsWith('sat_')) return 0.12;
    return 0.05;
  };
  const channelOf = (name: string): number => {
    const m = /[[,]([a-z_]+_spend)\]$/.exec(name);
    return m ? model.channels.indexOf(m[1]!) : 0;
  };
  for (let d = 0; d < numDraws; d++) {
    model.parameterNames.forEach((name, j) => {
      theta[j] = centre(name, Math.max(0, channelOf(name))) + spread(name) * normal(rnd);
    });
    model.constrain(theta, draws.subarray(d * model.constrainedDim, (d + 1) * model.constrainedDim));
  }
  return { panel, model, draws, numDraws };
}
