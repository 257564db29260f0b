/**
 * Draws from a model's prior: the prior of every unconstrained coordinate (`coordinatePriors`)
 * and one joint draw returned as a constrained draw (`priorDraw`), for simulation-based
 * calibration (Talts et al. 2018: θ̃ ~ π(θ), ỹ ~ π(y | θ̃), then fit ỹ) and prior predictive
 * checks.
 *
 * The priors are the ones the log density uses (model-spec §5, priors.ts, the terms' headers),
 * coordinate by coordinate on the unconstrained vector the sampler moves in:
 * - Normal priors on identity coordinates (`alpha_mu`, `alpha[g]`, `delta`, `gamma`,
 *   `gamma_control`, `beta_log_mu[c]`) and the non-centred standard normals (`alpha_z`, `beta_z`,
 *   `tv_z`);
 * - a LogNormal on a positive parameter is a Normal on u = log x (`beta_log` of the unpooled and
 *   pooled media effects: Normal(beta_log_mu prior); learned Hill K, S, Weibull shape and scale,
 *   logistic/Michaelis–Menten λ, tanh b and c: Normal(log x0, sd), transform-kinds.ts);
 * - half-normal scales (`alpha_sigma`, `beta_sigma[c]`, `sigma`, `tv_sigma[c]`): x = |s·z|,
 *   u = log x;
 * - the learned adstock rate: α ~ Beta(κ·α0, κ·(1 − α0)) as the ratio of two gamma variates,
 *   u = logit α.
 * The transformed parameters (`alpha[g]`, `beta_mu[c]`, `beta[g,c]` of the hierarchical model,
 * `tv_multiplier`) follow from `model.constrain`, exactly as for a posterior draw.
 *
 * Not supported (a ModelError says so): ROAS priors (`priors.roas`), whose mapping onto the
 * media coefficient needs the model's design (roas-priors.ts), which `Model` does not expose.
 *
 * Coordinates are recognised by their unconstrained names (layout.ts, README "Parameter layout")
 * and, for learned transforms, by `layout.transformOffset`; a name this file does not know is an
 * error, so a new parameter cannot be drawn from a wrong prior silently.
 * test/prior-draw.test.ts checks that log prior(θ) − log prior(θ') computed from these priors
 * equals the model's lp − log-likelihood differences, and the moments of many draws.
 */
import { ModelError } from './errors.js';
import type { Model } from './model.js';
import { softplus } from './math.js';
import { gammaVariate, standardNormal, type Rng } from './random.js';
import { channelSlots, logNormalPrior } from './transform-kinds.js';

/** The prior of one unconstrained coordinate u. */
export type CoordinatePrior =
  /** u ~ Normal(mean, sd): an unbounded parameter, or log x of a LogNormal parameter. */
  | { readonly kind: 'normal'; readonly mean: number; readonly sd: number }
  /** exp(u) ~ HalfNormal(scale). */
  | { readonly kind: 'half_normal'; readonly scale: number }
  /** inverse-logit(u) ~ Beta(a, b). */
  | { readonly kind: 'beta'; readonly a: number; readonly b: number };

const normal = (mean: number, sd: number): CoordinatePrior => ({ kind: 'normal', mean, sd });
const halfNormal = (scale: number): CoordinatePrior => ({ kind: 'half_normal', scale });
const STANDARD_NORMAL = normal(0, 1);

/** The prior of every unconstrained coordinate of `model`, in `model.parameterNames` order. */
export function coordinatePriors(model: Model): CoordinatePrior[] {
  const pr = model.priors;
  if (Object.keys(pr.roas).length > 0) {
    throw new ModelError(
      'MODEL_INVALID_OPTIONS',
      `coordinatePriors: ROAS priors (priors.roas: ${Object.keys(pr.roas).join(', ')}) are not supported for prior draws; their mapping onto the media coefficient needs the model's design. Draw without them.`,
    );
  }
  const byBase: Readonly<Record<string, CoordinatePrior>> = {
    alpha_mu: normal(...pr.alpha_mu.normal),
    alpha: normal(...pr.alpha_mu.normal),
    alpha_sigma_log: halfNormal(pr.alpha_sigma.half_normal),
    alpha_z: STANDARD_NORMAL,
    delta: normal(...pr.delta.normal),
    gamma: normal(...pr.gamma.normal),
    gamma_control: normal(...pr.gamma_control.normal),
    beta_log_mu: normal(...pr.beta_log_mu.normal),
    beta_log: normal(...pr.beta_log_mu.normal),
    beta_sigma_log: halfNormal(pr.beta_sigma.half_normal),
    beta_z: STANDARD_NORMAL,
    sigma_log: halfNormal(pr.sigma.half_normal),
    tv_sigma_log: halfNormal(pr.tv_sigma.half_normal),
    tv_z: STANDARD_NORMAL,
  };
  const out: (CoordinatePrior | undefined)[] = model.parameterNames.map((name) => byBase[name.replace(/\[.*$/, '')]);
  // Learned transforms: one slot per (channel, slot) with its kind's prior.
  const L = model.layout;
  for (let c = 0; c < model.channels.length; c++) {
    const t = model.transforms[c]!;
    const names = channelSlots(t).names;
    for (let j = 0; j < 4; j++) {
      const i = L.transformOffset[c * 4 + j]!;
      if (i < 0) continue;
      const name = names[j]!;
      if (name === 'alpha') {
        const k = pr.adstock_alpha_concentration;
        out[i] = { kind: 'beta', a: k * t.alpha, b: k * (1 - t.alpha) };
      } else {
        const p = logNormalPrior(t, name, pr);
        out[i] = normal(p.logCentre, p.sd);
      }
    }
  }
  return out.map((p, i) => {
    if (p === undefined) {
      throw new ModelError('MODEL_INVALID_INPUT', `coordinatePriors: no prior is known for the coordinate "${model.parameterNames[i]}"; prior-draw.ts must learn it.`);
    }
    return p;
  });
}

/**
 * log p(u) of one coordinate up to a constant: the kernel the log density adds for it, with the
 * Jacobian of u (Normal −½z²; half-normal −½(eᵘ/s)² + u; Beta on the logit scale
 * −a·log(1 + e⁻ᵘ) − b·log(1 + eᵘ)).
 */
export function logPriorKernel(prior: CoordinatePrior, u: number): number {
  switch (prior.kind) {
    case 'normal': {
      const z = (u - prior.mean) / prior.sd;
      return -0.5 * z * z;
    }
    case 'half_normal': {
      const z = Math.exp(u) / prior.scale;
      return -0.5 * z * z + u;
    }
    case 'beta':
      return -prior.a * softplus(-u) - prior.b * softplus(u);
  }
}

/** One draw of u from its prior (consumes a fixed number of uniforms except for Beta priors). */
export function drawCoordinate(prior: CoordinatePrior, rng: Rng): number {
  switch (prior.kind) {
    case 'normal':
      return prior.mean + prior.sd * standardNormal(rng);
    case 'half_normal': {
      let x = 0;
      while (!(x > 0)) x = Math.abs(prior.scale * standardNormal(rng));
      return Math.log(x);
    }
    case 'beta': {
      const ga = gammaVariate(rng, prior.a);
      const gb = gammaVariate(rng, prior.b);
      // logit(ga / (ga + gb)), without forming the ratio.
      return Math.log(ga) - Math.log(gb);
    }
  }
}

/**
 * A draw from the prior of `model`: every unconstrained coordinate from `coordinatePriors`
 * (independent, in `parameterNames` order), constrained with `model.constrain` (so the
 * transformed parameters are those of the drawn parameters). `priors` may be passed when the
 * caller already has them (many draws). Returns the constrained draw, `constrainedNames` order.
 */
export function priorDraw(model: Model, rng: Rng, priors: readonly CoordinatePrior[] = coordinatePriors(model)): Float64Array {
  const theta = new Float64Array(model.dim);
  for (let i = 0; i < theta.length; i++) theta[i] = drawCoordinate(priors[i]!, rng);
  return model.constrain(theta);
}
