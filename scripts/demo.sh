#!/usr/bin/env bash
# The main job on built-in demo data: generate the VOLTA scenario, then validate it.
set -euo pipefail
cd "$(dirname "$0")/.."
node apps/cli/dist/bin.js generate --scenario volta --seed 42 --out data
node apps/cli/dist/bin.js validate data/volta_marketing.csv
