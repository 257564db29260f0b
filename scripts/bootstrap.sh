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
# The report's test renders it in Debian's headless Chromium (required in CI).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing Debian's chromium (for the report's browser test)" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium) >/dev/null
  else
    echo "bootstrap: /usr/bin/chromium not found and cannot install it (not root); the report's browser test will be skipped outside CI" >&2
  fi
fi
pnpm install --frozen-lockfile --reporter=silent
pnpm run build --output-logs=errors-only >/dev/null
