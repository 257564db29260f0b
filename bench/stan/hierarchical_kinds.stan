// Hierarchical (partial pooling, non-centred) MMM with LEARNED media transforms of any kind per
// channel (issue 13 part 4): the model of bench/stan/hierarchical_learned.stan where channel c's
// adstock is geometric, delayed, Weibull CDF or Weibull PDF and its saturation Hill, logistic,
// Michaelis-Menten or tanh. Written from packages/transforms/README.md ("Formulas") and
// packages/models/README.md ("Transform family", "Stan equivalence"), not from the TypeScript.
// Stan 2.21 syntax (rstan from Debian). Data: Tributary's model.stanData() export
// (bench/lp_tributary_kinds.mjs data ...), converted in bench/lp_check_kinds.R.
//
// Math:
//  - x_grid[r, c]: scaled spend on every market's weekly grid (rows grid_start[g] .. , 0 in gaps);
//    observed row n sits at grid row obs_grid_row[n], week = obs_grid_row[n] - grid_start[g]
//    within its market; a[n, c] = sum_{l = 0}^{min(L_c - 1, week)} w_c[l] x_grid[r - l, c];
//  - lag weights (l = 0..L-1), then normalized to sum 1:
//      geometric   alpha^l;   delayed   alpha^((l - theta)^2)  (theta fixed)
//      weibull_cdf w_0 = 1, w_l = prod_{j=1}^{l} exp(-(j / scale)^shape)
//      weibull_pdf p_l = Weibull(shape, scale) density at t = l + 1, w_l = (p_l - min p) / (max p - min p)
//  - saturation (h(0) = 0): hill a^S / (K^S + a^S); logistic (1 - e^(-lam a)) / (1 + e^(-lam a));
//    michaelis_menten a / (lam + a); tanh b tanh(a / (b c));
//  - priors: alpha ~ Beta(k alpha0, k (1 - alpha0)); every other transform parameter x ~
//    LogNormal(log x0, sd) with x0, sd from the export (ad_par*, sat_par*, ad_sd*, sat_sd*).
// lp__ conventions as hierarchical_learned.stan (Tributary's log density equals lp__).
data {
  int<lower=1> N;
  int<lower=1> G;
  int<lower=1> C;
  int<lower=0> K;
  int<lower=1, upper=G> market[N];
  vector[N] y;
  vector[N] tau;
  matrix[N, 4] F;
  matrix[N, K] Xc;
  int<lower=1> n_grid;
  int<lower=1> grid_start[G];
  matrix[n_grid, C] x_grid;
  int<lower=1> obs_grid_row[N];
  int<lower=1> lags[C];
  vector[C] adstock_theta;
  int<lower=1, upper=4> adstock_kind[C];   // 1 geometric, 2 delayed, 3 weibull_cdf, 4 weibull_pdf
  int<lower=1, upper=4> sat_kind[C];       // 1 hill, 2 logistic, 3 michaelis_menten, 4 tanh
  vector[C] ad_par0;   // alpha0, or Weibull shape0
  vector[C] ad_par1;   // Weibull scale0 (0 otherwise)
  vector[C] sat_par0;  // K0, lam0, b0
  vector[C] sat_par1;  // S0, c0 (0 otherwise)
  vector[C] ad_sd0;
  vector[C] ad_sd1;
  vector[C] sat_sd0;
  vector[C] sat_sd1;
  real adstock_alpha_concentration;
  vector[2] prior_alpha_mu;
  real prior_alpha_sigma;
  vector[2] prior_delta;
  vector[2] prior_gamma;
  vector[2] prior_gamma_control;
  vector[2] prior_beta_log_mu;
  real prior_beta_sigma;
  real prior_sigma;
}
transformed data {
  // Position of each channel within its parameter group (0 if not in the group).
  int n_alpha = 0; int n_wb = 0; int n_hill = 0; int n_lam = 0; int n_tanh = 0;
  int i_alpha[C]; int i_wb[C]; int i_hill[C]; int i_lam[C]; int i_tanh[C];
  int max_lag = max(lags);
  for (c in 1:C) {
    i_alpha[c] = 0; i_wb[c] = 0; i_hill[c] = 0; i_lam[c] = 0; i_tanh[c] = 0;
    if (adstock_kind[c] <= 2) { n_alpha += 1; i_alpha[c] = n_alpha; } else { n_wb += 1; i_wb[c] = n_wb; }
    if (sat_kind[c] == 1) { n_hill += 1; i_hill[c] = n_hill; }
    else if (sat_kind[c] <= 3) { n_lam += 1; i_lam[c] = n_lam; }
    else { n_tanh += 1; i_tanh[c] = n_tanh; }
  }
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
  vector<lower=0, upper=1>[n_alpha] adstock_alpha;
  vector<lower=0>[n_wb] adstock_shape;
  vector<lower=0>[n_wb] adstock_scale;
  vector<lower=0>[n_hill] sat_K;
  vector<lower=0>[n_hill] sat_S;
  vector<lower=0>[n_lam] sat_lam;
  vector<lower=0>[n_tanh] sat_b;
  vector<lower=0>[n_tanh] sat_c;
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
    int L = lags[c];
    vector[L] w;
    if (adstock_kind[c] == 1) {
      for (l in 1:L) w[l] = pow(adstock_alpha[i_alpha[c]], l - 1);
    } else if (adstock_kind[c] == 2) {
      for (l in 1:L) w[l] = pow(adstock_alpha[i_alpha[c]], square(l - 1 - adstock_theta[c]));
    } else if (adstock_kind[c] == 3) {
      real k = adstock_shape[i_wb[c]];
      real lam = adstock_scale[i_wb[c]];
      real acc = 0;
      w[1] = 1;
      for (l in 2:L) { acc += pow((l - 1) / lam, k); w[l] = exp(-acc); }
    } else {
      real k = adstock_shape[i_wb[c]];
      real lam = adstock_scale[i_wb[c]];
      vector[L] lp;
      real lmax;
      real lmin;
      for (l in 1:L) lp[l] = log(k) - log(lam) + (k - 1) * (log(l) - log(lam)) - pow(l / lam, k);
      lmax = max(lp);
      lmin = min(lp);
      if (lmax - lmin > 0) {
        for (l in 1:L) w[l] = (exp(lp[l] - lmax) - exp(lmin - lmax)) / (1 - exp(lmin - lmax));
      } else {
        w = rep_vector(1, L);
      }
    }
    w = w / sum(w);
    for (n in 1:N) {
      int r = obs_grid_row[n];
      int week = r - grid_start[market[n]];
      real a = 0;
      for (l in 1:min(L, week + 1)) a += w[l] * x_grid[r - l + 1, c];
      if (a <= 0) {
        H[n, c] = 0;
      } else if (sat_kind[c] == 1) {
        H[n, c] = inv_logit(sat_S[i_hill[c]] * (log(a) - log(sat_K[i_hill[c]])));
      } else if (sat_kind[c] == 2) {
        real e = exp(-sat_lam[i_lam[c]] * a);
        H[n, c] = (1 - e) / (1 + e);
      } else if (sat_kind[c] == 3) {
        H[n, c] = a / (sat_lam[i_lam[c]] + a);
      } else {
        H[n, c] = sat_b[i_tanh[c]] * tanh(a / (sat_b[i_tanh[c]] * sat_c[i_tanh[c]]));
      }
    }
  }
  mu = alpha[market] + delta[market] .* tau + F * gamma + rows_dot_product(beta[market], H);
  if (K > 0) mu += Xc * gamma_control;
  alpha_mu ~ normal(prior_alpha_mu[1], prior_alpha_mu[2]);
  alpha_sigma ~ normal(0, prior_alpha_sigma);
  alpha_z ~ std_normal();
  delta ~ normal(prior_delta[1], prior_delta[2]);
  gamma ~ normal(prior_gamma[1], prior_gamma[2]);
  gamma_control ~ normal(prior_gamma_control[1], prior_gamma_control[2]);
  beta_log_mu ~ normal(prior_beta_log_mu[1], prior_beta_log_mu[2]);
  beta_sigma ~ normal(0, prior_beta_sigma);
  to_vector(beta_z) ~ std_normal();
  sigma ~ normal(0, prior_sigma);
  for (c in 1:C) {
    if (adstock_kind[c] <= 2) {
      adstock_alpha[i_alpha[c]] ~ beta(adstock_alpha_concentration * ad_par0[c], adstock_alpha_concentration * (1 - ad_par0[c]));
    } else {
      adstock_shape[i_wb[c]] ~ lognormal(log(ad_par0[c]), ad_sd0[c]);
      adstock_scale[i_wb[c]] ~ lognormal(log(ad_par1[c]), ad_sd1[c]);
    }
    if (sat_kind[c] == 1) {
      sat_K[i_hill[c]] ~ lognormal(log(sat_par0[c]), sat_sd0[c]);
      sat_S[i_hill[c]] ~ lognormal(log(sat_par1[c]), sat_sd1[c]);
    } else if (sat_kind[c] <= 3) {
      sat_lam[i_lam[c]] ~ lognormal(log(sat_par0[c]), sat_sd0[c]);
    } else {
      sat_b[i_tanh[c]] ~ lognormal(log(sat_par0[c]), sat_sd0[c]);
      sat_c[i_tanh[c]] ~ lognormal(log(sat_par1[c]), sat_sd1[c]);
    }
  }
  y ~ normal(mu, sigma[market]);
}
generated quantities {
  vector[C] beta_mu = exp(beta_log_mu);
}
