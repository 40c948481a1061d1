#!/usr/bin/env bash
# Apache Kafka broker jars (+ log4j2 backend) from Maven Central into .cache/kafka/libs.
# Maven keeps its download cache in ~/.m2, so a fresh clone on the same machine copies locally.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

POM="$ROOT/infra/kafka/pom.xml"
LIBS="$ROOT/.cache/kafka/libs"
STAMP="$STAMPS/kafka"
hash="$(hash_inputs "$POM" "$0")"

if stamp_matches "$STAMP" "$hash" && compgen -G "$LIBS/kafka_2.13-*.jar" >/dev/null; then
  exit 0
fi
command -v mvn >/dev/null 2>&1 || die "mvn not found: run scripts/setup-system.sh (apt-get install maven)"
say "fetching Kafka jars from Maven Central"
rm -rf "$LIBS"
LOG="$ROOT/.cache/logs/maven.log"
mkdir -p "$(dirname "$LOG")"
if ! mvn -B -f "$POM" \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$LIBS" >"$LOG" 2>&1; then
  tail -n 30 "$LOG" >&2
  die "mvn copy-dependencies failed (full log: $LOG)"
fi
compgen -G "$LIBS/kafka_2.13-*.jar" >/dev/null || die "Kafka jars missing after mvn copy-dependencies"
stamp_write "$STAMP" "$hash"
