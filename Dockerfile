# syntax=docker/dockerfile:1
# One image for every process of the shop: the gateway, any subgraph, or
# the one-shot development seed, chosen by SERVICE (docker/entrypoint.sh):
#   docker build -t shop .
#   docker run -e SERVICE=catalog -e PGHOST=... -e NATS_URL=... shop
# The gateway and the subgraphs run JavaScript compiled when the image is
# built (`npm run build`: each package's src/ to dist/, with esbuild, a
# production dependency of the root package.json); the one-shot seed runs
# its TypeScript through tsx's loader (`node --import tsx`), so tsx is a
# production dependency too.
ARG NODE_IMAGE=node:20-slim

# The package manifests alone, at their paths, so the dependency layer is
# rebuilt only when a package.json or the lock file changes.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents '{}' /manifests/ ';' \
 && cp package-lock.json .npmrc /manifests/

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=manifests /manifests/ ./
# argon2 ships prebuilt binaries for linux-x64/arm64 (glibc): no compiler needed.
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force
RUN node -e "require.resolve('tsx')" 2>/dev/null \
 || { echo 'tsx is not installed with --omit=dev: move "tsx" from devDependencies to dependencies in package.json' >&2; exit 1; }

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    SUBGRAPH_HOST=0.0.0.0 \
    GATEWAY_HOST=0.0.0.0
WORKDIR /app
# Owned by root and not writable by the process: the code cannot be changed at run time.
COPY --from=deps /app/ ./
COPY . .
RUN node scripts/build.mjs
# The node user of the base image (uid 1000), numeric so that Kubernetes can check runAsNonRoot.
USER 1000:1000
EXPOSE 4000 4001 4002 4003 4004 4005 4006 4007 4008 4009 4010 4011
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "docker/healthcheck.mjs", "/health"]
ENTRYPOINT ["docker/entrypoint.sh"]
