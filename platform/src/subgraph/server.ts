import http from 'node:http';
import { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DocumentNode } from 'graphql';
import { EntityManager, EntitySchema, MikroORM } from '@mikro-orm/postgresql';
import { MigrationObject } from '@mikro-orm/core';
import { NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { PlatformConfig, SubgraphName, databaseName } from '../config';
import { createLogger, Logger } from '../logger';
import { formatError } from '../errors';
import { Identity, identityFromAuthorization } from '../auth/identity';
import { initORM, StatementCounter } from '../db/orm';
import { connectNats, ensureStream } from '../events/nats';
import { OutboxRelay } from '../events/relay';
import { ConsumerSpec, RunningConsumer, removeConsumers, startConsumer } from '../events/consumer';
import { SubgraphContext } from './context';
import { SubgraphSubscriptions, serveSubscriptions } from './subscriptions';
import { liveEvents } from '../events/live';
import { mountHealth } from './health';
import { closeConnectionsWhileDraining } from './shutdown';
import { BackgroundJob, RunningJobs, startJobs } from './jobs';
import { errorLoggingPlugin } from '../graphql/error-logging.plugin';
import { requestErrorHandler } from '../graphql/request-errors';
import { storableInputPlugin } from '../graphql/storable-input.plugin';
import { guardEntityRepresentations } from '../graphql/entity-guard';
import { SHARED_SECRET_REFUSAL_ANSWER, assertSharedSecretConfigured, fromTrustedCaller, requireSharedSecret } from './trust';
import { BODY_LIMIT_BYTES, graphQLPostHandler, isPlainGraphQLPost, sendJson } from './graphql-http';
import { graphqlObservabilityPlugin } from '../observability/graphql-observability.plugin';
import { observeHttp } from '../observability/http';
import { sampleOutboxBacklog } from '../observability/event-observation';
import { reportOpenSubscriptions } from '../observability/metrics';
import { requestClientIp } from '../limits/client-ip';

function mergeResolvers(maps: GraphQLResolverMap<any>[]): GraphQLResolverMap<any> {
  const merged: Record<string, any> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      merged[type] = fields && typeof fields === 'object' && !(fields as any).astNode && !(fields as any).serialize
        ? { ...merged[type], ...fields }
        : fields;
    }
  }
  return merged as GraphQLResolverMap<any>;
}

/** A subgraph's name: one of the shop's, or another (test fixtures) that has no default port or database setting. */
export type SubgraphId = SubgraphName | (string & {});

/** Everything that makes one subgraph: its schema, data and events. */
export interface SubgraphDefinition<L = unknown> {
  name: SubgraphId;
  typeDefs: DocumentNode;
  /** Resolver maps, merged type by type (one map per domain noun). */
  resolvers: GraphQLResolverMap<any>[];
  entities: EntitySchema<any>[];
  migrations: MigrationObject[];
  /** Request-scoped DataLoaders, built anew for each request and event. */
  createLoaders(em: EntityManager, identity: Identity): L;
  /** Whether it writes events to an outbox (starts the relay). */
  publishesEvents?: boolean;
  consumers?: ConsumerSpec<any>[];
  /** Durable consumers of earlier releases that no longer run: deleted at start, before the consumers start. */
  retiredConsumers?: string[];
  /** Work on a timer (sweeps); runs on every replica, so each job must tolerate running concurrently. */
  jobs?: BackgroundJob[];
  /**
   * Opens what the subgraph holds besides its database and NATS (an SMTP
   * connection pool...) before its consumers start; closed once they and
   * the server have stopped.
   */
  openResources?(env: { config: PlatformConfig; log: Logger }): Promise<SubgraphResources>;
  /**
   * What an entity key field declared as ID must hold for a representation
   * to name anything (else it resolves to null). The shop's ids are UUIDs
   * (`isId`, the default); test fixtures with readable ids say otherwise.
   */
  isKeyId?: (value: unknown) => boolean;
}

/** What `openResources` opened, to be closed when the subgraph stops. */
export interface SubgraphResources {
  close(): Promise<void>;
  /** Routes served beside /health, open to anyone (no shared secret), such as accounts' JWKS. */
  router?: express.Router;
}

export interface RunningSubgraph {
  name: SubgraphId;
  url: string;
  port: number;
  orm: MikroORM;
  statements: StatementCounter;
  nats: NatsConnection | null;
  relay: OutboxRelay | null;
  /** The graphql-ws server at /graphql, when the schema has a Subscription type. */
  subscriptions: SubgraphSubscriptions | null;
  jobs: RunningJobs;
  /** The HTTP server (tests count its connections to check keep-alive reuse). */
  server: http.Server;
  /** Readiness off (/ready 503) while it keeps serving: the first step of a graceful stop. */
  markDraining(): void;
  stop(): Promise<void>;
}

/**
 * Starts a subgraph: opens and migrates its database, connects its events,
 * and serves GraphQL at /graphql (health at /health, readiness at /ready).
 * A schema with a Subscription type is also served over graphql-ws at the
 * same path, its resolvers fed by live NATS events (`ctx.live`).
 */
export async function startSubgraph<L>(
  def: SubgraphDefinition<L>, config: PlatformConfig, options: { port?: number; host?: string; log?: Logger } = {},
): Promise<RunningSubgraph> {
  const log = options.log ?? createLogger(def.name, config.logLevel);
  assertSharedSecretConfigured(config);
  // Names outside SubgraphName (fixtures) simply have no per-name setting: the lookups fall back to the defaults.
  const name = def.name as SubgraphName;
  const port = options.port ?? config.ports[name];
  if (port === undefined) throw new Error(`No port configured for subgraph "${def.name}": pass options.port`);
  const { orm, statements } = await initORM({
    config, dbName: databaseName(config, name), entities: def.entities, migrations: def.migrations, log,
  });
  const schema = buildSubgraphSchema({ typeDefs: def.typeDefs, resolvers: mergeResolvers(def.resolvers) as any });
  guardEntityRepresentations(schema, def.isKeyId);
  const servesSubscriptions = Boolean(schema.getSubscriptionType());

  const needsNats = def.publishesEvents || (def.consumers?.length ?? 0) > 0 || servesSubscriptions;
  let nats: NatsConnection | null = null;
  let relay: OutboxRelay | null = null;
  const consumers: RunningConsumer[] = [];
  const stopObserving: (() => void)[] = [];
  if (needsNats) {
    nats = await connectNats(config, `${def.name}-subgraph`);
    await ensureStream(nats, config.eventPrefix);
    if (def.publishesEvents) {
      relay = new OutboxRelay(orm, jetstream(nats), config.eventPrefix, log, config.outboxPollMs);
      relay.start();
      stopObserving.push(sampleOutboxBacklog(orm, def.name, config.observability.sampleIntervalMs));
    }
  }
  const eventsRecorded = () => relay?.kick();
  const resources = await def.openResources?.({ config, log });
  if (nats) await removeConsumers(nats, config.eventPrefix, def.retiredConsumers ?? []);
  for (const spec of def.consumers ?? []) {
    consumers.push(await startConsumer(orm, nats!, config, spec, log, { afterCommit: eventsRecorded }));
  }

  const app = express();
  app.disable('x-powered-by');
  // An ETag over every GraphQL answer costs a hash of the body and serves no client: the gateway never revalidates.
  app.disable('etag');
  let draining = false;
  app.use(closeConnectionsWhileDraining(() => draining));
  // POST /graphql, every request the gateway sends, is served straight from node:http (no Express on the hot path).
  let servePost: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | null = null;
  const server = http.createServer((req, res) => {
    if (servePost && isPlainGraphQLPost(req)) {
      if (draining) res.setHeader('Connection', 'close');
      if (!fromTrustedCaller(config, req.headers)) { sendJson(res, 403, SHARED_SECRET_REFUSAL_ANSWER); return; }
      servePost(req, res);
      return;
    }
    app(req, res);
  });
  server.keepAliveTimeout = 65_000;
  const apollo = new ApolloServer<SubgraphContext<L>>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    // The process entry point owns SIGTERM/SIGINT and stops everything in order.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }), ApolloServerPluginInlineTraceDisabled(),
      // No subgraph gives @cacheControl hints (the gateway's response cache decides what is public): the default
      // plugin would only wrap every field resolver of the schema to compute a policy that is always "no-store".
      ApolloServerPluginCacheControlDisabled(),
      storableInputPlugin(), errorLoggingPlugin(log),
      graphqlObservabilityPlugin(def.name),
    ],
  });
  await apollo.start();

  const live: SubgraphContext['live'] = (type, filter) => {
    if (!nats) throw new Error(`${def.name} has no NATS connection for live events`);
    return liveEvents(nats, config.eventPrefix, type, filter);
  };
  const contextOf = (identity: Identity, authorization: string | null): SubgraphContext<L> => {
    const em = orm.em.fork();
    return { identity, authorization, em, loaders: def.createLoaders(em, identity), config, log, eventsRecorded, nats, live };
  };
  const contextFor = async (authorization: string | undefined): Promise<SubgraphContext<L>> =>
    contextOf(await identityFromAuthorization(authorization, config), authorization ?? null);
  const subscriptions = servesSubscriptions
    ? serveSubscriptions({ server, schema, log, contextFor, accepts: (req) => fromTrustedCaller(config, req.headers), forEvent: (ctx) => contextOf(ctx.identity, ctx.authorization) })
    : null;
  if (subscriptions) stopObserving.push(reportOpenSubscriptions(def.name, () => subscriptions.stats().operations));

  mountHealth(app, async () => {
    if (draining) throw new Error('shutting down');
    await orm.em.fork().execute('SELECT 1');
    if (nats && nats.isClosed()) throw new Error('NATS connection closed');
  });
  if (resources?.router) app.use(resources.router);
  const httpContextOf = async (req: http.IncomingMessage): Promise<SubgraphContext<L>> => {
    const ctx = contextOf(await identityFromAuthorization(req.headers.authorization, config), req.headers.authorization ?? null);
    ctx.clientIp = requestClientIp(req);
    return ctx;
  };
  servePost = graphQLPostHandler({ apollo, service: def.name, log, contextOf: httpContextOf });
  // Everything else at /graphql (GET, other content types or encodings) as Express and Apollo's integration answer it.
  app.use('/graphql', requireSharedSecret(config), express.json({ limit: BODY_LIMIT_BYTES }), observeHttp(def.name), expressMiddleware(apollo, {
    context: ({ req }) => httpContextOf(req),
  }));
  app.use(requestErrorHandler(log));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, options.host ?? config.subgraphHost, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  const jobs = startJobs(def.jobs ?? [], { orm, config, log, eventsRecorded });
  log.info({ port: actualPort }, `${def.name} subgraph ready`);

  return {
    name: def.name,
    url: `http://127.0.0.1:${actualPort}/graphql`,
    port: actualPort,
    orm,
    statements,
    nats,
    relay,
    subscriptions,
    jobs,
    server,
    markDraining() { draining = true; },
    async stop() {
      // WebSockets first: open sockets would keep the HTTP server from closing.
      await subscriptions?.dispose();
      for (const stop of stopObserving) stop();
      await apollo.stop();
      await jobs.stop();
      for (const c of consumers) await c.stop();
      await relay?.stop();
      await resources?.close();
      await nats?.drain().catch(() => undefined);
      await orm.close(true);
    },
  };
}
