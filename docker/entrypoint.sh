#!/bin/sh
# Runs one process of the shop, chosen by SERVICE (or the first argument):
# `gateway`, a subgraph's name (a folder under subgraphs/), or `seed`.
# exec: node becomes PID 1 and gets SIGTERM itself, for its graceful stop.
set -eu
SERVICE="${1:-${SERVICE:-}}"
# The gateway and the subgraphs run the build made with the image (scripts/build.mjs: each package's dist/),
# without a TypeScript loader; --conditions=shop-dist makes @shop/* packages resolve to their dist/ too.
RUN_BUILT="--conditions=shop-dist --enable-source-maps"
# The HEALTHCHECK runs outside this process: tell it which service runs when it came as an argument.
[ -n "$SERVICE" ] && { printf '%s' "$SERVICE" > "${TMPDIR:-/tmp}/shop-service"; } 2>/dev/null || true
case "$SERVICE" in
  "")
    echo "entrypoint: set SERVICE (gateway, seed or one of: $(ls subgraphs | tr '\n' ' '))" >&2
    exit 64 ;;
  gateway)
    exec node $RUN_BUILT gateway/dist/main.js ;;
  seed)
    exec node --import tsx docker/seed.ts ;;
  *)
    if [ ! -f "subgraphs/$SERVICE/src/main.ts" ]; then
      echo "entrypoint: no subgraph named \"$SERVICE\" (known: $(ls subgraphs | tr '\n' ' '))" >&2
      exit 64
    fi
    exec node $RUN_BUILT "subgraphs/$SERVICE/dist/main.js" ;;
esac
