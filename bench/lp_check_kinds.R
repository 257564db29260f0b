# Fixed-point check of the learned transform FAMILY (issue 13 part 4): Stan's log_prob of
# bench/stan/hierarchical_kinds.stan (unconstrained scale, with the Jacobian, i.e. lp__) and its
# gradient vs Tributary's model.logDensityAndGradient for buildModel({ kind: 'hierarchical',
# learnTransforms: true, transforms: TRANSFORMS.json }) (via bench/lp_tributary_kinds.mjs) at the
# SAME unconstrained points, mapped by name. The data are Tributary's model.stanData() export (the
# program's math is written from the READMEs; the data arrays are not re-derived here — see
# lp_check_learned.R for an independent data preparation of the geometric/delayed + Hill case).
# Stan's unconstrained coordinates are named in Tributary's spelling from the declaration order
# of the parameters block (matrices column-major; <lower=0> -> NAME_log, <lower=0, upper=1> ->
# NAME_logit; each transform group lists its channels in channel order); the naming is verified by
# comparing both sides' constrained values of every parameter at every point.
# Points: M uniform(-2, 2) vectors (Stan's init distribution) and M at 0.25 x that.
# Usage (from the repository root):
#   Rscript bench/lp_check_kinds.R CSV [TRANSFORMS.json] [M]
# Exit status 1 if any relative difference of lp exceeds 1e-9 (|diff| / max(1, |lp|)).
suppressPackageStartupMessages({ library(rstan); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
here <- normalizePath(dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))))
root <- dirname(here)
csv <- normalizePath(args[1])
tr <- normalizePath(if (length(args) >= 2) args[2] else file.path(here, "transforms_kinds.json"))
M <- as.integer(if (length(args) >= 3) args[3] else 6)
tri <- function(...) {
  owd <- setwd(file.path(root, "packages", "models")); on.exit(setwd(owd))
  system2("pnpm", c("exec", "tsx", "--conditions=@tributary/source", file.path(here, "lp_tributary_kinds.mjs"), ...), stdout = TRUE)
}
df <- tempfile(fileext = ".json")
invisible(tri("data", csv, tr, df))
ex <- fromJSON(df, simplifyVector = TRUE)
s <- ex$stan; mk <- ex$markets; ch <- ex$channels; G <- length(mk); C <- length(ch)
s$Xc <- if (s$K == 0) matrix(0, s$N, 0) else matrix(s$Xc, nrow = s$N, ncol = s$K)
for (nm in c("grid_start", "lags", "adstock_theta", "adstock_kind", "sat_kind", "ad_par0", "ad_par1",
             "sat_par0", "sat_par1", "ad_sd0", "ad_sd1", "sat_sd0", "sat_sd1", "y_scale"))
  s[[nm]] <- array(s[[nm]], dim = length(s[[nm]]))
s$H <- NULL

rstan_options(auto_write = TRUE)
sm <- stan_model(file.path(here, "stan", "hierarchical_kinds.stan"))
fit <- suppressWarnings(suppressMessages(sampling(sm, data = s, chains = 1, iter = 1,
                                                  algorithm = "Fixed_param", refresh = 0, seed = 1)))
P <- get_num_upars(fit)
ak <- s$adstock_kind; sk <- s$sat_kind
grp <- list(
  c("adstock_alpha_logit", "adstock_alpha", which(ak <= 2)),
  c("adstock_shape_log", "adstock_shape", which(ak >= 3)),
  c("adstock_scale_log", "adstock_scale", which(ak >= 3)),
  c("sat_K_log", "sat_K", which(sk == 1)), c("sat_S_log", "sat_S", which(sk == 1)),
  c("sat_lam_log", "sat_lam", which(sk == 2 | sk == 3)),
  c("sat_b_log", "sat_b", which(sk == 4)), c("sat_c_log", "sat_c", which(sk == 4)))
unames <- c("alpha_mu", "alpha_sigma_log", sprintf("alpha_z[%s]", mk), sprintf("delta[%s]", mk),
            sprintf("gamma[%d]", 1:4), if (s$K > 0) stop("controls: extend the name map"),
            sprintf("beta_log_mu[%s]", ch), sprintf("beta_sigma_log[%s]", ch),
            sprintf("beta_z[%s,%s]", rep(mk, C), rep(ch, each = G)),  # column-major
            sprintf("sigma_log[%s]", mk))
for (g in grp) {
  idx <- as.integer(g[-(1:2)])
  if (length(idx)) unames <- c(unames, sprintf("%s[%s]", g[1], ch[idx]))
}
stopifnot(length(unames) == P)

set.seed(1)
ups <- c(lapply(seq_len(M), function(i) runif(P, -2, 2)), lapply(seq_len(M), function(i) 0.25 * runif(P, -2, 2)))
kind <- c(rep("uniform(-2,2)", M), rep("uniform(-0.5,0.5)", M))
stan <- lapply(ups, function(u) grad_log_prob(fit, u, adjust_transform = TRUE))
stan_lp <- vapply(stan, function(g) attr(g, "log_prob"), 0)

pf <- tempfile(fileext = ".json")
writeLines(toJSON(list(names = unames, points = ups), digits = NA), pf)
res <- fromJSON(tri("lp", csv, tr, pf), simplifyVector = FALSE)
tri_lp <- unlist(res$lp)

name_dev <- vapply(seq_along(ups), function(i) {
  cs <- constrain_pars(fit, ups[[i]]); tc <- res$constrained[[i]]
  flat <- c(alpha_mu = cs$alpha_mu, alpha_sigma = cs$alpha_sigma)
  for (nm in c("alpha_z", "delta", "sigma", "alpha")) flat[sprintf("%s[%s]", nm, mk)] <- cs[[nm]]
  flat[sprintf("gamma[%d]", 1:4)] <- cs$gamma
  for (nm in c("beta_log_mu", "beta_sigma", "beta_mu")) flat[sprintf("%s[%s]", nm, ch)] <- cs[[nm]]
  for (nm in c("beta_z", "beta")) flat[sprintf("%s[%s,%s]", nm, rep(mk, C), rep(ch, each = G))] <- as.vector(cs[[nm]])
  for (g in grp) {
    idx <- as.integer(g[-(1:2)])
    if (length(idx)) flat[sprintf("%s[%s]", g[2], ch[idx])] <- cs[[g[2]]]
  }
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
cat(sprintf("lp check (transform family): %s with %s; Tributary path %s, dim %d (Stan %d); %d points\n",
            basename(csv), basename(tr), res$path, res$dim, P, length(ups)))
cat(sprintf("  kinds: %s\n", paste(sprintf("%s=%s+%s", ch, c("geometric", "delayed", "weibull_cdf", "weibull_pdf")[ak],
                                           c("hill", "logistic", "michaelis_menten", "tanh")[sk]), collapse = ", ")))
cat("  point  kind                 Tributary lp              Stan lp                   rel diff   grad rel diff  names\n")
for (i in seq_along(ups)) cat(sprintf("  %5d  %-19s  %24.10f  %24.10f  %9.2e  %9.2e      %9.2e\n", i, kind[i],
                                      tri_lp[i], stan_lp[i], rel[i], grel[i], name_dev[i]))
ok <- all(rel <= 1e-9) && all(name_dev <= 1e-12)
cat(sprintf("  max relative lp difference %.3g, max relative gradient difference %.3g (max|dg| / max(1, max|g|)), max name-check deviation %.3g -> %s\n",
            max(rel), max(grel), max(name_dev), if (ok) "SAME DENSITY" else "DIFFERENT DENSITIES"))
quit(status = if (ok) 0 else 1)
