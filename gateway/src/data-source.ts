import { RemoteGraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { parseCacheControlHeader } from '@apollo/gateway/dist/datasources/parseCacheControlHeader';
import { GatewayCacheHint, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Headers, Response as FetchResponse } from 'node-fetch';
import { DocumentNode, GraphQLError, parse } from 'graphql';
import { CLIENT_ERROR_CODES, CLIENT_IP_HEADER } from '@shop/platform';
import { DEFAULT_FETCH_SETTINGS, SubgraphAnswer, SubgraphFetchSettings, SubgraphPoster, subgraphPoster } from './subgraph-fetch';
import { unavailableResponse, isUnavailability } from './unavailable';

/** What the gateway keeps of each request: the caller's credentials, passed on untouched, and address. */
export interface GatewayContext { authorization?: string; clientIp?: string }

/**
 * Codes a subgraph may answer about the client's input. Validation and parse
 * failures are about the document the gateway planned, so they stay internal.
 */
const PASSED_ON = new Set([...CLIENT_ERROR_CODES].filter((c) => !c.startsWith('GRAPHQL_') && !c.startsWith('PERSISTED_QUERY')
  && c !== 'OPERATION_RESOLUTION_FAILURE'));

type SubgraphErrorBody = { errors?: { message?: unknown; extensions?: { code?: unknown } }[] };

/**
 * Forwards the caller's Authorization header to the subgraph, which verifies
 * it itself: the gateway grants nothing on its own.
 */
export class AuthForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly subgraph: string;
  private readonly trustHeaders: Record<string, string>;
  private readonly post: SubgraphPoster;

  /**
   * `name` is said in errors when the subgraph is unavailable; `settings` default to the configuration's defaults;
   * `trustHeaders`: the shared secret subgraphs ask of the gateway (none when unset).
   */
  constructor(url: string, options: { name?: string; settings?: SubgraphFetchSettings; trustHeaders?: Record<string, string> } = {}) {
    super({ url });
    this.post = posterFor(options.settings ?? DEFAULT_FETCH_SETTINGS);
    this.subgraph = options.name ?? 'subgraph';
    this.trustHeaders = options.trustHeaders ?? {};
  }

  /**
   * A subgraph that does not answer (down, timed out, overloaded) fails
   * only the fields it owns: the others' data still comes back, with a
   * SUBGRAPH_UNAVAILABLE error at each of its fields.
   */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    try {
      return await this.send(options);
    } catch (e) {
      if (options.kind !== GraphQLDataSourceRequestKind.INCOMING_OPERATION || !isUnavailability(e)) throw e;
      return unavailableResponse(this.subgraph, options.document ?? parseQuietly(options.request.query), options.request.variables);
    }
  }

  /** The headers every request to the subgraph carries, from the caller's request. */
  protected headersFor(context: GatewayContext | undefined): Record<string, string> {
    const headers: Record<string, string> = {};
    if (context?.authorization) headers.authorization = context.authorization;
    Object.assign(headers, this.trustHeaders);
    if (context?.clientIp) headers[CLIENT_IP_HEADER] = context.clientIp;
    return headers;
  }

  /**
   * RemoteGraphQLDataSource's request and answer handling (JSON body, errors
   * by status, the subgraph's Cache-Control restricting the response's
   * cache policy) over the gateway's own transport: the body parsed once,
   * and no fetch Request/Response objects unless the answer is an error.
   */
  private async send(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    if (!request.query) throw new Error('Missing query');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (request.http?.headers) for (const [name, value] of request.http.headers) headers[name] = value;
    Object.assign(headers, this.headersFor(options.context as GatewayContext | undefined));
    const operation = plannedOperation(request.query);
    const answer = await this.post(this.url, headers, requestBody(request, operation.quoted), operation.mutation);
    if (answer.status < 200 || answer.status >= 300) throw await this.errorFromResponse(responseOf(this.url, answer) as unknown as Response);
    const type = headerOf(answer, 'content-type');
    const parsed: unknown = type && (type.startsWith('application/json') || type.startsWith('application/graphql-response+json'))
      ? JSON.parse(answer.body) : answer.body;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`Expected JSON response body, but received: ${parsed}`);
    const policy = options.kind === GraphQLDataSourceRequestKind.INCOMING_OPERATION ? options.incomingRequestContext?.overallCachePolicy : undefined;
    if (policy && 'restrict' in policy) {
      const cacheControl = parseCacheControlHeader(headerOf(answer, 'cache-control'));
      const hint: GatewayCacheHint = { maxAge: 0 };
      const maxAge = cacheControl['max-age'];
      if (typeof maxAge === 'string' && /^[0-9]+$/.test(maxAge)) hint.maxAge = +maxAge;
      if (cacheControl.private === true) hint.scope = 'PRIVATE';
      if (cacheControl.public === true) hint.scope = 'PUBLIC';
      policy.restrict(hint);
    }
    return parsed as GatewayGraphQLResponse;
  }

  /**
   * A subgraph refuses a whole request (HTTP 4xx) when the client's input is
   * bad, e.g. a variable its scalar rejects: that is the client's error, with
   * the subgraph's message, never an internal one. Anything else keeps
   * Apollo's mapping (401, 403 by status; a 5xx or a body that is not
   * GraphQL is internal), and nothing about the subgraph (URL, status, body)
   * reaches the client.
   */
  override async errorFromResponse(response: Response): Promise<GraphQLError> {
    const body = (await response.clone().json().catch(() => null)) as SubgraphErrorBody | null;
    const first = Array.isArray(body?.errors) ? body!.errors[0] : undefined;
    const code = first?.extensions?.code;
    if (response.status >= 400 && response.status < 500 && typeof code === 'string' && PASSED_ON.has(code)
      && typeof first?.message === 'string') {
      return new GraphQLError(first.message, { extensions: { code } });
    }
    // Apollo's own mapping (401 and 403 by status, the rest internal); formatGatewayError drops what it adds about the subgraph.
    return super.errorFromResponse(response);
  }
}

/** A subgraph operation's text as a JSON string, and whether it is a mutation (never retried). */
interface PlannedOperation { quoted: string; mutation: boolean }

/** Subgraph operations seen, by text: a query plan's fetches send the same few texts again and again. */
const MAX_OPERATIONS = 2000;
const operations = new Map<string, PlannedOperation>();

function plannedOperation(query: string): PlannedOperation {
  let known = operations.get(query);
  if (!known) {
    known = { quoted: JSON.stringify(query), mutation: /^\s*mutation\b/.test(query) };
    if (operations.size >= MAX_OPERATIONS) operations.delete(operations.keys().next().value!);
    operations.set(query, known);
  }
  return known;
}

/** The JSON body of a subgraph request (every field but `http`), the operation's text already quoted. */
function requestBody(request: GraphQLDataSourceProcessOptions['request'], quotedQuery: string): string {
  let body = '';
  for (const key of Object.keys(request)) {
    if (key === 'http') continue;
    const value = key === 'query' ? quotedQuery : JSON.stringify((request as Record<string, unknown>)[key]);
    if (value === undefined) continue;
    body += `${body === '' ? '{' : ','}${JSON.stringify(key)}:${value}`;
  }
  return body === '' ? '{}' : `${body}}`;
}

/** One transport (and so one set of keep-alive pools) per settings object: every subgraph of a gateway shares it. */
const posters = new WeakMap<SubgraphFetchSettings, SubgraphPoster>();
function posterFor(settings: SubgraphFetchSettings): SubgraphPoster {
  let poster = posters.get(settings);
  if (!poster) { poster = subgraphPoster(settings); posters.set(settings, poster); }
  return poster;
}

function headerOf(answer: SubgraphAnswer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A fetch Response of an answer, for the error mapping that reads one. */
function responseOf(url: string, answer: SubgraphAnswer): FetchResponse {
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return new FetchResponse(answer.body, { status: answer.status, statusText: answer.statusText, headers, url });
}

/** The subgraph operation the gateway planned (it always parses; undefined only if there is none). */
function parseQuietly(query: string | undefined): DocumentNode | undefined {
  try {
    return query ? parse(query) : undefined;
  } catch {
    return undefined;
  }
}
