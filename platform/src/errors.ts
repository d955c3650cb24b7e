import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable } from './db/unavailable';

/** A business failure returned as data in a payload's `userErrors`. */
export interface UserError {
  field?: string[] | null;
  message: string;
  code: string;
}

export function userError(code: string, message: string, field?: string[]): UserError {
  return { code, message, field: field ?? null };
}

/**
 * Missing or bad credentials. Raised by a field, so it stays a field error
 * (HTTP 200): the rest of the response, often from other subgraphs, survives.
 */
export function unauthenticated(message = 'Sign in to do this'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } });
}

/** No such thing (for fields that must return one). */
export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'NOT_FOUND' } });
}

/** Signed in, but lacking the rights. */
export function forbidden(message = 'You are not allowed to do this'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

/** Arguments the server refuses whatever the data (bad page size, malformed cursor). */
export function badInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}) } });
}

/**
 * A command refused for a business reason by a mutation whose contract
 * returns the entity itself rather than a payload with `userErrors` (e.g.
 * shipOrder answers `Shipment!`): a client error with a stable code of its
 * own, e.g. ORDER_NOT_SHIPPABLE. `extensions.refused` marks it as meant for
 * clients, so the masking below (in the subgraph and again at the gateway)
 * lets the code through.
 */
export function refused(code: string, message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, refused: true, ...(field ? { field } : {}) } });
}

/** The error codes that are the client's doing: shown to clients as they are. */
export const CLIENT_ERROR_CODES: ReadonlySet<string> = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED',
  'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE', 'BAD_REQUEST', 'NOT_FOUND',
  // Refusals of the gateway's and accounts' abuse limits (README, Operations → Limits).
  'QUERY_TOO_COMPLEX', 'INTROSPECTION_DISABLED', 'PERSISTED_QUERY_NOT_ALLOWED', 'RATE_LIMITED',
]);

/** The code of a field its subgraph could not answer for now (its database refused or dropped the connection): clients may retry. */
export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';
const UNAVAILABLE_MESSAGE = 'Temporarily unavailable, try again shortly';

/**
 * The one place where errors become what clients see: known client errors
 * pass through; anything unexpected is logged by the caller and reduced to
 * a generic message, never a stack trace or an internal detail.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code as string | undefined;
  // SERVICE_UNAVAILABLE is only ever set by the shop, with a message meant for clients (retry shortly).
  if (code && (CLIENT_ERROR_CODES.has(code) || code === SERVICE_UNAVAILABLE || formatted.extensions?.refused === true)) {
    const { stacktrace: _s, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  if (isDatabaseUnavailable(error)) {
    return { message: UNAVAILABLE_MESSAGE, locations: formatted.locations, path: formatted.path, extensions: { code: SERVICE_UNAVAILABLE } };
  }
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
