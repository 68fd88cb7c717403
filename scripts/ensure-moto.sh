#!/usr/bin/env bash
# Prints the path of moto's S3-compatible server (`moto_server`), installing it once if needed.
# Order: $MOTO_SERVER_PATH, then the user cache, then `pip install "moto[server]==5.2.5"` into a
# venv in the user cache (about 40 s, PyPI only). A lock makes concurrent callers wait for one
# install instead of racing. See docs/storage.md for why moto rather than SeaweedFS.
set -euo pipefail
VERSION=5.2.5
if [ -n "${MOTO_SERVER_PATH:-}" ]; then
  [ -x "$MOTO_SERVER_PATH" ] || { echo "MOTO_SERVER_PATH=$MOTO_SERVER_PATH is not an executable" >&2; exit 1; }
  echo "$MOTO_SERVER_PATH"; exit 0
fi
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/agora-capture/moto-$VERSION"
BIN="$CACHE_DIR/venv/bin/moto_server"
DONE="$CACHE_DIR/.installed"  # written only after pip succeeded: a half-done venv is not used
if [ -f "$DONE" ] && [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi
command -v python3 >/dev/null 2>&1 || { echo "python3 (with venv) is needed to install moto (or set MOTO_SERVER_PATH)" >&2; exit 1; }
mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/.install.lock"
flock 9
if [ ! -f "$DONE" ] || [ ! -x "$BIN" ]; then
  echo "Installing moto[server]==$VERSION into $CACHE_DIR (first time only, about 40 s)..." >&2
  rm -rf "$CACHE_DIR/venv"
  python3 -m venv "$CACHE_DIR/venv" >&2
  "$CACHE_DIR/venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$VERSION" >&2
  touch "$DONE"
fi
echo "$BIN"
