// Docker HEALTHCHECK: GET /health (or the path given as argument) of the
// process SERVICE names, on the port it listens on. Plain ESM so that a
// check costs one small node start, not a TypeScript compile. The ports are
// platform/src/config.ts's defaults (a test keeps the two in step).
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DEFAULT_PORTS = {
  accounts: 4001, catalog: 4002, inventory: 4003, cart: 4004, discounts: 4005, orders: 4006,
  payments: 4007, shipping: 4008, returns: 4009, reviews: 4010, notifications: 4011,
};

function portOf(service, env) {
  if (service === 'gateway') return Number(env.GATEWAY_PORT || env.PORT || 4000);
  return Number(env[`${service.toUpperCase()}_PORT`] || DEFAULT_PORTS[service]);
}

// SERVICE, or what the entrypoint wrote when the service came as an argument (`docker run shop catalog`).
const service = process.env.SERVICE || (() => {
  try { return readFileSync(join(tmpdir(), 'shop-service'), 'utf8').trim(); } catch { return ''; }
})();
// The seed is a one-shot job with no listener: nothing to check.
if (service === 'seed') process.exit(0);
const port = portOf(service, process.env);
if (!port) {
  console.error(`healthcheck: unknown SERVICE "${service}"`);
  process.exit(1);
}
const path = process.argv[2] ?? '/health';
try {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2500) });
  process.exit(res.ok ? 0 : 1);
} catch (e) {
  console.error(`healthcheck: ${e.message}`);
  process.exit(1);
}
