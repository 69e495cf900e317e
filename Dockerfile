# syntax=docker/dockerfile:1
#
# One image recipe for the four services; the build argument SERVICE picks which
# entry point the container runs:
#
#   docker build --build-arg SERVICE=violations -t traffic-fines/violations .
#
# SERVICE is one of vehicle-registry, violations, payment-gateway, notification
# (libs/platform/src/services.ts). docker-compose.yml and k8s/ build and run the
# four of them; configuration comes from the environment (README: configuration).

############################ build ############################
FROM node:20-bookworm-slim AS build
WORKDIR /app

# Dependencies first, so a source change does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
COPY scripts ./scripts
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force

############################ runtime ############################
FROM node:20-bookworm-slim AS runtime
ARG SERVICE
ENV NODE_ENV=production \
    SERVICE=${SERVICE}
WORKDIR /app

# Owned by root and read-only to the process: it runs as the image's unprivileged
# `node` user (uid 1000, numeric so Kubernetes' runAsNonRoot can verify it).
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist

# Fail the build, not the first start, when SERVICE is missing or misspelt.
RUN if [ -z "${SERVICE}" ]; then echo 'build argument SERVICE is required: vehicle-registry, violations, payment-gateway or notification' >&2; exit 1; fi; \
    if [ ! -f "dist/apps/${SERVICE}/src/main.js" ]; then echo "no entry point dist/apps/${SERVICE}/src/main.js" >&2; exit 1; fi

USER 1000:1000

# 3001 vehicle-registry, 3002 violations, 3003 payment-gateway, 3004 notification.
EXPOSE 3001 3002 3003 3004

# Liveness only (is the process serving HTTP?); readiness (/health/ready) is for
# the orchestrator to route traffic. The port is PORT, else the service's default
# port from the compiled SERVICES table.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const s=require('/app/dist/libs/platform/src/services.js').SERVICES[process.env.SERVICE];const p=process.env.PORT||(s?s.port:3000);fetch('http://127.0.0.1:'+p+'/health/live',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# exec: node becomes PID 1 and receives SIGTERM itself (the app drains on SIGTERM); the flags are SERVICE_NODE_FLAGS (libs/platform/src/services.ts).
CMD ["sh", "-c", "exec node --max-semi-space-size=64 --no-allocation-site-pretenuring \"dist/apps/${SERVICE}/src/main.js\""]
