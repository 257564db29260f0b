#!/usr/bin/env bash
# Side-by-side: fits CSV with Tributary and with rstan (same chains, warmup, draws, target accept,
# 4 chains in parallel on this machine), then compares posteriors and ESS/s with bench/compare.R.
# Usage: bash bench/run-compare.sh [CSV] [OUT] [chains warmup draws seed]
# By hand, not in CI (needs r-cran-rstan r-cran-posterior; see README "Benchmarks").
set -euo pipefail
cd "$(dirname "$0")/.."
csv=${1:-data/volta_marketing.csv}; out=${2:-bench/out}
chains=${3:-4}; warmup=${4:-1000}; draws=${5:-1000}; seed=${6:-1}
[ -f "$csv" ] || node apps/cli/dist/bin.js generate --out "$(dirname "$csv")"
models="pooled unpooled hierarchical"
for m in $models; do
  node apps/cli/dist/bin.js fit "$csv" --model "$m" --chains "$chains" --warmup "$warmup" --draws "$draws" \
    --seed "$seed" --out "$out/tributary" --quiet
  Rscript bench/fit_stan.R "$csv" "$m" "$out/stan/$m" "$chains" "$warmup" "$draws" "$seed" 0.8
done
Rscript bench/compare.R "$out" $models | tee "$out/comparison.md"
