import { createLogger, loadConfig, stopOnSignals } from '@shop/platform';
import { startGateway } from './server';

// The gateway neither signs nor verifies tokens: it passes them on, so it holds no JWT secret.
const config = loadConfig(process.env, { needsJwtSecret: false });
const log = createLogger('gateway', config.logLevel);

startGateway(config, { log }).then((running) => {
  log.info(`GraphQL endpoint and IDE: http://localhost:${running.port}/graphql`);
  stopOnSignals(running, config.shutdownDelayMs, log);
}, (e: Error) => {
  log.fatal(e.message);
  process.exit(1);
});
