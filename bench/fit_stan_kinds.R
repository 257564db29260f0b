# Posterior agreement for the transform family: fits bench/stan/hierarchical_kinds.stan with rstan
# to Tributary's model.stanData() export of buildModel({ kind: 'hierarchical', learnTransforms:
# true, transforms: TRANSFORMS.json }) and compares every parameter's posterior mean and sd with a
# Tributary results folder fitted to the same CSV and transforms file
# (tributary fit CSV --model hierarchical --transforms TRANSFORMS.json --learn-transforms ...):
# |mean difference| / Stan sd (z) and the sd ratio, for the transform parameters, beta_mu,
# sigma and every other parameter Tributary reports.
# Usage (from the repository root):
#   Rscript bench/fit_stan_kinds.R CSV TRANSFORMS.json TRIBUTARY_RESULTS_DIR [chains warmup draws seed]
suppressPackageStartupMessages({ library(rstan); library(jsonlite) })
options(width = 200)
args <- commandArgs(trailingOnly = TRUE)
here <- normalizePath(dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))))
root <- dirname(here)
csv <- normalizePath(args[1]); tr <- normalizePath(args[2]); tdir <- normalizePath(args[3], mustWork = FALSE)
arg <- function(i, def) if (length(args) >= i) args[i] else def
chains <- as.integer(arg(4, 4)); warmup <- as.integer(arg(5, 500)); draws <- as.integer(arg(6, 500)); seed <- as.integer(arg(7, 1))
owd <- setwd(file.path(root, "packages", "models"))
df <- tempfile(fileext = ".json")
invisible(system2("pnpm", c("exec", "tsx", "--conditions=@tributary/source", file.path(here, "lp_tributary_kinds.mjs"), "data", csv, tr, df), stdout = TRUE))
setwd(owd)
ex <- fromJSON(df, simplifyVector = TRUE)
s <- ex$stan; mk <- ex$markets; ch <- ex$channels; G <- length(mk); C <- length(ch)
s$Xc <- if (s$K == 0) matrix(0, s$N, 0) else matrix(s$Xc, nrow = s$N, ncol = s$K)
for (nm in c("grid_start", "lags", "adstock_theta", "adstock_kind", "sat_kind", "ad_par0", "ad_par1",
             "sat_par0", "sat_par1", "ad_sd0", "ad_sd1", "sat_sd0", "sat_sd1", "y_scale"))
  s[[nm]] <- array(s[[nm]], dim = length(s[[nm]]))
s$H <- NULL
rstan_options(auto_write = TRUE)
sm <- stan_model(file.path(here, "stan", "hierarchical_kinds.stan"))
t1 <- Sys.time()
fit <- sampling(sm, data = s, chains = chains, iter = warmup + draws, warmup = warmup, seed = seed,
                cores = min(chains, 2), refresh = 0)
wall <- as.numeric(Sys.time() - t1, units = "secs")
saveRDS(fit, file.path(tempdir(), "kinds_fit.rds")); while (!file.exists(file.path(tdir, "draws.csv"))) Sys.sleep(10)
ak <- s$adstock_kind; sk <- s$sat_kind
grp <- list(adstock_alpha = which(ak <= 2), adstock_shape = which(ak >= 3), adstock_scale = which(ak >= 3),
            sat_K = which(sk == 1), sat_S = which(sk == 1), sat_lam = which(sk == 2 | sk == 3),
            sat_b = which(sk == 4), sat_c = which(sk == 4))
tname <- function(n) {
  m <- regmatches(n, regexec("^([A-Za-z_]+)\\[(.*)\\]$", n))[[1]]
  if (length(m) == 0) return(n)
  base <- m[2]; idx <- as.integer(strsplit(m[3], ",")[[1]])
  lab <- if (base %in% names(grp)) ch[grp[[base]][idx]] else switch(base,
    alpha_z = , alpha = , delta = , sigma = mk[idx],
    beta_log_mu = , beta_mu = , beta_sigma = ch[idx],
    beta_z = , beta = c(mk[idx[1]], ch[idx[2]]),
    gamma = as.character(idx), NULL)
  if (is.null(lab)) return(n)
  paste0(base, "[", paste(lab, collapse = ","), "]")
}
sa <- as.matrix(fit); sa <- sa[, colnames(sa) != "lp__", drop = FALSE]
colnames(sa) <- vapply(colnames(sa), tname, "")
td <- read.csv(file.path(tdir, "draws.csv"), check.names = FALSE)
common <- intersect(colnames(sa), colnames(td))
tab <- data.frame(name = common,
                  stan_mean = colMeans(sa[, common]), stan_sd = apply(sa[, common], 2, sd),
                  trib_mean = colMeans(td[, common]), trib_sd = apply(td[, common], 2, sd))
tab$z <- (tab$trib_mean - tab$stan_mean) / tab$stan_sd
tab$sd_ratio <- tab$trib_sd / tab$stan_sd
sp <- get_sampler_params(fit, inc_warmup = FALSE)
cat(sprintf("posterior agreement (transform family): %s with %s; Stan %d chains x %d draws (%.0f s, %d divergences), Tributary %s (%d draws)\n",
            basename(csv), basename(tr), chains, draws, wall, sum(sapply(sp, function(x) sum(x[, "divergent__"]))), tdir, nrow(td)))
focus <- grepl("^(adstock_|sat_|beta_mu|sigma\\[)", tab$name)
print(format(tab[focus, ], digits = 4), row.names = FALSE)
cat(sprintf("  all %d common parameters: max |z| %.2f, median |z| %.2f, sd ratio in [%.2f, %.2f]\n",
            nrow(tab), max(abs(tab$z)), median(abs(tab$z)), min(tab$sd_ratio), max(tab$sd_ratio)))
cat(sprintf("  transform parameters: max |z| %.2f, sd ratio in [%.2f, %.2f]\n",
            max(abs(tab$z[grepl("^(adstock_|sat_)", tab$name)])),
            min(tab$sd_ratio[grepl("^(adstock_|sat_)", tab$name)]), max(tab$sd_ratio[grepl("^(adstock_|sat_)", tab$name)])))
