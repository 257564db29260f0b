#!/usr/bin/env bash
# Scale benchmark (issue 17): generate a geo panel, then fit (hierarchical, 4 × (1000 + 1000)),
# evaluate, optimize and report it, recording for each command the wall seconds, the CPU seconds
# (user + system of the process and its threads) and the largest resident set (/usr/bin/time
# -f "%e %U %S %M"), the load average before and after it, and R-hat / ESS from the fit.
# By hand, not in CI:
#
#   pnpm build --output-logs=errors-only
#   bash bench/scale/run.sh                         # 200 × 156 × 10, budget 3,000,000 over 13 weeks
#   bash bench/scale/run.sh --markets 40 --channels 5 --budget 600000
#   bash bench/scale/run.sh --skip-fit              # re-time evaluate / optimize / report on the last fit
#   bash bench/scale/run.sh --steps optimize,report # only these steps (after a full run)
#
# Writes OUT/<label>.tsv (one row per command) and appends a section to bench/results/scale.md
# with the commands, the machine and the figures. The machine is usually shared: compare CPU
# seconds, and wall seconds only with the load average beside them.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
markets=200 weeks=156 channels=10 seed=42 budget=3000000 horizon=13
out=/tmp/tributary-scale steps=generate,fit,evaluate,optimize,report label= results_md="$root/bench/results/scale.md"
while [ $# -gt 0 ]; do
  case "$1" in
    --markets) markets=$2; shift 2 ;;
    --weeks) weeks=$2; shift 2 ;;
    --channels) channels=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --budget) budget=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --label) label=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --skip-fit) steps=evaluate,optimize,report; shift ;;
    --results) results_md=$2; shift 2 ;;
    *) echo "run.sh: unknown option $1 (see the header of this script)" >&2; exit 2 ;;
  esac
done
size="${markets}x${weeks}x${channels}"
label=${label:-$size}
dir="$out/$size"
mkdir -p "$dir"
cli="node $root/apps/cli/dist/bin.js"
data="$dir/data/geo_marketing.csv"
tsv="$dir/$label.tsv"
printf 'step\twall_s\tuser_s\tsys_s\tcpu_s\tmax_rss_mb\tload_before\tload_after\tcommand\n' > "$tsv"
load() { cut -d' ' -f1-3 /proc/loadavg; }

# step NAME COMMAND...: runs the command under /usr/bin/time, appends a row to the TSV.
step() {
  local name=$1; shift
  local before after t
  before=$(load)
  echo "== $name: $*" >&2
  /usr/bin/time -f "%e %U %S %M" -o "$dir/$name.time" "$@" > "$dir/$name.out" 2> "$dir/$name.err" || {
    echo "$name failed (exit $?); see $dir/$name.err" >&2; tail -5 "$dir/$name.err" >&2; exit 1; }
  after=$(load)
  t=$(tail -1 "$dir/$name.time")
  read -r wall user sys rss <<< "$t"
  local cmd="$*" cpu
  cmd=${cmd//"node $root/apps/cli/dist/bin.js"/tributary}
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  printf '%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n' "$name" "$wall" "$user" "$sys" "$cpu" "$((rss / 1024))" "$before" "$after" "$cmd" >> "$tsv"
  echo "   wall $wall s, CPU $cpu s, max RSS $((rss / 1024)) MB (load $before → $after)" >&2
}

has() { [[ ",$steps," == *",$1,"* ]]; }
has generate && step generate $cli generate --scenario geo --markets "$markets" --weeks "$weeks" --channels "$channels" --seed "$seed" --out "$dir/data"
has fit && step fit $cli fit "$data" --model hierarchical --seed "$seed" --out "$dir/results" --quiet
has evaluate && step evaluate $cli evaluate "$dir/results/hierarchical" --json
has optimize && step optimize $cli optimize "$dir/results/hierarchical" --budget "$budget" --weeks "$horizon" --out "$dir/plan.json"
plan=(); [ -f "$dir/plan.json" ] && plan=(--plan "$dir/plan.json")
has report && step report $cli report "$dir/results" --data "$data" "${plan[@]}" --out "$dir/report.html"

# R-hat / ESS of the fit, and the sampler's own timing.
fitline=$(node -e '
  const fs = require("fs"); const d = process.argv[1];
  const m = JSON.parse(fs.readFileSync(d + "/manifest.json", "utf8")).diagnostics;
  const t = JSON.parse(fs.readFileSync(d + "/timing.json", "utf8"));
  const size = fs.statSync(d + "/draws.csv").size;
  console.log(`status ${m.status}, max R-hat ${m.max_rhat.toFixed(4)}, min bulk ESS ${Math.round(m.min_ess_bulk)}, min tail ESS ${Math.round(m.min_ess_tail)}, ` +
    `divergences ${m.divergences}; sampler wall ${t.wall_seconds.toFixed(1)} s (warmup per chain ${t.warmup_seconds.map((s) => s.toFixed(0)).join("/")} s, ` +
    `sampling ${t.sampling_seconds.map((s) => s.toFixed(0)).join("/")} s); draws.csv ${(size / 1e6).toFixed(0)} MB`);
' "$dir/results/hierarchical" 2>/dev/null || echo "no fit in $dir/results/hierarchical")

{
  echo
  echo "### $label — $markets markets × $weeks weeks × $channels channels ($(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- packages apps || echo ', with uncommitted changes'))"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo), Node $(node --version)."
  echo "Fit: $fitline."
  echo
  echo "| step | wall s | CPU s (user + sys) | max RSS MB | load before → after | command |"
  echo "|---|---|---|---|---|---|"
  tail -n +2 "$tsv" | while IFS=$'\t' read -r name wall user sys cpu rss lb la cmd; do
    echo "| $name | $wall | $cpu | $rss | $lb → $la | \`${cmd//$dir/\$OUT}\` |"
  done
  echo
  echo "OUT = \`$dir\`; \`bash bench/scale/run.sh --markets $markets --weeks $weeks --channels $channels --seed $seed --budget $budget --steps $steps\`."
} >> "$results_md"
echo "appended to $results_md; rows in $tsv" >&2
