// Hand-coded log densities (with analytic gradients) of posteriordb reference posteriors, on
// Stan's unconstrained scale, for testing the sampler against posteriordb's reference draws.
//
// References
// - posteriordb, github.com/stan-dev/posteriordb (commit 28f8d3d6e975315f42aa274a8399f21e07a43b30):
//   the Stan programs copied next to the data in test/fixtures/posteriordb/<name>/model.stan.
// - Stan Reference Manual, "Constraint Transforms": lower bound (x = exp(u), log|J| = u),
//   lower and upper bound (x = a + (b - a) inv_logit(u),
//   log|J| = log(b - a) + log_inv_logit(u) + log1m_inv_logit(u)), ordered vectors
//   (x[1] = u[1], x[k] = x[k-1] + exp(u[k]), log|J| = sum_{k>1} u[k]).
// - I. Murray (2016), "Differentiation of the Cholesky decomposition", arXiv:1602.07527
//   (forward-mode derivative of the Cholesky factor, used by gp_pois_regr).
//
// Deviations from Stan
// - Constant terms are dropped, as Stan drops them for `~` statements; the one place where Stan
//   keeps them (`target += log_mix(..., normal_lpdf(...), normal_lpdf(...))` in
//   low_dim_gauss_mix) drops only -0.5 log(2 pi), which factors out of the mixture. So the
//   log densities differ from Stan's `lp__` by a constant.
// - Outside the support (overflowing transforms, a non-positive-definite covariance) the log
//   density is -Infinity (a rejected proposal) instead of an exception.
//
// Every factory preallocates its scratch buffers; logDensityAndGradient allocates nothing.
// Unconstrained coordinates are in Stan's order (declaration order, one block after another).
// `parameterNames` names the unconstrained coordinates after the Stan parameter they encode
// (as BridgeStan's param_unc_names does); `constrainedNames` names what `constrain` writes,
// in the order of posteriordb's reference draws (which may include transformed parameters,
// e.g. eight_schools' `theta`, and omit auxiliary parameters such as `theta_trans`).

/** A log density on the unconstrained scale plus the map to posteriordb's reference parameters. */
export interface PosteriordbTarget {
  readonly dim: number;
  readonly parameterNames: string[];
  /** Names of the `constrain` outputs, matching `reference.json`'s `parameter_names`. */
  readonly constrainedNames: string[];
  /** Log density (up to a constant) at `theta`; writes the gradient into `gradOut`. */
  logDensityAndGradient(theta: Float64Array, gradOut: Float64Array): number;
  /** Writes the reference parameters (constrained scale) for the unconstrained point `theta`. */
  constrain(theta: Float64Array, out: Float64Array): void;
}

// ---------------------------------------------------------------------------------------------
// Scalar helpers

/** log(1 + exp(x)) without overflow. */
function log1pExp(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** 1 / (1 + exp(-u)) without overflow. */
function invLogit(u: number): number {
  if (u >= 0) return 1 / (1 + Math.exp(-u));
  const e = Math.exp(u);
  return e / (1 + e);
}

function indexedNames(name: string, length: number): string[] {
  return Array.from({ length }, (_, i) => `${name}[${i + 1}]`);
}

function finiteOrMinusInfinity(lp: number): number {
  return Number.isFinite(lp) ? lp : -Infinity;
}

// ---------------------------------------------------------------------------------------------
// Data checks (the fixtures are JSON; these are the only boundary checks, kept small)

type Json = Record<string, unknown>;

function readInt(data: Json, key: string, model: string): number {
  const value = data[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new Error(`${model}: data field "${key}" must be a non-negative integer, got ${JSON.stringify(value)}.`);
  }
  return value;
}

function readReal(data: Json, key: string, model: string): number {
  const value = data[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${model}: data field "${key}" must be a finite number, got ${JSON.stringify(value)}.`);
  }
  return value;
}

function readVector(data: Json, key: string, length: number, model: string): Float64Array {
  const value = data[key];
  if (!Array.isArray(value) || value.length !== length) {
    throw new Error(`${model}: data field "${key}" must be an array of length ${length}.`);
  }
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const v: unknown = value[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(`${model}: data field "${key}[${i + 1}]" must be a finite number, got ${JSON.stringify(v)}.`);
    }
    out[i] = v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// eight_schools-eight_schools_noncentered
//
//   parameters { vector[J] theta_trans; real mu; real<lower=0> tau; }
//   transformed parameters { theta = theta_trans * tau + mu; }
//   model { theta_trans ~ normal(0, 1); y ~ normal(theta, sigma); mu ~ normal(0, 5);
//           tau ~ cauchy(0, 5); }
//
// Unconstrained: theta_trans[1..J], mu, log(tau).

export function buildEightSchoolsNoncentered(data: Json): PosteriordbTarget {
  const model = 'eight_schools_noncentered';
  const numSchools = readInt(data, 'J', model);
  const y = readVector(data, 'y', numSchools, model);
  const sigma = readVector(data, 'sigma', numSchools, model);
  const invVar = sigma.map((s) => 1 / (s * s));
  const iMu = numSchools;
  const iTau = numSchools + 1;
  return {
    dim: numSchools + 2,
    parameterNames: [...indexedNames('theta_trans', numSchools), 'mu', 'tau'],
    constrainedNames: [...indexedNames('theta', numSchools), 'mu', 'tau'],
    logDensityAndGradient(q, g) {
      const mu = q[iMu]!;
      const logTau = q[iTau]!;
      const tau = Math.exp(logTau);
      let lp = 0;
      let dMu = 0;
      let dTau = 0; // d lp / d tau from the likelihood
      for (let j = 0; j < numSchools; j++) {
        const t = q[j]!;
        const resid = y[j]! - (mu + tau * t);
        const r = resid * invVar[j]!;
        lp += -0.5 * t * t - 0.5 * resid * r;
        g[j] = -t + tau * r;
        dMu += r;
        dTau += r * t;
      }
      // mu ~ normal(0, 5)
      lp -= (mu * mu) / 50;
      dMu -= mu / 25;
      // tau ~ cauchy(0, 5), plus the log-Jacobian log(tau) of tau = exp(u)
      const s2 = (tau * tau) / 25;
      lp += -Math.log1p(s2) + logTau;
      g[iMu] = dMu;
      g[iTau] = tau * dTau - (2 * s2) / (1 + s2) + 1;
      return finiteOrMinusInfinity(lp);
    },
    constrain(q, out) {
      const mu = q[iMu]!;
      const tau = Math.exp(q[iTau]!);
      for (let j = 0; j < numSchools; j++) out[j] = q[j]! * tau + mu;
      out[iMu] = mu;
      out[iTau] = tau;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// kidiq-kidscore_momiq
//
//   parameters { vector[2] beta; real<lower=0> sigma; }
//   model { sigma ~ cauchy(0, 2.5); kid_score ~ normal(beta[1] + beta[2] * mom_iq, sigma); }
//
// Unconstrained: beta[1], beta[2], log(sigma). beta has an improper flat prior.

export function buildKidiqKidscoreMomiq(data: Json): PosteriordbTarget {
  const model = 'kidscore_momiq';
  const n = readInt(data, 'N', model);
  const kidScore = readVector(data, 'kid_score', n, model);
  const momIq = readVector(data, 'mom_iq', n, model);
  return {
    dim: 3,
    parameterNames: ['beta[1]', 'beta[2]', 'sigma'],
    constrainedNames: ['beta[1]', 'beta[2]', 'sigma'],
    logDensityAndGradient(q, g) {
      const b1 = q[0]!;
      const b2 = q[1]!;
      const logSigma = q[2]!;
      const invVar = Math.exp(-2 * logSigma);
      let sumR = 0;
      let sumRX = 0;
      let sumR2 = 0;
      for (let i = 0; i < n; i++) {
        const x = momIq[i]!;
        const r = kidScore[i]! - b1 - b2 * x;
        sumR += r;
        sumRX += r * x;
        sumR2 += r * r;
      }
      const sigma = Math.exp(logSigma);
      const s2 = (sigma * sigma) / 6.25; // cauchy(0, 2.5)
      const lp = -n * logSigma - 0.5 * sumR2 * invVar - Math.log1p(s2) + logSigma;
      g[0] = sumR * invVar;
      g[1] = sumRX * invVar;
      g[2] = -n + sumR2 * invVar - (2 * s2) / (1 + s2) + 1;
      return finiteOrMinusInfinity(lp);
    },
    constrain(q, out) {
      out[0] = q[0]!;
      out[1] = q[1]!;
      out[2] = Math.exp(q[2]!);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// arK-arK
//
//   parameters { real alpha; array[K] real beta; real<lower=0> sigma; }
//   model { alpha ~ normal(0, 10); beta ~ normal(0, 10); sigma ~ cauchy(0, 2.5);
//           for (t in (K + 1):T) y[t] ~ normal(alpha + sum_k beta[k] * y[t - k], sigma); }
//
// Unconstrained: alpha, beta[1..K], log(sigma).

export function buildArK(data: Json): PosteriordbTarget {
  const model = 'arK';
  const numLags = readInt(data, 'K', model);
  const numTimes = readInt(data, 'T', model);
  const y = readVector(data, 'y', numTimes, model);
  if (numTimes <= numLags) throw new Error(`${model}: need T > K, got T=${numTimes}, K=${numLags}.`);
  const iSigma = numLags + 1;
  const numObs = numTimes - numLags;
  const gradBeta = new Float64Array(numLags);
  return {
    dim: numLags + 2,
    parameterNames: ['alpha', ...indexedNames('beta', numLags), 'sigma'],
    constrainedNames: ['alpha', ...indexedNames('beta', numLags), 'sigma'],
    logDensityAndGradient(q, g) {
      const alpha = q[0]!;
      const logSigma = q[iSigma]!;
      gradBeta.fill(0);
      let sumR = 0;
      let sumR2 = 0;
      for (let t = numLags; t < numTimes; t++) {
        let mu = alpha;
        for (let k = 0; k < numLags; k++) mu += q[1 + k]! * y[t - k - 1]!;
        const r = y[t]! - mu;
        sumR += r;
        sumR2 += r * r;
        for (let k = 0; k < numLags; k++) gradBeta[k]! += r * y[t - k - 1]!;
      }
      const invVar = Math.exp(-2 * logSigma);
      const sigma = Math.exp(logSigma);
      const s2 = (sigma * sigma) / 6.25; // cauchy(0, 2.5)
      let lp = -numObs * logSigma - 0.5 * sumR2 * invVar - Math.log1p(s2) + logSigma;
      lp -= (alpha * alpha) / 200; // normal(0, 10)
      g[0] = sumR * invVar - alpha / 100;
      for (let k = 0; k < numLags; k++) {
        const b = q[1 + k]!;
        lp -= (b * b) / 200;
        g[1 + k] = gradBeta[k]! * invVar - b / 100;
      }
      g[iSigma] = -numObs + sumR2 * invVar - (2 * s2) / (1 + s2) + 1;
      return finiteOrMinusInfinity(lp);
    },
    constrain(q, out) {
      for (let i = 0; i < iSigma; i++) out[i] = q[i]!;
      out[iSigma] = Math.exp(q[iSigma]!);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// kilpisjarvi_mod-kilpisjarvi
//
//   parameters { real alpha; real beta; real<lower=0> sigma; }
//   model { alpha ~ normal(pmualpha, psalpha); beta ~ normal(pmubeta, psbeta);
//           y ~ normal(alpha + beta * x, sigma); }
//
// Unconstrained: alpha, beta, log(sigma). sigma has an improper flat prior on (0, inf).

export function buildKilpisjarvi(data: Json): PosteriordbTarget {
  const model = 'kilpisjarvi';
  const n = readInt(data, 'N', model);
  const x = readVector(data, 'x', n, model);
  const y = readVector(data, 'y', n, model);
  const muAlpha = readReal(data, 'pmualpha', model);
  const sdAlpha = readReal(data, 'psalpha', model);
  const muBeta = readReal(data, 'pmubeta', model);
  const sdBeta = readReal(data, 'psbeta', model);
  return {
    dim: 3,
    parameterNames: ['alpha', 'beta', 'sigma'],
    constrainedNames: ['alpha', 'beta', 'sigma'],
    logDensityAndGradient(q, g) {
      const alpha = q[0]!;
      const beta = q[1]!;
      const logSigma = q[2]!;
      let sumR = 0;
      let sumRX = 0;
      let sumR2 = 0;
      for (let i = 0; i < n; i++) {
        const xi = x[i]!;
        const r = y[i]! - alpha - beta * xi;
        sumR += r;
        sumRX += r * xi;
        sumR2 += r * r;
      }
      const invVar = Math.exp(-2 * logSigma);
      const za = (alpha - muAlpha) / sdAlpha;
      const zb = (beta - muBeta) / sdBeta;
      const lp = -0.5 * za * za - 0.5 * zb * zb - n * logSigma - 0.5 * sumR2 * invVar + logSigma;
      g[0] = sumR * invVar - za / sdAlpha;
      g[1] = sumRX * invVar - zb / sdBeta;
      g[2] = -n + sumR2 * invVar + 1;
      return finiteOrMinusInfinity(lp);
    },
    constrain(q, out) {
      out[0] = q[0]!;
      out[1] = q[1]!;
      out[2] = Math.exp(q[2]!);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// low_dim_gauss_mix-low_dim_gauss_mix
//
//   parameters { ordered[2] mu; array[2] real<lower=0> sigma; real<lower=0, upper=1> theta; }
//   model { sigma ~ normal(0, 2); mu ~ normal(0, 2); theta ~ beta(5, 5);
//           for (n in 1:N) target += log_mix(theta, normal_lpdf(y[n] | mu[1], sigma[1]),
//                                                   normal_lpdf(y[n] | mu[2], sigma[2])); }
//
// Unconstrained: mu[1], log(mu[2] - mu[1]), log(sigma[1]), log(sigma[2]), logit(theta).

export function buildLowDimGaussMix(data: Json): PosteriordbTarget {
  const model = 'low_dim_gauss_mix';
  const n = readInt(data, 'N', model);
  const y = readVector(data, 'y', n, model);
  return {
    dim: 5,
    parameterNames: ['mu[1]', 'mu[2]', 'sigma[1]', 'sigma[2]', 'theta'],
    constrainedNames: ['mu[1]', 'mu[2]', 'sigma[1]', 'sigma[2]', 'theta'],
    logDensityAndGradient(q, g) {
      const mu1 = q[0]!;
      const gapU = q[1]!;
      const gap = Math.exp(gapU);
      const mu2 = mu1 + gap;
      const logSigma1 = q[2]!;
      const logSigma2 = q[3]!;
      const sigma1 = Math.exp(logSigma1);
      const sigma2 = Math.exp(logSigma2);
      const thetaU = q[4]!;
      const theta = invLogit(thetaU);
      const logTheta = -log1pExp(-thetaU);
      const log1mTheta = -log1pExp(thetaU);
      const inv1 = 1 / sigma1;
      const inv2 = 1 / sigma2;
      const c1 = logTheta - logSigma1;
      const c2 = log1mTheta - logSigma2;
      let lp = 0;
      let dMu1 = 0;
      let dMu2 = 0;
      let dSigma1 = 0; // d lp / d log(sigma1), likelihood part
      let dSigma2 = 0;
      let w1Sum = 0; // sum of responsibilities of component 1
      for (let i = 0; i < n; i++) {
        const yi = y[i]!;
        const z1 = (yi - mu1) * inv1;
        const z2 = (yi - mu2) * inv2;
        const a = c1 - 0.5 * z1 * z1;
        const b = c2 - 0.5 * z2 * z2;
        let w1: number;
        if (a >= b) {
          const e = Math.exp(b - a);
          lp += a + Math.log1p(e);
          w1 = 1 / (1 + e);
        } else {
          const e = Math.exp(a - b);
          lp += b + Math.log1p(e);
          w1 = e / (1 + e);
        }
        const w2 = 1 - w1;
        w1Sum += w1;
        dMu1 += w1 * z1 * inv1;
        dMu2 += w2 * z2 * inv2;
        dSigma1 += w1 * (z1 * z1 - 1);
        dSigma2 += w2 * (z2 * z2 - 1);
      }
      // d lp / d theta = sum_i (w1_i / theta - w2_i / (1 - theta)); times d theta / d u = theta (1 - theta)
      const dThetaU = w1Sum * (1 - theta) - (n - w1Sum) * theta;
      // Priors: mu ~ normal(0, 2), sigma ~ normal(0, 2), theta ~ beta(5, 5).
      lp += -(mu1 * mu1 + mu2 * mu2) / 8 - (sigma1 * sigma1 + sigma2 * sigma2) / 8;
      lp += 4 * logTheta + 4 * log1mTheta;
      dMu1 -= mu1 / 4;
      dMu2 -= mu2 / 4;
      // Log-Jacobians: ordered (gapU), lower bound (log sigma), logit (log theta + log(1 - theta)).
      lp += gapU + logSigma1 + logSigma2 + logTheta + log1mTheta;
      g[0] = dMu1 + dMu2;
      g[1] = dMu2 * gap + 1;
      g[2] = dSigma1 - (sigma1 * sigma1) / 4 + 1;
      g[3] = dSigma2 - (sigma2 * sigma2) / 4 + 1;
      // beta(5, 5) prior: 4 (1 - theta) - 4 theta; Jacobian: (1 - theta) - theta.
      g[4] = dThetaU + 5 * (1 - theta) - 5 * theta;
      return finiteOrMinusInfinity(lp);
    },
    constrain(q, out) {
      out[0] = q[0]!;
      out[1] = q[0]! + Math.exp(q[1]!);
      out[2] = Math.exp(q[2]!);
      out[3] = Math.exp(q[3]!);
      out[4] = invLogit(q[4]!);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// gp_pois_regr-gp_pois_regr
//
//   parameters { real<lower=0> rho; real<lower=0> alpha; vector[N] f_tilde; }
//   transformed parameters {
//     cov = gp_exp_quad_cov(x, alpha, rho) + diag_matrix(rep_vector(1e-10, N));
//     f = cholesky_decompose(cov) * f_tilde; }
//   model { rho ~ gamma(25, 4); alpha ~ normal(0, 2); f_tilde ~ normal(0, 1);
//           k ~ poisson_log(f); }
//
// Unconstrained: log(rho), log(alpha), f_tilde[1..N]. gp_exp_quad_cov(x, alpha, rho)[i, j] =
// alpha^2 exp(-(x_i - x_j)^2 / (2 rho^2)). The gradient with respect to the two
// hyperparameters uses forward-mode differentiation of the Cholesky factor (Murray 2016).

const GP_JITTER = 1e-10;

export function buildGpPoisRegr(data: Json): PosteriordbTarget {
  const model = 'gp_pois_regr';
  const n = readInt(data, 'N', model);
  if (n < 1) throw new Error(`${model}: need N >= 1, got N=${n}.`);
  const x = readVector(data, 'x', n, model);
  const k = readVector(data, 'k', n, model);
  const sqDist = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) sqDist[i * n + j] = (x[i]! - x[j]!) ** 2;
  }
  // Lower triangles (row-major n x n) of the covariance, its derivatives with respect to
  // log(rho) and log(alpha), the Cholesky factor and the factor's two derivatives.
  const cov = new Float64Array(n * n);
  const dCovRho = new Float64Array(n * n);
  const dCovAlpha = new Float64Array(n * n);
  const chol = new Float64Array(n * n);
  const dCholRho = new Float64Array(n * n);
  const dCholAlpha = new Float64Array(n * n);
  const f = new Float64Array(n);
  const dfRho = new Float64Array(n);
  const dfAlpha = new Float64Array(n);
  const resid = new Float64Array(n);

  /** Fills `chol`, `dCholRho`, `dCholAlpha`; false if the covariance is not positive definite. */
  function factor(logRho: number, logAlpha: number): boolean {
    const alpha2 = Math.exp(2 * logAlpha);
    const invRho2 = Math.exp(-2 * logRho);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        const ij = i * n + j;
        const d2 = sqDist[ij]! * invRho2;
        const kernel = alpha2 * Math.exp(-0.5 * d2);
        cov[ij] = kernel + (i === j ? GP_JITTER : 0);
        dCovRho[ij] = kernel * d2; // d/d log(rho)
        dCovAlpha[ij] = 2 * kernel; // d/d log(alpha)
      }
    }
    for (let j = 0; j < n; j++) {
      const jj = j * n + j;
      let s = cov[jj]!;
      let sRho = dCovRho[jj]!;
      let sAlpha = dCovAlpha[jj]!;
      for (let m = 0; m < j; m++) {
        const ljm = chol[j * n + m]!;
        s -= ljm * ljm;
        sRho -= 2 * ljm * dCholRho[j * n + m]!;
        sAlpha -= 2 * ljm * dCholAlpha[j * n + m]!;
      }
      if (!(s > 0)) return false;
      const ljj = Math.sqrt(s);
      const dljjRho = sRho / (2 * ljj);
      const dljjAlpha = sAlpha / (2 * ljj);
      chol[jj] = ljj;
      dCholRho[jj] = dljjRho;
      dCholAlpha[jj] = dljjAlpha;
      for (let i = j + 1; i < n; i++) {
        const ij = i * n + j;
        let t = cov[ij]!;
        let tRho = dCovRho[ij]!;
        let tAlpha = dCovAlpha[ij]!;
        for (let m = 0; m < j; m++) {
          const lim = chol[i * n + m]!;
          const ljm = chol[j * n + m]!;
          t -= lim * ljm;
          tRho -= dCholRho[i * n + m]! * ljm + lim * dCholRho[j * n + m]!;
          tAlpha -= dCholAlpha[i * n + m]! * ljm + lim * dCholAlpha[j * n + m]!;
        }
        const lij = t / ljj;
        chol[ij] = lij;
        dCholRho[ij] = (tRho - lij * dljjRho) / ljj;
        dCholAlpha[ij] = (tAlpha - lij * dljjAlpha) / ljj;
      }
    }
    return true;
  }

  return {
    dim: n + 2,
    parameterNames: ['rho', 'alpha', ...indexedNames('f_tilde', n)],
    constrainedNames: ['rho', 'alpha', ...indexedNames('f', n)],
    logDensityAndGradient(q, g) {
      const logRho = q[0]!;
      const logAlpha = q[1]!;
      if (!factor(logRho, logAlpha)) return -Infinity;
      const rho = Math.exp(logRho);
      const alpha = Math.exp(logAlpha);
      let lp = 0;
      for (let i = 0; i < n; i++) {
        let fi = 0;
        let fiRho = 0;
        let fiAlpha = 0;
        for (let m = 0; m <= i; m++) {
          const z = q[2 + m]!;
          fi += chol[i * n + m]! * z;
          fiRho += dCholRho[i * n + m]! * z;
          fiAlpha += dCholAlpha[i * n + m]! * z;
        }
        f[i] = fi;
        dfRho[i] = fiRho;
        dfAlpha[i] = fiAlpha;
        const rate = Math.exp(fi);
        lp += k[i]! * fi - rate; // poisson_log, dropping -lgamma(k + 1)
        resid[i] = k[i]! - rate; // d lp / d f[i]
      }
      let gRho = 0;
      let gAlpha = 0;
      for (let i = 0; i < n; i++) {
        gRho += resid[i]! * dfRho[i]!;
        gAlpha += resid[i]! * dfAlpha[i]!;
      }
      // f_tilde ~ normal(0, 1); gradient through f = L f_tilde is L^T resid.
      for (let m = 0; m < n; m++) {
        const z = q[2 + m]!;
        lp -= 0.5 * z * z;
        let s = -z;
        for (let i = m; i < n; i++) s += chol[i * n + m]! * resid[i]!;
        g[2 + m] = s;
      }
      // rho ~ gamma(25, 4): 24 log(rho) - 4 rho; alpha ~ normal(0, 2); log-Jacobians log(rho), log(alpha).
      lp += 25 * logRho - 4 * rho - (alpha * alpha) / 8 + logAlpha;
      g[0] = gRho + 25 - 4 * rho;
      g[1] = gAlpha - (alpha * alpha) / 4 + 1;
      return finiteOrMinusInfinity(lp);
    },
    constrain(q, out) {
      out[0] = Math.exp(q[0]!);
      out[1] = Math.exp(q[1]!);
      if (!factor(q[0]!, q[1]!)) {
        for (let i = 0; i < n; i++) out[2 + i] = Number.NaN;
        return;
      }
      for (let i = 0; i < n; i++) {
        let fi = 0;
        for (let m = 0; m <= i; m++) fi += chol[i * n + m]! * q[2 + m]!;
        out[2 + i] = fi;
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Registry

export const POSTERIORDB_BUILDERS = {
  'eight_schools-eight_schools_noncentered': buildEightSchoolsNoncentered,
  'kidiq-kidscore_momiq': buildKidiqKidscoreMomiq,
  'arK-arK': buildArK,
  'kilpisjarvi_mod-kilpisjarvi': buildKilpisjarvi,
  'low_dim_gauss_mix-low_dim_gauss_mix': buildLowDimGaussMix,
  'gp_pois_regr-gp_pois_regr': buildGpPoisRegr,
} as const satisfies Record<string, (data: Json) => PosteriordbTarget>;

export type PosteriordbName = keyof typeof POSTERIORDB_BUILDERS;

export const POSTERIORDB_NAMES = Object.keys(POSTERIORDB_BUILDERS) as PosteriordbName[];
