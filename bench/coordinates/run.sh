#!/usr/bin/env bash
# What the sampling coordinates (packages/models/src/coordinates.ts) and the optimized warmup
# start (packages/sampler/src/chain.ts, optimize.ts) each buy, on VOLTA (tributary generate
# --seed 42), hierarchical, 4 x (1000 + 1000), seed 42: the four combinations of
#   --coordinates sampling|model   x   --warmup-start optimized|stan
# (model + stan = Stan's parameterization and Stan's warmup). Per configuration: leapfrog steps
# per draw, gradient evaluations of the whole fit (manifest adaptation.gradient_evaluations),
# min bulk / tail ESS and max R-hat (fit's diagnostics), min bulk ESS per 1,000 gradient
# evaluations, and the process CPU seconds (/usr/bin/time; the machine may be shared, so CPU,
# not wall). By hand, not in CI: bash bench/coordinates/run.sh [--learned] [OUT]
#   --learned: the same with --learn-transforms (≈ 4 × longer per fit).
# Writes OUT/table.md (default OUT: bench/out/coordinates[-learned]).
set -euo pipefail
cd "$(dirname "$0")/../.."
learned=""; out=""
for a in "$@"; do case "$a" in --learned) learned="--learn-transforms" ;; *) out=$a ;; esac; done
out=${out:-bench/out/coordinates${learned:+-learned}}
mkdir -p "$out"
T() { node apps/cli/dist/bin.js "$@"; }
csv=$out/data/volta_marketing.csv
[ -f "$csv" ] || T generate --seed 42 --out "$out/data" > /dev/null
for coords in sampling model; do
  for start in optimized stan; do
    name=$coords-$start
    rm -rf "$out/$name"
    /usr/bin/time -f "%e %U %S" -o "$out/$name.time" \
      node apps/cli/dist/bin.js fit "$csv" --model hierarchical $learned --seed 42 --coordinates "$coords" \
      --warmup-start "$start" --out "$out/$name" --quiet > /dev/null
    echo "$name done: $(cat "$out/$name.time") (wall user sys); load $(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
python3 - "$out" "${learned:-fixed transforms}" <<'PY'
import csv, json, sys, os
out, label = sys.argv[1], sys.argv[2]
rows = []
for coords in ('sampling', 'model'):
    for start in ('optimized', 'stan'):
        d = os.path.join(out, f'{coords}-{start}', 'hierarchical')
        m = json.load(open(os.path.join(d, 'manifest.json')))
        with open(os.path.join(d, 'sample_stats.csv')) as f:
            r = csv.DictReader(f); lf = [float(x['n_leapfrog']) for x in r]
        wall, user, sys_ = map(float, open(os.path.join(out, f'{coords}-{start}.time')).read().split())
        ge = sum(m['adaptation']['gradient_evaluations'])
        dg = m['diagnostics']
        rows.append((coords, start, sum(lf) / len(lf), ge, dg['min_ess_bulk'], dg['min_ess_tail'], dg['max_rhat'], 1000 * dg['min_ess_bulk'] / ge, user + sys_))
base = rows[-1]
with open(os.path.join(out, 'table.md'), 'w') as f:
    f.write(f'VOLTA, hierarchical ({label}), 4 x (1000 + 1000), seed 42\n\n')
    f.write('| coordinates | warmup start | leapfrog / draw | gradient evaluations | min bulk ESS | min tail ESS | max R-hat | bulk ESS per 1k gradients | vs model + stan | CPU s |\n|---|---|---|---|---|---|---|---|---|---|\n')
    for r in rows:
        f.write(f'| {r[0]} | {r[1]} | {r[2]:.1f} | {r[3]:,} | {r[4]:.0f} | {r[5]:.0f} | {r[6]:.4f} | {r[7]:.2f} | {r[7] / base[7]:.2f}x | {r[8]:.1f} |\n')
print(open(os.path.join(out, 'table.md')).read())
PY
