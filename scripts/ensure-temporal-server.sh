#!/usr/bin/env bash
# Prints the folder holding the real Temporal server (`server`) and its SQL schema tool (`sql`),
# building both once into the user cache. The module source (config and schemas) stays in the
# Go module cache, printed by `go env GOMODCACHE` under go.temporal.io/server@v$VERSION.
# Waits for the CLI build first (scripts/ensure-temporal.sh): both share the module download,
# and two Go builds at once on 2 cores only slow each other down.
set -euo pipefail
VERSION=1.29.1
if [ -n "${TEMPORAL_SERVER_DIR:-}" ]; then
  [ -x "$TEMPORAL_SERVER_DIR/server" ] && [ -x "$TEMPORAL_SERVER_DIR/sql" ] || {
    echo "TEMPORAL_SERVER_DIR=$TEMPORAL_SERVER_DIR must hold executables 'server' and 'sql'" >&2; exit 1; }
  echo "$TEMPORAL_SERVER_DIR"; exit 0
fi
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/agora-capture/temporal-server-$VERSION"
if [ -x "$CACHE_DIR/server" ] && [ -x "$CACHE_DIR/sql" ]; then echo "$CACHE_DIR"; exit 0; fi
command -v go >/dev/null 2>&1 || { echo "Go is needed to build the Temporal server (or set TEMPORAL_SERVER_DIR)" >&2; exit 1; }
bash "$(dirname "$0")/ensure-temporal.sh" >/dev/null
mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/.build.lock"
flock 9
for tool in server sql; do
  if [ ! -x "$CACHE_DIR/$tool" ]; then
    pkg="go.temporal.io/server/cmd/$tool"; [ "$tool" = sql ] && pkg="go.temporal.io/server/cmd/tools/sql"
    echo "Building the Temporal $tool v$VERSION into $CACHE_DIR (first time only, about 2 minutes)..." >&2
    GOBIN="$CACHE_DIR" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" "$pkg@v$VERSION" >&2
  fi
done
echo "$CACHE_DIR"
