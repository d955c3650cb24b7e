import { Pool } from 'undici';

/** Idle connections are closed after this long: before a subgraph's keep-alive (65 s) could close one under a request. */
const IDLE_CONNECTION_MS = 60_000;

/** Where a URL is sent: the keep-alive pool of its origin, and the request path. */
export interface PoolTarget { pool: Pool; path: string }

/**
 * Keep-alive connection pools (undici), one per origin, made on first use
 * with `options` and kept for the life of the returned function's owner:
 * every request to that origin shares its pool.
 */
export function keepAlivePools(options: Pool.Options = {}): (url: string) => PoolTarget {
  const pools = new Map<string, Pool>();
  const targets = new Map<string, PoolTarget>();
  return (url) => {
    let target = targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      let pool = pools.get(parsed.origin);
      if (!pool) {
        pool = new Pool(parsed.origin, { keepAliveTimeout: IDLE_CONNECTION_MS, keepAliveMaxTimeout: IDLE_CONNECTION_MS, ...options });
        pools.set(parsed.origin, pool);
      }
      target = { pool, path: parsed.pathname + parsed.search };
      targets.set(url, target);
    }
    return target;
  };
}
