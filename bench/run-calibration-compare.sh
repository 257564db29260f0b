#!/usr/bin/env bash
# Side-by-side check of the calibrated hierarchical model: Tributary's NUTS fit with lift tests
# and a time-varying channel vs an independent Stan implementation of the same model
# (bench/stan/hierarchical_calibrated.stan, written from the header of packages/models/src/model.ts;
# data prep in R, bench/prepare_data.R's prepare_calibration()).
#
# Reproduce (by hand, not in CI; needs r-cran-rstan r-cran-posterior r-cran-jsonlite and a current
# apps/cli/dist and packages/*/dist; ≈ 2–4 min on 2 cores):
#   bash bench/run-calibration-compare.sh [OUT] [chains warmup draws seed]
#   (defaults: bench/out/calibration-stan, 4 1000 1000 1)
# Steps:
#   1. OUT/data: `tributary generate --scenario biased` (biased_marketing.csv + lift_tests.csv);
#   2. OUT/tributary/hierarchical: `tributary fit --model hierarchical --lift-tests ...
#      --time-varying meta_spend --knot-every 8`;
#   3. OUT/stan/hierarchical: rstan, same chains / warmup / draws / seed, adapt_delta 0.8
#      (bench/fit_stan_calibrated.R);
#   4. OUT/lp-check.txt: Stan's lp__ vs Tributary's model.logDensity at the same points (random
#      points + Tributary's draws), for this configuration and for a stress configuration
#      (lift tests on the time-varying channel, in a market with gaps, a go-dark test, a window
#      whose carry-over runs past the last knot; two time-varying channels, knots every 5 weeks);
#   5. OUT/comparison.md: bench/compare.R on alpha_mu, beta_mu, beta, sigma, tv_sigma,
#      tv_multiplier (same rule as the base models), OUT/comparison-all.md on every common
#      parameter. bench/results/calibration-stan-comparison.md is written from these by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/out/calibration-stan}
chains=${2:-4}; warmup=${3:-1000}; draws=${4:-1000}; seed=${5:-1}
T() { node apps/cli/dist/bin.js "$@"; }
mkdir -p "$out/data"
[ -f "$out/data/biased_marketing.csv" ] || T generate --scenario biased --out "$out/data" > /dev/null
csv=$out/data/biased_marketing.csv; lift=$out/data/lift_tests.csv
tv=meta_spend; every=8

T fit "$csv" --model hierarchical --lift-tests "$lift" --time-varying "$tv" --knot-every "$every" \
  --chains "$chains" --warmup "$warmup" --draws "$draws" --seed "$seed" --out "$out/tributary" --quiet
Rscript bench/fit_stan_calibrated.R "$csv" "$lift" "$tv" "$every" "$out/stan/hierarchical" \
  "$chains" "$warmup" "$draws" "$seed" 0.8

# Fixed-point log densities (exit status 1 on a mismatch; reported, not fatal).
{
  Rscript bench/lp_check_calibrated.R "$csv" "$lift" "$tv" "$every" 6 "$out/tributary/hierarchical/draws.csv" || true
  stress=$out/data/stress_lift_tests.csv
  cat > "$stress" <<'EOF'
market,channel,start,end,delta_spend,lift,lift_se
DE,meta_spend,2026-09-07,2026-09-28,1500,9000,1500
ES,meta,2025-12-01,2025-12-15,800,4000,900
SE,meta_spend,2026-06-01,2026-06-15,-150,-800,400
PL,tiktok_spend,2026-05-04,2026-05-25,300,1500,500
DE,tiktok_spend,2025-10-20,2025-11-10,1339.00,9637.53,1302.19
EOF
  T fit "$csv" --model hierarchical --lift-tests "$stress" --time-varying meta_spend,tiktok_spend --knot-every 5 \
    --chains 2 --warmup 150 --draws 100 --seed "$seed" --out "$out/stress" --quiet > /dev/null
  Rscript bench/lp_check_calibrated.R "$csv" "$stress" meta_spend,tiktok_spend 5 6 "$out/stress/hierarchical/draws.csv" || true
} 2>&1 | grep -v "^Warning\|^In \|^  \(There were\|Examine\)" | tee "$out/lp-check.txt"

Rscript bench/compare.R --params='^(alpha_mu|beta|beta_mu|sigma|tv_sigma|tv_multiplier)(\[|$)' "$out" hierarchical \
  | tee "$out/comparison.md"
Rscript bench/compare.R --params='.' "$out" hierarchical > "$out/comparison-all.md"
grep -m1 "compared parameters agree" "$out/comparison-all.md" | sed 's/^### /all common parameters — /'
