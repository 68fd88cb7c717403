#!/usr/bin/env bash
# Prints the path of a headless-capable Chromium for the timeline's browser test (driven by
# puppeteer-core, whose own browser download is not reachable here), installing Debian's
# `chromium` package once if needed (about 1 min; Debian apt only). Order: $CHROMIUM_PATH, then
# `chromium` on PATH, then `apt-get install -y chromium` (as root, or through sudo). A lock makes
# concurrent callers wait for one install. Idempotent: later runs only print the path.
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ]; then
  [ -x "$CHROMIUM_PATH" ] || { echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2; exit 1; }
  echo "$CHROMIUM_PATH"; exit 0
fi
found() { command -v chromium 2>/dev/null || true; }
if [ -n "$(found)" ]; then found; exit 0; fi
command -v apt-get >/dev/null 2>&1 || { echo "chromium is not installed and apt-get is not available: install Chromium and set CHROMIUM_PATH" >&2; exit 1; }
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "installing chromium needs root (or sudo); or set CHROMIUM_PATH" >&2; exit 1; }
  SUDO="sudo"
fi
LOCK_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/agora-capture"
mkdir -p "$LOCK_DIR"
exec 9>"$LOCK_DIR/.chromium-install.lock"
flock 9
if [ -z "$(found)" ]; then
  echo "Installing Debian's chromium (first time only, about 1 min)..." >&2
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >&2
fi
[ -n "$(found)" ] || { echo "chromium is still not on PATH after apt-get install" >&2; exit 1; }
found
