import { GraphQLFormattedError } from 'graphql';
import { formatError } from '@shop/platform';
import { SUBGRAPH_UNAVAILABLE } from './unavailable';

/**
 * What the gateway adds to a subgraph's error that clients must not see:
 * the subgraph's name and, for a failed fetch, its URL, status and body.
 */
const INTERNAL_EXTENSIONS = ['serviceName', 'response', 'exception'];

/** The platform's masking, after dropping what Apollo gateway adds about subgraphs. */
export function formatGatewayError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const extensions = { ...formatted.extensions };
  for (const key of INTERNAL_EXTENSIONS) delete extensions[key];
  // Said by the gateway itself, with a message that names only the service: clients may retry.
  if (extensions.code === SUBGRAPH_UNAVAILABLE) return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions };
  return formatError({ ...formatted, extensions }, error);
}
