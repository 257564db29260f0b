# Fixed-point check of the learned-transform hierarchical model: Stan's log_prob of
# bench/stan/hierarchical_learned.stan (unconstrained scale, with the Jacobian, i.e. lp__) and its
# gradient vs Tributary's model.logDensityAndGradient (buildModel({ kind: 'hierarchical',
# learnTransforms: true }), via bench/lp_tributary_learned.mjs) at the SAME unconstrained points.
# Both drop the same constants, so the log densities must be equal (not just equal up to a
# constant). Stan's unconstrained coordinates are named in Tributary's spelling from the
# declaration order of the parameters block (matrices column-major; <lower=0> -> NAME_log,
# <lower=0, upper=1> -> NAME_logit) and mapped by name; the naming is verified by comparing both
# sides' constrained values of every parameter at every point.
# Points: M uniform(-2, 2) vectors (Stan's init distribution), M vectors at 0.25 x that (closer to
# the prior centres), and optionally 10 draws of a fit's draws.csv (Tributary names, constrained),
# taken to the unconstrained scale by Stan's unconstrain_pars.
# Usage: Rscript bench/lp_check_learned.R CSV [M] [DRAWS_CSV]
# Exit status 1 if any relative difference of lp exceeds 1e-9 (|diff| / max(1, |lp|)).
suppressPackageStartupMessages({ library(rstan); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "prepare_data.R"))
csv <- args[1]
M <- as.integer(if (length(args) >= 2) args[2] else 6)
draws_csv <- if (length(args) >= 3 && args[3] != "-") args[3] else NULL
# "level": hierarchical_learned_level.stan against Tributary's SAMPLING coordinates (model.sampling,
# packages/models/src/coordinates.ts) — the same posterior in the coordinates NUTS moves in
level <- length(args) >= 4 && args[4] == "level"
if (level && !is.null(draws_csv)) stop("posterior draws are only mapped in the model's coordinates; give - as DRAWS with level")
prep <- prepare_learned(prepare_data(csv))
mk <- prep$markets; ch <- prep$channels; G <- length(mk); C <- length(ch)

rstan_options(auto_write = TRUE)
sm <- stan_model(file.path(here, "stan", if (level) "hierarchical_learned_level.stan" else "hierarchical_learned.stan"))
fit <- suppressWarnings(suppressMessages(sampling(sm, data = prep$stan, chains = 1, iter = 1,
                                                  algorithm = "Fixed_param", refresh = 0, seed = 1)))
P <- get_num_upars(fit)

# Stan's unconstrained coordinates in declaration order, Tributary's spelling
unames <- c("alpha_mu", "alpha_sigma_log", sprintf(if (level) "alpha_level[%s]" else "alpha_z[%s]", mk), sprintf("delta[%s]", mk),
            sprintf("gamma[%d]", 1:4), sprintf("beta_log_mu[%s]", ch), sprintf("beta_sigma_log[%s]", ch),
            sprintf("beta_z[%s,%s]", rep(mk, C), rep(ch, each = G)),  # column-major
            sprintf("sigma_log[%s]", mk), sprintf("adstock_alpha_logit[%s]", ch),
            sprintf("sat_K_log[%s]", ch), sprintf("sat_S_log[%s]", ch))
stopifnot(length(unames) == P)

set.seed(1)
ups <- c(lapply(seq_len(M), function(i) runif(P, -2, 2)), lapply(seq_len(M), function(i) 0.25 * runif(P, -2, 2)))
kind <- c(rep("uniform(-2,2)", M), rep("uniform(-0.5,0.5)", M))
if (!is.null(draws_csv)) {
  dr <- read.csv(draws_csv, check.names = FALSE)
  pick <- dr[round(seq(1, nrow(dr), length.out = 10)), ]
  get <- function(rec, nm) as.numeric(rec[[nm]])
  for (i in seq_len(nrow(pick))) {
    rec <- pick[i, ]
    cp <- list(alpha_mu = get(rec, "alpha_mu"), alpha_sigma = get(rec, "alpha_sigma"),
               alpha_z = array(sapply(mk, function(m) get(rec, sprintf("alpha_z[%s]", m))), dim = G),
               delta = array(sapply(mk, function(m) get(rec, sprintf("delta[%s]", m))), dim = G),
               gamma = array(sapply(1:4, function(k) get(rec, sprintf("gamma[%d]", k))), dim = 4),
               gamma_control = array(numeric(0), dim = 0),
               beta_log_mu = array(sapply(ch, function(c) get(rec, sprintf("beta_log_mu[%s]", c))), dim = C),
               beta_sigma = array(sapply(ch, function(c) get(rec, sprintf("beta_sigma[%s]", c))), dim = C),
               beta_z = matrix(sapply(ch, function(c) sapply(mk, function(m) get(rec, sprintf("beta_z[%s,%s]", m, c)))), G, C),
               sigma = array(sapply(mk, function(m) get(rec, sprintf("sigma[%s]", m))), dim = G),
               adstock_alpha = array(sapply(ch, function(c) get(rec, sprintf("adstock_alpha[%s]", c))), dim = C),
               sat_K = array(sapply(ch, function(c) get(rec, sprintf("sat_K[%s]", c))), dim = C),
               sat_S = array(sapply(ch, function(c) get(rec, sprintf("sat_S[%s]", c))), dim = C))
    ups[[length(ups) + 1]] <- unconstrain_pars(fit, cp)
    kind <- c(kind, "posterior draw")
  }
}
stan <- lapply(ups, function(u) grad_log_prob(fit, u, adjust_transform = TRUE))
stan_lp <- vapply(stan, function(g) attr(g, "log_prob"), 0)

pf <- tempfile(fileext = ".json")
writeLines(toJSON(list(names = unames, points = ups), digits = NA), pf)
res <- fromJSON(system2("node", c(file.path(here, "lp_tributary_learned.mjs"), csv, pf, if (level) "sampling" else "model"), stdout = TRUE),
                simplifyVector = FALSE)
tri_lp <- unlist(res$lp)

# name check: every parameter's constrained value on both sides
name_dev <- vapply(seq_along(ups), function(i) {
  cs <- constrain_pars(fit, ups[[i]]); tc <- res$constrained[[i]]
  flat <- c(alpha_mu = cs$alpha_mu, alpha_sigma = cs$alpha_sigma)
  for (nm in c("alpha_z", "delta", "sigma", "alpha")) flat[sprintf("%s[%s]", nm, mk)] <- cs[[nm]]
  flat[sprintf("gamma[%d]", 1:4)] <- cs$gamma
  for (nm in c("beta_log_mu", "beta_sigma", "adstock_alpha", "sat_K", "sat_S", "beta_mu")) flat[sprintf("%s[%s]", nm, ch)] <- cs[[nm]]
  for (nm in c("beta_z", "beta")) flat[sprintf("%s[%s,%s]", nm, rep(mk, C), rep(ch, each = G))] <- as.vector(cs[[nm]])
  miss <- setdiff(names(flat), names(tc))
  if (length(miss)) stop("constrained names missing on Tributary's side: ", paste(miss, collapse = " "))
  tv <- unlist(tc[names(flat)])
  max(abs(tv - flat) / pmax(1, abs(flat)))
}, 0)

rel <- abs(tri_lp - stan_lp) / pmax(1, abs(stan_lp))
grel <- vapply(seq_along(ups), function(i) {
  gs <- as.numeric(stan[[i]]); gt <- unlist(res$grad[[i]])
  max(abs(gt - gs)) / max(1, max(abs(gs)))
}, 0)
cat(sprintf("lp check (learned transforms%s): %s; Tributary path %s, dim %d (Stan %d); %d points\n",
            if (level) ", sampling coordinates vs hierarchical_learned_level.stan" else "", basename(csv), res$path, res$dim, P, length(ups)))
cat("  point  kind                 Tributary lp              Stan lp                   rel diff   grad rel diff  names\n")
for (i in seq_along(ups)) cat(sprintf("  %5d  %-19s  %24.10f  %24.10f  %9.2e  %9.2e      %9.2e\n", i, kind[i],
                                      tri_lp[i], stan_lp[i], rel[i], grel[i], name_dev[i]))
ok <- all(rel <= 1e-9) && all(name_dev <= 1e-12)
cat(sprintf("  max relative lp difference %.3g, max relative gradient difference %.3g (max|dg| / max(1, max|g|)), max name-check deviation %.3g -> %s\n",
            max(rel), max(grel), max(name_dev), if (ok) "SAME DENSITY" else "DIFFERENT DENSITIES"))
quit(status = if (ok) 0 else 1)
