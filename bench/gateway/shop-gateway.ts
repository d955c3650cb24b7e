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

async function main(): Promise<void> {
  const stopProfiling = await startProfiling();
  const supergraphSdl = readFileSync(process.argv[2]!, 'utf8');
  for (const { name, url } of Supergraph.build(supergraphSdl).subgraphsMetadata()) process.env[`${name.toUpperCase()}_URL`] = url;
  const config = loadConfig();
  const running = await startGateway(config, { supergraphSdl, port: Number(process.argv[3] ?? 4000), host: '127.0.0.1' });
  process.stdout.write(`gateway ready ${running.url}\n`);
  process.once('SIGTERM', () => { stopProfiling().then(() => running.stop()).finally(() => process.exit(0)); });
}

main().catch((e) => { console.error(e); process.exit(1); });
