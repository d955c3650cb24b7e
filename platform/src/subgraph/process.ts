import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { startSubgraph, SubgraphDefinition } from './server';
import { startTracing } from '../observability/tracing';

/** Entry point of a subgraph process: starts it on its configured port and stops cleanly on SIGTERM/SIGINT. */
export function runSubgraphProcess(def: SubgraphDefinition<any>): void {
  const config = loadConfig();
  const log = createLogger(def.name, config.logLevel);
  const tracing = startTracing(config, def.name);
  startSubgraph(def, config, { log }).then((running) => {
    const stop = () => {
      running.stop().then(() => tracing?.stop()).then(() => process.exit(0), () => process.exit(1));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  }, (e: Error) => {
    log.fatal(e.message);
    process.exit(1);
  });
}
