/**
 * The reference: a plain ApolloServer + ApolloGateway over the scenario's
 * supergraph, nothing else (the benchmark's own apollo-gateway, one process).
 * `tsx bench/gateway/stock-gateway.ts <supergraph file> <port>`.
 */
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloGateway } from '@apollo/gateway';
import { startStandaloneServer } from '@apollo/server/standalone';
import { startProfiling } from './profile';

async function main(): Promise<void> {
  const stopProfiling = await startProfiling();
  const gateway = new ApolloGateway({ supergraphSdl: readFileSync(process.argv[2]!, 'utf8') });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { port: Number(process.argv[3] ?? 4000), host: '127.0.0.1' } });
  process.stdout.write(`gateway ready ${url}\n`);
  process.once('SIGTERM', () => { stopProfiling().finally(() => process.exit(0)); });
}

main().catch((e) => { console.error(e); process.exit(1); });
