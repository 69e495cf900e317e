#!/usr/bin/env bash
# Local infrastructure down (npm run infra:down): stops the Kafka broker
# (databases are left in place; use db-create.sh --drop-first to reset them).
#
# Usage: scripts/infra/down.sh [--wipe]
#   --wipe  also delete Kafka's data dir (passed to kafka-down.sh)
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
exec "$DIR/kafka-down.sh" "$@"
