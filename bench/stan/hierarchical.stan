// Hierarchical (partial pooling, non-centered) MMM of shared/design/model-spec.md §5, written
// independently of Tributary's TypeScript from the spec. H (adstock + Hill of the per-market-channel
// scaled spend) is computed by bench/prepare_data.R. Stan 2.21 syntax (rstan from Debian).
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
  matrix[N, C] H;       // saturated adstocked media
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
}
transformed parameters {
  vector[G] alpha = alpha_mu + alpha_sigma * alpha_z;
  matrix[G, C] beta;
  for (g in 1:G) beta[g] = exp(beta_log_mu' + beta_sigma' .* beta_z[g]);
}
model {
  vector[N] mu = alpha[market] + delta[market] .* tau + F * gamma + rows_dot_product(beta[market], H);
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
  y ~ normal(mu, sigma[market]);
}
generated quantities {
  vector[C] beta_mu = exp(beta_log_mu);
}
