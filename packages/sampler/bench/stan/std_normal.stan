// 100-d standard normal (bench/run.ts id std_normal_100), Stan 2.21 syntax.
// Same log density as test/fixtures/targets.ts buildStdNormal: log p = -|theta|^2 / 2.
data {
  int<lower=1> N;
}
parameters {
  vector[N] theta;
}
model {
  theta ~ std_normal();
}
