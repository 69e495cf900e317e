#!/usr/bin/env bash
# Stop the local Kafka broker started by kafka-up.sh, by the PID in
# <repo>/.data/kafka/kafka.pid only (SIGTERM, up to KAFKA_STOP_TIMEOUT=30 s,
# then SIGKILL). Never matches processes by name.
#
# Usage: scripts/infra/kafka-down.sh [--wipe]
#   --wipe (or KAFKA_WIPE=1): also delete .data/kafka/data (topics, offsets,
#          cluster id) so the next kafka-up.sh starts from a clean slate.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
STATE_DIR="$ROOT/.data/kafka"
DATA="$STATE_DIR/data"
PIDFILE="$STATE_DIR/kafka.pid"
PROPS="$STATE_DIR/server.properties"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"

log() { printf '[kafka-down] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

WIPE="${KAFKA_WIPE:-0}"
[[ "$WIPE" == 1 || "$WIPE" == true ]] && WIPE=1 || WIPE=0
for arg in "$@"; do
  case "$arg" in
    --wipe) WIPE=1 ;;
    -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg" ;;
  esac
done

pid_alive() {
  local pid="$1" state
  kill -0 "$pid" 2>/dev/null || return 1
  state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo '?')"
  [[ "$state" != Z ]]
}

if [[ -f "$PIDFILE" ]]; then
  pid="$(tr -dc '0-9' < "$PIDFILE")"
  if [[ -z "$pid" ]]; then
    log "pid file is empty/invalid; removing it"
  elif ! pid_alive "$pid"; then
    log "Kafka (pid $pid) is not running; removing stale pid file"
  elif ! tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "kafka.Kafka $PROPS"; then
    # PID was reused by an unrelated process: do not touch it.
    log "pid $pid is not our Kafka broker (PID reused?); removing stale pid file, not signalling it"
  else
    log "stopping Kafka (pid $pid) ..."
    start=$SECONDS
    kill -TERM "$pid" 2>/dev/null || true
    while pid_alive "$pid" && ((SECONDS - start < KAFKA_STOP_TIMEOUT)); do sleep 0.5; done
    if pid_alive "$pid"; then
      log "still running after ${KAFKA_STOP_TIMEOUT}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do pid_alive "$pid" || break; sleep 0.25; done
      pid_alive "$pid" && die "could not stop pid $pid"
    fi
    log "stopped ($((SECONDS - start))s)"
  fi
  rm -f "$PIDFILE"
else
  log "Kafka is not running (no pid file)"
fi

if [[ $WIPE -eq 1 ]]; then
  log "wiping ${DATA#"$ROOT"/} and ${STATE_DIR#"$ROOT"/}/formatted.env"
  rm -rf "$DATA" "$STATE_DIR/formatted.env"
fi
