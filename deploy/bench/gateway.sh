#!/usr/bin/env bash
# Gateway benchmark (issue 3): the packaged suite against a fake OpenAI-compatible upstream pacing
# 64 tokens 20 ms apart, through the suite vs. directly; prints the configuration and a table.
#   deploy/bench/gateway.sh [--build] [--phases latency,ramp,fanout,idle] [--help for every flag]
# Not a test and not run by CI; takes a few minutes. Builds what is missing first (--build: rebuild).
set -euo pipefail
repo="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bench="$repo/deploy/bench/target/hearth-bench.jar"

build=false
args=()
for arg in "$@"; do
  case "$arg" in
    --build) build=true ;;
    *) args+=("$arg") ;;
  esac
done
if [ "$build" = false ]; then
  [ -f "$bench" ] || build=true
  for module in mcp-config-service llm-adapter-service router-service gateway-service stt-service tts-service zigbee-service; do
    [ -f "$repo/$module/target/quarkus-app/quarkus-run.jar" ] || build=true
  done
fi
if [ "$build" = true ]; then
  echo "Building Hearth (./mvnw -B -q -DskipTests install; a few minutes the first time)..."
  (cd "$repo" && ./mvnw -B -q -DskipTests install)
fi

java="java"
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java="$JAVA_HOME/bin/java"
fi
export HEARTH_HOME="${HEARTH_HOME:-$repo}"
# This JVM is the fake upstream and every client: a fixed heap, serial GC (short pauses, no GC threads
# competing with the suite for the two cores); the client processes of the idle phase get their own.
exec "$java" -Xms1g -Xmx2g -XX:+UseSerialGC -jar "$bench" ${args[@]+"${args[@]}"}
