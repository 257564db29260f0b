// Pooled MMM of shared/design/model-spec.md §5: one set of parameters for all markets (the target is
// still scaled per market). Written independently of Tributary's TypeScript. Stan 2.21 syntax.
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
  real alpha;
  real delta;
  vector[4] gamma;
  vector[K] gamma_control;
  vector[C] log_beta;
  real<lower=0> sigma;
}
transformed parameters {
  vector[C] beta = exp(log_beta);
}
model {
  vector[N] mu = alpha + delta * tau + F * gamma + H * beta;
  if (K > 0) mu += Z * gamma_control;
  alpha ~ normal(0.5, 0.5);
  delta ~ normal(0, 0.5);
  gamma ~ normal(0, 0.2);
  gamma_control ~ normal(0, 0.5);
  log_beta ~ normal(log(0.15), 1);
  sigma ~ normal(0, 0.3);
  y ~ normal(mu, sigma);
}
