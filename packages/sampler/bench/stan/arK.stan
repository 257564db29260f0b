// Stan 2.21 copy of test/fixtures/posteriordb/arK-arK/model.stan (posteriordb 28f8d3d):
// `array[T] real y` / `array[K] real beta` written as `real y[T]` / `real beta[K]`; the math is
// unchanged.
data {
  int<lower=0> K;
  int<lower=0> T;
  real y[T];
}
parameters {
  real alpha;
  real beta[K];
  real<lower=0> sigma;
}
model {
  alpha ~ normal(0, 10);
  beta ~ normal(0, 10);
  sigma ~ cauchy(0, 2.5);

  for (t in (K + 1) : T) {
    real mu;
    mu = alpha;

    for (k in 1 : K) {
      mu = mu + beta[k] * y[t - k];
    }

    y[t] ~ normal(mu, sigma);
  }
}
