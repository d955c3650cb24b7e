import { Redis } from 'ioredis';
import { PlatformConfig } from '../config';
import { Logger } from '../logger';

/**
 * A Redis connection for counters shared by every replica. Commands fail at
 * once while Redis is unreachable (no offline queue), so callers fall back
 * to what they keep in memory instead of waiting; one warning is logged per
 * outage and one line when Redis is back.
 */
export function openRedis(config: PlatformConfig, log: Logger): Redis {
  const redis = new Redis(config.redis.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // Long enough for a loaded machine: a timed-out command counts in memory instead, loosening the limit.
    commandTimeout: 3000,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
  });
  let down = false;
  redis.on('error', (err) => {
    if (down) return;
    down = true;
    log.warn({ err: err.message, url: redactedUrl(config.redis.url) }, 'Redis unreachable: rate limits fall back to per-process memory until it is back');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    log.info('Redis reachable again: rate limits are shared by every replica again');
  });
  return redis;
}

function redactedUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
