# Fits bench/stan/hierarchical_learned.stan (hierarchical model, adstock alpha and Hill K, S
# learned per channel) to a CSV with rstan and writes, into OUT/:
#   draws.csv   (.chain, .iteration, .lp__, then every parameter by Tributary's Stan-style names:
#                adstock_alpha[meta_spend], sat_K[...], sat_S[...], beta[DE,meta_spend], ...)
#   timing.json (wall seconds of sampling() — chains run in parallel on CORES processes, cluster
#                start-up included, compile excluded —, warmup / sampling seconds per chain as
#                get_elapsed_time reports, divergences, tree-depth hits, leapfrog steps, step sizes)
#   data.rds    (prepare_learned()'s list, for lp checks)
# Usage: Rscript bench/fit_stan_learned.R CSV OUT [chains warmup draws seed adapt_delta cores max_treedepth model]
#   model: hierarchical_learned (default; the documented parameterization) or
#          hierarchical_learned_level (the same posterior in Tributary's sampling coordinates)
suppressPackageStartupMessages({ library(rstan); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "prepare_data.R"))
csv <- args[1]; out <- args[2]
arg <- function(i, def) if (length(args) >= i) args[i] else def
chains <- as.integer(arg(3, 4)); warmup <- as.integer(arg(4, 1000)); draws <- as.integer(arg(5, 1000))
seed <- as.integer(arg(6, 1)); delta <- as.numeric(arg(7, 0.8)); cores <- as.integer(arg(8, 2))
treedepth <- as.integer(arg(9, 10)); model <- arg(10, "hierarchical_learned")
dir.create(out, recursive = TRUE, showWarnings = FALSE)

prep <- prepare_learned(prepare_data(csv))
saveRDS(prep, file.path(out, "data.rds"))
rstan_options(auto_write = TRUE)  # caches bench/stan/hierarchical_learned.rds (git-ignored)
t0 <- Sys.time()
sm <- stan_model(file.path(here, "stan", paste0(model, ".stan")))
compile_s <- as.numeric(Sys.time() - t0, units = "secs")
t1 <- Sys.time()
fit <- sampling(sm, data = prep$stan, chains = chains, iter = warmup + draws, warmup = warmup,
                seed = seed, cores = cores, control = list(adapt_delta = delta, max_treedepth = treedepth),
                refresh = 0)
wall <- as.numeric(Sys.time() - t1, units = "secs")

arr <- as.array(fit)  # iterations x chains x parameters
pn <- dimnames(arr)[[3]]
keep <- pn != "lp__"
df <- do.call(rbind, lapply(seq_len(dim(arr)[2]), function(ch) {
  m <- arr[, ch, keep, drop = FALSE][, 1, ]
  data.frame(.chain = ch, .iteration = seq_len(nrow(m)), .lp__ = arr[, ch, "lp__"], m, check.names = FALSE)
}))
names(df) <- c(".chain", ".iteration", ".lp__", vapply(pn[keep], learned_name, "", prep = prep))
write.csv(df, file.path(out, "draws.csv"), row.names = FALSE)
el <- get_elapsed_time(fit)
sp <- get_sampler_params(fit, inc_warmup = FALSE)
spw <- get_sampler_params(fit, inc_warmup = TRUE)
write_json(list(model = model, chains = chains, warmup = warmup, draws = draws, seed = seed,
                adapt_delta = delta, max_treedepth = treedepth, cores = cores,
                compile_seconds = compile_s, sampling_wall_seconds = wall,
                warmup_seconds = unname(el[, "warmup"]), sample_seconds = unname(el[, "sample"]),
                divergences = sum(sapply(sp, function(s) sum(s[, "divergent__"]))),
                divergences_per_chain = sapply(sp, function(s) sum(s[, "divergent__"])),
                treedepth_hits = sum(sapply(sp, function(s) sum(s[, "treedepth__"] >= treedepth))),
                n_leapfrog = sum(sapply(sp, function(s) sum(s[, "n_leapfrog__"]))),
                n_leapfrog_total = sum(sapply(spw, function(s) sum(s[, "n_leapfrog__"]))),
                mean_leapfrog_per_draw = sapply(sp, function(s) mean(s[, "n_leapfrog__"])),
                stepsize = sapply(sp, function(s) s[1, "stepsize__"]),
                stan_version = as.character(packageVersion("rstan"))),
           file.path(out, "timing.json"), auto_unbox = TRUE, digits = NA)
cat(sprintf("stan %s: wall %.1fs on %d cores (compile %.1fs excluded), %d divergences\n", model,
            wall, cores, compile_s, sum(sapply(sp, function(s) sum(s[, "divergent__"])))))
