/**
 * Parameter layout of the three model kinds: the unconstrained vector the sampler moves in,
 * the constrained vector written to draws (Stan-style names, parameters followed by the
 * transformed parameters Stan would report), and the index maps between them.
 *
 * Follows shared/design/model-spec.md §5 and Stan's conventions for constrained parameters:
 * `<lower=0>` parameters are sampled as `u = log x` (Jacobian `u`), `<lower=0, upper=1>` as
 * `u = logit x` (Jacobian `log x + log(1 - x)`). Unconstrained names carry the transform as a
 * suffix (`sigma_log[DE]`, `adstock_alpha_logit[meta_spend]`); indices are 1-based for Fourier
 * terms (`gamma[1]`..`gamma[4]`), names for markets, channels and controls.
 *
 * Unpooled and pooled media effects: the unconstrained parameter is `beta_log[...]` (prior
 * Normal(log 0.15, 1) on it) and the constrained draw reports only `beta[...] = exp(beta_log)`
 * (equivalently, in Stan, `vector<lower=0> beta` with a lognormal prior: same posterior, same
 * `lp__`). The hierarchical model reports `beta_log_mu[c]` and `beta_mu[c] = exp(beta_log_mu[c])`.
 *
 * Time-varying media effects (model.ts, "Time-varying effects"), after everything else:
 * `tv_sigma[c]` (unconstrained `tv_sigma_log[c]`) and the random walk's standardized steps
 * `tv_z[c,k]`, k = 2..J (knot 1 is the walk's origin), per time-varying channel; the
 * constrained draw also reports the transformed `tv_multiplier[c,k]`, k = 1..J (knot k at
 * global week (k − 1)·knot_every).
 *
 * Column layout of the per-market coefficient vector b (shared by all kinds) and of the design
 * row it multiplies, P = 6 + K + C: `[alpha, delta, gamma[1..4], gamma_control[1..K],
 * beta[1..C]]` against `[1, τ, F[1..4], controls[1..K], H[1..C]]`. The column constants below
 * and the accessors `controlColumn(j)`, `mediaColumn(c)`, `coefAt(set, column)` and `setOf(g)`
 * are the only place this arithmetic is written: nothing else in the package spells `6 + K`.
 */

export type ModelKind = 'pooled' | 'unpooled' | 'hierarchical';

/** How an unconstrained coordinate maps to its constrained value. */
export const IDENTITY = 0;
export const EXP = 1;
export const INV_LOGIT = 2;

/** Offsets of each block in the unconstrained vector (-1 when the kind has no such block). */
export interface UnconstrainedOffsets {
  readonly alphaMu: number;
  readonly alphaSigma: number;
  readonly alphaZ: number;
  /** Unpooled (G) / pooled (1) intercepts. */
  readonly alpha: number;
  /** G entries, or 1 when pooled. */
  readonly delta: number;
  /** 4 entries (hierarchical, pooled) or G × 4 (unpooled, market-major). */
  readonly gamma: number;
  /** K entries or G × K (unpooled). */
  readonly gammaControl: number;
  readonly betaLogMu: number;
  readonly betaSigma: number;
  /** G × C, market-major. */
  readonly betaZ: number;
  /** G × C (unpooled) or C (pooled). */
  readonly betaLog: number;
  /** G entries, or 1 when pooled. */
  readonly sigma: number;
  readonly adstockAlpha: number;
  readonly satK: number;
  readonly satS: number;
  /** Time-varying channels: T entries of log step sd, then T × (J − 1) standardized steps. */
  readonly tvSigma: number;
  readonly tvZ: number;
}

/** The time-varying block: which channels (indices) and how many knots each walk has. */
export interface TimeVaryingLayout {
  readonly channels: readonly number[];
  readonly numKnots: number;
}

export interface Layout {
  readonly kind: ModelKind;
  readonly isLearned: boolean;
  readonly numMarkets: number;
  readonly numChannels: number;
  readonly numControls: number;
  /** Number of coefficient sets: 1 when pooled, else G. */
  readonly numSets: number;
  /** Length of b: 6 + K + C. */
  readonly numCoef: number;
  /** Column of control j in b and in the design row (6 + j). */
  controlColumn(j: number): number;
  /** Column of channel c's media coefficient in b and of H[·, c] in the design row (6 + K + c). */
  mediaColumn(c: number): number;
  /** Constrained index of b[set, column] (= coefIndex[set · numCoef + column]). */
  coefAt(set: number, column: number): number;
  /** Coefficient set of market g: 0 when pooled, else g. */
  setOf(g: number): number;
  readonly dim: number;
  readonly parameterNames: readonly string[];
  readonly constrainedDim: number;
  readonly constrainedNames: readonly string[];
  readonly offsets: UnconstrainedOffsets;
  /** Per unconstrained coordinate: index of its constrained value, and its transform. */
  readonly target: Int32Array;
  readonly transform: Uint8Array;
  /** numSets × numCoef: constrained index of b[set, p]. */
  readonly coefIndex: Int32Array;
  /** numSets: constrained index of sigma. */
  readonly sigmaIndex: Int32Array;
  /** C each (learned transforms only, else empty). */
  readonly adstockAlphaIndex: Int32Array;
  readonly satKIndex: Int32Array;
  readonly satSIndex: Int32Array;
  /**
   * Learned transforms: C × 4 (channel-major, slots of transform-kinds.ts: adstock 0, 1,
   * saturation 2, 3) unconstrained and constrained index of each slot's parameter; −1 where the
   * channel's kinds have no such slot (and everywhere when transforms are fixed).
   * adstockAlphaIndex / satKIndex / satSIndex are −1 for channels of other kinds.
   */
  readonly transformOffset: Int32Array;
  readonly transformIndex: Int32Array;
  /** Hierarchical transformed parameters (else empty): alpha[g], beta_mu[c], beta[g,c]. */
  readonly alphaIndex: Int32Array;
  readonly betaMuIndex: Int32Array;
  readonly betaIndex: Int32Array;
  /** Time-varying channel indices (empty when none) and knots per walk. */
  readonly tvChannels: Int32Array;
  readonly tvNumKnots: number;
  /** T × J: constrained index of tv_multiplier[c,k]. */
  readonly tvMultiplierIndex: Int32Array;
}

/** Columns of b and of a design row: intercept, trend τ, the first of the 4 Fourier terms. */
export const INTERCEPT_COLUMN = 0;
export const TREND_COLUMN = 1;
export const FOURIER_COLUMN = 2;
export const FOURIER_TERMS = 4;
/** First control column; the media columns follow the K controls. */
export const CONTROL_COLUMN = FOURIER_COLUMN + FOURIER_TERMS;

interface Builder {
  names: string[];
  push(name: string): number;
}

function builder(): Builder {
  const names: string[] = [];
  return {
    names,
    push(name: string): number {
      names.push(name);
      return names.length - 1;
    },
  };
}

export function buildLayout(
  kind: ModelKind,
  markets: readonly string[],
  channels: readonly string[],
  controls: readonly string[],
  isLearned: boolean,
  timeVarying: TimeVaryingLayout = { channels: [], numKnots: 0 },
  /** Per channel: parameter name per learned slot (null: none); default α, K, S. */
  learnedSlots?: readonly (readonly (string | null)[])[],
): Layout {
  const G = markets.length;
  const C = channels.length;
  const K = controls.length;
  const P = CONTROL_COLUMN + K + C;
  const controlColumn = (j: number): number => CONTROL_COLUMN + j;
  const mediaColumn = (ch: number): number => CONTROL_COLUMN + K + ch;
  const numSets = kind === 'pooled' ? 1 : G;
  const u = builder();
  const c = builder();
  const targets: number[] = [];
  const transforms: number[] = [];
  const coefIndex = new Int32Array(numSets * P).fill(-1);
  const sigmaIndex = new Int32Array(numSets).fill(-1);
  const off: Record<keyof UnconstrainedOffsets, number> = {
    alphaMu: -1, alphaSigma: -1, alphaZ: -1, alpha: -1, delta: -1, gamma: -1, gammaControl: -1,
    betaLogMu: -1, betaSigma: -1, betaZ: -1, betaLog: -1, sigma: -1, adstockAlpha: -1, satK: -1, satS: -1,
    tvSigma: -1, tvZ: -1,
  };
  // A primary parameter: one unconstrained coordinate and its constrained value.
  const primary = (uName: string, cName: string, transform: number): { u: number; c: number } => {
    const ui = u.push(uName);
    const ci = c.push(cName);
    targets.push(ci);
    transforms.push(transform);
    return { u: ui, c: ci };
  };
  const gk = (k: number): string => String(k + 1);
  let alphaIndex = new Int32Array(0);
  let betaMuIndex = new Int32Array(0);
  let betaIndex = new Int32Array(0);

  if (kind === 'hierarchical') {
    off.alphaMu = primary('alpha_mu', 'alpha_mu', IDENTITY).u;
    off.alphaSigma = primary('alpha_sigma_log', 'alpha_sigma', EXP).u;
    alphaIndex = new Int32Array(G);
    for (let g = 0; g < G; g++) {
      const p = primary(`alpha_z[${markets[g]}]`, `alpha_z[${markets[g]}]`, IDENTITY);
      if (g === 0) off.alphaZ = p.u;
    }
    for (let g = 0; g < G; g++) {
      alphaIndex[g] = c.push(`alpha[${markets[g]}]`);
      coefIndex[g * P + INTERCEPT_COLUMN] = alphaIndex[g]!;
    }
    for (let g = 0; g < G; g++) {
      const p = primary(`delta[${markets[g]}]`, `delta[${markets[g]}]`, IDENTITY);
      if (g === 0) off.delta = p.u;
      coefIndex[g * P + TREND_COLUMN] = p.c;
    }
    for (let k = 0; k < FOURIER_TERMS; k++) {
      const p = primary(`gamma[${gk(k)}]`, `gamma[${gk(k)}]`, IDENTITY);
      if (k === 0) off.gamma = p.u;
      for (let g = 0; g < G; g++) coefIndex[g * P + FOURIER_COLUMN + k] = p.c;
    }
    for (let j = 0; j < K; j++) {
      const p = primary(`gamma_control[${controls[j]}]`, `gamma_control[${controls[j]}]`, IDENTITY);
      if (j === 0) off.gammaControl = p.u;
      for (let g = 0; g < G; g++) coefIndex[g * P + controlColumn(j)] = p.c;
    }
    betaMuIndex = new Int32Array(C);
    for (let ch = 0; ch < C; ch++) {
      const p = primary(`beta_log_mu[${channels[ch]}]`, `beta_log_mu[${channels[ch]}]`, IDENTITY);
      if (ch === 0) off.betaLogMu = p.u;
    }
    for (let ch = 0; ch < C; ch++) betaMuIndex[ch] = c.push(`beta_mu[${channels[ch]}]`);
    for (let ch = 0; ch < C; ch++) {
      const p = primary(`beta_sigma_log[${channels[ch]}]`, `beta_sigma[${channels[ch]}]`, EXP);
      if (ch === 0) off.betaSigma = p.u;
    }
    for (let g = 0; g < G; g++) {
      for (let ch = 0; ch < C; ch++) {
        const name = `beta_z[${markets[g]},${channels[ch]}]`;
        const p = primary(name, name, IDENTITY);
        if (g === 0 && ch === 0) off.betaZ = p.u;
      }
    }
    betaIndex = new Int32Array(G * C);
    for (let g = 0; g < G; g++) {
      for (let ch = 0; ch < C; ch++) {
        betaIndex[g * C + ch] = c.push(`beta[${markets[g]},${channels[ch]}]`);
        coefIndex[g * P + mediaColumn(ch)] = betaIndex[g * C + ch]!;
      }
    }
    for (let g = 0; g < G; g++) {
      const p = primary(`sigma_log[${markets[g]}]`, `sigma[${markets[g]}]`, EXP);
      if (g === 0) off.sigma = p.u;
      sigmaIndex[g] = p.c;
    }
  } else {
    const pooled = kind === 'pooled';
    const sets = pooled ? [''] : markets.map((m) => `${m}`);
    const nm = (base: string, set: string, rest?: string): string => {
      const parts = [set, rest].filter((x): x is string => x !== undefined && x !== '');
      return parts.length === 0 ? base : `${base}[${parts.join(',')}]`;
    };
    sets.forEach((s, g) => {
      const p = primary(nm('alpha', s), nm('alpha', s), IDENTITY);
      if (g === 0) off.alpha = p.u;
      coefIndex[g * P + INTERCEPT_COLUMN] = p.c;
    });
    sets.forEach((s, g) => {
      const p = primary(nm('delta', s), nm('delta', s), IDENTITY);
      if (g === 0) off.delta = p.u;
      coefIndex[g * P + TREND_COLUMN] = p.c;
    });
    sets.forEach((s, g) => {
      for (let k = 0; k < FOURIER_TERMS; k++) {
        const p = primary(nm('gamma', s, gk(k)), nm('gamma', s, gk(k)), IDENTITY);
        if (g === 0 && k === 0) off.gamma = p.u;
        coefIndex[g * P + FOURIER_COLUMN + k] = p.c;
      }
    });
    sets.forEach((s, g) => {
      for (let j = 0; j < K; j++) {
        const p = primary(nm('gamma_control', s, controls[j]), nm('gamma_control', s, controls[j]), IDENTITY);
        if (g === 0 && j === 0) off.gammaControl = p.u;
        coefIndex[g * P + controlColumn(j)] = p.c;
      }
    });
    sets.forEach((s, g) => {
      for (let ch = 0; ch < C; ch++) {
        const p = primary(nm('beta_log', s, channels[ch]), nm('beta', s, channels[ch]), EXP);
        if (g === 0 && ch === 0) off.betaLog = p.u;
        coefIndex[g * P + mediaColumn(ch)] = p.c;
      }
    });
    sets.forEach((s, g) => {
      const p = primary(nm('sigma_log', s), nm('sigma', s), EXP);
      if (g === 0) off.sigma = p.u;
      sigmaIndex[g] = p.c;
    });
  }

  // Learned transforms: one block per slot (adstock 0, adstock 1, saturation 0, saturation 1),
  // channels in order within a block, absent slots skipped — for geometric/delayed + Hill this
  // is today's adstock_alpha_logit[·], sat_K_log[·], sat_S_log[·].
  const adstockAlphaIndex = new Int32Array(isLearned ? C : 0).fill(-1);
  const satKIndex = new Int32Array(isLearned ? C : 0).fill(-1);
  const satSIndex = new Int32Array(isLearned ? C : 0).fill(-1);
  const transformOffset = new Int32Array(C * 4).fill(-1);
  const transformIndex = new Int32Array(C * 4).fill(-1);
  if (isLearned) {
    const slotsOf = (ch: number): readonly (string | null)[] => learnedSlots?.[ch] ?? ['alpha', null, 'K', 'S'];
    for (let j = 0; j < 4; j++) {
      for (let ch = 0; ch < C; ch++) {
        const name = slotsOf(ch)[j];
        if (name === null || name === undefined) continue;
        const prefix = j < 2 ? 'adstock' : 'sat';
        const isAlpha = name === 'alpha';
        const p = primary(
          `${prefix}_${name}_${isAlpha ? 'logit' : 'log'}[${channels[ch]}]`,
          `${prefix}_${name}[${channels[ch]}]`,
          isAlpha ? INV_LOGIT : EXP,
        );
        transformOffset[ch * 4 + j] = p.u;
        transformIndex[ch * 4 + j] = p.c;
        if (isAlpha) {
          adstockAlphaIndex[ch] = p.c;
          if (off.adstockAlpha < 0) off.adstockAlpha = p.u;
        } else if (j === 2 && name === 'K') {
          satKIndex[ch] = p.c;
          if (off.satK < 0) off.satK = p.u;
        } else if (j === 3 && name === 'S') {
          satSIndex[ch] = p.c;
          if (off.satS < 0) off.satS = p.u;
        }
      }
    }
  }

  const tvChannels = Int32Array.from(timeVarying.channels);
  const J = tvChannels.length > 0 ? timeVarying.numKnots : 0;
  const tvMultiplierIndex = new Int32Array(tvChannels.length * J);
  tvChannels.forEach((ch, i) => {
    const p = primary(`tv_sigma_log[${channels[ch]}]`, `tv_sigma[${channels[ch]}]`, EXP);
    if (i === 0) off.tvSigma = p.u;
  });
  tvChannels.forEach((ch, i) => {
    for (let k = 1; k < J; k++) {
      const name = `tv_z[${channels[ch]},${k + 1}]`;
      const p = primary(name, name, IDENTITY);
      if (i === 0 && k === 1) off.tvZ = p.u;
    }
  });
  tvChannels.forEach((ch, i) => {
    for (let k = 0; k < J; k++) tvMultiplierIndex[i * J + k] = c.push(`tv_multiplier[${channels[ch]},${k + 1}]`);
  });

  return {
    kind,
    isLearned,
    numMarkets: G,
    numChannels: C,
    numControls: K,
    numSets,
    numCoef: P,
    controlColumn,
    mediaColumn,
    coefAt: (set: number, column: number): number => coefIndex[set * P + column]!,
    setOf: numSets === 1 ? (): number => 0 : (g: number): number => g,
    dim: u.names.length,
    parameterNames: Object.freeze(u.names),
    constrainedDim: c.names.length,
    constrainedNames: Object.freeze(c.names),
    offsets: Object.freeze({ ...off }),
    target: Int32Array.from(targets),
    transform: Uint8Array.from(transforms),
    coefIndex,
    sigmaIndex,
    adstockAlphaIndex,
    satKIndex,
    satSIndex,
    transformOffset,
    transformIndex,
    alphaIndex,
    betaMuIndex,
    betaIndex,
    tvChannels,
    tvNumKnots: J,
    tvMultiplierIndex,
  };
}
