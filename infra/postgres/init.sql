-- One database per service (each service owns its data; none reads another's).
-- Run once by the postgres image on an empty data volume (docker-compose.yml
-- mounts this file into /docker-entrypoint-initdb.d). Locally, without Docker,
-- scripts/infra/db-create.sh creates the same databases.
-- Names: libs/platform/src/services.ts (SERVICES[...].database).
CREATE DATABASE fines_registry;
CREATE DATABASE fines_violations;
CREATE DATABASE fines_payments;
CREATE DATABASE fines_notification;
