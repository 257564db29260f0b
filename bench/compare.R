# Compares Tributary's and Stan's posteriors and speed, with R's `posterior` package computing the
# summaries of both sides (so neither side grades itself).
# Usage: Rscript bench/compare.R [--params=REGEX] OUTDIR MODEL [MODEL...]
#   reads OUTDIR/tributary/<model>/{draws.csv,manifest.json} and OUTDIR/stan/<model>/{draws.csv,timing.json}
# Rule (issue 4): posterior means within 4 combined MCSE + 2% of the posterior sd, sds within 10%,
# for every beta[...], beta_mu[...] and sigma[...] parameter (or, with --params=REGEX, every
# common parameter whose name matches the R regular expression, e.g. for
# bench/run-calibration-compare.sh: --params='^(alpha_mu|beta|beta_mu|sigma|tv_sigma|tv_multiplier)(\[|$)').
suppressPackageStartupMessages({ library(posterior); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
popt <- grep("^--params=", args, value = TRUE)
args <- args[!startsWith(args, "--params=")]
out <- args[1]; models <- args[-1]
compared <- if (length(popt)) {
  rx <- sub("^--params=", "", popt[1])
  function(n) grepl(rx, n)
} else function(n) grepl("^(beta|beta_mu)\\[|^sigma(\\[|$)", n)
lines <- c(); speed <- c(); all_ok <- TRUE
for (m in models) {
  tr <- read.csv(file.path(out, "tributary", m, "draws.csv"), check.names = FALSE)
  st <- read.csv(file.path(out, "stan", m, "draws.csv"), check.names = FALSE)
  common <- intersect(names(tr), names(st))
  common <- common[!startsWith(common, ".")]
  missing <- setdiff(names(st)[!startsWith(names(st), ".")], names(tr))
  if (length(missing)) cat(sprintf("%s: parameters only in Stan's output: %s\n", m, paste(missing, collapse = " ")))
  summ <- function(df) {
    s <- summarise_draws(as_draws_df(df[, c(".chain", ".iteration", common)]), "mean", "sd", "mcse_mean", "ess_bulk", "rhat")
    s[match(common, s$variable), ]
  }
  a <- summ(tr); b <- summ(st)
  p <- compared(common)
  tol <- 4 * sqrt(a$mcse_mean^2 + b$mcse_mean^2) + 0.02 * b$sd
  mean_ok <- abs(a$mean - b$mean) <= tol
  sd_ok <- abs(a$sd / b$sd - 1) <= 0.10
  ok <- mean_ok & sd_ok
  all_ok <- all_ok && all(ok[p])
  lines <- c(lines, sprintf("\n### %s: %d of %d compared parameters agree\n", m, sum(ok[p]), sum(p)),
             "| parameter | Tributary mean | Stan mean | |diff| | tolerance | Tributary sd | Stan sd | sd ratio | ok |",
             "|---|---|---|---|---|---|---|---|---|",
             sprintf("| %s | %.4g | %.4g | %.2g | %.2g | %.4g | %.4g | %.3f | %s |", common[p], a$mean[p], b$mean[p],
                     abs(a$mean - b$mean)[p], tol[p], a$sd[p], b$sd[p], (a$sd / b$sd)[p], ifelse(ok[p], "yes", "NO")))
  man <- fromJSON(file.path(out, "tributary", m, "manifest.json"))
  tim <- fromJSON(file.path(out, "stan", m, "timing.json"))
  # Stan: the slowest chain's warmup + sampling time as Stan reports it (excludes compile and rstan's
  # process start-up); Tributary: wall time of sample() with its worker start-up included.
  t_wall <- man$timing$wall_seconds; s_wall <- max(tim$warmup_seconds + tim$sample_seconds)
  t_ess <- min(a$ess_bulk, na.rm = TRUE); s_ess <- min(b$ess_bulk, na.rm = TRUE)
  t_div <- man$diagnostics$divergences; s_div <- tim$divergences
  speed <- c(speed, sprintf("| %s | %.1f | %.0f | %.1f | %d | %.1f | %.0f | %.1f | %d | %.2f |", m, s_wall, s_ess, s_ess / s_wall, s_div,
                            t_wall, t_ess, t_ess / t_wall, t_div, (t_ess / t_wall) / (s_ess / s_wall)))
}
cat("## Speed (min bulk-ESS over all common parameters; seconds of warmup + sampling: Stan = slowest chain as get_elapsed_time reports, compile and process start-up excluded; Tributary = wall time of sample())\n\n",
    "| model | Stan wall s | Stan min ESS | Stan ESS/s | Stan div | Tributary wall s | Tributary min ESS | Tributary ESS/s | Tributary div | ratio |\n",
    "|---|---|---|---|---|---|---|---|---|---|\n", paste(speed, collapse = "\n"), "\n", sep = "")
cat("\n## Posterior agreement (", if (all_ok) "all agree" else "SOME DISAGREE", ")\n", paste(lines, collapse = "\n"), "\n", sep = "")
