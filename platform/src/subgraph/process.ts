import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { startSubgraph, SubgraphDefinition } from './server';
import { startTracing } from '../observability/tracing';
import { stopOnSignals } from './shutdown';

/** Entry point of a subgraph process: starts it on its configured port and drains, then stops, on SIGTERM/SIGINT. */
export function runSubgraphProcess(def: SubgraphDefinition<any>): void {
  const config = loadConfig();
  const log = createLogger(def.name, config.logLevel);
  const tracing = startTracing(config, def.name);
  startSubgraph(def, config, { log }).then((running) => {
    stopOnSignals({ markDraining: () => running.markDraining(), stop: async () => { await running.stop(); await tracing?.stop(); } }, config.shutdownDelayMs, log);
  }, (e: Error) => {
    log.fatal(e.message);
    process.exit(1);
  });
}
