/**
 * The maps between the unconstrained vector θ the sampler moves in and the constrained draw
 * written out (layout.ts): `constrain` (parameters and the transformed parameters a Stan fit
 * reports: alpha[g], beta_mu[c], beta[g,c] of the hierarchical model, tv_multiplier[c,k]),
 * `unconstrain` (for user inits; transformed parameters are ignored), `logJacobian` and
 * Stan's default `initialPoint`.
 *
 * Stan's conventions: `<lower=0>` parameters are u = log x (log-Jacobian u), `<lower=0,
 * upper=1>` parameters u = logit x (log-Jacobian log x + log(1 − x)); the default
 * initialization is uniform(−2, 2) on every unconstrained coordinate.
 */
import type { ModelData } from './design.js';
import { ModelError } from './errors.js';
import { EXP, IDENTITY, INV_LOGIT } from './layout.js';
import { invLogit, softplus } from './math.js';
import { configError } from './options.js';
import type { Rng } from './random.js';
import { walk, type TimeVaryingTerm } from './terms/time-varying.js';

export function checkLength(fn: string, name: string, value: ArrayLike<number>, expected: number): void {
  if (value === null || value === undefined || value.length !== expected) {
    throw new ModelError(
      'MODEL_INVALID_INPUT',
      `${fn}: ${name} has length ${value?.length}, expected ${expected} (${fn === 'constrain' || fn === 'logJacobian' ? 'dim' : 'constrainedDim'})`,
    );
  }
}

export function checkOut(fn: string, out: Float64Array, expected: number): void {
  if (!(out instanceof Float64Array) || out.length < expected) {
    throw new ModelError(
      'MODEL_INVALID_INPUT',
      `${fn}: out must be a Float64Array of length >= ${expected}, got ${out instanceof Float64Array ? out.length : typeof out}`,
    );
  }
}

export function constrain(data: ModelData, tv: TimeVaryingTerm, theta: Float64Array, out: Float64Array): Float64Array {
  const L = data.layout;
  checkLength('constrain', 'theta', theta, L.dim);
  checkLength('constrain', 'out', out, L.constrainedDim);
  const d = L.dim;
  for (let i = 0; i < d; i++) {
    const u = theta[i]!;
    const t = L.transform[i];
    out[L.target[i]!] = t === IDENTITY ? u : t === EXP ? Math.exp(u) : invLogit(u);
  }
  const o = L.offsets;
  if (L.kind === 'hierarchical') {
    const { G, C } = data;
    const amu = theta[o.alphaMu]!;
    const asig = Math.exp(theta[o.alphaSigma]!);
    for (let g = 0; g < G; g++) out[L.alphaIndex[g]!] = amu + asig * theta[o.alphaZ + g]!;
    for (let c = 0; c < C; c++) out[L.betaMuIndex[c]!] = Math.exp(theta[o.betaLogMu + c]!);
    for (let g = 0; g < G; g++) {
      for (let c = 0; c < C; c++) {
        const s = Math.exp(theta[o.betaSigma + c]!);
        out[L.betaIndex[g * C + c]!] = Math.exp(theta[o.betaLogMu + c]! + s * theta[o.betaZ + g * C + c]!);
      }
    }
  }
  const T = tv.count;
  if (T > 0) {
    const J = tv.numKnots;
    const W = new Float64Array(J);
    for (let i = 0; i < T; i++) {
      walk(theta, o.tvZ + i * (J - 1), Math.exp(theta[o.tvSigma + i]!), W, 0, J, null);
      for (let k = 0; k < J; k++) out[L.tvMultiplierIndex[i * J + k]!] = Math.exp(W[k]!);
    }
  }
  return out;
}

export function unconstrain(data: ModelData, constrained: ArrayLike<number> | Readonly<Record<string, number>>): Float64Array {
  const L = data.layout;
  const d = L.dim;
  const theta = new Float64Array(d);
  const isArray = typeof (constrained as ArrayLike<number>).length === 'number';
  if (isArray) checkLength('unconstrain', 'constrained', constrained as ArrayLike<number>, L.constrainedDim);
  for (let i = 0; i < d; i++) {
    const ci = L.target[i]!;
    const name = L.constrainedNames[ci]!;
    let value: number | undefined;
    if (isArray) value = (constrained as ArrayLike<number>)[ci];
    else value = (constrained as Readonly<Record<string, number>>)[name];
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw new ModelError('MODEL_INVALID_INPUT', `unconstrain: missing or non-numeric value for "${name}"`);
    }
    const t = L.transform[i];
    let u: number;
    if (t === IDENTITY) u = value;
    else if (t === EXP) {
      if (!(value > 0)) {
        throw new ModelError('MODEL_INVALID_INPUT', `unconstrain: "${name}" = ${value}; it must be > 0`);
      }
      u = Math.log(value);
    } else {
      if (!(value > 0 && value < 1)) {
        throw new ModelError('MODEL_INVALID_INPUT', `unconstrain: "${name}" = ${value}; it must be in (0, 1)`);
      }
      u = Math.log(value) - Math.log1p(-value);
    }
    if (!Number.isFinite(u)) {
      throw new ModelError('MODEL_INVALID_INPUT', `unconstrain: "${name}" = ${value} is not finite on the unconstrained scale`);
    }
    theta[i] = u;
  }
  return theta;
}

export function logJacobian(data: ModelData, theta: Float64Array): number {
  const L = data.layout;
  checkLength('logJacobian', 'theta', theta, L.dim);
  let lj = 0;
  for (let i = 0; i < L.dim; i++) {
    const t = L.transform[i];
    const u = theta[i]!;
    if (t === EXP) lj += u;
    else if (t === INV_LOGIT) lj -= softplus(-u) + softplus(u);
  }
  return lj;
}

export function initialPoint(dim: number, rng: Rng, options: { radius?: number }): Float64Array {
  const radius = options.radius ?? 2;
  if (!(radius >= 0 && Number.isFinite(radius))) configError(`initialPoint: radius = ${radius}; expected a finite number >= 0`);
  const theta = new Float64Array(dim);
  for (let i = 0; i < dim; i++) theta[i] = -radius + 2 * radius * rng();
  return theta;
}
