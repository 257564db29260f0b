// Hierarchical MMM of bench/stan/hierarchical.stan (shared/design/model-spec.md §5) plus
//  (a) lift-test likelihood terms and (b) time-varying media effects, written from the
// definitions in the header of packages/models/src/model.ts and packages/models/README.md
// ("Calibration and time-varying effects"), not from the TypeScript implementation.
// Stan 2.21 syntax (rstan from Debian). Data prepared by prepare_calibration() in
// bench/prepare_data.R:
//  - time-varying channel v (column tv_channel[v]) has w_v on J knots, knot k at global week
//    (k-1)*E: w_raw[1] = 0, w_raw[k] = w_raw[k-1] + tv_sigma[v] * tv_z[v, k-1] (k = 2..J),
//    w = w_raw - mean(w_raw); week t's w is (1 - frac) * w[knot] + frac * w[knot + 1] with
//    knot = floor(t / E) + 1 (clamped to J - 1, frac = 1 at or past the last knot); the channel's
//    contribution is beta[g,c] * exp(w(t)) * H[n,c];
//  - lift test l (market lift_market[l], channel lift_channel[l]) contributes, per row r of
//    the flattened (test, output week) table with lift_id[r] = l, the per-week
//    dh[r] = h(adstock(x + dx))[t] - h(adstock(x))[t] (fixed channel-default transforms,
//    t = start..end + l_max - 1), times exp(w(t)) if the channel is time-varying; the implied
//    scaled lift is beta[g,c] * sum(...), and lift_y ~ normal(implied, lift_se) with the
//    measured lift and its se divided by y_scale[g].
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
  // time-varying effects
  int<lower=0, upper=C> V;                 // number of time-varying channels
  int<lower=1, upper=C> tv_channel[V];     // their columns
  int<lower=0, upper=V> tv_index[C];       // column -> v (0 = constant effect)
  int<lower=2> J;                          // knots
  int<lower=1, upper=J - 1> knot[N];       // left knot of each row's week
  vector<lower=0, upper=1>[N] frac;        // interpolation fraction towards knot + 1
  // lift tests
  int<lower=0> L;
  int<lower=1, upper=G> lift_market[L];
  int<lower=1, upper=C> lift_channel[L];
  vector[L] lift_y;                        // lift / y_scale[g]
  vector<lower=0>[L] lift_se;              // lift_se / y_scale[g]
  int<lower=0> R;                          // rows of the (test, week) table
  int<lower=1, upper=L> lift_id[R];
  vector[R] dh;                            // h(adstock(x + dx)) - h(adstock(x)) at that week
  int<lower=1, upper=J - 1> lift_knot[R];
  vector<lower=0, upper=1>[R] lift_frac;
}
transformed data {
  int knot_next[N];
  for (n in 1:N) knot_next[n] = knot[n] + 1;
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
  vector<lower=0>[V] tv_sigma;
  matrix[V, J - 1] tv_z;                   // steps of knots 2..J
}
transformed parameters {
  vector[G] alpha = alpha_mu + alpha_sigma * alpha_z;
  matrix[G, C] beta;
  matrix[V, J] tv_w;                       // centred log multiplier at the knots
  for (g in 1:G) beta[g] = exp(beta_log_mu' + beta_sigma' .* beta_z[g]);
  for (v in 1:V) {
    row_vector[J] w;
    w[1] = 0;
    for (k in 2:J) w[k] = w[k - 1] + tv_sigma[v] * tv_z[v, k - 1];
    tv_w[v] = w - mean(w);
  }
}
model {
  matrix[N, C] Hm = H;
  vector[N] mu;
  for (v in 1:V) {
    vector[J] w = tv_w[v]';
    Hm[:, tv_channel[v]] = H[:, tv_channel[v]] .* exp((1 - frac) .* w[knot] + frac .* w[knot_next]);
  }
  mu = alpha[market] + delta[market] .* tau + F * gamma + rows_dot_product(beta[market], Hm);
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
  tv_sigma ~ normal(0, 0.1);
  to_vector(tv_z) ~ std_normal();
  y ~ normal(mu, sigma[market]);
  if (L > 0) {
    vector[L] s = rep_vector(0, L);
    vector[L] implied;
    for (r in 1:R) {
      int l = lift_id[r];
      int v = tv_index[lift_channel[l]];
      real m = 1;
      if (v > 0)
        m = exp((1 - lift_frac[r]) * tv_w[v, lift_knot[r]] + lift_frac[r] * tv_w[v, lift_knot[r] + 1]);
      s[l] += m * dh[r];
    }
    for (l in 1:L) implied[l] = beta[lift_market[l], lift_channel[l]] * s[l];
    lift_y ~ normal(implied, lift_se);
  }
}
generated quantities {
  vector[C] beta_mu = exp(beta_log_mu);
  matrix[V, J] tv_multiplier = exp(tv_w);
}
