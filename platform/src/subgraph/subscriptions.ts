import http from 'node:http';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { SubscribePayload } from 'graphql-ws';
import {
  ExecutionArgs, ExecutionResult, GraphQLError, GraphQLFormattedError, GraphQLSchema, createSourceEventStream, execute,
} from 'graphql';
import { formatError } from '../errors';
import { Logger } from '../logger';
import { mapStream } from '../events/event-stream';
import { SubgraphContext } from './context';
import { GATEWAY_SECRET_REFUSAL } from './trust';
import { requestIdFrom, withRequestId } from '../observability/request-context';

/** What the leak checks read: open sockets and running subscription operations. */
export interface SubscriptionStats { sockets: number; operations: number }

export interface SubgraphSubscriptions {
  stats(): SubscriptionStats;
  /** Closes every socket (their operations end and release their events) and stops accepting new ones. */
  dispose(): Promise<void>;
}

export interface SubscriptionServerOptions<C extends SubgraphContext<any>> {
  server: http.Server;
  schema: GraphQLSchema;
  log: Logger;
  /** The context of one operation, from the caller's Authorization value (verified there, as over HTTP). */
  contextFor(authorization: string | undefined): Promise<C>;
  /** Whether to take a WebSocket connection (the shared secret); refused ones get HTTP 403 before the upgrade. */
  accepts?(request: http.IncomingMessage): boolean;
  /** A context for one event of an operation: same caller, fresh unit of work and loaders. */
  forEvent(operationContext: C): C;
}

/**
 * The caller of one operation. The gateway multiplexes many callers over one
 * connection, so it names each operation's caller in the subscribe payload's
 * `extensions.authorization`; a client connecting directly uses
 * `connectionParams.authorization` as the contract says. Either is a token
 * the subgraph verifies itself: it grants nothing on the gateway's word.
 */
export function authorizationOf(connectionParams: Record<string, unknown> | undefined, payload: SubscribePayload): string | undefined {
  const perOperation = payload.extensions?.authorization;
  if (typeof perOperation === 'string') return perOperation;
  const perConnection = connectionParams?.authorization ?? connectionParams?.Authorization;
  return typeof perConnection === 'string' ? perConnection : undefined;
}

function formatErrors(errors: readonly GraphQLError[], log: Logger): GraphQLFormattedError[] {
  return errors.map((error) => {
    const code = error.extensions?.code;
    if (!code || code === 'INTERNAL_SERVER_ERROR') log.error({ err: error.originalError ?? error, path: error.path }, error.message);
    // As over HTTP, where Apollo Server turns `extensions.http` into the response status and drops it.
    const { http: _status, ...extensions } = error.extensions ?? {};
    return formatError({ ...error.toJSON(), extensions }, error);
  });
}

/**
 * Serves graphql-ws on the subgraph's HTTP server at /graphql, executing
 * against the same schema and with the same authorization as HTTP.
 */
export function serveSubscriptions<C extends SubgraphContext<any>>(options: SubscriptionServerOptions<C>): SubgraphSubscriptions {
  const { server, schema, log, contextFor, forEvent } = options;
  let operations = 0;
  // The request id the gateway gave each operation (its payload's extensions), for the logs of its events.
  const requestIds = new WeakMap<object, string>();

  // graphql-js's own subscribe resolves every event with the one context made
  // at subscribe time; this does the same with a fresh context per event.
  const subscribe = async (args: ExecutionArgs) => {
    const requestId = requestIds.get(args.contextValue as object) ?? requestIdFrom(undefined);
    const source = await withRequestId(requestId, () => createSourceEventStream(args));
    if (!(Symbol.asyncIterator in source)) return source as ExecutionResult;
    operations += 1;
    const events = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    return mapStream(
      events,
      (payload) => withRequestId(requestId, () => execute({ ...args, rootValue: payload, contextValue: forEvent(args.contextValue as C) })),
      () => { operations -= 1; },
    );
  };

  const { accepts } = options;
  const wss = new WebSocketServer({
    server,
    path: '/graphql',
    verifyClient: accepts ? (info, done) => done(accepts(info.req), 403, GATEWAY_SECRET_REFUSAL) : undefined,
  });
  const cleanup = useServer<Record<string, unknown>>({
    schema,
    context: async (ctx, _id, payload) => {
      const context = await contextFor(authorizationOf(ctx.connectionParams, payload));
      requestIds.set(context, requestIdFrom(payload.extensions?.['x-request-id']));
      return context;
    },
    subscribe,
    onNext: (_ctx, _id, _payload, _args, result) => (
      result.errors ? { ...result, errors: formatErrors(result.errors, log) } : undefined
    ),
    onError: (_ctx, _id, _payload, errors) => formatErrors(errors, log),
  }, wss);

  return {
    stats: () => ({ sockets: wss.clients.size, operations }),
    dispose: async () => { await cleanup.dispose(); },
  };
}
