#!/usr/bin/env bash
# Prints the path of an official Temporal CLI (dev server) binary, building it once if needed.
# Order: $TEMPORAL_CLI_PATH, then a `temporal` on PATH, then the user cache, then build it
# from source through the Go module proxy (the SDK's own download needs the internet).
set -euo pipefail
VERSION=1.5.1
if [ -n "${TEMPORAL_CLI_PATH:-}" ]; then
  [ -x "$TEMPORAL_CLI_PATH" ] || { echo "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not an executable" >&2; exit 1; }
  echo "$TEMPORAL_CLI_PATH"; exit 0
fi
if command -v temporal >/dev/null 2>&1; then command -v temporal; exit 0; fi
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/agora-capture/temporal-cli-$VERSION"
BIN="$CACHE_DIR/temporal"
if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi
command -v go >/dev/null 2>&1 || { echo "Go is needed to build the Temporal CLI (or set TEMPORAL_CLI_PATH)" >&2; exit 1; }
mkdir -p "$CACHE_DIR"
LOCK="$CACHE_DIR/.build.lock"
exec 9>"$LOCK"
if ! flock -n 9; then
  # Another process (a parallel test run, npm run dev) is building it: say so instead of sitting silent.
  echo "Waiting for another process to finish preparing $(basename "$CACHE_DIR") (lock $LOCK)..." >&2
  flock 9
fi
if [ ! -x "$BIN" ]; then
  echo "Building the Temporal CLI v$VERSION into $CACHE_DIR (first time only, about 3 minutes)..." >&2
  GOBIN="$CACHE_DIR" CGO_ENABLED=0 go install -trimpath \
    -ldflags "-s -w -X github.com/temporalio/cli/temporalcli.Version=$VERSION" \
    "github.com/temporalio/cli/cmd/temporal@v$VERSION" >&2
fi
echo "$BIN"
