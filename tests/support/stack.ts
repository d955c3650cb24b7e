import { randomBytes } from 'node:crypto';
import { NatsConnection } from '@nats-io/transport-node';
import {
  PlatformConfig, RunningSubgraph, SubgraphName, connectNats, createLogger, databaseName, deleteStream, dropDatabase, loadConfig, mergeConfig, startSubgraph,
} from '@shop/platform';
import { startGateway, RunningGateway } from '@shop/gateway';
import { subgraphDefinitions, subgraphNames } from '../../subgraphs';
import { gql, GqlResponse } from './graphql-client';
import { LocalSmtpServer, startLocalSmtpServer } from '../../scripts/mail/local-smtp-server';

/**
 * The whole shop, booted by the production bootstrap inside the test
 * process: every subgraph on a free port with databases and an event
 * prefix of its own, an SMTP server that receives their mail, and the
 * gateway in front. `stop()` drops it all.
 */
export interface Stack {
  config: PlatformConfig;
  gatewayUrl: string;
  gateway: RunningGateway;
  subgraphs: Partial<Record<SubgraphName, RunningSubgraph>>;
  /** The stack's own SMTP server (a free port, `config.smtp` points at it): every mail the shop sends lands here. */
  mail: LocalSmtpServer;
  /** A NATS connection for tests that watch the event stream. */
  nats(): Promise<NatsConnection>;
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GqlResponse<T>>;
  stop(): Promise<void>;
}

/**
 * A test configuration whose sweeps (reservation expiry, stalled orders,
 * abandoned coupon claims) effectively never run: for files that count the
 * statements of one request on a connection the sweeps also use.
 */
export function testConfigWithoutSweeps(): PlatformConfig {
  return mergeConfig(testConfig(), { saga: { sweepIntervalMs: 3_600_000 } });
}

/** A configuration of its own for one test file. */
export function testConfig(): PlatformConfig {
  const id = `t${randomBytes(4).toString('hex')}`;
  return mergeConfig(loadConfig({ ...process.env, NODE_ENV: 'test' }), {
    databasePrefix: `${id}_`,
    // Two test files run at once, each with every subgraph: keep them well inside PostgreSQL's 100 connections.
    postgres: { poolMax: 4 },
    eventPrefix: id,
    redis: { keyPrefix: id },
    // Tests sign in far more often than anyone would; rate-limits.e2e.test.ts checks the real budgets.
    rateLimits: { loginPerAccount: 1_000_000, loginPerIp: 1_000_000, registerPerIp: 1_000_000, refreshPerIp: 1_000_000 },
    outboxPollMs: 50,
    logLevel: process.env.LOG_LEVEL ?? 'error',
  });
}

export async function startStack(names: SubgraphName[] = subgraphNames, config = testConfig()): Promise<Stack> {
  const log = createLogger('test', config.logLevel);
  const subgraphs: Partial<Record<SubgraphName, RunningSubgraph>> = {};
  let natsConnection: NatsConnection | null = null;
  const mail = await startLocalSmtpServer({ host: '127.0.0.1', port: 0 });
  config.smtp.host = mail.host;
  config.smtp.port = mail.port;
  try {
    for (const name of names) {
      const running = await startSubgraph(subgraphDefinitions[name]!, config, { port: 0, host: '127.0.0.1', log: log.child({ subgraph: name }) });
      subgraphs[name] = running;
      config.subgraphUrls[name] = running.url;
    }
  } catch (e) {
    await Promise.allSettled(Object.values(subgraphs).map((s) => s!.stop()));
    await mail.stop();
    throw e;
  }
  // Subgraphs this stack did not start answer nowhere, rather than at a dev instance on the default ports.
  for (const name of subgraphNames) if (!subgraphs[name]) config.subgraphUrls[name] ??= 'http://127.0.0.1:9/graphql';
  const gateway = await startGateway(config, { port: 0, host: '127.0.0.1', log: log.child({ part: 'gateway' }) });
  return {
    config,
    gatewayUrl: gateway.url,
    gateway,
    subgraphs,
    mail,
    async nats() {
      natsConnection ??= await connectNats(config, 'test');
      return natsConnection;
    },
    gql: (query, variables, token) => gql(gateway.url, query, variables, token),
    async stop() {
      await gateway.stop();
      await Promise.allSettled(Object.values(subgraphs).map((s) => s!.stop()));
      await mail.stop();
      const nc = natsConnection ?? await connectNats(config, 'test-cleanup');
      await deleteStream(nc, config.eventPrefix);
      await nc.drain();
      for (const name of names) await dropDatabase(config, databaseName(config, name));
    },
  };
}
