import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { GraphQLError } from 'graphql';

/** A refusal: the client may try again in `retryAfter` seconds. */
export function rateLimited(what: string, retryAfter: number): GraphQLError {
  return new GraphQLError(`Too many ${what}: try again in ${retryAfter} s`, { extensions: { code: 'RATE_LIMITED', retryAfter } });
}

/** Outcome of taking one attempt from a budget. */
export type Attempt = { allowed: true } | { allowed: false; retryAfter: number };

/**
 * A budget of `perMinute` attempts per key and minute, counted in Redis so
 * that every replica shares it. Where Redis fails, each process counts in
 * its own memory with the same budget (rate-limiter-flexible's insurance
 * limiter): the limit loosens by the number of replicas, it never vanishes
 * and never refuses everyone.
 */
export class RateLimit {
  private readonly limiter: RateLimiterRedis;

  constructor(redis: Redis, keyPrefix: string, readonly perMinute: number) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix,
      points: perMinute,
      duration: 60,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix, points: perMinute, duration: 60 }),
    });
  }

  async take(key: string): Promise<Attempt> {
    try {
      await this.limiter.consume(key);
      return { allowed: true };
    } catch (res) {
      if (res instanceof RateLimiterRes) return { allowed: false, retryAfter: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
      throw res;
    }
  }
}
