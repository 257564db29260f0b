#!/usr/bin/env bash
# Makes sure Debian's redis-server is installed: the queue test of `tributary batch --queue` and
# `tributary worker` (apps/cli/test/batch-queue.test.ts) starts its own redis-server on a free local
# port, and fails without one (unless TRIBUTARY_SKIP_REDIS=1). Installs it with apt-get when
# absent and this runs as root; otherwise says what to do. Only installs: the package's own
# service is not used (the test starts and stops its own server).
set -euo pipefail

if command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-redis: installing Debian's redis-server (for the batch --queue test)" >&2
  if ! (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server) >/dev/null; then
    echo "ensure-redis: 'apt-get install redis-server' failed; install redis-server yourself, or set TRIBUTARY_SKIP_REDIS=1 to skip the queue test." >&2
    exit 1
  fi
  if ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]; then
    echo "ensure-redis: redis-server was installed but is not on PATH nor in /usr/bin; check the package." >&2
    exit 1
  fi
  exit 0
fi
if [ "${TRIBUTARY_SKIP_REDIS:-0}" = 1 ]; then
  echo "ensure-redis: redis-server is not installed; TRIBUTARY_SKIP_REDIS=1: the queue test will be skipped." >&2
  exit 0
fi
echo "ensure-redis: redis-server is not installed and cannot be installed here (needs root and apt-get);" \
  "install it (e.g. sudo apt-get install redis-server), or set TRIBUTARY_SKIP_REDIS=1 to skip the queue test." >&2
exit 1
