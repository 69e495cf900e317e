#!/usr/bin/env bash
# Start a single-node Apache Kafka (KRaft, broker+controller in one JVM) on
# 127.0.0.1:${KAFKA_PORT:-9092} and wait until it really answers requests.
# Idempotent: if our broker (from .data/kafka/kafka.pid) already runs, succeed.
#
# Usage: scripts/infra/kafka-up.sh
# Env:   KAFKA_PORT (9092)  KAFKA_CONTROLLER_PORT (9093)
#        KAFKA_HEAP_OPTS ("-Xms256m -Xmx768m")  KAFKA_JVM_PERFORMANCE_OPTS  KAFKA_OPTS (extra JVM args)
#        KAFKA_READY_TIMEOUT (90, seconds)  KAFKA_VERSION (see kafka-fetch.sh)
# State: <repo>/.data/kafka/{libs,data,logs,server.properties,kafka.pid}
#        broker log: .data/kafka/logs/server.log   stdout/stderr: .data/kafka/logs/kafka.out
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
SCRIPTS="$ROOT/scripts/infra"
STATE_DIR="$ROOT/.data/kafka"
LIBS="$STATE_DIR/libs"
DATA="$STATE_DIR/data"
LOGS="$STATE_DIR/logs"
PIDFILE="$STATE_DIR/kafka.pid"
PROPS="$STATE_DIR/server.properties"
PROBE_PROPS="$STATE_DIR/probe.properties"
TEMPLATE="$ROOT/infra/kafka/server.properties.template"
LOG4J2="$ROOT/infra/kafka/log4j2.properties"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_READY_TIMEOUT="${KAFKA_READY_TIMEOUT:-90}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m}"
KAFKA_JVM_PERFORMANCE_OPTS="${KAFKA_JVM_PERFORMANCE_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true}"
KAFKA_OPTS="${KAFKA_OPTS:-}"
BOOTSTRAP="127.0.0.1:$KAFKA_PORT"

log() { printf '[kafka-up] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for arg in "$@"; do
  case "$arg" in
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg" ;;
  esac
done

[[ "$KAFKA_PORT" =~ ^[0-9]+$ && "$KAFKA_CONTROLLER_PORT" =~ ^[0-9]+$ ]] \
  || die "KAFKA_PORT / KAFKA_CONTROLLER_PORT must be numeric"
[[ "$KAFKA_PORT" != "$KAFKA_CONTROLLER_PORT" ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"
command -v java >/dev/null 2>&1 || die "java (17+) not found on PATH"

# ---------------------------------------------------------------- helpers
# Alive and not a zombie.
pid_alive() {
  local pid="$1" state
  kill -0 "$pid" 2>/dev/null || return 1
  state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo '?')"
  [[ "$state" != Z ]]
}

# PID from our pid file if it is alive and really is our broker (guards against PID reuse).
our_pid() {
  [[ -f "$PIDFILE" ]] || return 1
  local pid
  pid="$(tr -dc '0-9' < "$PIDFILE")"
  [[ -n "$pid" ]] && pid_alive "$pid" || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "kafka.Kafka $PROPS" || return 1
  printf '%s\n' "$pid"
}

port_listening() {
  local port="$1"
  if command -v ss >/dev/null 2>&1; then
    [[ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

port_owner() {
  command -v ss >/dev/null 2>&1 && ss -Hltnp "sport = :$1" 2>/dev/null | head -n 3 || true
}

# JVM for short-lived tools from the fetched jars (StorageTool, TopicCommand);
# their logs go to logs/tools.log, never into server.log.
TOOL_JAVA=(java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
           "-Dlog4j2.configurationFile=$LOG4J2" "-Dkafka.logs.dir=$LOGS" -Dkafka.log.name=tools
           -cp "$LIBS/*")
java_tool() { "${TOOL_JAVA[@]}" "$@"; }

# A real request round-trip (AdminClient listTopics via TopicCommand), not just a TCP connect.
probe() {
  timeout 30 "${TOOL_JAVA[@]}" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "$BOOTSTRAP" --command-config "$PROBE_PROPS" --list >/dev/null 2>&1
}

# Only this start's output (server.log/kafka.out are appended across restarts).
SERVER_LOG_MARK=0
show_logs() {
  local n="${1:-40}" lines mark="$SERVER_LOG_MARK"
  # Rotated since the start? Then show the new file from its beginning.
  (( $( { wc -l < "$LOGS/server.log"; } 2>/dev/null || echo 0) >= mark )) || mark=0
  lines="$(tail -n +"$((mark + 1))" "$LOGS/server.log" 2>/dev/null | tail -n "$n" || true)"
  log "---- last lines of .data/kafka/logs/server.log (this start) ----"
  printf '%s\n' "${lines:-(nothing logged)}" >&2
  if [[ -s "$LOGS/kafka.out" ]]; then
    log "---- .data/kafka/logs/kafka.out (this start, stdout/stderr) ----"
    awk '/^===== .* starting Kafka/{buf=""} {buf=buf $0 "\n"} END{printf "%s", buf}' "$LOGS/kafka.out" | tail -n 20 >&2 || true
  fi
}

stop_pid() {
  local pid="$1" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 60; i++)); do pid_alive "$pid" || return 0; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 20; i++)); do pid_alive "$pid" || return 0; sleep 0.25; done
}

wait_ready() {
  local pid="$1" start="$2" deadline=$((SECONDS + KAFKA_READY_TIMEOUT))
  while :; do
    if ! pid_alive "$pid"; then
      show_logs 60
      rm -f "$PIDFILE"
      die "Kafka (pid $pid) exited during startup; see .data/kafka/logs/"
    fi
    if port_listening "$KAFKA_PORT" && probe; then
      log "Kafka is ready on $BOOTSTRAP (pid $pid, $((SECONDS - start))s)"
      return 0
    fi
    if ((SECONDS >= deadline)); then
      show_logs 60
      return 1
    fi
    sleep 1
  done
}

# ---------------------------------------------------------------- main
start=$SECONDS
mkdir -p "$STATE_DIR" "$LOGS"
[[ -f "$ROOT/.data/.gitignore" ]] || printf '*\n' > "$ROOT/.data/.gitignore"

exec 9>"$STATE_DIR/.up.lock"
if command -v flock >/dev/null 2>&1; then
  flock -w 180 9 || die "another kafka-up.sh is still running (lock .data/kafka/.up.lock)"
fi

"$SCRIPTS/kafka-fetch.sh"

# Client config for the readiness probe: fail fast instead of the 60 s default.
cat > "$PROBE_PROPS" <<PROBE
request.timeout.ms=5000
default.api.timeout.ms=15000
PROBE

if pid="$(our_pid)"; then
  log "Kafka already running from our pid file (pid $pid); checking it answers on $BOOTSTRAP ..."
  wait_ready "$pid" "$start" || die "Kafka (pid $pid) runs but does not answer on $BOOTSTRAP within ${KAFKA_READY_TIMEOUT}s (stop it with scripts/infra/kafka-down.sh)"
  exit 0
fi
if [[ -f "$PIDFILE" ]]; then
  log "removing stale pid file (pid $(cat "$PIDFILE" 2>/dev/null) is not our running broker)"
  rm -f "$PIDFILE"
fi

for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
  if port_listening "$port"; then
    owner="$(port_owner "$port")"
    die "port $port on this machine is already in use by another process (not our broker from .data/kafka/kafka.pid).
Stop it, or choose other ports via KAFKA_PORT / KAFKA_CONTROLLER_PORT.${owner:+
$owner}"
  fi
done

# Render server.properties from the template (every start, so port overrides apply).
[[ -f "$TEMPLATE" ]] || die "missing $TEMPLATE"
[[ "$DATA" != *'|'* ]] || die "repository path must not contain '|': $DATA"
sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" \
    -e "s|@KAFKA_CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
    -e "s|@KAFKA_LOG_DIRS@|$DATA|g" \
    "$TEMPLATE" > "$PROPS.tmp"
mv "$PROPS.tmp" "$PROPS"

# Format the KRaft storage once (meta.properties present => already formatted).
if [[ ! -f "$DATA/meta.properties" ]]; then
  if [[ -d "$DATA" ]] && [[ -n "$(ls -A "$DATA" 2>/dev/null)" ]]; then
    log "data dir has no meta.properties but is not empty (interrupted format?); clearing it"
    rm -rf "$DATA"
  fi
  mkdir -p "$DATA"
  cluster_id="$(java_tool kafka.tools.StorageTool random-uuid | tail -n 1)"
  [[ "$cluster_id" =~ ^[A-Za-z0-9_-]{22}$ ]] || die "StorageTool random-uuid returned '$cluster_id'"
  log "formatting KRaft storage (cluster id $cluster_id) ..."
  if ! out="$(java_tool kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$PROPS" 2>&1)"; then
    printf '%s\n' "$out" >&2
    rm -rf "$DATA"
    die "kafka storage format failed"
  fi
  printf 'KAFKA_CONTROLLER_PORT=%s\n' "$KAFKA_CONTROLLER_PORT" > "$STATE_DIR/formatted.env"
elif [[ -f "$STATE_DIR/formatted.env" ]] \
     && ! grep -qx "KAFKA_CONTROLLER_PORT=$KAFKA_CONTROLLER_PORT" "$STATE_DIR/formatted.env"; then
  log "WARNING: storage was formatted with $(cat "$STATE_DIR/formatted.env"), now $KAFKA_CONTROLLER_PORT;"
  log "         the KRaft voter set records the controller endpoint. If startup fails: scripts/infra/kafka-down.sh --wipe"
fi

# Start the broker detached from the caller: own session via setsid when that
# cannot fork (so $! stays the JVM's PID), else at least immune to Ctrl-C; nohup
# for hangups. stdout/stderr are appended to logs/kafka.out.
SERVER_LOG_MARK=0
[[ -f "$LOGS/server.log" ]] && SERVER_LOG_MARK="$(wc -l < "$LOGS/server.log")"
printf '\n===== %s starting Kafka (%s) =====\n' "$(date -Is)" "$(basename "$(ls "$LIBS"/kafka_2.13-*.jar | head -n1)" .jar)" >> "$LOGS/kafka.out"
(
  cd "$STATE_DIR"
  # Do not leak inherited descriptors (our lock on fd 9, callers' pipes) into the
  # long-lived JVM: a held pipe would make `... | tee` or CI steps hang forever.
  for fd_path in /proc/"$BASHPID"/fd/*; do
    fd="${fd_path##*/}"
    if [[ "$fd" =~ ^[0-9]+$ ]] && ((fd > 2 && fd < 255)); then eval "exec $fd>&-"; fi
  done
  detach=()
  # setsid only execs in place (no fork) when we are not a process-group leader.
  if command -v setsid >/dev/null 2>&1 \
     && [[ "$(awk '{print $5}' "/proc/$BASHPID/stat")" != "$BASHPID" ]]; then
    detach=(setsid)
  else
    trap '' INT
  fi
  # shellcheck disable=SC2086  # *_OPTS are intentionally word-split
  exec "${detach[@]}" nohup java $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS $KAFKA_OPTS \
    "-Dlog4j2.configurationFile=$LOG4J2" "-Dkafka.logs.dir=$LOGS" -Dkafka.log.name=server \
    -cp "$LIBS/*" kafka.Kafka "$PROPS" >> "$LOGS/kafka.out" 2>&1 < /dev/null
) &
pid=$!
printf '%s\n' "$pid" > "$PIDFILE"
log "started Kafka JVM (pid $pid); waiting up to ${KAFKA_READY_TIMEOUT}s for $BOOTSTRAP ..."

if ! wait_ready "$pid" "$start"; then
  log "Kafka did not answer on $BOOTSTRAP within ${KAFKA_READY_TIMEOUT}s; stopping it (pid $pid)"
  stop_pid "$pid"
  rm -f "$PIDFILE"
  exit 1
fi
