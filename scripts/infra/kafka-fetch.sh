#!/usr/bin/env bash
# Resolve the local Kafka broker's runtime classpath from Maven Central into
# <repo>/.data/kafka/libs (via infra/kafka/pom.xml). Cached: a marker file is
# written only after a complete download, so a partial/interrupted previous
# download (or a changed pom / KAFKA_VERSION) triggers a clean re-fetch.
#
# Usage: scripts/infra/kafka-fetch.sh [--force]
# Env:   KAFKA_VERSION   override the pom's kafka.version (e.g. 4.1.1)
#        MAVEN_OPTS / MVN_ARGS  extra options for mvn (e.g. MVN_ARGS=-Dmaven.repo.local=...)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
POM="$ROOT/infra/kafka/pom.xml"
STATE_DIR="$ROOT/.data/kafka"
LIBS="$STATE_DIR/libs"
MARKER="$LIBS/.fetch-complete"
LOGS="$STATE_DIR/logs"

log() { printf '[kafka-fetch] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg" ;;
  esac
done

command -v mvn >/dev/null 2>&1 || die "mvn (Apache Maven) not found on PATH"
command -v java >/dev/null 2>&1 || die "java (JDK/JRE 17+) not found on PATH"
[[ -f "$POM" ]] || die "missing $POM"

mkdir -p "$ROOT/.data" "$STATE_DIR" "$LOGS"
# .data/ holds only generated state; keep it out of git even without a root .gitignore entry.
[[ -f "$ROOT/.data/.gitignore" ]] || printf '*\n' > "$ROOT/.data/.gitignore"

pom_sha="$(sha256sum "$POM" | cut -d' ' -f1)"
expected="pom=$pom_sha version=${KAFKA_VERSION:-default}"

if [[ $FORCE -eq 0 && -f "$MARKER" && "$(cat "$MARKER")" == "$expected" ]] \
   && compgen -G "$LIBS/kafka_2.13-*.jar" >/dev/null; then
  log "cached: $(ls "$LIBS"/*.jar | wc -l) jars in ${LIBS#"$ROOT"/} ($(basename "$(ls "$LIBS"/kafka_2.13-*.jar | head -n1)" .jar))"
  exit 0
fi

# Serialize concurrent fetches (e.g. two `infra:up` at once).
if command -v flock >/dev/null 2>&1; then
  exec 8>"$STATE_DIR/.fetch.lock"
  flock -w 600 8 || die "another kafka-fetch.sh is still running (lock .data/kafka/.fetch.lock)"
  # Someone else may have completed the fetch while we waited.
  if [[ $FORCE -eq 0 && -f "$MARKER" && "$(cat "$MARKER")" == "$expected" ]]; then
    log "cached (fetched concurrently)"; exit 0
  fi
fi

# Leftovers of an interrupted earlier fetch (we hold the lock, so none is in progress).
rm -rf "$STATE_DIR"/libs.tmp.*
tmp="$STATE_DIR/libs.tmp.$$"
trap 'rm -rf "$tmp"' EXIT

mvn_args=(-q -B -f "$POM" dependency:copy-dependencies
          "-DoutputDirectory=$tmp" -DincludeScope=runtime)
[[ -n "${KAFKA_VERSION:-}" ]] && mvn_args+=("-Dkafka.version=$KAFKA_VERSION")
# shellcheck disable=SC2206  # intentional word splitting of user-supplied extra args
[[ -n "${MVN_ARGS:-}" ]] && mvn_args+=($MVN_ARGS)

log "resolving Kafka ${KAFKA_VERSION:-(pom default)} runtime from Maven Central ..."
start=$SECONDS
if ! mvn "${mvn_args[@]}" >"$LOGS/fetch.log" 2>&1; then
  tail -n 40 "$LOGS/fetch.log" >&2 || true
  die "mvn dependency:copy-dependencies failed (full output: ${LOGS#"$ROOT"/}/fetch.log)"
fi

compgen -G "$tmp/kafka_2.13-*.jar" >/dev/null || die "kafka_2.13 jar missing after download"
compgen -G "$tmp/kafka-tools-*.jar" >/dev/null || die "kafka-tools jar missing after download"
compgen -G "$tmp/log4j-core-*.jar" >/dev/null || die "log4j-core jar missing after download"

printf '%s\n' "$expected" > "$tmp/.fetch-complete"
rm -rf "$LIBS"
mv "$tmp" "$LIBS"
trap - EXIT
log "fetched $(ls "$LIBS"/*.jar | wc -l) jars ($(du -sh "$LIBS" | cut -f1)) in $((SECONDS - start))s: $(basename "$(ls "$LIBS"/kafka_2.13-*.jar)" .jar)"
