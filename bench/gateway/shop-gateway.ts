/**
 * The shop's gateway (gateway/src/server.ts) on the scenario's supergraph.
 * `tsx bench/gateway/shop-gateway.ts <supergraph file> <port>`. Routes come
 * from the supergraph's URLs: the benchmark's subgraph names overlap the
 * shop's (accounts, inventory, reviews), whose configured ports would win,
 * so the launcher sets `<NAME>_URL` to the supergraph's URL for each.
 */
import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { loadConfig } from '@shop/platform';
import { startGateway } from '../../gateway/src/server';
import { startProfiling } from './profile';
import { serveWithWorkers } from '../../gateway/src/execution/workers';
import cluster from 'node:cluster';

async function main(): Promise<void> {
  const supergraphSdl = readFileSync(process.argv[2]!, 'utf8');
  for (const { name, url } of Supergraph.build(supergraphSdl).subgraphsMetadata()) process.env[`${name.toUpperCase()}_URL`] = url;
  const config = loadConfig();
  const port = Number(process.argv[3] ?? 4000);
  await serveWithWorkers(config.gateway.workers, async () => {
    const stopProfiling = await startProfiling(cluster.isPrimary ? '' : `.${cluster.worker?.id}`);
    const running = await startGateway(config, { supergraphSdl, port, host: '127.0.0.1' });
    process.once('SIGTERM', () => { stopProfiling().then(() => running.stop()).finally(() => process.exit(0)); });
  });
  if (cluster.isPrimary) process.stdout.write(`gateway ready http://127.0.0.1:${port}/graphql (${config.gateway.workers} process(es))\n`);
}

main().catch((e) => { console.error(e); process.exit(1); });
