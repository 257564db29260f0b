#!/usr/bin/env bash
# `tributary evaluate` of two builds side by side, in one run, on a shared machine: CPU seconds
# (user + sys of the process and its worker thread), wall seconds, max RSS and the load average
# of every run, builds alternating (A, B, A, B, …) so that both see the same load; optionally a
# fit first (on the build of B) so that evaluate / fit comes from the same minutes.
#
#   cd /work/main && pnpm build --output-logs=errors-only
#   bash packages/evaluation/bench/ab-evaluate.sh snapshot after        # copy the built dists aside
#   (check out / build the other revision, then)  … snapshot before
#   bash packages/evaluation/bench/ab-evaluate.sh run RESULTS_DIR before after [RUNS] [DATA_CSV]
#
# `snapshot NAME` copies apps/cli, apps/report and packages/* (package.json, dist and their
# node_modules links; no sources) to $AB_ROOT/NAME (default /tmp/tributary-ab), so that the two
# builds run from their own trees while the checkout changes. `run` evaluates RESULTS_DIR (a
# results folder, e.g. /tmp/tributary-scale/40x156x5/results/hierarchical) RUNS times (default
# 3) with each build; with DATA_CSV it first fits DATA_CSV with B (hierarchical, seed 42, the
# fit's defaults: 4 × (1000 + 1000)) into $AB_ROOT/fit and evaluates that folder instead.
# Prints one TSV row per command; `evaluate --json` outputs are kept ($AB_ROOT/eval-NAME-i.json)
# for bench/json-diff.mjs.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
ab=${AB_ROOT:-/tmp/tributary-ab}
load() { cut -d' ' -f1-3 /proc/loadavg; }

case "${1:-}" in
  snapshot)
    name=${2:?snapshot NAME}
    dst="$ab/$name"
    rm -rf "$dst"
    mkdir -p "$dst"
    (cd "$root" && tar --exclude='*/src' --exclude='*/test' --exclude='*/bench' --exclude='*/.vite*' --exclude='*/.bench' \
      -cf - apps/cli apps/report packages/*/package.json packages/*/dist packages/*/node_modules package.json) | tar -C "$dst" -xf -
    ln -s "$root/node_modules" "$dst/node_modules"
    echo "snapshot $dst" >&2
    ;;
  run)
    dir=${2:?run RESULTS_DIR A B [RUNS] [DATA_CSV]}
    a=${3:?build A}
    b=${4:?build B}
    runs=${5:-3}
    data=${6:-}
    exec 3>&1 # the rows, while each command's stdout goes to a file
    printf 'command\tbuild\tcpu_s\twall_s\tmax_rss_mb\tload_before\tload_after\n'
    # one command under /usr/bin/time: a TSV row on fd 3
    timed() {
      local what=$1 build=$2 l0 t
      shift 2
      l0=$(load)
      /usr/bin/time -f "%U %S %e %M" -o "$ab/time" "$@"
      read -r user sys wall rss < <(tail -1 "$ab/time")
      printf '%s\t%s\t%.2f\t%s\t%d\t%s\t%s\n' >&3 "$what" "$build" "$(echo "$user + $sys" | bc)" "$wall" "$((rss / 1024))" "$l0" "$(load)"
    }
    if [ -n "$data" ]; then
      rm -rf "$ab/fit"
      timed fit "$b" node "$ab/$b/apps/cli/dist/bin.js" fit "$data" --model hierarchical --seed 42 --out "$ab/fit" --quiet > /dev/null
      dir="$ab/fit/hierarchical"
      echo "# sampler wall (timing.json): $(node -e 'console.log(require(process.argv[1]).wall_seconds.toFixed(2))' "$dir/timing.json") s" >&2
    fi
    for i in $(seq 1 "$runs"); do
      for v in "$a" "$b"; do
        timed evaluate "$v" node "$ab/$v/apps/cli/dist/bin.js" evaluate "$dir" --json > "$ab/eval-$v-$i.json"
      done
    done
    ;;
  *)
    echo "usage: ab-evaluate.sh snapshot NAME | run RESULTS_DIR A B [RUNS] [DATA_CSV] (see the header)" >&2
    exit 2
    ;;
esac
