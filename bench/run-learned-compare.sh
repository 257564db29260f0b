#!/usr/bin/env bash
# Side-by-side of the hierarchical model with LEARNED transforms (adstock alpha, Hill K and S per
# channel; spec §5): Tributary's `fit --learn-transforms` vs an independent Stan program of the
# same model (bench/stan/hierarchical_learned.stan, data by bench/prepare_data.R's
# prepare_learned()), on the same data and machine. Reference for issue 13 (goal: Tributary
# >= 3x Stan's min bulk-ESS per wall second).
#
# Reproduce (by hand, not in CI; needs r-cran-rstan r-cran-posterior r-cran-jsonlite, current
# apps/cli/dist and packages/*/dist, and once, since Debian's r-cran-bh ships no headers:
#   ln -s /usr/include "$(Rscript -e 'cat(system.file(package="BH"))')/include"):
#   bash bench/run-learned-compare.sh [--quick] [--reuse-tributary] [OUT]
#   (default OUT: bench/out/learned; --quick: 4 chains x (250 warmup + 250 draws) into
#   OUT-quick — figures from it are labelled "quick" and are NOT the reference;
#   --reuse-tributary: keep an existing OUT/tributary/hierarchical fit made by this script)
# Full run: ≈ 3–5 min Tributary + ≈ Stan's time, on 2 cores; the two fits run one after the other,
# never at the same time. Steps:
#   1. OUT/data: `tributary generate --seed 42` (VOLTA: 8 markets, 6 channels, 517 rows);
#   2. OUT/tributary/hierarchical: `tributary fit --model hierarchical --learn-transforms
#      --chains 4 --warmup W --draws D --seed 42` (one worker per core = 2);
#   3. OUT/stan: rstan, 4 chains on cores = 2, same W / D, seed 42, adapt_delta 0.8,
#      max_treedepth 10 (bench/fit_stan_learned.R); OUT/stan-level: the same with
#      hierarchical_learned_level.stan, the same posterior in the sampling coordinates Tributary
#      samples (docs/model-spec.md §9), so that the ratio also measures the implementations alone;
#   4. OUT/lp-check.txt: Stan's lp__ and gradient vs Tributary's logDensityAndGradient at random
#      unconstrained points and at 10 of Tributary's draws (bench/lp_check_learned.R);
#      OUT/lp-check-level.txt: the level program vs Tributary's model.sampling at random points;
#   5. OUT/comparison.md, OUT/comparison-level.md: bench/compare_learned.R (posterior package on both sides' draws; speed
#      per wall second and, robust to other jobs on the machine, per CPU second: Tributary's
#      process user + system seconds from /usr/bin/time (OUT/tributary/time.txt), Stan's sum over
#      chains of get_elapsed_time, which Stan measures with clock(), i.e. per-chain CPU time);
#      OUT/machine.txt: date, CPU, cores, load averages around each fit.
# bench/results/learned-transforms-stan-comparison.md is written from these by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0; reuse=0; out=""
for a in "$@"; do
  case "$a" in
    --quick) quick=1 ;;
    --reuse-tributary) reuse=1 ;;
    *) out=$a ;;
  esac
done
chains=4; seed=42
if [ "$quick" = 1 ]; then warmup=250; draws=250; out=${out:-bench/out/learned-quick}
else warmup=1000; draws=1000; out=${out:-bench/out/learned}; fi
T() { node apps/cli/dist/bin.js "$@"; }
mkdir -p "$out/data" "$out/tributary" "$out/stan"
csv=$out/data/volta_marketing.csv
[ -f "$csv" ] || T generate --seed "$seed" --out "$out/data" > /dev/null
mach=$out/machine.txt
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //') x $(nproc) cores"
  echo "node: $(node --version); R: $(Rscript -e 'cat(R.version.string)'); rstan: $(Rscript -e 'cat(as.character(packageVersion("rstan")))')"
  echo "settings: chains $chains, warmup $warmup, draws $draws, seed $seed$( [ "$quick" = 1 ] && echo ' (QUICK)')"
  # other engineers rebuild packages/*/dist while benches run: record which code was measured
  echo "git HEAD: $(git rev-parse --short HEAD); dist sha256 (models, sampler, cli): $(for d in packages/models packages/sampler apps/cli; do find "$d/dist" -name '*.js' | sort | xargs cat | sha256sum | cut -c1-12; done | tr '\n' ' ')"
} > "$mach"
load() { echo "$1 load average: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$mach"; }

if [ "$reuse" = 1 ] && [ -f "$out/tributary/hierarchical/manifest.json" ]; then
  echo "tributary: reusing $out/tributary/hierarchical" | tee -a "$mach"
else
  rm -rf "$out/tributary/hierarchical"
  load "before tributary"
  t0=$(date +%s.%N)
  # /usr/bin/time: wall, user and system CPU seconds of the whole process (all worker threads)
  /usr/bin/time -f "%e %U %S" -o "$out/tributary/time.txt" \
    node apps/cli/dist/bin.js fit "$csv" --model hierarchical --learn-transforms --chains "$chains" \
    --warmup "$warmup" --draws "$draws" --seed "$seed" --out "$out/tributary" --quiet
  t1=$(date +%s.%N)
  echo "tributary process wall seconds (CSV to written results): $(echo "$t1 - $t0" | bc)" >> "$mach"
  load "after tributary"
fi
load "before stan"
Rscript bench/fit_stan_learned.R "$csv" "$out/stan" "$chains" "$warmup" "$draws" "$seed" 0.8 2 10
load "after stan"
mkdir -p "$out/stan-level"
load "before stan-level"
Rscript bench/fit_stan_learned.R "$csv" "$out/stan-level" "$chains" "$warmup" "$draws" "$seed" 0.8 2 10 hierarchical_learned_level
load "after stan-level"

Rscript bench/lp_check_learned.R "$csv" 6 "$out/tributary/hierarchical/draws.csv" 2>&1 \
  | grep -v "^Warning\|^In \|^  \(There were\|Examine\)" | tee "$out/lp-check.txt" || true
Rscript bench/lp_check_learned.R "$csv" 6 - level 2>&1 \
  | grep -v "^Warning\|^In \|^  \(There were\|Examine\)" | tee "$out/lp-check-level.txt" || true
label="$( [ "$quick" = 1 ] && echo "QUICK: 4 x (250 + 250)" || echo "4 x (1000 + 1000)")"
Rscript bench/compare_learned.R "$out" "$label" stan | tee "$out/comparison.md"
Rscript bench/compare_learned.R "$out" "$label; Stan in the sampling coordinates" stan-level | tee "$out/comparison-level.md"
cat "$mach"
