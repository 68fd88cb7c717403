#!/usr/bin/env bash
# `npm run test:server`: the integration core against the real Temporal server (v1.29.1, built
# once into the user cache) on a throwaway PostgreSQL 15 cluster with SQL visibility, the way
# production runs it. Same suite, same global setup, switched by TEMPORAL_SERVER=postgres.
# Extra arguments replace the default file list. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-temporal-server.sh >/dev/null || exit 1
CORE=(
  test/integration/capture-lifecycle.test.ts
  test/integration/agora-faults.test.ts
  test/integration/several-workers.test.ts
  test/integration/worker-crash.test.ts
  test/integration/receiver.test.ts
  test/integration/callbacks-e2e.test.ts
  test/integration/list-by-phase.test.ts
  test/integration/agora-quotas.test.ts
  test/integration/sweep-reaper.test.ts
  test/integration/sweep-receiver.test.ts
)
if [ $# -gt 0 ]; then CORE=("$@"); fi
TEMPORAL_SERVER=postgres exec bash scripts/test.sh "${CORE[@]}"
