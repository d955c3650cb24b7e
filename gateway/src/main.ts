import cluster from 'node:cluster';
import { createLogger, loadConfig, startTracing, stopOnSignals } from '@shop/platform';
import { startGateway } from './server';
import { serveWithWorkers } from './execution/workers';

// The gateway signs nothing: it passes tokens on, and holds no signing key (only accounts does).
const config = loadConfig();
const log = createLogger('gateway', config.logLevel);
const tracing = startTracing(config, 'gateway');
serveWithWorkers(config.gateway.workers, () => startGateway(config, { log }).then((running) => {
  log.info(`GraphQL endpoint and IDE: http://localhost:${running.port}/graphql`);
  stopOnSignals({ markDraining: () => running.markDraining(), stop: async () => { await running.stop(); await tracing?.stop(); } }, config.shutdownDelayMs, log);
})).then(() => {
  if (cluster.isPrimary && config.gateway.workers > 1) log.info({ workers: config.gateway.workers }, 'gateway workers ready');
}, (e: Error) => {
  log.fatal(e.message);
  process.exit(1);
});
