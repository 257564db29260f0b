#!/usr/bin/env bash
# Simulation-based calibration of the three model kinds at the size of issue 17 (by hand, not in
# CI; the fits dominate: about 10-30 min per model on 2 shared cores):
#   bash bench/sbc/run.sh [OUT] [REPLICATES] [MODELS...]
# Runs `tributary sbc` for each model kind (default: pooled unpooled hierarchical) with
#   --markets 4 --weeks 52 --channels 3 --chains 4 --warmup 500 --draws 500 --seed 2026 --parallel 2
# into OUT/<model>/sbc.json (the fits' progress in OUT/<model>.log, the summary in OUT/<model>.txt,
# wall time in OUT/<model>.time), a report per model (OUT/<model>.html), and OUT/sbc.md (the
# tables of bench/results/sbc.md, from bench/sbc/summarize.mjs). Needs `pnpm build`.
set -euo pipefail
OUT=${1:-bench/out/sbc}
REPLICATES=${2:-200}
shift $(( $# > 2 ? 2 : $# ))
MODELS=("$@")
[ ${#MODELS[@]} -gt 0 ] || MODELS=(pooled unpooled hierarchical)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
T() { node "$root/apps/cli/dist/bin.js" "$@"; }
mkdir -p "$OUT"
for m in "${MODELS[@]}"; do
  start=$(date +%s)
  cmd=(sbc --model "$m" --markets 4 --weeks 52 --channels 3 --replicates "$REPLICATES" --chains 4 --warmup 500 --draws 500 --seed 2026 --parallel 2 --out "$OUT/$m")
  echo "tributary ${cmd[*]}" > "$OUT/$m.cmd"
  code=0
  T "${cmd[@]}" > "$OUT/$m.txt" 2> "$OUT/$m.log" || code=$?
  echo "$(( $(date +%s) - start )) s, exit $code" > "$OUT/$m.time"
  cat "$OUT/$m.txt"
  [ -f "$OUT/$m/sbc.json" ] && T report --sbc "$OUT/$m/sbc.json" --out "$OUT/$m.html" > /dev/null
done
node "$here/summarize.mjs" "$OUT" > "$OUT/sbc.md"
echo "Wrote $OUT/sbc.md"
