// Unpooled MMM of shared/design/model-spec.md §5: every market on its own, population priors used
// directly. Written independently of Tributary's TypeScript. Stan 2.21 syntax.
data {
  int<lower=1> N;
  int<lower=1> G;
  int<lower=1> C;
  int<lower=0> K;
  int<lower=1, upper=G> market[N];
  vector[N] y;
  vector[N] tau;
  matrix[N, 4] F;
  matrix[N, K] Z;
  matrix[N, C] H;
}
parameters {
  vector[G] alpha;
  vector[G] delta;
  matrix[G, 4] gamma;
  matrix[G, K] gamma_control;
  matrix[G, C] log_beta;
  vector<lower=0>[G] sigma;
}
transformed parameters {
  matrix[G, C] beta = exp(log_beta);
}
model {
  vector[N] mu = alpha[market] + delta[market] .* tau + rows_dot_product(F, gamma[market])
                 + rows_dot_product(beta[market], H);
  if (K > 0) mu += rows_dot_product(Z, gamma_control[market]);
  alpha ~ normal(0.5, 0.5);
  delta ~ normal(0, 0.5);
  to_vector(gamma) ~ normal(0, 0.2);
  to_vector(gamma_control) ~ normal(0, 0.5);
  to_vector(log_beta) ~ normal(log(0.15), 1);
  sigma ~ normal(0, 0.3);
  y ~ normal(mu, sigma[market]);
}
