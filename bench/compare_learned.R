# Tributary vs Stan on the hierarchical model with learned transforms: speed and posterior
# agreement, with R's `posterior` package computing every summary of BOTH sides (so neither side
# grades itself).
# Usage: Rscript bench/compare_learned.R OUTDIR [LABEL] [STAN]
#   reads OUTDIR/tributary/hierarchical/{draws.csv,manifest.json,timing.json} and
#   OUTDIR/STAN/{draws.csv,timing.json} (STAN: stan = hierarchical_learned.stan, the default;
#   stan-level = hierarchical_learned_level.stan, the same posterior in Tributary's sampling coordinates)
# Speed: min bulk-ESS (and min tail-ESS, max R-hat) over every parameter both sides report
# (parameters and transformed parameters: alpha, beta, beta_mu included), divided by the wall
# seconds of the sampler with 4 chains on this machine's 2 cores: Tributary = manifest
# timing.wall_seconds (sample(), worker start-up included, CSV parsing and output writing
# excluded); Stan = wall seconds of rstan::sampling() with cores = 2 (cluster start-up included,
# compile excluded). Agreement rule (as bench/compare.R): means within 4 combined MCSE + 2 % of
# Stan's sd, sds within 10 %.
suppressPackageStartupMessages({ library(posterior); library(jsonlite) })
`%||%` <- function(x, y) if (is.null(x)) y else x
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]; label <- if (length(args) >= 2) args[2] else ""
stan_dir <- if (length(args) >= 3) args[3] else "stan"
tr <- read.csv(file.path(out, "tributary", "hierarchical", "draws.csv"), check.names = FALSE)
st <- read.csv(file.path(out, stan_dir, "draws.csv"), check.names = FALSE)
man <- fromJSON(file.path(out, "tributary", "hierarchical", "manifest.json"))
# fit writes its wall-clock seconds to timing.json (older result folders: manifest$timing)
tjson <- file.path(out, "tributary", "hierarchical", "timing.json")
if (file.exists(tjson)) man$timing <- fromJSON(tjson)
tim <- fromJSON(file.path(out, stan_dir, "timing.json"))
common <- intersect(names(tr), names(st))
common <- common[!startsWith(common, ".")]
only_st <- setdiff(names(st)[!startsWith(names(st), ".")], names(tr))
only_tr <- setdiff(names(tr)[!startsWith(names(tr), ".")], names(st))
summ <- function(df) {
  s <- summarise_draws(as_draws_df(df[, c(".chain", ".iteration", common)]), "mean", "sd", "mcse_mean",
                       "ess_bulk", "ess_tail", "rhat")
  s[match(common, s$variable), ]
}
a <- as.data.frame(summ(tr)); b <- as.data.frame(summ(st))
tol <- 4 * sqrt(a$mcse_mean^2 + b$mcse_mean^2) + 0.02 * b$sd
ok <- abs(a$mean - b$mean) <= tol & abs(a$sd / b$sd - 1) <= 0.10

t_wall <- man$timing$wall_seconds; s_wall <- tim$sampling_wall_seconds
t_div <- man$diagnostics$divergences; s_div <- tim$divergences
argmin <- function(s, col) s$variable[which.min(s[[col]])]
row <- function(side, s, wall, div, extra) sprintf("| %s | %.1f | %.0f (%s) | %.0f (%s) | %.4f (%s) | %s | %.2f | %s |",
  side, wall, min(s$ess_bulk), argmin(s, "ess_bulk"), min(s$ess_tail), argmin(s, "ess_tail"),
  max(s$rhat), s$variable[which.max(s$rhat)], as.character(div), min(s$ess_bulk) / wall, extra)
t_rate <- min(a$ess_bulk) / t_wall; s_rate <- min(b$ess_bulk) / s_wall
cat(sprintf("## Speed%s\n\n", if (nzchar(label)) paste0(" (", label, ")") else ""))
cat("| | wall s (4 chains, 2 cores) | min bulk ESS (param) | min tail ESS (param) | max R-hat (param) | divergences | min bulk ESS / wall s | notes |\n")
cat("|---|---|---|---|---|---|---|---|\n")
cat(row("Tributary", a, t_wall, t_div, sprintf("%d chains x (%s warmup + %s draws), seed %s", man$options$chains %||% NA,
    man$options$warmup %||% NA, man$options$draws %||% NA, man$options$seed %||% NA)), "\n", sep = "")
cat(row("Stan (rstan 2.21)", b, s_wall, s_div, sprintf("%d chains x (%d + %d), seed %d; per-chain warmup+sampling %s s; compile %.0f s excluded",
    tim$chains, tim$warmup, tim$draws, tim$seed, paste(sprintf("%.0f", tim$warmup_seconds + tim$sample_seconds), collapse = "/"),
    tim$compile_seconds)), "\n", sep = "")
cat(sprintf("\n**Ratio Tributary / Stan of min bulk-ESS per wall second: %.2f** (goal of issue 13: >= 3).\n", t_rate / s_rate))
extra <- c(if (length(only_tr)) sprintf("only Tributary reports %s", paste(only_tr, collapse = " ")),
           if (length(only_st)) sprintf("only Stan reports %s", paste(only_st, collapse = " ")))
cat(sprintf("Over %d common parameters%s.\n", length(common),
    if (length(extra)) paste0("; ", paste(extra, collapse = "; ")) else " (every parameter either side reports)"))

focus <- grepl("^(adstock_alpha|sat_K|sat_S|beta_mu)\\[", common)
ord <- order(sub("\\[.*", "", common[focus]) != "adstock_alpha", sub("\\[.*", "", common[focus]) != "sat_K",
             sub("\\[.*", "", common[focus]) != "sat_S")
idx <- which(focus)[ord]
cat(sprintf("\n## Posterior agreement: transforms and population effects (%d of %d agree; all common parameters: %d of %d)\n\n",
            sum(ok[idx]), length(idx), sum(ok), length(ok)))
cat("| parameter | Tributary mean | Stan mean | |diff| | tolerance | Tributary sd | Stan sd | sd ratio | ESS bulk T / S | ok |\n")
cat("|---|---|---|---|---|---|---|---|---|---|\n")
cat(sprintf("| %s | %.4g | %.4g | %.2g | %.2g | %.4g | %.4g | %.3f | %.0f / %.0f | %s |\n", common[idx], a$mean[idx], b$mean[idx],
            abs(a$mean - b$mean)[idx], tol[idx], a$sd[idx], b$sd[idx], (a$sd / b$sd)[idx], a$ess_bulk[idx], b$ess_bulk[idx],
            ifelse(ok[idx], "yes", "NO")), sep = "")
if (any(!ok[-idx])) {
  bad <- setdiff(which(!ok), idx)
  cat("\nOther common parameters outside the rule:\n\n| parameter | Tributary mean | Stan mean | tolerance | Tributary sd | Stan sd | sd ratio |\n|---|---|---|---|---|---|---|\n")
  cat(sprintf("| %s | %.4g | %.4g | %.2g | %.4g | %.4g | %.3f |\n", common[bad], a$mean[bad], b$mean[bad], tol[bad],
              a$sd[bad], b$sd[bad], (a$sd / b$sd)[bad]), sep = "")
}

# lp__ (the same function on both sides, bench/lp_check_learned.R) and the cost decomposition:
# sampling-phase seconds per chain / leapfrog steps of that phase = seconds per gradient (per
# chain, under whatever else shared the cores).
ss <- read.csv(file.path(out, "tributary", "hierarchical", "sample_stats.csv"), check.names = FALSE)
lt <- summarise_draws(as_draws_df(data.frame(.chain = ss$.chain, .iteration = ss$.iteration, lp__ = ss$lp)), "mean", "sd", "ess_bulk")
ls_ <- summarise_draws(as_draws_df(data.frame(.chain = st$.chain, .iteration = st$.iteration, lp__ = st$.lp__)), "mean", "sd", "ess_bulk")
cat(sprintf("\n## lp__ and cost per gradient\n\n| | lp__ mean | lp__ sd | lp__ bulk ESS | leapfrog steps per draw (per chain) | step size (per chain) | sampling-phase ms per leapfrog step (per chain; Tributary wall, Stan CPU) |\n|---|---|---|---|---|---|---|\n"))
tl <- tapply(ss$n_leapfrog, ss$.chain, sum); tm <- tapply(ss$n_leapfrog, ss$.chain, mean)
tstep <- tapply(ss$stepsize, ss$.chain, function(x) x[1])
cat(sprintf("| Tributary | %.2f | %.2f | %.0f | %s | %s | %s |\n", lt$mean, lt$sd, lt$ess_bulk,
            paste(sprintf("%.0f", tm), collapse = " / "), paste(sprintf("%.4f", tstep), collapse = " / "),
            paste(sprintf("%.3f", 1000 * man$timing$sampling_seconds / tl), collapse = " / ")))
cat(sprintf("| Stan | %.2f | %.2f | %.0f | %s | %s | %s |\n", ls_$mean, ls_$sd, ls_$ess_bulk,
            paste(sprintf("%.0f", tim$mean_leapfrog_per_draw), collapse = " / "), paste(sprintf("%.4f", tim$stepsize), collapse = " / "),
            paste(sprintf("%.3f", 1000 * tim$sample_seconds / (tim$mean_leapfrog_per_draw * tim$draws)), collapse = " / ")))

# Per CPU second (robust to other jobs sharing the cores): Tributary = user + system seconds of
# the fit process (/usr/bin/time, OUT/tributary/time.txt; includes CSV parsing, the main thread
# and output writing); Stan = sum over chains of get_elapsed_time's warmup + sampling, which Stan
# measures with clock() (each chain's CPU time; excludes R, compile and cluster overhead).
tf <- file.path(out, "tributary", "time.txt")
t_cpu <- if (file.exists(tf)) { v <- scan(tf, quiet = TRUE); v[2] + v[3] } else NA_real_
s_cpu <- sum(tim$warmup_seconds + tim$sample_seconds)
cat(sprintf("\n## Per CPU second\n\n| | CPU s | min bulk ESS / CPU s |\n|---|---|---|\n| Tributary | %.1f | %.2f |\n| Stan | %.1f | %.2f |\n\nRatio Tributary / Stan of min bulk-ESS per CPU second: %.2f\n",
            t_cpu, min(a$ess_bulk) / t_cpu, s_cpu, min(b$ess_bulk) / s_cpu, (min(a$ess_bulk) / t_cpu) / (min(b$ess_bulk) / s_cpu)))
