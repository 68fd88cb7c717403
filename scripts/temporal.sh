#!/usr/bin/env bash
# `npm run temporal -- <args>`: the official Temporal CLI this project builds and caches
# (scripts/ensure-temporal.sh), so every `temporal …` line in the docs works as written.
set -euo pipefail
cli="$(bash "$(dirname "$0")/ensure-temporal.sh")"
exec "$cli" "$@"
