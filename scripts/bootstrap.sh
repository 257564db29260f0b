#!/usr/bin/env bash
# Fresh-machine set-up: get the pinned pnpm (corepack if it works, else npm), install the
# workspace from the frozen lockfile and build every package. Idempotent and quiet when done.
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(node -p "require('./package.json').packageManager.split('@')[1]")
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$want" ]; then
  echo "bootstrap: installing pnpm@$want" >&2
  if ! (corepack enable >/dev/null 2>&1 && corepack prepare "pnpm@$want" --activate >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$want" ]); then
    npm install -g "pnpm@$want" >/dev/null
  fi
fi
pnpm install --frozen-lockfile --reporter=silent
pnpm run build --output-logs=errors-only >/dev/null
