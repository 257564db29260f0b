# Fits bench/stan/hierarchical_calibrated.stan (hierarchical model + lift tests + time-varying
# channels) to a CSV with rstan and writes, into OUT/, the same files as fit_stan.R:
#   draws.csv  (.chain,.iteration, then every parameter by Tributary's Stan-style names:
#               beta[DE,meta_spend], tv_sigma[meta_spend], tv_z[meta_spend,k] (k = 2..J),
#               tv_multiplier[meta_spend,k] (k = 1..J); tv_w[...] (the centred log multiplier)
#               is Stan-only)
#   timing.json, and data.rds (the Stan data list, for lp checks)
# Usage: Rscript bench/fit_stan_calibrated.R CSV LIFT_CSV|- TV_CHANNELS|- KNOT_EVERY OUT
#          [chains warmup draws seed adapt_delta]
#   TV_CHANNELS: comma-separated channel columns ("-" = none); LIFT_CSV "-" = no lift tests.
suppressPackageStartupMessages({ library(rstan); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "prepare_data.R"))
csv <- args[1]
lift <- if (args[2] == "-") NULL else args[2]
tv <- if (args[3] == "-") character(0) else strsplit(args[3], ",")[[1]]
knot_every <- as.integer(args[4]); out <- args[5]
chains <- as.integer(if (length(args) >= 6) args[6] else 4)
warmup <- as.integer(if (length(args) >= 7) args[7] else 1000)
draws <- as.integer(if (length(args) >= 8) args[8] else 1000)
seed <- as.integer(if (length(args) >= 9) args[9] else 1)
delta <- as.numeric(if (length(args) >= 10) args[10] else 0.8)
dir.create(out, recursive = TRUE, showWarnings = FALSE)

prep <- prepare_calibration(prepare_data(csv), lift, tv, knot_every)
saveRDS(prep, file.path(out, "data.rds"))
rstan_options(auto_write = TRUE)
t0 <- Sys.time()
sm <- stan_model(file.path(here, "stan", "hierarchical_calibrated.stan"))
compile_s <- as.numeric(Sys.time() - t0, units = "secs")
t1 <- Sys.time()
fit <- sampling(sm, data = prep$stan, chains = chains, iter = warmup + draws, warmup = warmup,
                seed = seed, cores = chains, control = list(adapt_delta = delta), refresh = 0)
wall <- as.numeric(Sys.time() - t1, units = "secs")

arr <- as.array(fit)  # iterations x chains x parameters
pn <- dimnames(arr)[[3]]
keep <- pn != "lp__"
df <- do.call(rbind, lapply(seq_len(dim(arr)[2]), function(ch) {
  m <- arr[, ch, keep, drop = FALSE][, 1, ]
  data.frame(.chain = ch, .iteration = seq_len(nrow(m)), lp__ = arr[, ch, "lp__"], m, check.names = FALSE)
}))
names(df) <- c(".chain", ".iteration", ".lp__", vapply(pn[keep], calibrated_name, "", prep = prep))
write.csv(df, file.path(out, "draws.csv"), row.names = FALSE)
el <- get_elapsed_time(fit)
sp <- get_sampler_params(fit, inc_warmup = FALSE)
write_json(list(model = "hierarchical_calibrated", compile_seconds = compile_s, sampling_wall_seconds = wall,
                warmup_seconds = unname(el[, "warmup"]), sample_seconds = unname(el[, "sample"]),
                divergences = sum(sapply(sp, function(s) sum(s[, "divergent__"]))),
                n_leapfrog = sum(sapply(sp, function(s) sum(s[, "n_leapfrog__"]))),
                stan_version = as.character(packageVersion("rstan"))),
           file.path(out, "timing.json"), auto_unbox = TRUE, digits = NA)
cat(sprintf("stan hierarchical_calibrated: wall %.1fs (compile %.1fs excluded)\n", wall, compile_s))
