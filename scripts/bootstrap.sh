#!/usr/bin/env bash
# Fresh-machine set-up: get the pinned pnpm, install the workspace from the frozen lockfile and
# build every package. Idempotent and quiet when done.
#
# Getting pnpm (the version pinned by package.json's `packageManager`):
# - A pnpm on PATH that reports the pinned version inside this repository is used as it is (pnpm
#   ≥ 9.7 switches itself to the pinned version, so any recent pnpm passes).
# - Otherwise npm installs pnpm@PINNED into npm's global prefix. corepack is not used: where its
#   signature check cannot pass (as on machines without access to its key server) `corepack
#   enable` succeeds but `corepack prepare` fails, leaving corepack's pnpm shim in the global bin
#   folder; a later `npm install -g pnpm` then stops with EEXIST. Such a shim (a link into
#   corepack's own files, or corepack's generated wrapper script) is corepack's, not the user's:
#   it is removed first. Any other pnpm file there is left alone and named in the error.
# - BOOTSTRAP_PNPM_ONLY=1 stops after pnpm is in place (scripts/test-bootstrap.sh uses it).
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(node -p "require('./package.json').packageManager.split('@')[1]")

pnpm_ok() { [ "$(pnpm --version 2>/dev/null)" = "$want" ]; }

# True when FILE is a pnpm shim written by `corepack enable` (a symlink into corepack, or the
# cmd-shim wrapper corepack writes where symlinks are not used).
is_corepack_shim() {
  local f=$1
  if [ -L "$f" ]; then
    case "$(readlink "$f")" in *corepack*) return 0 ;; esac
    return 1
  fi
  [ -f "$f" ] && head -c 4096 "$f" 2>/dev/null | grep -q 'corepack'
}

if ! pnpm_ok; then
  echo "bootstrap: installing pnpm@$want with npm" >&2
  prefix=$(npm prefix -g)
  bin="$prefix/bin"
  for name in pnpm pnpx; do
    if [ -e "$bin/$name" ] || [ -L "$bin/$name" ]; then
      if is_corepack_shim "$bin/$name"; then
        echo "bootstrap: removing corepack's $name shim left in $bin (its corepack prepare cannot have succeeded)" >&2
        rm -f "$bin/$name"
      fi
    fi
  done
  if ! npm install -g "pnpm@$want" --no-fund --no-audit --loglevel=error >/dev/null; then
    echo "bootstrap: 'npm install -g pnpm@$want' failed (npm global prefix: $prefix)." >&2
    if [ -e "$bin/pnpm" ] && ! is_corepack_shim "$bin/pnpm"; then
      echo "bootstrap: $bin/pnpm exists and was not written by corepack; remove it or install pnpm@$want yourself, then rerun." >&2
    elif [ ! -w "$prefix" ]; then
      echo "bootstrap: $prefix is not writable; run 'npm config set prefix ~/.local' (and put ~/.local/bin on PATH), then rerun." >&2
    fi
    exit 1
  fi
  hash -r
  if ! pnpm_ok; then
    echo "bootstrap: pnpm@$want was installed into $bin, but 'pnpm --version' on PATH does not report $want ($(command -v pnpm || echo 'no pnpm on PATH')); put $bin first on PATH, then rerun." >&2
    exit 1
  fi
fi
[ "${BOOTSTRAP_PNPM_ONLY:-0}" = 1 ] && exit 0

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
