// Zero-mean Gaussian given its precision matrix P (bench/run.ts ids corr_gauss_50_diag and
// corr_gauss_50_dense), Stan 2.21 syntax. P is written by bench/run.ts from the `precision` of
// test/fixtures/targets.ts buildGaussian(correlatedCovariance(50, 0.9), 50), so both samplers use
// the very same numbers (the covariance is written next to it in the data file, unused here).
// Same log density as Tributary's: log p = -theta' P theta / 2 (one O(N^2) product per gradient).
data {
  int<lower=1> N;
  matrix[N, N] P;
}
parameters {
  vector[N] theta;
}
model {
  target += -0.5 * quad_form(P, theta);
}
