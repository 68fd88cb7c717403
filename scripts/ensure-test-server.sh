#!/usr/bin/env bash
# Prints the path of a launcher for Temporal's official Java time-skipping test server
# (io.temporal:temporal-test-server from Maven Central), resolving its classpath once.
set -euo pipefail
VERSION=1.31.0
if [ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ]; then echo "$TEMPORAL_TEST_SERVER_PATH"; exit 0; fi
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/agora-capture/temporal-test-server-$VERSION"
LAUNCHER="$CACHE_DIR/test-server"
if [ -x "$LAUNCHER" ] && [ -d "$CACHE_DIR/lib" ]; then echo "$LAUNCHER"; exit 0; fi
command -v mvn >/dev/null 2>&1 || { echo "Maven is needed to fetch the Temporal test server" >&2; exit 1; }
command -v java >/dev/null 2>&1 || { echo "Java is needed to run the Temporal test server" >&2; exit 1; }
mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/.lock"
if ! flock -n 9; then
  # Another process (a parallel test run, npm run dev) is building it: say so instead of sitting silent.
  echo "Waiting for another process to finish preparing $(basename "$CACHE_DIR") (lock $CACHE_DIR/.lock)..." >&2
  flock 9
fi
if [ ! -d "$CACHE_DIR/lib" ]; then
  echo "Fetching io.temporal:temporal-test-server:$VERSION (first time only)..." >&2
  cat > "$CACHE_DIR/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>local.agora-capture</groupId><artifactId>test-server</artifactId><version>1</version>
<dependencies><dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId>
<version>$VERSION</version></dependency></dependencies></project>
POM
  mvn -q -B -f "$CACHE_DIR/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$CACHE_DIR/lib.tmp" >&2
  mv "$CACHE_DIR/lib.tmp" "$CACHE_DIR/lib"
fi
# exec matters: the SDK kills this PID on teardown, so the JVM must be this process.
cat > "$LAUNCHER" <<'SH'
#!/bin/sh
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$(dirname "$0")/lib/*" io.temporal.testserver.TestServer "$@"
SH
chmod +x "$LAUNCHER"
echo "$LAUNCHER"
