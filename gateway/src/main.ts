import cluster from 'node:cluster';
import { createLogger, loadConfig } from '@shop/platform';
import { startGateway } from './server';
import { serveWithWorkers } from './execution/workers';

const config = loadConfig();
const log = createLogger('gateway', config.logLevel);
serveWithWorkers(config.gateway.workers, () => startGateway(config, { log }).then((running) => {
  log.info(`GraphQL endpoint and IDE: http://localhost:${running.port}/graphql`);
  const stop = () => { running.stop().then(() => process.exit(0), () => process.exit(1)); };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
})).then(() => {
  if (cluster.isPrimary && config.gateway.workers > 1) log.info({ workers: config.gateway.workers }, 'gateway workers ready');
}, (e: Error) => {
  log.fatal(e.message);
  process.exit(1);
});
