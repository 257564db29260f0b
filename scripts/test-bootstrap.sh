#!/usr/bin/env bash
# Test of scripts/bootstrap.sh on a simulated fresh machine (runs in CI as part of `pnpm test`):
# - npm's global prefix is a new temp folder (NPM_CONFIG_PREFIX) whose bin/ holds the pnpm shim a
#   failed `corepack enable` + `corepack prepare` leaves behind (made by corepack itself, so it is
#   the real thing), and COREPACK_HOME is empty, so the shim cannot run pnpm;
# - no other pnpm is on PATH (every PATH folder holding a pnpm is dropped);
# then bootstrap (pnpm step only) must end with `pnpm --version` = the pinned version, run from
# the repo, and a second bootstrap must be a no-op. The temp folder is removed at the end.
set -euo pipefail
# Start from a clean environment, as a user's shell would: under `pnpm test` the script inherits
# the npm_config_* variables pnpm's script runner injects (and any prefix the caller set), which
# would send `npm install -g` into the caller's prefix instead of the simulated one.
if [ -z "${TEST_BOOTSTRAP_CLEAN:-}" ]; then
  exec env -i TEST_BOOTSTRAP_CLEAN=1 PATH="$PATH" HOME="$HOME" TMPDIR="${TMPDIR:-/tmp}" TERM="${TERM:-dumb}" bash "$0" "$@"
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
want=$(node -p "require('$root/package.json').packageManager.split('@')[1]")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tributary-bootstrap-test-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() { echo "test-bootstrap: FAIL: $*" >&2; exit 1; }

# PATH without any pnpm, but with node, npm and the usual tools: a folder that holds a pnpm (often
# /usr/bin, next to node itself) is replaced by a folder of links to everything else in it.
sysbin="$tmp/sysbin"
mkdir -p "$sysbin"
clean_path=""
IFS=: read -r -a dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [ -z "$d" ] || [ ! -d "$d" ] && continue
  if [ -e "$d/pnpm" ] || [ -L "$d/pnpm" ] || [ -e "$d/pnpx" ]; then
    for f in "$d"/* "$d"/.[!.]*; do
      name=$(basename "$f")
      case "$name" in pnpm | pnpx | pnpm.* | pnpx.*) continue ;; esac
      [ -e "$sysbin/$name" ] || [ -L "$sysbin/$name" ] || ln -s "$f" "$sysbin/$name" 2>/dev/null || true
    done
    case ":$clean_path:" in *":$sysbin:"*) ;; *) clean_path="${clean_path:+$clean_path:}$sysbin" ;; esac
    continue
  fi
  clean_path="${clean_path:+$clean_path:}$d"
done

npm_cache=$(npm config get cache 2>/dev/null || echo "$tmp/npm-cache")
prefix="$tmp/npm-prefix"
mkdir -p "$prefix/bin" "$prefix/lib" "$tmp/corepack-home" "$tmp/home"
export NPM_CONFIG_PREFIX="$prefix" COREPACK_HOME="$tmp/corepack-home" HOME="$tmp/home"
export PATH="$prefix/bin:$clean_path"
# npm's cache stays the user's (a fresh HOME would download everything again).
export NPM_CONFIG_CACHE="$npm_cache"

command -v pnpm >/dev/null 2>&1 && fail "a pnpm is still on PATH: $(command -v pnpm)"

# The broken shim: corepack's own `enable` writes it; its prepare cannot run here.
if command -v corepack >/dev/null 2>&1; then
  corepack enable --install-directory "$prefix/bin" pnpm >/dev/null 2>&1 || true
fi
if [ ! -e "$prefix/bin/pnpm" ] && [ ! -L "$prefix/bin/pnpm" ]; then
  # corepack missing (Node ≥ 25): write the symlink corepack would have written.
  ln -s "../lib/node_modules/corepack/dist/pnpm.js" "$prefix/bin/pnpm"
fi
[ -L "$prefix/bin/pnpm" ] || [ -e "$prefix/bin/pnpm" ] || fail "could not plant the corepack shim"
# Make sure the shim is really broken: with no corepack home and (in CI) no signature, it must not
# already answer the pinned version, or the test proves nothing.
if [ "$(cd "$root" && COREPACK_ENABLE_NETWORK=0 pnpm --version 2>/dev/null)" = "$want" ]; then
  fail "the planted shim already runs pnpm $want; the simulation is not a fresh machine"
fi

# A file the bootstrap did not write and must not touch.
echo 'not pnpm' >"$prefix/bin/someone-elses-tool"

out=$(cd "$root" && BOOTSTRAP_PNPM_ONLY=1 bash scripts/bootstrap.sh 2>&1) || fail "bootstrap exited non-zero:
$out"
hash -r
got=$(cd "$root" && pnpm --version 2>&1) || fail "pnpm does not run after bootstrap: $got"
[ "$got" = "$want" ] || fail "pnpm --version printed '$got', expected '$want'"
case "$(command -v pnpm)" in "$prefix/bin/pnpm") ;; *) fail "pnpm on PATH is $(command -v pnpm), not the one installed into $prefix/bin" ;; esac
[ "$(cat "$prefix/bin/someone-elses-tool")" = 'not pnpm' ] || fail "bootstrap touched a file it did not write"

# Second run: nothing to do, no output about installing.
out2=$(cd "$root" && BOOTSTRAP_PNPM_ONLY=1 bash scripts/bootstrap.sh 2>&1) || fail "second bootstrap failed: $out2"
case "$out2" in *installing*) fail "second bootstrap reinstalled pnpm: $out2" ;; esac

# A pnpm that corepack did not write is never removed: the bootstrap stops and names it.
rm -rf "$prefix/bin/pnpm" "$prefix/bin/pnpx" "$prefix/lib/node_modules/pnpm"
printf '#!/bin/sh\necho 1.0.0\n' >"$prefix/bin/pnpm"
chmod +x "$prefix/bin/pnpm"
hash -r
if out3=$(cd "$root" && BOOTSTRAP_PNPM_ONLY=1 bash scripts/bootstrap.sh 2>&1); then
  fail "bootstrap replaced a user's own pnpm file: $out3"
fi
case "$out3" in *"$prefix/bin/pnpm"*"not written by corepack"*) ;; *) fail "the error does not name the user's pnpm file: $out3" ;; esac
[ "$(cat "$prefix/bin/pnpm")" = "$(printf '#!/bin/sh\necho 1.0.0')" ] || fail "the user's pnpm file was changed"

echo "test-bootstrap: ok (corepack shim replaced by pnpm $want from npm; a user's own pnpm file is left alone)"
