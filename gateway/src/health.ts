import express from 'express';
import { register } from 'prom-client';
import { ensureDefaultMetrics } from '@shop/platform';

/** How long /ready waits for one subgraph. */
const PROBE_TIMEOUT_MS = 2000;

async function probe(url: string): Promise<string | null> {
  try {
    const res = await fetch(url.replace(/\/graphql$/, '/ready'), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return res.ok ? null : `answered ${res.status}`;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * /health: the gateway lives. /ready: it is not shutting down and every
 * subgraph of the schema it serves answers its own /ready. /metrics: Prometheus.
 */
export function mountHealth(app: express.Express, routes: Map<string, string>, draining: () => boolean): void {
  ensureDefaultMetrics();
  app.get('/health', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/ready', async (_req, res) => {
    if (draining()) {
      res.status(503).json({ status: 'shutting down', subgraphs: {} });
      return;
    }
    const results = await Promise.all([...routes].map(async ([name, url]) => [name, await probe(url)] as const));
    const down = Object.fromEntries(results.filter(([, error]) => error !== null));
    if (results.length === 0 || Object.keys(down).length > 0) {
      res.status(503).json({ status: 'unavailable', subgraphs: down });
      return;
    }
    res.json({ status: 'ready', subgraphs: results.map(([name]) => name) });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(register.contentType).send(await register.metrics());
  });
}
