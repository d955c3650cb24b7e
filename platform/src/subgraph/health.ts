import express from 'express';
import { collectDefaultMetrics, register } from 'prom-client';

let metricsStarted = false;

/** Starts the process metrics once, however many servers the process runs. */
export function ensureDefaultMetrics(): void {
  if (!metricsStarted) { collectDefaultMetrics(); metricsStarted = true; }
}

/** /health answers while the process lives; /ready only while its dependencies answer; /metrics for Prometheus. */
export function mountHealth(app: express.Express, ready: () => Promise<void>): void {
  ensureDefaultMetrics();
  app.get('/health', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/ready', async (_req, res) => {
    try {
      await ready();
      res.json({ status: 'ready' });
    } catch (e) {
      res.status(503).json({ status: 'unavailable', reason: (e as Error).message });
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.type(register.contentType).send(await register.metrics());
  });
}
