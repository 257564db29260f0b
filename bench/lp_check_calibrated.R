# Fixed-point log-density check: Stan's lp__ (log_prob of bench/stan/hierarchical_calibrated.stan
# with the Jacobian, i.e. lp__) vs Tributary's model.logDensity (bench/lp_tributary.mjs) at the
# same points. Both drop the same constants, so lp_tributary - lp_stan must be the same at every
# point (up to rounding) if the two define the same density. Points: M random unconstrained
# vectors, uniform(-2, 2) like Stan's inits, plus (optional) draws of a Stan fit.
# Usage: Rscript bench/lp_check_calibrated.R CSV LIFT_CSV|- TV_CHANNELS|- KNOT_EVERY [M] [DRAWS_CSV]
# Prints one line per point and a verdict; exit status 1 if the difference is not constant.
suppressPackageStartupMessages({ library(rstan); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "prepare_data.R"))
csv <- args[1]; lift <- args[2]; tvarg <- args[3]; every <- as.integer(args[4])
M <- as.integer(if (length(args) >= 5) args[5] else 10)
draws_csv <- if (length(args) >= 6) args[6] else NULL
tv <- if (tvarg == "-") character(0) else strsplit(tvarg, ",")[[1]]
prep <- prepare_calibration(prepare_data(csv), if (lift == "-") NULL else lift, tv, every)

rstan_options(auto_write = TRUE)
sm <- stan_model(file.path(here, "stan", "hierarchical_calibrated.stan"))
fit <- suppressWarnings(suppressMessages(sampling(sm, data = prep$stan, chains = 1, iter = 1,
                                                  algorithm = "Fixed_param", refresh = 0, seed = 1)))
P <- get_num_upars(fit)
set.seed(1)
ups <- lapply(seq_len(M), function(i) runif(P, -2, 2))

# Parameters (not transformed / generated) of a constrained list, by Tributary's names.
param_names <- c("alpha_mu", "alpha_sigma", "alpha_z", "delta", "gamma", "gamma_control", "beta_log_mu",
                 "beta_sigma", "beta_z", "sigma", "tv_sigma", "tv_z")
flatten <- function(cp) {
  out <- list()
  for (nm in param_names) {
    v <- cp[[nm]]
    if (is.null(v) || length(v) == 0) next
    if (is.matrix(v)) {
      for (i in seq_len(nrow(v))) for (j in seq_len(ncol(v)))
        out[[calibrated_name(sprintf("%s[%d,%d]", nm, i, j), prep)]] <- v[i, j]
    } else if (length(dim(v)) == 0 && length(v) == 1 && nm %in% c("alpha_mu", "alpha_sigma")) {
      out[[nm]] <- as.numeric(v)
    } else {
      for (i in seq_along(v)) out[[calibrated_name(sprintf("%s[%d]", nm, i), prep)]] <- v[i]
    }
  }
  out
}
points <- lapply(ups, function(u) flatten(constrain_pars(fit, u)))
if (!is.null(draws_csv)) {
  # a few posterior draws (Tributary-named constrained parameters) from a fit's draws.csv
  dr <- read.csv(draws_csv, check.names = FALSE)
  pick <- dr[round(seq(1, nrow(dr), length.out = 10)), ]
  for (i in seq_len(nrow(pick))) {
    rec <- as.list(pick[i, !startsWith(names(pick), ".")])
    points[[length(points) + 1]] <- rec
    # Stan side: rebuild the constrained list from the record to get the unconstrained vector
  }
}
skel <- function(rec) {
  # Tributary-named record -> Stan's constrained parameter list (for unconstrain_pars)
  G <- prep$stan$G; C <- prep$stan$C; V <- prep$stan$V; J <- prep$stan$J
  get <- function(nm) as.numeric(rec[[nm]])
  l <- list(alpha_mu = get("alpha_mu"), alpha_sigma = get("alpha_sigma"),
            alpha_z = array(sapply(prep$markets, function(m) get(sprintf("alpha_z[%s]", m))), dim = G),
            delta = array(sapply(prep$markets, function(m) get(sprintf("delta[%s]", m))), dim = G),
            gamma = array(sapply(1:4, function(k) get(sprintf("gamma[%d]", k))), dim = 4),
            gamma_control = array(numeric(0), dim = 0),
            beta_log_mu = array(sapply(prep$channels, function(c) get(sprintf("beta_log_mu[%s]", c))), dim = C),
            beta_sigma = array(sapply(prep$channels, function(c) get(sprintf("beta_sigma[%s]", c))), dim = C),
            beta_z = matrix(sapply(seq_len(C), function(j) sapply(prep$markets, function(m)
              get(sprintf("beta_z[%s,%s]", m, prep$channels[j])))), G, C),
            sigma = array(sapply(prep$markets, function(m) get(sprintf("sigma[%s]", m))), dim = G),
            tv_sigma = array(vapply(prep$time_varying, function(c) get(sprintf("tv_sigma[%s]", c)), 0), dim = V),
            tv_z = matrix(if (V) t(sapply(prep$time_varying, function(c) sapply(2:J, function(k)
              get(sprintf("tv_z[%s,%d]", c, k))))) else numeric(0), V, J - 1))
  l
}
stan_lp <- vapply(points, function(p) log_prob(fit, unconstrain_pars(fit, skel(p)), adjust_transform = TRUE), 0)

pf <- tempfile(fileext = ".json")
writeLines(toJSON(points, auto_unbox = TRUE, digits = NA), pf)
res <- fromJSON(system2("node", c(file.path(here, "lp_tributary.mjs"), csv, lift, tvarg, every, pf), stdout = TRUE))
tri_lp <- res$lp
d <- tri_lp - stan_lp
cat(sprintf("lp check: %s, lift %s, time-varying %s, knot every %d (J = %d, %d lift rows); Tributary path %s, dim %d (Stan %d)\n",
            basename(csv), lift, tvarg, every, prep$stan$J, prep$stan$R, res$path, res$dim, P))
for (i in seq_along(d)) cat(sprintf("  point %2d (%s): Tributary %.6f  Stan %.6f  diff %.9f\n", i,
                                    if (i <= M) "random" else "draw", tri_lp[i], stan_lp[i], d[i]))
# Same density up to a constant: every point's difference equals the median difference within
# 1e-8 of the point's |lp| (random points far from the posterior have |lp| up to ~1e20).
c0 <- median(d)
rel <- abs(d - c0) / pmax(1, abs(stan_lp))
ok <- all(rel <= 1e-8)
cat(sprintf("  constant %.6g; max relative deviation from it over %d points: %.3g -> %s\n", c0, length(d), max(rel),
            if (ok) "SAME DENSITY up to a constant" else "DIFFERENT DENSITIES"))
quit(status = if (ok) 0 else 1)
