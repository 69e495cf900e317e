#!/usr/bin/env bash
# Create the project's PostgreSQL databases (idempotent):
#   fines_registry fines_violations fines_payments fines_notification
# each with ${DB_SUFFIX} appended (e.g. DB_SUFFIX=_e2e -> fines_registry_e2e ...).
#
# Usage: scripts/infra/db-create.sh [--drop-first]
#   --drop-first (or DB_DROP_FIRST=1): DROP DATABASE ... WITH (FORCE), then create.
# Env:   PG_BASE (a server's URL without a database, postgres://user@host:port; when set it wins
#        over PGHOST (127.0.0.1) PGPORT (5432) PGUSER (postgres) PGPASSWORD (unset))
#        DB_SUFFIX ('')  DB_NAMES (space-separated override of the base names)
set -euo pipefail


export PGHOST="${PGHOST:-127.0.0.1}"
export PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-postgres}"
PG_BASE="${PG_BASE:-}"
DB_SUFFIX="${DB_SUFFIX:-}"
DB_NAMES="${DB_NAMES:-fines_registry fines_violations fines_payments fines_notification}"

log() { printf '[db-create] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

DROP="${DB_DROP_FIRST:-0}"
[[ "$DROP" == 1 || "$DROP" == true ]] && DROP=1 || DROP=0
for arg in "$@"; do
  case "$arg" in
    --drop-first) DROP=1 ;;
    -h|--help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg" ;;
  esac
done

command -v psql >/dev/null 2>&1 || die "psql not found on PATH (apt-get install postgresql-client)"

psql_admin() {
  # Connect to the maintenance DB; -X ignores ~/.psqlrc, ON_ERROR_STOP makes errors fatal.
  psql -X -q -v ON_ERROR_STOP=1 -d "${PG_BASE:+$PG_BASE/}postgres" "$@"
}

# Wait briefly for the server (it may be starting up right now).
ok=0
for _ in $(seq 1 "${DB_WAIT_SECONDS:-15}"); do
  if psql_admin -tAc 'SELECT 1' >/dev/null 2>&1; then ok=1; break; fi
  sleep 1
done
if [[ $ok -ne 1 ]]; then
  psql_admin -tAc 'SELECT 1' >&2 || true
  die "cannot connect to PostgreSQL at ${PG_BASE:-$PGUSER@$PGHOST:$PGPORT}"
fi

for base in $DB_NAMES; do
  db="$base$DB_SUFFIX"
  # Identifiers are interpolated into SQL below: allow only safe names.
  [[ "$db" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "invalid database name '$db' (allowed: [a-z_][a-z0-9_]*, max 63 chars)"
  exists="$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")"
  if [[ "$exists" == 1 && $DROP -eq 1 ]]; then
    psql_admin -c "DROP DATABASE \"$db\" WITH (FORCE)"
    log "dropped $db"
    exists=""
  fi
  if [[ "$exists" == 1 ]]; then
    log "exists:  $db"
  else
    psql_admin -c "CREATE DATABASE \"$db\""
    log "created: $db"
  fi
done
