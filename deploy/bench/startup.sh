#!/usr/bin/env bash
# Startup benchmark: starts the packaged suite the way the launcher does (JVM mode, free ports,
# a throw-away database), prints per service the time to ready and the idle RSS, stops it all.
#   deploy/bench/startup.sh [--runs N] [--idle-seconds S] [--java-opts "-Xmx256m ..."]
# Not a test and not run by CI. Needs the services and the launcher built (deploy/hearth --build).
set -euo pipefail
repo="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
launcher="$repo/deploy/launcher/target/hearth-launcher.jar"
if [ ! -f "$launcher" ]; then
  echo "Build first: (cd $repo && ./mvnw -B -q -DskipTests install)" >&2
  exit 1
fi
java="java"
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java="$JAVA_HOME/bin/java"
fi
export HEARTH_HOME="${HEARTH_HOME:-$repo}"
exec "$java" -cp "$launcher" dev.hearth.launcher.bench.StartupBenchmark "$@"
