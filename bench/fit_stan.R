# Fits one model of bench/stan/ to a CSV with rstan and writes, into OUT/:
#   draws.csv  (.chain,.iteration, then every parameter by Tributary's Stan-style names)
#   timing.json (warmup and sampling seconds per chain, wall seconds of sampling, divergences)
# Usage: Rscript bench/fit_stan.R CSV MODEL OUT [chains warmup draws seed adapt_delta]
suppressPackageStartupMessages({ library(rstan); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "prepare_data.R"))
csv <- args[1]; model <- args[2]; out <- args[3]
chains <- as.integer(if (length(args) >= 4) args[4] else 4)
warmup <- as.integer(if (length(args) >= 5) args[5] else 1000)
draws <- as.integer(if (length(args) >= 6) args[6] else 1000)
seed <- as.integer(if (length(args) >= 7) args[7] else 1)
delta <- as.numeric(if (length(args) >= 8) args[8] else 0.8)
dir.create(out, recursive = TRUE, showWarnings = FALSE)

prep <- prepare_data(csv)
rstan_options(auto_write = TRUE)
t0 <- Sys.time()
sm <- stan_model(file.path(here, "stan", paste0(model, ".stan")))
compile_s <- as.numeric(Sys.time() - t0, units = "secs")
t1 <- Sys.time()
fit <- sampling(sm, data = prep$stan, chains = chains, iter = warmup + draws, warmup = warmup,
                seed = seed, cores = chains, control = list(adapt_delta = delta), refresh = 0)
wall <- as.numeric(Sys.time() - t1, units = "secs")

arr <- as.array(fit)  # iterations x chains x parameters
pn <- dimnames(arr)[[3]]
rename <- function(n) {
  m <- regmatches(n, regexec("^([A-Za-z_]+)\\[(.*)\\]$", n))[[1]]
  if (length(m) == 0) return(n)
  base <- m[2]; idx <- as.integer(strsplit(m[3], ",")[[1]])
  labels <- switch(base,
    alpha_z = , alpha = , delta = , sigma = list(prep$markets),
    beta_log_mu = , beta_mu = , beta_sigma = list(prep$channels),
    beta_z = , beta = , log_beta = if (length(idx) == 2) list(prep$markets, prep$channels) else list(prep$channels),
    gamma = if (length(idx) == 2) list(prep$markets, as.character(1:4)) else list(as.character(1:4)),
    NULL)
  if (is.null(labels)) return(n)
  paste0(base, "[", paste(mapply(function(l, i) l[i], labels, idx), collapse = ","), "]")
}
keep <- pn != "lp__"
df <- do.call(rbind, lapply(seq_len(dim(arr)[2]), function(ch) {
  m <- arr[, ch, keep, drop = FALSE][, 1, ]
  data.frame(.chain = ch, .iteration = seq_len(nrow(m)), m, check.names = FALSE)
}))
names(df) <- c(".chain", ".iteration", vapply(pn[keep], rename, ""))
write.csv(df, file.path(out, "draws.csv"), row.names = FALSE)
el <- get_elapsed_time(fit)
sp <- get_sampler_params(fit, inc_warmup = FALSE)
write_json(list(model = model, compile_seconds = compile_s, sampling_wall_seconds = wall,
                warmup_seconds = unname(el[, "warmup"]), sample_seconds = unname(el[, "sample"]),
                divergences = sum(sapply(sp, function(s) sum(s[, "divergent__"]))),
                n_leapfrog = sum(sapply(sp, function(s) sum(s[, "n_leapfrog__"]))),
                stan_version = as.character(packageVersion("rstan"))),
           file.path(out, "timing.json"), auto_unbox = TRUE, digits = NA)
cat(sprintf("stan %s: wall %.1fs (compile %.1fs excluded)\n", model, wall, compile_s))
