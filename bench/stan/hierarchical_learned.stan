// Hierarchical (partial pooling, non-centred) MMM with LEARNED media transforms: the model of
// bench/stan/hierarchical.stan (shared/design/model-spec.md §5) where, per channel and shared by
// all markets, the adstock rate alpha_c, the Hill half-saturation K_c and the Hill shape S_c are
// parameters (spec §5 "Learned transforms"; packages/models/README.md "Learned transforms" and
// "Stan equivalence"). Written from those documents, independently of Tributary's TypeScript.
// Stan 2.21 syntax (rstan from Debian). Data from prepare_learned() in bench/prepare_data.R.
//
// Math (spec §3, §5):
//  - per market g its own weekly grid (first to last observed week; gaps have spend 0), scaled
//    spend x[g,t,c] = spend / max over g's observed rows (0 if the channel never spends in g);
//  - normalized adstock with l_max = L = 8: w_l = alpha^l (geometric) or alpha^((l - theta)^2)
//    (delayed, theta fixed), l = 0..L-1, w = w / sum(w), a[t] = sum_l w_l x[t - l] with x = 0
//    before the market's first week. Here a = Xlag[c] * w with Xlag[c][n, l+1] = x[g, t_n - l, c]
//    (data, built in R), and the weights as exp(log(alpha) * expo[c]) with expo[c][l+1] = l or
//    (l - theta)^2 (the same numbers as pow(alpha, expo));
//  - Hill h(a) = a^S / (K^S + a^S) with h(0) = 0, written as inv_logit(S (log a - log K)) (the
//    same function for a > 0). Which rows have a = 0 does not depend on the parameters (every
//    weight is > 0 for alpha in (0, 1)), so it is data: pos[c][n] = 1 if the lag window holds
//    any spend; where pos = 0 the row's log is taken of 1 and the result multiplied by 0;
//  - priors: alpha_c ~ Beta(k alpha0_c, k (1 - alpha0_c)), K_c ~ LogNormal(log K0_c, sat_K_sd),
//    S_c ~ LogNormal(log S0_c, sat_S_sd) around the channel defaults (k = 20, sds 0.3).
// lp__ conventions (the same as Tributary's log density, README "Stan equivalence"): `~` drops
// the Beta function, -log(sd) and -0.5 log(2 pi) (data), keeps -log K and -log S of the
// lognormals; <lower=0, upper=1> adds log alpha + log(1 - alpha), <lower=0> adds log K, log S.
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
  for (c in 1:C) nonpos[c] = 1 - pos[c];
}
parameters {
  real alpha_mu;
  real<lower=0> alpha_sigma;
  vector[G] alpha_z;
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
  vector[G] alpha = alpha_mu + alpha_sigma * alpha_z;
  matrix[G, C] beta;
  for (g in 1:G) beta[g] = exp(beta_log_mu' + beta_sigma' .* beta_z[g]);
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
  alpha_z ~ std_normal();
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
}
