import http from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import {
  DocumentNode, ExecutionArgs, ExecutionResult, FormattedExecutionResult, GraphQLError, GraphQLFormattedError,
  getOperationAST, getVariableValues, parse, validate,
} from 'graphql';
import { ApolloGateway } from '@apollo/gateway';
import { Logger, PlatformConfig, REQUEST_ID_HEADER, reportOpenSubscriptions, requestIdFrom } from '@shop/platform';
import { formatGatewayError } from '../errors';
import { SubscriptionPlanner } from './planner';
import { UpstreamPool } from './upstream';
import { SubgraphFetcher } from './subgraph-fetch';
import { PlannedSubscription, runSubscription } from './federated-subscription';
import { SharedStreams } from './shared-stream';
import { sharingOf } from './sharing-policy';
import { callerPart, sharingKey } from './sharing-key';
import { GatewayDefense } from '../limits/defense';

/** What leak checks read: all of it returns to 0 once clients are gone. */
export interface SubscriptionStats {
  sockets: number; operations: number; upstreamOperations: number; pendingFetches: number;
  /** Streams shared by subscribers alike (each one upstream operation). */
  sharedStreams: number;
}

export interface GatewaySubscriptions {
  stats(): SubscriptionStats;
  /** Closes client sockets (ending their subscriptions) and the upstream connections. */
  dispose(): Promise<void>;
}

/** Queries and mutations sent over the socket go through the gateway's HTTP pipeline (Apollo Server). */
export type ExecuteThroughGateway = (
  request: { document: DocumentNode; source?: string; operationName?: string; variables?: Record<string, unknown> },
  authorization: string | undefined, requestId: string, clientIp: string | undefined,
) => Promise<FormattedExecutionResult>;

export interface GatewaySubscriptionOptions {
  server: http.Server;
  gateway: ApolloGateway;
  /** Where the deployment reaches a subgraph, given its name and the URL composed into the supergraph. */
  routeOf(name: string, composedUrl: string): string;
  execute: ExecuteThroughGateway;
  log: Logger;
  /** The JWT settings (callers are verified before they share a stream) and `subscriptions`. */
  config: PlatformConfig;
  /** Headers every call to a subgraph carries (the shared secret subgraphs ask of the gateway). */
  trustHeaders?: Record<string, string>;
  /** The gateway's limits; queries and mutations meet them again in Apollo Server. */
  defense: Pick<GatewayDefense, 'apollo' | 'check'>;
  clientIp(req: http.IncomingMessage): string;
}

interface OperationContext {
  authorization?: string; variables?: Record<string, unknown>; requestId?: string; source?: string; clientIp?: string;
  /** The client's socket and graphql-ws id: a shared stream writes to them directly. */
  socket: WebSocket; id: string;
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes, source: error.source, positions: error.positions, path: error.path,
    originalError: error.originalError, extensions: { ...error.extensions, code },
  });
}

/**
 * GraphQL over WebSocket (graphql-ws) on the gateway's own port and path.
 * Register it before Apollo Server starts the gateway, so the planner sees
 * the first schema load. Subscriptions are planned and run here; anything
 * else on the socket goes through Apollo Server.
 */
export function serveGatewaySubscriptions(options: GatewaySubscriptionOptions): GatewaySubscriptions {
  const { server, gateway, log } = options;
  const planner = new SubscriptionPlanner(options.routeOf);
  gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    try {
      planner.update(apiSchema, coreSupergraphSdl);
    } catch (e) {
      log.error({ err: e }, 'subscription planner could not take the new schema; keeping the previous one');
    }
  });
  const upstream = new UpstreamPool(log, options.trustHeaders);
  const fetcher = new SubgraphFetcher(options.trustHeaders);
  const services = { upstream, fetcher, urlOf: (name: string) => planner.urlOf(name) };
  let operations = 0;
  const ended = () => { operations -= 1; };

  // Errors are masked and logged exactly as over HTTP; Apollo's results arrive already formatted.
  const format = (errors: readonly (GraphQLError | GraphQLFormattedError)[]): GraphQLFormattedError[] => errors.map((error) => {
    if (!(error instanceof GraphQLError)) return error;
    const code = error.extensions?.code;
    if (!code || code === 'INTERNAL_SERVER_ERROR') log.error({ err: error.originalError ?? error, path: error.path }, error.message);
    // As over HTTP, where Apollo Server turns `extensions.http` into the response status and drops it.
    const { http: _status, ...extensions } = error.extensions ?? {};
    return formatGatewayError({ ...error.toJSON(), extensions }, error);
  });

  const shared = new SharedStreams({ services, format, maxBufferedBytes: options.config.subscriptions.maxBufferedBytes, log });

  /** Joins the stream of subscribers alike, or runs a stream of its own when the selection allows no sharing. */
  const start = async (sub: PlannedSubscription, context: OperationContext) => {
    const sharing = options.config.subscriptions.sharing ? sharingOf(sub.schema, sub.document) : { shared: false as const };
    if (!sharing.shared) return runSubscription(sub, services, ended);
    const caller = await callerPart(sharing.dependsOn, sub.authorization, options.config);
    const key = sharingKey(caller, sub.document, sub.operationName, sub.variables);
    return shared.join(key, sub, sharing.dependsOn !== 'public', context.socket, context.id, ended);
  };

  const wss = new WebSocketServer({ server, path: '/graphql' });
  const cleanup = useServer<Record<string, unknown>, { socket: WebSocket }>({
    onSubscribe: async (ctx, id, payload) => {
      const schema = planner.apiSchema;
      if (!schema) return [new GraphQLError('The gateway has not loaded its schema yet', { extensions: { code: 'SERVICE_UNAVAILABLE' } })];
      let document: DocumentNode;
      try {
        document = parse(payload.query, options.defense.apollo.parseOptions);
      } catch (e) {
        return [withCode(e as GraphQLError, 'GRAPHQL_PARSE_FAILED')];
      }
      const invalid = validate(schema, document);
      if (invalid.length > 0) return invalid.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
      const operation = getOperationAST(document, payload.operationName);
      if (!operation) return [new GraphQLError('Name the operation to run', { extensions: { code: 'BAD_REQUEST' } })];
      // graphql-js validation lets an operation on a missing root type through; say it here, not at execution.
      if (!schema.getRootType(operation.operation)) {
        return [new GraphQLError(`The schema has no ${operation.operation} type`, { nodes: operation, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })];
      }
      const variables = payload.variables ?? {};
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
      if (coerced.errors) return coerced.errors.map((e) => withCode(e, 'BAD_USER_INPUT'));
      const auth = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
      // A valid x-request-id on the socket's upgrade request names its operations; otherwise each gets an id of its own.
      const requestId = requestIdFrom(ctx.extra.request.headers[REQUEST_ID_HEADER]);
      const authorization = typeof auth === 'string' ? auth : undefined;
      // Before any stream is joined or started: a refused subscription costs no upstream operation.
      if (operation.operation === 'subscription') {
        const refused = await options.defense.check({ schema, document, operation, variables, source: payload.query, authorization });
        if (refused) return [refused];
      }
      const clientIp = options.clientIp((ctx.extra as { request: http.IncomingMessage }).request);
      const contextValue: OperationContext = {
        authorization, variables, requestId, source: payload.query, clientIp, socket: ctx.extra.socket, id,
      };
      return { schema, document, operationName: payload.operationName, variableValues: coerced.coerced, contextValue };
    },
    subscribe: async (args: ExecutionArgs) => {
      const context = args.contextValue as OperationContext;
      const { authorization, requestId } = context;
      try {
        const node = planner.plan(args.document, args.operationName ?? undefined);
        const variables = (args.variableValues ?? {}) as Record<string, unknown>;
        const sub = { ...args, node, supergraphSchema: planner.supergraphSchema, variables, authorization, requestId };
        const stream = await start(sub, context);
        operations += 1;
        return stream;
      } catch (e) {
        if (e instanceof GraphQLError && e.extensions.code === 'BAD_REQUEST') return { errors: [e] };
        // A valid document the planner cannot plan is the gateway's problem, not the client's.
        return { errors: [new GraphQLError('Could not plan the subscription', { originalError: e as Error, extensions: { code: 'INTERNAL_SERVER_ERROR' } })] };
      }
    },
    execute: async (args: ExecutionArgs) => {
      const { authorization, variables, requestId, source, clientIp } = args.contextValue as OperationContext;
      const request = { document: args.document, source, operationName: args.operationName ?? undefined, variables };
      return (await options.execute(request, authorization, requestId ?? requestIdFrom(undefined), clientIp)) as ExecutionResult;
    },
    onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: format(result.errors) } : undefined),
    onError: (_ctx, _id, _payload, errors) => format(errors),
  }, wss);

  const stopReporting = reportOpenSubscriptions('gateway', () => operations);

  return {
    stats: () => ({
      sockets: wss.clients.size, operations, upstreamOperations: upstream.active, pendingFetches: fetcher.pending, sharedStreams: shared.active,
    }),
    async dispose() {
      stopReporting();
      await cleanup.dispose();
      await upstream.dispose();
    },
  };
}
