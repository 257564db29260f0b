#!/usr/bin/env bash
# Issue 8's figures at full length (by hand, not in CI; ≈5 min on 2 cores):
#   bash bench/calibration/run.sh [OUT] [CHAINS] [WARMUP] [DRAWS] [SEED]
# - biased scenario: hierarchical fit without / with the scenario's lift tests / with a ROAS
#   prior on tiktok, tiktok ROAS per market against the truth;
# - drift scenario: constant vs time-varying meta effect (PSIS-LOO via compare, recovery of the
#   multiplier's shape), and a backtest of both;
# - a report of each scenario (calibration section) and OUT/calibration.md (tables).
# Needs `pnpm build` (uses apps/cli/dist).
set -euo pipefail
OUT=${1:-bench/out/calibration}
CHAINS=${2:-4}
WARMUP=${3:-1000}
DRAWS=${4:-1000}
SEED=${5:-42}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
T() { node "$root/apps/cli/dist/bin.js" "$@"; }
RUN=(--chains "$CHAINS" --warmup "$WARMUP" --draws "$DRAWS" --seed "$SEED" --quiet)
rm -rf "$OUT" && mkdir -p "$OUT"
start=$(date +%s)

# ---- lift tests and ROAS priors on the biased scenario --------------------------------------
T generate --scenario biased --seed "$SEED" --out "$OUT/biased/data" > /dev/null
B="$OUT/biased"
T fit "$B/data/biased_marketing.csv" --out "$B/results" --name hierarchical "${RUN[@]}"
T fit "$B/data/biased_marketing.csv" --out "$B/results" --name hierarchical-lift --lift-tests "$B/data/lift_tests.csv" "${RUN[@]}"
# A ROAS prior as a marketer would have it from earlier experiments: tiktok's true spend-weighted
# ROAS (from the ground truth) with a 25% sd.
node -e '
  const t = require(process.argv[1]);
  let r = 0, s = 0;
  for (const m of t.markets) { const sp = t.spend[m].tiktok_spend; r += t.roas[m].tiktok_spend * sp; s += sp; }
  const mean = r / s;
  console.log(`roas:\n  tiktok_spend: { mean: ${mean.toFixed(3)}, sd: ${(0.25 * mean).toFixed(3)} }`);
' "$(cd "$B/data" && pwd)/ground_truth.json" > "$B/roas-prior.yaml"
T fit "$B/data/biased_marketing.csv" --out "$B/results" --name hierarchical-roas-prior --priors "$B/roas-prior.yaml" "${RUN[@]}"
T fit "$B/data/biased_marketing.csv" --out "$B/results" --name pooled --model pooled "${RUN[@]}"
T fit "$B/data/biased_marketing.csv" --out "$B/results" --name pooled-roas-prior --model pooled --priors "$B/roas-prior.yaml" "${RUN[@]}"
for m in hierarchical hierarchical-lift hierarchical-roas-prior pooled pooled-roas-prior; do T evaluate "$B/results/$m" --json > "$B/$m.json"; done

# ---- time-varying effects on the drift scenario ---------------------------------------------
T generate --scenario drift --seed "$SEED" --out "$OUT/drift/data" > /dev/null
D="$OUT/drift"
T fit "$D/data/drift_marketing.csv" --out "$D/results" --name constant "${RUN[@]}"
T fit "$D/data/drift_marketing.csv" --out "$D/results" --name time-varying --time-varying meta_spend --knot-every 4 "${RUN[@]}"
T compare "$D/results" --json > "$D/compare.json"
BT=(--folds 3 --horizon 8 --chains "$CHAINS" --warmup 500 --draws 500 --seed "$SEED" --quiet --json)
T backtest "$D/data/drift_marketing.csv" --out "$D/backtest-constant" "${BT[@]}" > /dev/null
T backtest "$D/data/drift_marketing.csv" --out "$D/backtest-tv" --time-varying meta_spend --knot-every 4 "${BT[@]}" > /dev/null

# ---- reports and tables ---------------------------------------------------------------------
T report "$B/results/hierarchical-lift" --uncalibrated "$B/results/hierarchical" --out "$B/report.html" > /dev/null || \
  T report "$B/results/hierarchical-lift" --out "$B/report.html" > /dev/null
T report "$D/results/time-varying" --backtest "$D/backtest-tv" --out "$D/report.html" > /dev/null
node "$here/summarize.mjs" "$OUT" > "$OUT/calibration.md"
cat "$OUT/calibration.md"
echo "total $(( $(date +%s) - start )) s"
