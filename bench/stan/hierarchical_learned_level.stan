// The learned-transform hierarchical model of hierarchical_learned.stan (the same posterior),
// in the SAMPLING COORDINATES Tributary's sampler uses (packages/models/src/coordinates.ts):
// each market's intercept is replaced by its mean level
//   alpha_level[g] = alpha[g] + delta[g]*tau_bar[g] + F_bar[g]*gamma + Z_bar[g]*gamma_control
//                    + sum_c beta[g,c]*H_bar[g,c]
// (means over the market's observed rows; H_bar at the prior-centre transforms, computed here in
// transformed data, then following the learned saturation: H_bar[g,c] is scaled by
// h(a_bar[g,c]; sat_K, sat_S) / h(a_bar[g,c]; K0, S0), a_bar the market's mean positive
// adstocked spend at the prior centres), and alpha is centred: alpha ~ normal(alpha_mu, alpha_sigma). The shear has
// Jacobian 1 and the centring's Jacobian is what `alpha ~ normal(alpha_mu, alpha_sigma)` adds,
// so this is the same posterior as hierarchical_learned.stan. Written for the issue-13
// benchmark: Stan given the same coordinates as Tributary, so the speed ratio measures the
// implementations, not the parameterizations (bench/run-learned-compare.sh --coordinates level).
data {
  int<lower=1> N;
  int<lower=1> G;
  int<lower=1> C;
  int<lower=0> K;
  int<lower=1, upper=G> market[N];
  vector[N] y;          // target / mean observed target of the market
  vector[N] tau;        // t / T_max
  matrix[N, 4] F;       // yearly Fourier terms, order 2
  matrix[N, K] Z;       // user controls
  // learned transforms
  int<lower=1> L;                    // l_max
  matrix<lower=0>[N, L] Xlag[C];     // Xlag[c][n, l + 1] = scaled spend of row n's market, channel c, l weeks earlier
  vector<lower=0>[L] expo[C];        // adstock weight exponents: l (geometric) or (l - theta)^2 (delayed)
  vector<lower=0, upper=1>[N] pos[C];  // 1 if row n's lag window has spend (a > 0), else 0
  vector<lower=0, upper=1>[C] alpha0;  // prior centres (channel defaults)
  vector<lower=0>[C] K0;
  vector<lower=0>[C] S0;
  real<lower=0> adstock_alpha_concentration;
  real<lower=0> sat_K_sd;
  real<lower=0> sat_S_sd;
}
transformed data {
  vector[C] beta_a = adstock_alpha_concentration * alpha0;
  vector[C] beta_b = adstock_alpha_concentration * (1 - alpha0);
  vector[C] log_K0 = log(K0);
  vector[C] log_S0 = log(S0);
  vector[N] nonpos[C];               // 1 where pos = 0: log(a + nonpos) is finite everywhere
  // Per-market means of the design over the observed rows, H at the prior centres.
  vector[G] tau_bar = rep_vector(0, G);
  matrix[G, 4] F_bar = rep_matrix(0, G, 4);
  matrix[G, K] Z_bar = rep_matrix(0, G, K);
  matrix[G, C] H_bar = rep_matrix(0, G, C);
  matrix[G, C] a_bar = rep_matrix(1, G, C);      // mean positive adstock (1 where untracked)
  matrix[G, C] h_ratio = rep_matrix(0, G, C);    // H_bar / h(a_bar; K0, S0), 0 where untracked
  for (c in 1:C) nonpos[c] = 1 - pos[c];
  {
    vector[G] cnt = rep_vector(0, G);
    matrix[G, C] a_sum = rep_matrix(0, G, C);
    matrix[G, C] a_cnt = rep_matrix(0, G, C);
    matrix[N, C] H0;
    for (c in 1:C) {
      vector[L] w = exp(log(alpha0[c]) * expo[c]);
      vector[N] a = Xlag[c] * (w / sum(w));
      H0[:, c] = inv_logit(S0[c] * (log(a + nonpos[c]) - log(K0[c]))) .* pos[c];
      for (n in 1:N) {
        if (pos[c][n] > 0) {
          a_sum[market[n], c] += a[n];
          a_cnt[market[n], c] += 1;
        }
      }
    }
    for (n in 1:N) {
      int g = market[n];
      cnt[g] += 1;
      tau_bar[g] += tau[n];
      F_bar[g] += F[n];
      if (K > 0) Z_bar[g] += Z[n];
      H_bar[g] += H0[n];
    }
    for (g in 1:G) {
      tau_bar[g] /= cnt[g];
      F_bar[g] /= cnt[g];
      if (K > 0) Z_bar[g] /= cnt[g];
      H_bar[g] /= cnt[g];
      for (c in 1:C) {
        if (a_cnt[g, c] > 0) {
          a_bar[g, c] = a_sum[g, c] / a_cnt[g, c];
          h_ratio[g, c] = H_bar[g, c] / inv_logit(S0[c] * (log(a_bar[g, c]) - log(K0[c])));
        }
      }
    }
  }
}
parameters {
  real alpha_mu;
  real<lower=0> alpha_sigma;
  vector[G] alpha_level;
  vector[G] delta;
  vector[4] gamma;
  vector[K] gamma_control;
  vector[C] beta_log_mu;
  vector<lower=0>[C] beta_sigma;
  matrix[G, C] beta_z;
  vector<lower=0>[G] sigma;
  vector<lower=0, upper=1>[C] adstock_alpha;
  vector<lower=0>[C] sat_K;
  vector<lower=0>[C] sat_S;
}
transformed parameters {
  matrix[G, C] beta;
  vector[G] alpha;
  for (g in 1:G) beta[g] = exp(beta_log_mu' + beta_sigma' .* beta_z[g]);
  {
    matrix[G, C] H_cur = H_bar;
    for (g in 1:G) for (c in 1:C) {
      if (h_ratio[g, c] > 0) H_cur[g, c] = h_ratio[g, c] * inv_logit(sat_S[c] * (log(a_bar[g, c]) - log(sat_K[c])));
    }
    alpha = alpha_level - (delta .* tau_bar + F_bar * gamma + rows_dot_product(beta, H_cur));
  }
  if (K > 0) alpha -= Z_bar * gamma_control;
}
model {
  matrix[N, C] H;
  vector[N] mu;
  for (c in 1:C) {
    vector[L] w = exp(log(adstock_alpha[c]) * expo[c]);
    vector[N] a = Xlag[c] * (w / sum(w));
    H[:, c] = inv_logit(sat_S[c] * (log(a + nonpos[c]) - log(sat_K[c]))) .* pos[c];
  }
  mu = alpha[market] + delta[market] .* tau + F * gamma + rows_dot_product(beta[market], H);
  if (K > 0) mu += Z * gamma_control;
  alpha_mu ~ normal(0.5, 0.5);
  alpha_sigma ~ normal(0, 0.2);
  alpha ~ normal(alpha_mu, alpha_sigma);
  delta ~ normal(0, 0.5);
  gamma ~ normal(0, 0.2);
  gamma_control ~ normal(0, 0.5);
  beta_log_mu ~ normal(log(0.15), 1);
  beta_sigma ~ normal(0, 0.5);
  to_vector(beta_z) ~ std_normal();
  sigma ~ normal(0, 0.3);
  adstock_alpha ~ beta(beta_a, beta_b);
  sat_K ~ lognormal(log_K0, sat_K_sd);
  sat_S ~ lognormal(log_S0, sat_S_sd);
  y ~ normal(mu, sigma[market]);
}
generated quantities {
  vector[C] beta_mu = exp(beta_log_mu);
  vector[G] alpha_z = (alpha - alpha_mu) / alpha_sigma;
}
