# Stan side of the sampler benchmark (called by bench/run.ts; usable by hand):
#
#   Rscript bench/stan_bench.R --id std_normal_100 --stan bench/stan/std_normal.stan \
#     --data bench/out/std_normal_100.data.json [--chains 4] [--warmup 1000] [--draws 1000] \
#     [--seed 20240601] [--adapt-delta 0.8] [--max-treedepth 10] [--metric diag_e|dense_e] \
#     [--variables 'theta[1],theta[2]'] [--out result.json] [--cache-dir bench/out/stan-cache] \
#     [--driver fork|rstan] [--startup-run true|false] [--compile-only]
#
# Compiles the program (cached: the .stan file is copied to <cache-dir>/<stem>-<md5>.stan and
# compiled with rstan_options(auto_write = TRUE), so the .rds lands next to the copy and not next
# to the original, e.g. not in test/fixtures), then samples the chains in parallel with
# cores = chains and prints (and writes to --out) one JSON object with the same quantities as
# bench/run.ts records for Tributary.
#
# Drivers (--driver):
#   fork  (default) what rstan::sampling(cores = chains) does on Unix, made explicit:
#         parallel::mclapply over the chains (mc.cores = chains, mc.preschedule = FALSE), each
#         child calling sampling(chains = 1, chain_id = i, same seed), so the draws are
#         identical to sampling(cores = chains) (checked), but each child returns only the draws
#         and sampler parameters, with Sys.time() stamps around its chain. rstan's own path
#         sends each child's whole stanfit back (the compiled model's DSO included) and merges
#         them with sflist2stanfit: seconds of fixed overhead that would swamp the wall times.
#   rstan one sampling(cores = chains) call, as a user would write it.
#
# Output:
#   samplingGradientEvaluations  sum of n_leapfrog__ over the post-warmup draws of all chains
#   totalGradientEvaluations     the same over warmup + sampling (Stan's init and init_stepsize
#                                evaluations are not in n_leapfrog__, so not counted)
#   samplingSeconds / warmupSeconds  per chain, rstan::get_elapsed_time (Stan 2.21 measures them
#                                with clock(): CPU seconds of the chain's process)
#   gradPerSecond, essPerSecond  sum n_leapfrog__, minEssBulk / sum(samplingSeconds)
#   essPer1000Grad               1000 minEssBulk / sum n_leapfrog__
#   wallSeconds                  elapsed time of the whole parallel call (compilation excluded)
#   startupWallSeconds           elapsed time of the same call with warmup = 0, iter = 1
#                                (--startup-run true, the default): fixed cost of forking the
#                                chains, instantiating the model and returning the results
#   essPerWallSecond             minEssBulk / (wallSeconds - startupWallSeconds)
#   cpuSeconds, startupCpuSeconds  CPU seconds (this process + the forked chains) of the same
#                                two calls; essPerCpuSecond = minEssBulk / their difference: a
#                                load-insensitive cross-check (clock() and CPU time both exclude
#                                time spent descheduled, wall clocks do not)
#   chainSpanWallSeconds         fork driver: first chain start to last chain end (a check)
#   minEssBulk                   min over --variables (default: every output variable except
#                                lp__) of posterior::ess_bulk on the constrained scale (Stan's
#                                output), and the variable that attains it
#   divergences, meanTreeDepth, stepSize (per chain)
# Compile time is excluded from everything (reported separately as compileSeconds).

suppressPackageStartupMessages({
  library(rstan)
  library(posterior)
  library(jsonlite)
})

parse_args <- function(argv) {
  out <- list()
  i <- 1
  while (i <= length(argv)) {
    a <- argv[[i]]
    if (!startsWith(a, "--")) stop(sprintf("unexpected argument '%s'", a))
    key <- substring(a, 3)
    if (i < length(argv) && !startsWith(argv[[i + 1]], "--")) {
      out[[key]] <- argv[[i + 1]]
      i <- i + 2
    } else {
      out[[key]] <- "true"
      i <- i + 1
    }
  }
  out
}

args <- parse_args(commandArgs(trailingOnly = TRUE))
arg <- function(key, default = NULL) {
  v <- args[[key]]
  if (is.null(v)) {
    if (is.null(default)) stop(sprintf("missing --%s", key))
    return(default)
  }
  v
}

id <- arg("id", "stan")
stan_file <- normalizePath(arg("stan"), mustWork = TRUE)
cache_dir <- arg("cache-dir", file.path(dirname(sub("--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])), "out", "stan-cache"))
compile_only <- identical(arg("compile-only", "false"), "true")

# ---- compile (cached) -------------------------------------------------------------------------
dir.create(cache_dir, recursive = TRUE, showWarnings = FALSE)
code_md5 <- unname(tools::md5sum(stan_file))
stem <- tools::file_path_sans_ext(basename(stan_file))
if (stem == "model") stem <- basename(dirname(stan_file)) # posteriordb fixtures are all model.stan
cached_stan <- file.path(cache_dir, sprintf("%s-%s.stan", stem, substr(code_md5, 1, 10)))
if (!file.exists(cached_stan)) invisible(file.copy(stan_file, cached_stan))
rstan_options(auto_write = TRUE)
t0 <- proc.time()[["elapsed"]]
model <- stan_model(file = cached_stan, model_name = stem)
compile_seconds <- proc.time()[["elapsed"]] - t0
if (compile_only) {
  cat(toJSON(list(id = id, stanFile = stan_file, compiledFrom = cached_stan, compileSeconds = compile_seconds), auto_unbox = TRUE), "\n")
  quit(status = 0)
}

# ---- sample -----------------------------------------------------------------------------------
chains <- as.integer(arg("chains", "4"))
warmup <- as.integer(arg("warmup", "1000"))
draws <- as.integer(arg("draws", "1000"))
seed_arg <- arg("seed", "20240601")
# Stan wants an unsigned int: numeric seeds are used as they are, other strings are hashed.
seed_hash <- function(s) {
  f <- tempfile()
  on.exit(unlink(f))
  writeLines(s, f)
  strtoi(substr(unname(tools::md5sum(f)), 1, 7), 16L)
}
seed <- if (grepl("^[0-9]+$", seed_arg)) as.numeric(seed_arg) %% 2147483647 else seed_hash(seed_arg)
adapt_delta <- as.numeric(arg("adapt-delta", "0.8"))
max_treedepth <- as.integer(arg("max-treedepth", "10"))
metric <- arg("metric", "diag_e")
if (!metric %in% c("diag_e", "dense_e")) stop("--metric must be diag_e or dense_e")
data <- fromJSON(arg("data"), simplifyVector = TRUE)

driver <- arg("driver", "fork")
if (!driver %in% c("fork", "rstan")) stop("--driver must be fork or rstan")
control <- list(adapt_delta = adapt_delta, max_treedepth = max_treedepth, metric = metric)

# Post-warmup draws of chain i (iterations x variables, constrained scale, lp__ included).
chain_draws <- function(fit, i) {
  a3 <- as.array(fit)
  d <- a3[, i, , drop = FALSE]
  dim(d) <- dim(a3)[c(1, 3)]
  colnames(d) <- dimnames(a3)[[3]]
  d
}

# One chain, as rstan's own cores > 1 path runs it on Unix (sampling(): callFun sets chains = 1,
# chain_id = i, cores = 0 (no per-chain R-hat/ESS warnings) and keeps the seed, so the draws are
# those of sampling(cores = chains)), but returning only what the bench needs, with wall-clock
# stamps around the chain.
run_chain <- function(i, iter, warmup) {
  start <- as.numeric(Sys.time())
  fit <- suppressWarnings(sampling(
    model, data = data, chains = 1, chain_id = i, iter = iter, warmup = warmup, thin = 1,
    seed = seed, cores = 0L, open_progress = FALSE, refresh = 0, show_messages = FALSE, control = control
  ))
  end <- as.numeric(Sys.time())
  list(
    elapsed = get_elapsed_time(fit)[1, ],
    params = get_sampler_params(fit, inc_warmup = TRUE)[[1]],
    draws = chain_draws(fit, 1),
    start = start,
    end = end
  )
}

# CPU seconds of this process and of its waited-for children (the forked chains).
cpu_seconds <- function() {
  p <- proc.time()
  sum(p[["user.self"]], p[["sys.self"]], p[["user.child"]], p[["sys.child"]], na.rm = TRUE)
}

# All chains in parallel, cores = chains; returns per-chain records, wall and CPU seconds.
run_all <- function(iter, warmup) {
  t0 <- proc.time()[["elapsed"]]
  c0 <- cpu_seconds()
  if (driver == "fork") {
    recs <- parallel::mclapply(seq_len(chains), run_chain, iter = iter, warmup = warmup,
                               mc.cores = chains, mc.preschedule = FALSE)
    failed <- vapply(recs, function(r) inherits(r, "try-error") || is.null(r), logical(1))
    if (any(failed)) stop(sprintf("chain(s) %s failed: %s", paste(which(failed), collapse = ", "), as.character(recs[failed][[1]])))
  } else {
    fit <- suppressWarnings(sampling(
      model, data = data, chains = chains, iter = iter, warmup = warmup, thin = 1, seed = seed,
      cores = chains, refresh = 0, open_progress = FALSE, show_messages = FALSE, control = control
    ))
    el <- get_elapsed_time(fit)
    sp <- get_sampler_params(fit, inc_warmup = TRUE)
    arr <- as.array(fit)
    recs <- lapply(seq_len(chains), function(i) {
      list(elapsed = el[i, ], params = sp[[i]], draws = chain_draws(fit, i), start = NA_real_, end = NA_real_)
    })
  }
  list(recs = recs, wall = proc.time()[["elapsed"]] - t0, cpu = cpu_seconds() - c0)
}

# Load the model's DSO and instantiate the model once in this process, untimed like the
# compilation (a stanmodel read from the .rds cache loads its DSO lazily; otherwise every forked
# child would load it again inside the timed call).
invisible(suppressWarnings(sampling(model, data = data, chains = 1, iter = 1, warmup = 0, seed = seed, refresh = 0, show_messages = FALSE)))

main_run <- run_all(warmup + draws, warmup)
recs <- main_run$recs
wall_seconds <- main_run$wall
span_seconds <- max(vapply(recs, `[[`, numeric(1), "end")) - min(vapply(recs, `[[`, numeric(1), "start"))

# Start-up cost of the same call (forking the chains, building the model, returning the
# results): a 0-warmup 1-draw run with the same chains and cores, subtracted from the wall time
# as bench/run.ts does for Tributary.
startup_seconds <- NA_real_
startup_cpu <- NA_real_
if (identical(arg("startup-run", "true"), "true")) {
  startup <- run_all(1, 0)
  startup_seconds <- startup$wall
  startup_cpu <- startup$cpu
}
run_cpu <- main_run$cpu - if (is.na(startup_cpu)) 0 else startup_cpu

# ---- the same quantities as Tributary's bench -------------------------------------------------
post <- lapply(recs, function(r) r$params[(warmup + 1):(warmup + draws), , drop = FALSE])
n_leapfrog <- sum(vapply(post, function(p) sum(p[, "n_leapfrog__"]), numeric(1)))
n_leapfrog_total <- sum(vapply(recs, function(r) sum(r$params[, "n_leapfrog__"]), numeric(1)))
divergences <- sum(vapply(post, function(p) sum(p[, "divergent__"]), numeric(1)))
mean_treedepth <- mean(unlist(lapply(post, function(p) p[, "treedepth__"])))
step_size <- vapply(post, function(p) p[1, "stepsize__"], numeric(1))

# iterations x chains x variables, constrained scale (Stan's output)
var_names <- colnames(recs[[1]]$draws)
a <- array(NA_real_, dim = c(draws, chains, length(var_names)), dimnames = list(NULL, NULL, var_names))
for (i in seq_len(chains)) a[, i, ] <- recs[[i]]$draws
arr <- as_draws_array(a)
variables <- setdiff(variables(arr), "lp__")
if (!is.null(args[["variables"]])) {
  wanted <- strsplit(args[["variables"]], ",", fixed = TRUE)[[1]]
  missing <- setdiff(wanted, variables)
  if (length(missing) > 0) stop(sprintf("variables not in the Stan output: %s", paste(missing, collapse = ", ")))
  variables <- wanted
}
ess <- vapply(variables, function(v) ess_bulk(extract_variable_matrix(arr, v)), numeric(1))
min_ess <- min(ess)
sampling_seconds <- vapply(recs, function(r) unname(r$elapsed[["sample"]]), numeric(1))
warmup_seconds <- vapply(recs, function(r) unname(r$elapsed[["warmup"]]), numeric(1))

result <- list(
  id = id,
  stanFile = stan_file,
  rstanVersion = as.character(packageVersion("rstan")),
  metric = metric,
  seed = seed,
  driver = driver,
  numVariables = length(variables),
  gradPerSecond = n_leapfrog / sum(sampling_seconds),
  minEssBulk = min_ess,
  minEssBulkParameter = variables[[which.min(ess)]],
  essPerSecond = min_ess / sum(sampling_seconds),
  essPer1000Grad = 1000 * min_ess / n_leapfrog,
  essPerWallSecond = min_ess / (wall_seconds - if (is.na(startup_seconds)) 0 else startup_seconds),
  samplingGradientEvaluations = n_leapfrog,
  totalGradientEvaluations = n_leapfrog_total,
  samplingSeconds = I(sampling_seconds),
  warmupSeconds = I(warmup_seconds),
  wallSeconds = wall_seconds,
  chainSpanWallSeconds = span_seconds,
  startupWallSeconds = startup_seconds,
  cpuSeconds = main_run$cpu,
  startupCpuSeconds = startup_cpu,
  essPerCpuSecond = min_ess / run_cpu,
  compileSeconds = compile_seconds,
  divergences = divergences,
  meanTreeDepth = mean_treedepth,
  stepSize = I(step_size)
)
json <- toJSON(result, auto_unbox = TRUE, digits = NA, pretty = TRUE)
out <- args[["out"]]
if (!is.null(out)) writeLines(json, out)
cat(json, "\n")
