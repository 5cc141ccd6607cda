#!/usr/bin/env bash
# One-time set-up on a fresh Debian 12 / Node 20 machine: the system libraries that
# canvas (chartjs-node-canvas) builds against, Chromium for the report's browser test, redis-server for the queue executor's tests,
# then npm install (locked versions, optional GPU builds omitted) and the TypeScript build. Safe to run again: it skips what is present.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
# libgif ships no pkg-config file: check its header.
if ! pkg-config --exists cairo pangocairo libjpeg librsvg-2.0 pixman-1 2>/dev/null || [ ! -f /usr/include/gif_lib.h ]; then
  need_apt+=(libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev libpixman-1-dev pkg-config)
fi
if [ ! -x /usr/bin/chromium ] && [ "${COMPBENCH_SKIP_CHROMIUM:-0}" != "1" ]; then
  need_apt+=(chromium)
fi
# QEMU user mode emulates an AVX2-only CPU (no VNNI) so the tests exercise the saturating
# uint8×int8 kernel the W8A8 self-check must refuse (test/runners/compress/self-check).
if [ "$(uname -m)" = "x86_64" ] && ! command -v qemu-x86_64 >/dev/null; then
  need_apt+=(qemu-user)
fi
# redis-server for the queue executor's tests (runners/executors/queue); they start their own
# on a free loopback port, so the Debian service is not left enabled or running.
installs_redis=0
if ! command -v redis-server >/dev/null; then
  need_apt+=(redis-server)
  installs_redis=1
fi
if ((${#need_apt[@]})); then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  echo "setup: installing system packages: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  if ((installs_redis)) && [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now redis-server >/dev/null 2>&1 || true
  fi
fi

# `npm install`, not `npm ci`: node-llama-cpp lists GPU builds for every platform as optional
# dependencies, some absent from mirrors, so the lock cannot hold them all and `npm ci` refuses.
# With a lock present, `npm install` installs the locked versions; optional ones are omitted.
echo "setup: npm install --omit=optional (locked versions; see .npmrc)"
npm install --omit=optional --no-audit --no-fund --loglevel=error
echo "setup: build"
npm run build --silent
echo "setup: done"
