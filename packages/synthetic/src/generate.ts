// The scenario generator: true parameters drawn from the hierarchical model of model-spec.md §5,
// data generated as in §7, with the media design H computed exactly as the model computes it
// (§2 per-market-channel max scaling over observed rows, §3 channel-default adstock along the
// market's complete weekly grid with gaps contributing zero spend, then Hill).
import { fourierFeatures } from '@tributary/data';
import { applyAdstock, buildAdstockSpec, channelDefaults, hill } from '@tributary/transforms';
import type { ScenarioConfig, TransformSettings } from './config.js';
import { validateScenarioConfig } from './config.js';
import { dayOfYear, isoToMs, shiftWeeks } from './dates.js';
import { demandDriver, driftMultiplier } from './drivers.js';
import { ScenarioConfigError } from './errors.js';
import { formatLiftTests, liftResponseSum, type LiftTestTruth } from './lift.js';
import { standardNormal, streamRng } from './rng.js';
import { spendPattern } from './spend.js';

/** One market-week as written to the CSV (money rounded to cents). */
export interface SyntheticRow {
  readonly date: string;
  readonly country: string;
  /** Spend per channel column. */
  readonly spend: Readonly<Record<string, number>>;
  /** The target (revenue) value. */
  readonly target: number;
}

/** Facts about one market in the ground truth. */
export interface MarketTruth {
  readonly size: number;
  readonly first_date: string;
  readonly last_date: string;
  readonly num_weeks: number;
  readonly num_rows: number;
  readonly gap_dates: readonly string[];
  /** Mean observed target: what the fit divides by (model-spec.md §2). */
  readonly y_scale: number;
  /** `size / y_scale`; the fit sees `y_s = u · scale_ratio`. */
  readonly scale_ratio: number;
  readonly total_spend: number;
  readonly total_revenue: number;
  readonly spend_share: number;
}

/** Contents of `ground_truth.json`. Parameter names are Stan-style, as in the fitted model. */
export interface GroundTruth {
  readonly scenario: string;
  readonly description: string;
  readonly seed: number;
  readonly generator: string;
  readonly target: string;
  readonly first_date: string;
  readonly end_date: string;
  /** Largest week index `t` (the trend is `τ = t / t_max`). */
  readonly t_max: number;
  readonly markets: readonly string[];
  readonly channels: readonly string[];
  readonly num_rows: number;
  /** Total spend / total revenue over all rows. */
  readonly spend_share: number;
  readonly market_sizes: Readonly<Record<string, number>>;
  readonly y_scale: Readonly<Record<string, number>>;
  readonly scale_ratio: Readonly<Record<string, number>>;
  readonly market_info: Readonly<Record<string, MarketTruth>>;
  /** The transforms used to build H (normalized adstock weights). */
  readonly transforms: Readonly<Record<string, TransformSettings>>;
  /** Every true parameter by Stan-style name: `alpha[DE]`, `gamma[1]`, `beta[DE,meta_spend]`, ... */
  readonly parameters: Readonly<Record<string, number>>;
  readonly alpha: Readonly<Record<string, number>>;
  readonly delta: Readonly<Record<string, number>>;
  readonly sigma: Readonly<Record<string, number>>;
  readonly gamma: readonly number[];
  readonly beta_log_mu: Readonly<Record<string, number>>;
  readonly beta_mu: Readonly<Record<string, number>>;
  readonly beta_sigma: Readonly<Record<string, number>>;
  readonly beta: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** True ROAS per market and channel (model-spec.md §6), `roas[market][channel]`. */
  readonly roas: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** True media contribution in money over the observed weeks, `contribution[market][channel]`. */
  readonly contribution: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Total spend over the observed weeks, `spend[market][channel]`. */
  readonly spend: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Derived quantities by Stan-style name: `roas[DE,meta_spend]`, `contrib[DE,meta_spend]`. */
  readonly derived: Readonly<Record<string, number>>;
  /** The hidden demand driver, when the scenario has one (`biased`). */
  readonly confounder?: ConfounderTruth;
  /** The effect multiplier m(t), when the scenario has one (`drift`). */
  readonly drift?: DriftTruth;
  /** The simulated lift tests with their true lifts, when the scenario has any (`biased`). */
  readonly lift_tests?: readonly LiftTestTruth[];
  /** The configuration that generated the data (with the seed, reproduces it exactly). */
  readonly config: ScenarioConfig;
  readonly notes: readonly string[];
}

/** The unobserved demand driver of the `biased` scenario, in the ground truth. */
export interface ConfounderTruth {
  readonly channel: string;
  /** AR(1) coefficient φ. */
  readonly ar: number;
  /** κ: spend pattern × exp(κ·z). */
  readonly spend_sensitivity: number;
  /** ρ: u += ρ·z. */
  readonly revenue_effect: number;
  /** z per market on its complete weekly grid (first_date .. last_date of the market, gap weeks included). */
  readonly z: Readonly<Record<string, readonly number[]>>;
  /** Correlation of z with the channel's spend over the observed weeks, per market. */
  readonly spend_correlation: Readonly<Record<string, number>>;
}

/** The effect multiplier of the `drift` scenario, in the ground truth. */
export interface DriftTruth {
  readonly channel: string;
  /** The configured shape (before normalization). */
  readonly start: number;
  readonly end: number;
  readonly bumps: readonly { readonly height: number; readonly center: number; readonly width: number }[];
  /** Mean of the raw shape over t = 0..t_max: m(t) = raw(t) / raw_mean. */
  readonly raw_mean: number;
  /** m(t) for every global week t = 0..t_max (date = first_date + 7·t days). */
  readonly multiplier: readonly number[];
  /** Mean of m(t) over the observed weeks of each market. */
  readonly market_mean: Readonly<Record<string, number>>;
}

export interface GeneratedScenario {
  readonly rows: readonly SyntheticRow[];
  /** CSV text: `date,country,<spend columns>,<target>`, one row per market-week, LF line ends. */
  readonly csv: string;
  readonly groundTruth: GroundTruth;
  /** Text of `lift_tests.csv` (`market,channel,start,end,delta_spend,lift,lift_se`), when the scenario has lift tests. */
  readonly liftTestsCsv?: string;
  /** Text of `truth_multiplier.csv` (`date,t,channel,multiplier`), when the scenario has a drifting effect. */
  readonly multiplierCsv?: string;
}

const NOTES: readonly string[] = [
  'Data: u[n] = alpha[g] + delta[g]*tau[n] + F[n].gamma + sum_c beta[g,c]*H[n,c] + sigma[g]*eps[n], eps ~ Normal(0,1) iid; y = size[g]*u, rounded to cents.',
  'alpha[g] is not drawn: it is set so that u averages exactly 1 over the observed weeks of market g before noise. alpha_mu and alpha_sigma are the mean and sd of alpha[g] over markets.',
  'beta_log_mu[c] and beta_sigma[c] are fixed by the scenario (not drawn); beta[g,c] = exp(beta_log_mu[c] + beta_sigma[c]*beta_z[g,c]) with beta_z ~ Normal(0,1) drawn (truncated to |beta_z| <= betaZLimit where the channel sets one), or implied by a betaOverrides entry.',
  'H is computed exactly as the model does: x = spend / max over the observed rows of that market-channel, adstock along the market grid (gap weeks spend 0), channel-default transforms, then Hill.',
  'Scale: parameters are stated for u = y / size. The fit sees y_s = y / y_scale = u * scale_ratio[g], scale_ratio = size / y_scale = 1 / (mean observed u), within about 1-2% of 1 (the realized mean of the noise). Multiply alpha, delta, beta and sigma of market g by scale_ratio[g] for the exact fitted-scale values; the shared gamma becomes gamma*scale_ratio[g], which one shared gamma matches only to that 1-2%.',
  'roas[g,c] = contrib[g,c] / spend[g,c] with contrib[g,c] = beta[g,c]*size[g]*sum_n H[n,c] (money the media actually generated). This equals the model-spec 6 formula beta*y_scale*sum H evaluated at the fitted-scale beta (beta*scale_ratio), so it is what a perfect fit reports.',
];

/**
 * Generates a scenario: drawn true parameters, weekly spend and revenue per market, the CSV text
 * and the ground truth. Deterministic: the same config and seed give byte-identical output.
 */
export function generateScenario(config: ScenarioConfig, seed: number): GeneratedScenario {
  validateScenarioConfig(config);
  if (!Number.isFinite(seed)) {
    throw new ScenarioConfigError(`seed = ${seed} must be a finite number (an integer such as 42).`, ['seed']);
  }
  const target = config.target ?? 'streaming_revenue';
  const markets = config.markets.map((m) => m.name);
  const channels = config.channels.map((c) => c.name);
  const numChannels = channels.length;

  const maxWeeks = Math.max(...config.markets.map((m) => m.numWeeks));
  const firstDate = shiftWeeks(config.endDate, -(maxWeeks - 1));
  const tMax = maxWeeks - 1;

  const transforms: Record<string, TransformSettings> = {};
  for (const c of config.channels) transforms[c.name] = c.transform ?? defaultTransform(c.name);

  // Hidden drivers of the calibration scenarios (absent in VOLTA and divergent).
  const confounder = config.confounder;
  const drift = config.drift ? driftMultiplier(config.drift, tMax) : undefined;
  const driftIndex = config.drift ? channels.indexOf(config.drift.channel) : -1;
  const liftTests = config.liftTests ?? [];
  const liftTruth: (LiftTestTruth | undefined)[] = liftTests.map(() => undefined);
  const zOf: Record<string, number[]> = {};
  const zSpendCorr: Record<string, number> = {};
  const driftMarketMean: Record<string, number> = {};

  // Shared seasonality.
  const gamma = config.seasonality.gamma
    ? [...config.seasonality.gamma]
    : drawNormals(streamRng(seed, 'gamma'), 4).map((z) => config.seasonality.sd * z);

  const parameters: Record<string, number> = {};
  const alphaOf: Record<string, number> = {};
  const deltaOf: Record<string, number> = {};
  const sigmaOf: Record<string, number> = {};
  const betaOf: Record<string, Record<string, number>> = {};
  const betaZ: Record<string, Record<string, number>> = {};
  const roasOf: Record<string, Record<string, number>> = {};
  const contribOf: Record<string, Record<string, number>> = {};
  const spendOf: Record<string, Record<string, number>> = {};
  const marketInfo: Record<string, MarketTruth> = {};
  const rows: SyntheticRow[] = [];
  let totalSpendAll = 0;
  let totalRevenueAll = 0;

  for (const m of config.markets) {
    const g = m.name;
    const numWeeks = m.numWeeks;
    const start = shiftWeeks(config.endDate, -(numWeeks - 1));
    const t0 = Math.round((isoToMs(start) - isoToMs(firstDate)) / (7 * 86_400_000));
    const gaps = new Set(m.gapWeeks ?? []);
    const observed = Array.from({ length: numWeeks }, (_, w) => !gaps.has(w));
    const dates = Array.from({ length: numWeeks }, (_, w) => shiftWeeks(start, w));
    const seasonal = dates.map(
      (d) => 1 + config.spendSeasonality * Math.cos((2 * Math.PI * (dayOfYear(d) - 340)) / 365.25),
    );

    // The unobserved demand driver of this market (biased scenario).
    const z = confounder ? demandDriver(streamRng(seed, 'demand', g), numWeeks, confounder.ar) : undefined;

    // Spend (cents) per channel on the market grid, 0 in gap weeks; then H as the model builds it.
    const spend: Float64Array[] = [];
    const H: Float64Array[] = [];
    const X: Float64Array[] = [];
    const spendMax: number[] = [];
    const a = new Float64Array(numWeeks);
    for (const c of config.channels) {
      const pattern = spendPattern(streamRng(seed, 'spend', g, c.name), {
        numWeeks,
        observed,
        burstiness: c.burstiness,
        campaignWeeks: c.campaignWeeks ?? 4,
        seasonal,
      });
      if (z && confounder && c.name === confounder.channel) followDriver(pattern, z, confounder.spendSensitivity, observed);
      const jitter = config.spendMixJitter;
      const mix = Math.exp(jitter * standardNormal(streamRng(seed, 'mix', g, c.name)) - 0.5 * jitter * jitter);
      const level = c.spendShare * m.size * mix;
      const s = new Float64Array(numWeeks);
      let max = 0;
      for (let w = 0; w < numWeeks; w++) {
        s[w] = observed[w] ? cents(level * pattern[w]!) : 0;
        if (s[w]! > max) max = s[w]!;
      }
      if (!(max > 0)) {
        throw new ScenarioConfigError(
          `Market ${g}, channel ${c.name}: every week rounds to zero spend; raise spendShare or the market size.`,
          [`${g}/${c.name}`],
        );
      }
      const x = new Float64Array(numWeeks);
      for (let w = 0; w < numWeeks; w++) x[w] = s[w]! / max;
      const t = transforms[c.name]!;
      applyAdstock(x, buildAdstockSpec(t), a);
      const h = new Float64Array(numWeeks);
      hill(a, t.K, t.S, h);
      spend.push(s);
      H.push(h);
      X.push(x);
      spendMax.push(max);
    }

    // True parameters of this market.
    const delta = config.trend.mu + config.trend.sd * standardNormal(streamRng(seed, 'delta', g));
    const sigma = m.sigma ?? config.noise.sigma * Math.exp(config.noise.jitter * standardNormal(streamRng(seed, 'sigma', g)));
    const betas: number[] = [];
    betaOf[g] = {};
    betaZ[g] = {};
    for (const c of config.channels) {
      const logMu = Math.log(c.betaMu);
      const override = c.betaOverrides?.[g];
      let z: number;
      let beta: number;
      if (override !== undefined) {
        beta = override;
        z = c.betaSigma > 0 ? (Math.log(beta) - logMu) / c.betaSigma : 0;
      } else {
        const rng = streamRng(seed, 'beta', g, c.name);
        const limit = c.betaZLimit ?? Infinity;
        do z = standardNormal(rng);
        while (Math.abs(z) > limit);
        beta = Math.exp(logMu + c.betaSigma * z);
      }
      betas.push(beta);
      betaOf[g][c.name] = beta;
      betaZ[g][c.name] = z;
    }

    // Mean structure without alpha, then alpha so that u averages 1 over the observed weeks.
    const mean = new Float64Array(numWeeks);
    const F = new Float64Array(4);
    let sumMean = 0;
    let numRows = 0;
    for (let w = 0; w < numWeeks; w++) {
      const t = t0 + w;
      const tau = tMax > 0 ? t / tMax : 0;
      fourierFeatures(t, F);
      let mu = delta * tau;
      for (let k = 0; k < 4; k++) mu += F[k]! * gamma[k]!;
      for (let c = 0; c < numChannels; c++) mu += betas[c]! * (c === driftIndex ? drift!.multiplier[t]! : 1) * H[c]![w]!;
      if (z && confounder) mu += confounder.revenueEffect * z[w]!;
      mean[w] = mu;
      if (observed[w]) {
        sumMean += mu;
        numRows++;
      }
    }
    const alpha = 1 - sumMean / numRows;

    // Revenue.
    const noiseRng = streamRng(seed, 'noise', g);
    let totalRevenue = 0;
    let totalSpend = 0;
    const marketRows: SyntheticRow[] = [];
    for (let w = 0; w < numWeeks; w++) {
      const eps = standardNormal(noiseRng); // drawn for every grid week, so gaps do not shift the stream
      if (!observed[w]) continue;
      const u = alpha + mean[w]! + sigma * eps;
      const y = cents(m.size * u);
      if (y < 0) {
        throw new ScenarioConfigError(
          `Market ${g}, week ${dates[w]}: generated revenue ${y} is negative (u = ${u.toFixed(3)}). ` +
            'Lower the noise sigma, the trend or the media effects (betaMu, betaSigma) of this scenario.',
          [`${g}/${dates[w]}`],
        );
      }
      const rowSpend: Record<string, number> = {};
      for (let c = 0; c < numChannels; c++) {
        rowSpend[channels[c]!] = spend[c]![w]!;
        totalSpend += spend[c]![w]!;
      }
      totalRevenue += y;
      marketRows.push({ date: dates[w]!, country: g, spend: rowSpend, target: y });
    }
    rows.push(...marketRows);
    totalSpendAll += totalSpend;
    totalRevenueAll += totalRevenue;

    const yScale = totalRevenue / numRows;
    const scaleRatio = m.size / yScale;

    // Contributions and ROAS (model-spec.md §6) over the observed weeks.
    roasOf[g] = {};
    contribOf[g] = {};
    spendOf[g] = {};
    for (let c = 0; c < numChannels; c++) {
      let sumH = 0;
      let sumSpend = 0;
      for (let w = 0; w < numWeeks; w++) {
        if (!observed[w]) continue;
        sumH += (c === driftIndex ? drift!.multiplier[t0 + w]! : 1) * H[c]![w]!;
        sumSpend += spend[c]![w]!;
      }
      const contrib = betas[c]! * m.size * sumH;
      const name = channels[c]!;
      roasOf[g][name] = contrib / sumSpend;
      contribOf[g][name] = cents(contrib);
      spendOf[g][name] = cents(sumSpend);
    }

    // Lift tests in this market: true lift from the noiseless media term, then measurement noise.
    liftTests.forEach((lt, j) => {
      if (lt.market !== g) return;
      const c = channels.indexOf(lt.channel);
      let sumSpend = 0;
      for (let w = 0; w < numWeeks; w++) if (observed[w]) sumSpend += spend[c]![w]!;
      const deltaSpend = Math.round((lt.deltaSpendShare * sumSpend) / numRows);
      const end = lt.startWeek + lt.numWeeks - 1;
      const transform = transforms[lt.channel]!;
      const response = liftResponseSum(X[c]!, lt.startWeek, end, deltaSpend / spendMax[c]!, transform);
      const trueLift = m.size * betas[c]! * response;
      const se = lt.seShare * trueLift;
      const noise = se * standardNormal(streamRng(seed, 'lift', g, lt.channel, dates[lt.startWeek]!));
      liftTruth[j] = {
        market: g,
        channel: lt.channel,
        start: dates[lt.startWeek]!,
        end: dates[end]!,
        delta_spend: deltaSpend,
        lift: cents(trueLift + noise),
        lift_se: cents(se),
        start_t: t0 + lt.startWeek,
        end_t: t0 + end,
        tail_weeks: transform.lMax - 1,
        spend_scale: spendMax[c]!,
        beta: betas[c]!,
        true_lift: trueLift,
        noise,
      };
    });

    if (z && confounder) {
      zOf[g] = Array.from(z);
      const c = channels.indexOf(confounder.channel);
      zSpendCorr[g] = correlation(
        z.filter((_, w) => observed[w]!),
        spend[c]!.filter((_, w) => observed[w]!),
      );
    }
    if (drift) {
      let sum = 0;
      for (let w = 0; w < numWeeks; w++) if (observed[w]) sum += drift.multiplier[t0 + w]!;
      driftMarketMean[g] = sum / numRows;
    }

    alphaOf[g] = alpha;
    deltaOf[g] = delta;
    sigmaOf[g] = sigma;
    marketInfo[g] = {
      size: m.size,
      first_date: start,
      last_date: config.endDate,
      num_weeks: numWeeks,
      num_rows: numRows,
      gap_dates: dates.filter((_, w) => !observed[w]),
      y_scale: yScale,
      scale_ratio: scaleRatio,
      total_spend: cents(totalSpend),
      total_revenue: cents(totalRevenue),
      spend_share: totalSpend / totalRevenue,
    };
  }

  // Parameters by Stan-style name, in the order of the model's parameter layout.
  const alphas = markets.map((g) => alphaOf[g]!);
  const alphaMu = alphas.reduce((s, v) => s + v, 0) / alphas.length;
  const alphaSigma =
    alphas.length > 1 ? Math.sqrt(alphas.reduce((s, v) => s + (v - alphaMu) ** 2, 0) / (alphas.length - 1)) : 0;
  parameters['alpha_mu'] = alphaMu;
  parameters['alpha_sigma'] = alphaSigma;
  for (const g of markets) parameters[`alpha[${g}]`] = alphaOf[g]!;
  for (const g of markets) parameters[`delta[${g}]`] = deltaOf[g]!;
  gamma.forEach((v, k) => (parameters[`gamma[${k + 1}]`] = v));
  const betaLogMu: Record<string, number> = {};
  const betaMu: Record<string, number> = {};
  const betaSigma: Record<string, number> = {};
  for (const c of config.channels) {
    betaLogMu[c.name] = Math.log(c.betaMu);
    betaMu[c.name] = c.betaMu;
    betaSigma[c.name] = c.betaSigma;
  }
  for (const c of channels) parameters[`beta_log_mu[${c}]`] = betaLogMu[c]!;
  for (const c of channels) parameters[`beta_mu[${c}]`] = betaMu[c]!;
  for (const c of channels) parameters[`beta_sigma[${c}]`] = betaSigma[c]!;
  for (const g of markets) for (const c of channels) parameters[`beta_z[${g},${c}]`] = betaZ[g]![c]!;
  for (const g of markets) for (const c of channels) parameters[`beta[${g},${c}]`] = betaOf[g]![c]!;
  for (const g of markets) parameters[`sigma[${g}]`] = sigmaOf[g]!;

  const derived: Record<string, number> = {};
  for (const g of markets) for (const c of channels) derived[`contrib[${g},${c}]`] = contribOf[g]![c]!;
  for (const g of markets) for (const c of channels) derived[`roas[${g},${c}]`] = roasOf[g]![c]!;

  const groundTruth: GroundTruth = {
    scenario: config.name,
    description: config.description,
    seed,
    generator: '@tributary/synthetic',
    target,
    first_date: firstDate,
    end_date: config.endDate,
    t_max: tMax,
    markets,
    channels,
    num_rows: rows.length,
    spend_share: totalSpendAll / totalRevenueAll,
    market_sizes: Object.fromEntries(config.markets.map((m) => [m.name, m.size])),
    y_scale: Object.fromEntries(markets.map((g) => [g, marketInfo[g]!.y_scale])),
    scale_ratio: Object.fromEntries(markets.map((g) => [g, marketInfo[g]!.scale_ratio])),
    market_info: marketInfo,
    transforms,
    parameters,
    alpha: alphaOf,
    delta: deltaOf,
    sigma: sigmaOf,
    gamma,
    beta_log_mu: betaLogMu,
    beta_mu: betaMu,
    beta_sigma: betaSigma,
    beta: betaOf,
    roas: roasOf,
    contribution: contribOf,
    spend: spendOf,
    derived,
    ...(confounder
      ? {
          confounder: {
            channel: confounder.channel,
            ar: confounder.ar,
            spend_sensitivity: confounder.spendSensitivity,
            revenue_effect: confounder.revenueEffect,
            z: zOf,
            spend_correlation: zSpendCorr,
          },
        }
      : {}),
    ...(drift && config.drift
      ? {
          drift: {
            channel: config.drift.channel,
            start: config.drift.start,
            end: config.drift.end,
            bumps: (config.drift.bumps ?? []).map((b) => ({ ...b })),
            raw_mean: drift.rawMean,
            multiplier: Array.from(drift.multiplier),
            market_mean: driftMarketMean,
          },
        }
      : {}),
    ...(liftTests.length > 0 ? { lift_tests: liftTruth.map((l) => l!) } : {}),
    config: structuredClone(config) as ScenarioConfig,
    notes: [
      ...NOTES,
      ...(confounder ? [confounderNote(confounder.channel)] : []),
      ...(liftTests.length > 0 ? [LIFT_NOTE] : []),
      ...(config.drift ? [driftNote(config.drift.channel)] : []),
    ],
  };

  const result: GeneratedScenario = { rows, csv: formatCsv(rows, channels, target), groundTruth };
  return {
    ...result,
    ...(liftTests.length > 0 ? { liftTestsCsv: formatLiftTests(groundTruth.lift_tests!) } : {}),
    ...(drift && config.drift ? { multiplierCsv: formatMultiplier(firstDate, config.drift.channel, drift.multiplier) } : {}),
  };
}

const LIFT_NOTE =
  'lift_tests: true_lift = size[g]*beta[g,c]*sum_{t=start..end+L-1} (h(adstock(x + d/spend_scale on start..end))[t] - h(adstock(x))[t]), ' +
  'x = spend/spend_scale on the market grid (0 in gaps and after the last week), d = delta_spend, L = lMax, true transforms; ' +
  'this is the revenue difference of noiseless simulations with and without the extra spend. lift = true_lift + Normal(0, lift_se), lift_se = seShare*true_lift; both rounded to cents.';

function confounderNote(channel: string): string {
  return (
    `Confounding: z[g,w] is a hidden AR(1) demand driver (sd 1, not in the CSV). ${channel} spend follows it (pattern * exp(kappa*z), renormalized to mean 1) ` +
    'and it raises revenue directly: u += rho*z (included in the mean that alpha centres). A model without z attributes that revenue to ' +
    `${channel}; the true ROAS above excludes it.`
  );
}

function driftNote(channel: string): string {
  return (
    `Time-varying effect: the contribution of ${channel} is beta[g,c]*m(t)*H[n,c], m common to all markets, normalized to mean 1 over t = 0..t_max ` +
    '(drift.multiplier, also truth_multiplier.csv). Contributions and ROAS include m(t): contrib = beta*size*sum_n m(t_n)*H[n,c].'
  );
}

/** `truth_multiplier.csv`: `date,t,channel,multiplier`, one row per global week. */
function formatMultiplier(firstDate: string, channel: string, multiplier: Float64Array): string {
  const lines = ['date,t,channel,multiplier'];
  multiplier.forEach((m, t) => lines.push([shiftWeeks(firstDate, t), String(t), channel, m.toFixed(6)].join(',')));
  return lines.join('\n') + '\n';
}

/**
 * Makes a spend pattern follow the demand driver: each week × exp(κ·z[w]), then renormalized to
 * mean 1 over the observed weeks (so the channel's spend level is unchanged). Dark weeks stay dark.
 */
function followDriver(pattern: Float64Array, z: Float64Array, kappa: number, observed: readonly boolean[]): void {
  let sum = 0;
  let n = 0;
  for (let w = 0; w < pattern.length; w++) {
    pattern[w] = pattern[w]! * Math.exp(kappa * z[w]!);
    if (observed[w]) {
      sum += pattern[w]!;
      n++;
    }
  }
  if (!(sum > 0)) return;
  for (let w = 0; w < pattern.length; w++) pattern[w] = (pattern[w]! * n) / sum;
}

function correlation(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/** CSV text of generated rows: `date,country,<channels>,<target>`, money with two decimals. */
export function formatCsv(rows: readonly SyntheticRow[], channels: readonly string[], target: string): string {
  const lines = [['date', 'country', ...channels, target].join(',')];
  for (const r of rows) {
    lines.push([r.date, r.country, ...channels.map((c) => (r.spend[c] ?? 0).toFixed(2)), r.target.toFixed(2)].join(','));
  }
  return lines.join('\n') + '\n';
}

function defaultTransform(channel: string): TransformSettings {
  const d = channelDefaults(channel);
  return { adstock: d.adstock, alpha: d.alpha, theta: d.theta, K: d.K, S: d.S, lMax: d.lMax };
}

function drawNormals(rng: () => number, n: number): number[] {
  return Array.from({ length: n }, () => standardNormal(rng));
}

/** Round money to cents. */
function cents(v: number): number {
  return Math.round(v * 100) / 100;
}

/** The text of `ground_truth.json`: 2-space indented JSON with a final newline. */
export function formatGroundTruth(groundTruth: GroundTruth): string {
  return `${JSON.stringify(groundTruth, null, 2)}\n`;
}
