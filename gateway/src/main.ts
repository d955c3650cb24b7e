import { createLogger, loadConfig, startTracing } from '@shop/platform';
import { startGateway } from './server';

const config = loadConfig();
const log = createLogger('gateway', config.logLevel);
const tracing = startTracing(config, 'gateway');
startGateway(config, { log }).then((running) => {
  log.info(`GraphQL endpoint and IDE: http://localhost:${running.port}/graphql`);
  const stop = () => {
    running.stop().then(() => tracing?.stop()).then(() => process.exit(0), (e: Error) => {
      log.error({ err: e }, 'gateway did not stop cleanly');
      process.exit(1);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}, (e: Error) => {
  log.fatal(e.message);
  process.exit(1);
});
