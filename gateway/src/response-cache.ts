import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import type { OperationDefinitionNode } from 'graphql';
import { NatsConnection } from '@nats-io/transport-node';
import { CATALOG_COPIES_CHANGED, Logger, PlatformConfig, connectNats, noticeSubject, subjectOf } from '@shop/platform';
import { GatewayContext } from './data-source';

/**
 * Root fields whose whole answer is public catalog data: the same for every
 * anonymous caller, and changed only by the events below. An anonymous
 * caller sees nothing private anywhere under them (ADMIN-only fields such
 * as `stock.onHand` answer an error to everyone without a token, and an
 * answer with errors is never stored).
 */
const PUBLIC_ROOT_FIELDS = new Set(['products', 'product', 'categories', '__typename']);

/**
 * Every event that changes what those fields answer: prices, products,
 * stock, ratings. Catalog answers stock and ratings from its copies of the
 * last two, so it also sends a notice once a copy has changed: an answer
 * computed between the event and catalog's copy of it is retired too.
 */
export const INVALIDATING_EVENTS = [
  'catalog.product.created', 'catalog.product.updated', 'catalog.exchange-rate.set', 'inventory.stock.changed', 'reviews.review.added',
] as const;

/** A query only of public root fields, without a token: its answer may be shared by every anonymous caller. */
export function cacheable(ctx: GraphQLRequestContext<GatewayContext>): boolean {
  if (ctx.contextValue.authorization) return false;
  const op = ctx.operation as OperationDefinitionNode | undefined;
  if (!op || op.operation !== 'query') return false;
  // Fragments and directives at the root could hide a field: only plain fields are judged.
  return op.selectionSet.selections.every((s) => s.kind === 'Field' && !s.directives?.length && PUBLIC_ROOT_FIELDS.has(s.name.value));
}

export interface ResponseCache {
  plugin: ApolloServerPlugin<GatewayContext>;
  /** Resolves once the cache listens for invalidating events. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Whole answers in Redis under `<prefix>:<generation>:<hash of query,
 * variables, operation name>`. The generation is a Redis counter every
 * replica bumps when it hears an invalidating event on NATS, so an event
 * retires every stored answer at once, on every replica. An answer computed
 * while an event arrived is stored under the generation read before it was
 * computed, which no request reads any more.
 */
export function responseCache(config: PlatformConfig, log: Logger): ResponseCache {
  const { keyPrefix, ttlSeconds } = config.responseCache;
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1, enableOfflineQueue: true, lazyConnect: false });
  redis.on('error', (e) => log.warn({ err: e }, 'response cache: Redis unavailable'));
  const generationKey = `${keyPrefix}:generation`;
  let nats: NatsConnection | null = null;
  const invalidate = () => { redis.incr(generationKey).catch((e) => log.warn({ err: e }, 'response cache: could not invalidate')); };
  const ready = (async () => {
    nats = await connectNats(config, 'gateway-response-cache');
    for (const type of INVALIDATING_EVENTS) {
      nats.subscribe(subjectOf(config.eventPrefix, type), {
        callback: invalidate,
      });
    }
    nats.subscribe(noticeSubject(config.eventPrefix, CATALOG_COPIES_CHANGED), { callback: invalidate });
    await nats.flush();
  })();

  const keyOf = async (ctx: GraphQLRequestContext<GatewayContext>): Promise<string> => {
    const generation = (await redis.get(generationKey)) ?? '0';
    const { query, variables, operationName } = ctx.request;
    const hash = createHash('sha256').update(JSON.stringify([query, variables ?? {}, operationName ?? null])).digest('base64url');
    return `${keyPrefix}:${generation}:${hash}`;
  };

  const plugin: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      let key: string | null = null;
      let hit = false;
      return {
        async responseForOperation(ctx) {
          if (!cacheable(ctx)) return null;
          try {
            key = await keyOf(ctx);
            const stored = await redis.get(key);
            if (!stored) return null;
            hit = true;
            ctx.response.http.headers.set('x-cache', 'HIT');
            return { http: ctx.response.http, body: { kind: 'single', singleResult: JSON.parse(stored) } };
          } catch (e) {
            // Redis down: answer from the subgraphs, uncached.
            log.warn({ err: e }, 'response cache: lookup failed');
            key = null;
            return null;
          }
        },
        async willSendResponse(ctx) {
          if (!key || hit || ctx.response.body.kind !== 'single') return;
          const result = ctx.response.body.singleResult;
          if (result.errors?.length || !result.data) return;
          ctx.response.http.headers.set('x-cache', 'MISS');
          await redis.set(key, JSON.stringify({ data: result.data }), 'EX', ttlSeconds).catch((e) => log.warn({ err: e }, 'response cache: store failed'));
        },
      };
    },
  };
  return {
    plugin,
    ready,
    async stop() {
      await ready.catch(() => undefined);
      await (nats as NatsConnection | null)?.drain().catch(() => undefined);
      redis.disconnect();
    },
  };
}
