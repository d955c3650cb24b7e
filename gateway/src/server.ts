import http from 'node:http';
import { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloGateway } from '@apollo/gateway';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import compression from 'compression';
import {
  PlatformConfig, Logger, assertSharedSecretConfigured, closeConnectionsWhileDraining, createLogger, errorLoggingPlugin, gatewaySecretHeaders,
  graphqlObservabilityPlugin, observeHttp, requestErrorHandler, storableInputPlugin, withRequestId,
} from '@shop/platform';
import { GatewayContext } from './data-source';
import { ObservedDataSource } from './observability/observed-data-source';
import { SUPERGRAPH_PATH, routeFor, subgraphsOf, watchedSupergraph } from './supergraph';
import { subgraphFetchSettings } from './subgraph-fetch';
import { serveIde } from './ide';
import { mountHealth } from './health';
import { formatGatewayError } from './errors';
import { operationGuardPlugin } from './operation-guard';
import { checkCustomScalars } from './scalars';
import { GatewaySubscriptions, serveGatewaySubscriptions } from './subscriptions/subscription-server';
import { gatewayDefense } from './limits/defense';
import { clientIpOf } from './limits/caller';
import { responseCache } from './response-cache';
import { inboundDedup } from './execution/inbound-dedup';
import { useGatewayExecutor } from './execution/query-executor';
import { graphqlPostHandler } from './graphql-post';

export interface RunningGateway {
  url: string;
  port: number;
  gateway: ApolloGateway;
  /** graphql-ws at /graphql: subscriptions planned and run by the gateway itself. */
  subscriptions: GatewaySubscriptions;
  /** Readiness off (/ready 503) while it keeps serving: the first step of a graceful stop. */
  markDraining(): void;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  port?: number;
  host?: string;
  log?: Logger;
  /** A fixed supergraph; without it the gateway serves and watches the file `config.gateway.supergraphPath`. */
  supergraphSdl?: string;
}

/**
 * Starts the one endpoint of the shop: GraphQL (and the IDE in a browser) at
 * /graphql over HTTP and over WebSocket (graphql-ws), /health, /ready.
 */
export async function startGateway(config: PlatformConfig, options: GatewayOptions = {}): Promise<RunningGateway> {
  const log = options.log ?? createLogger('gateway', config.logLevel);
  assertSharedSecretConfigured(config);
  // The subgraphs of the schema being served (readiness probes them), replaced on every reload.
  const routes = new Map<string, string>();
  const fetchSettings = subgraphFetchSettings(config);
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl
      ?? watchedSupergraph(config.gateway.supergraphPath ?? SUPERGRAPH_PATH, config.gateway.supergraphPollMs, log),
    buildService: ({ name, url }) => new ObservedDataSource(name, routeFor(config, name, url), {
      settings: fetchSettings, trustHeaders: gatewaySecretHeaders(config),
    }),
  });
  if (config.gateway.executor === 'gateway') useGatewayExecutor(gateway);

  gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    checkCustomScalars(apiSchema);
    routes.clear();
    for (const { name, url } of subgraphsOf(coreSupergraphSdl)) routes.set(name, routeFor(config, name, url));
  });
  const app = express();
  app.disable('x-powered-by');
  let draining = false;
  app.use(closeConnectionsWhileDraining(() => draining));
  // POST /graphql in the common case goes straight to Apollo Server (graphql-post.ts) once it has started; the rest through Express.
  let graphqlPost: ((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | null = null;
  const server = http.createServer((req, res) => {
    if (!graphqlPost?.(req, res)) app(req, res);
  });
  const defense = gatewayDefense(config, log);
  const clientIp = (req: http.IncomingMessage) => clientIpOf(req, config.gatewayLimits.trustedProxyHops);
  // Before apollo.start(), which loads the gateway: the subscription planner must see that first schema.
  const subscriptions = serveGatewaySubscriptions({
    server,
    gateway,
    routeOf: (name, url) => routeFor(config, name, url),
    trustHeaders: gatewaySecretHeaders(config),
    log,
    config,
    defense,
    clientIp,
    execute: async ({ document, source, operationName, variables }, authorization, requestId, ip) => {
      const response = await withRequestId(requestId, () => apollo.executeOperation(
        { query: source ?? document, operationName, variables }, { contextValue: { authorization, clientIp: ip } },
      ));
      if (response.body.kind === 'single') return response.body.singleResult;
      return { errors: [{ message: 'Incremental delivery is not served over WebSocket', extensions: { code: 'BAD_REQUEST' } }] };
    },
  });
  const cache = config.responseCache.enabled ? responseCache(config, log) : null;
  await cache?.ready;
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: formatGatewayError,
    includeStacktraceInErrorResponses: false,
    // Introspection is allowed or refused by the gateway's own setting (limits/defense.ts), not by NODE_ENV.
    introspection: true,
    parseOptions: defense.apollo.parseOptions,
    ...(defense.apollo.persistedQueries ? { persistedQueries: defense.apollo.persistedQueries } : {}),
    // The process entry point owns SIGTERM/SIGINT and stops everything in order.
    stopOnTerminationSignals: false,
    plugins: [
      operationGuardPlugin(),
      ...defense.apollo.plugins,
      storableInputPlugin(),
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      ApolloServerPluginLandingPageDisabled(),
      errorLoggingPlugin(log),
      graphqlObservabilityPlugin('gateway'),
      ...(cache ? [cache.plugin] : []),
    ],
  });
  await apollo.start();

  mountHealth(app, routes, () => draining);
  app.get('/graphql', (req, res, next) => {
    if (config.gatewayLimits.ide && req.accepts(['application/json', 'text/html']) === 'text/html' && !req.query.query) {
      serveIde(req, res);
      return;
    }
    next();
  });
  app.use(compression());
  app.use('/graphql', express.json({ limit: '1mb' }), observeHttp('gateway'), ...(config.gateway.inboundDedup ? [inboundDedup()] : []), expressMiddleware(apollo, {
    context: async ({ req }) => ({ authorization: req.headers.authorization, clientIp: clientIp(req) }),
  }));
  app.use(requestErrorHandler(log));
  // Inbound dedup replays answers through Express's response: with it on, every request takes that path.
  if (!config.gateway.inboundDedup) {
    graphqlPost = graphqlPostHandler({
      apollo, log, draining: () => draining, context: (req) => ({ authorization: req.headers.authorization, clientIp: clientIp(req) }),
    });
  }

  const port = options.port ?? config.gateway.port;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, options.host ?? config.gateway.host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  log.info({ port: actualPort }, 'gateway ready');
  return {
    url: `http://127.0.0.1:${actualPort}/graphql`,
    port: actualPort,
    gateway,
    subscriptions,
    markDraining() { draining = true; },
    async stop() {
      // WebSockets first: open sockets would keep the HTTP server from closing.
      await subscriptions.dispose();
      await apollo.stop();
      await cache?.stop();
    },
  };
}
