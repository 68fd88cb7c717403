#!/usr/bin/env bash
# Prints the path of SeaweedFS's `weed` binary (an S3-compatible object store in Go), building it
# once if needed. Used by the bench only (`npm run bench`, storage part): the tests use moto.
# Order: $SEAWEEDFS_PATH, then the user cache, then a build from the module source through the
# Go module proxy (`go install` is refused: its go.mod has replace directives) — about 7.5 min
# and a 233 MB binary, first time only. A lock makes concurrent callers wait for one build.
set -euo pipefail
MODULE=github.com/seaweedfs/seaweedfs
VERSION=v0.0.0-20261109003541-7506e5f91cd6 # `weed version` 4.53
if [ -n "${SEAWEEDFS_PATH:-}" ]; then
  [ -x "$SEAWEEDFS_PATH" ] || { echo "SEAWEEDFS_PATH=$SEAWEEDFS_PATH is not an executable" >&2; exit 1; }
  echo "$SEAWEEDFS_PATH"; exit 0
fi
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/agora-capture/seaweedfs-4.53"
BIN="$CACHE_DIR/weed"
if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi
command -v go >/dev/null 2>&1 || { echo "go is needed to build SeaweedFS (or set SEAWEEDFS_PATH)" >&2; exit 1; }
mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/.build.lock"
flock 9
if [ ! -x "$BIN" ]; then
  echo "Building SeaweedFS $VERSION into $CACHE_DIR (first time only, about 7.5 min)..." >&2
  SRC_DIR=$(go mod download -json "$MODULE@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$SRC_DIR" ] || { echo "go mod download gave no source folder for $MODULE@$VERSION" >&2; exit 1; }
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  cp -r "$SRC_DIR" "$WORK/src"
  chmod -R u+w "$WORK/src"
  # Built into a temporary name and moved: a half-written binary is never taken for a build.
  (cd "$WORK/src" && CGO_ENABLED=0 go build -o "$BIN.tmp" ./weed) >&2
  mv "$BIN.tmp" "$BIN"
fi
echo "$BIN"
