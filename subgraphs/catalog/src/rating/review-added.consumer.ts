import type { EntityManager } from '@mikro-orm/postgresql';
import { CATALOG_COPIES_CHANGED, ConsumerEnv, ConsumerSpec, EventEnvelope, isId } from '@shop/platform';

interface ApplicableRating { productId: string; count: number; average: number }

/** What the copy may apply from a reviews.review.added payload, or null when it is outside the contract (skipped, never retried). */
function applicableRating(data: EventEnvelope<'reviews.review.added'>['data'] | undefined): ApplicableRating | null {
  const { productId, ratingCount, ratingAverage } = data ?? {};
  if (!isId(productId) || !Number.isInteger(ratingCount) || ratingCount! < 1 || ratingCount! > 2_147_483_647) return null;
  if (typeof ratingAverage !== 'number' || !(ratingAverage >= 1 && ratingAverage <= 5)) return null;
  return { productId, count: ratingCount!, average: ratingAverage };
}

/** The newest rating per product (the highest count: reviews are only ever added), in product id order. */
function newestRatings(events: EventEnvelope<'reviews.review.added'>[]): ApplicableRating[] {
  const newest = new Map<string, ApplicableRating>();
  for (const event of events) {
    const rating = applicableRating(event.data);
    if (!rating) continue;
    const held = newest.get(rating.productId);
    if (!held || held.count < rating.count) newest.set(rating.productId, rating);
  }
  return [...newest.values()].sort((a, b) => a.productId.localeCompare(b.productId));
}

const literal = (values: (string | number)[]) => `{${values.join(',')}}`;

/** One statement for the newest rating of each product among `events`, then a notice for the gateway's response cache. */
async function applyRatings(em: EntityManager, events: EventEnvelope<'reviews.review.added'>[], env: ConsumerEnv): Promise<void> {
  const ratings = newestRatings(events);
  if (!ratings.length) return;
  await em.execute(
    `INSERT INTO product_ratings (product_id, rating_count, rating_average, updated_at)
     SELECT p, c, a, now() FROM unnest(?::uuid[], ?::int[], ?::float8[]) AS r(p, c, a)
     ON CONFLICT (product_id) DO UPDATE
     SET rating_count = EXCLUDED.rating_count, rating_average = EXCLUDED.rating_average, updated_at = EXCLUDED.updated_at
     WHERE product_ratings.rating_count < EXCLUDED.rating_count`,
    [literal(ratings.map((r) => r.productId)), literal(ratings.map((r) => r.count)), literal(ratings.map((r) => r.average))]);
  env.notice?.(CATALOG_COPIES_CHANGED);
}

/**
 * Keeps `product_ratings`, catalog's copy of each product's rating. The
 * review count orders the events (it only grows), so a redelivered or late
 * event changes nothing. The events pulled at once are one statement.
 */
export const reviewAddedConsumer: ConsumerSpec<'reviews.review.added'> = {
  name: 'catalog-review-added',
  type: 'reviews.review.added',
  idempotentByItself: true,
  handle: (em, event, env) => applyRatings(em, [event], env),
  handleAll: (em, events, env) => applyRatings(em, events, env),
};
