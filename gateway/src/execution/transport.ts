import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { pooledFetch } from './pooled-fetch';

/**
 * Sends a data source's subgraph requests over the pooled node:http
 * transport. Everything else of the data source (headers it forwards,
 * how it maps a failed answer to an error) stays as it is.
 */
export function withPooledTransport<T extends RemoteGraphQLDataSource<any>>(source: T): T {
  source.fetcher = pooledFetch as unknown as T['fetcher'];
  return source;
}
