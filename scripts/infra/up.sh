#!/usr/bin/env bash
# Local infrastructure up (npm run infra:up): PostgreSQL databases + Kafka broker.
#
# Usage: scripts/infra/up.sh [--drop-first]
#   --drop-first  recreate the databases (passed to db-create.sh)
# Env:   SKIP_DB=1 / SKIP_KAFKA=1 to skip a part; everything db-create.sh and
#        kafka-up.sh read (PG*, DB_SUFFIX, KAFKA_PORT, KAFKA_HEAP_OPTS, ...).
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"

db_args=()
for arg in "$@"; do
  case "$arg" in
    --drop-first) db_args+=("$arg") ;;
    -h|--help) sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) printf '[infra-up] ERROR: unknown argument: %s\n' "$arg" >&2; exit 1 ;;
  esac
done

[[ "${SKIP_DB:-0}" == 1 ]] || "$DIR/db-create.sh" "${db_args[@]}"
[[ "${SKIP_KAFKA:-0}" == 1 ]] || "$DIR/kafka-up.sh"
