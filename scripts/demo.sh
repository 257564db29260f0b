#!/usr/bin/env bash
# The main job on built-in demo data: the whole VOLTA case study, ending in demo/report.html.
set -euo pipefail
cd "$(dirname "$0")/.."
node apps/cli/dist/bin.js demo --out demo
