import DataLoader from 'dataloader';
import { EntityManager } from '@mikro-orm/postgresql';
import { uuidArray } from '../purchase/purchase.service';
import { Review, reviewFromRow } from './review.entity';

/** Where a page of one product's reviews starts: after this (createdAt, id), newest first. */
export interface ReviewKeyset { createdAt: Date; id: string }

/** One product's page: `limit` reviews after `after` (from the newest when null). */
export interface ReviewPageKey { productId: string; limit: number; after: ReviewKeyset | null }

const keyOf = (k: ReviewPageKey) => `${k.productId}|${k.limit}|${k.after ? `${k.after.createdAt.toISOString()}|${k.after.id}` : ''}`;

/** One statement for the pages of every product that shares a page size and a cursor (usually all of a request). */
async function loadGroup(em: EntityManager, productIds: string[], limit: number, after: ReviewKeyset | null): Promise<Review[]> {
  const rows = await em.execute(
    `SELECT r.id, r.product_id, r.author_id, r.rating, r.body, r.created_at
     FROM unnest(?::uuid[]) AS p(id)
     CROSS JOIN LATERAL (
       SELECT * FROM reviews
       WHERE reviews.product_id = p.id${after ? ' AND (reviews.created_at, reviews.id) < (?, ?)' : ''}
       ORDER BY reviews.created_at DESC, reviews.id DESC
       LIMIT ?
     ) r
     ORDER BY r.product_id, r.created_at DESC, r.id DESC`,
    [uuidArray(productIds), ...(after ? [after.createdAt, after.id] : []), limit]);
  return rows.map(reviewFromRow);
}

/**
 * Pages of reviews per product, newest first (created_at DESC, id DESC):
 * listing 50 products with their reviews costs as many statements as one.
 */
export function reviewPageLoader(em: EntityManager): DataLoader<ReviewPageKey, Review[], string> {
  return new DataLoader(async (keys) => {
    const groups = new Map<string, ReviewPageKey[]>();
    for (const key of keys) {
      const group = keyOf({ ...key, productId: '' });
      groups.set(group, [...(groups.get(group) ?? []), key]);
    }
    const pages = new Map<string, Review[]>();
    await Promise.all([...groups.values()].map(async (group) => {
      const { limit, after } = group[0];
      const reviews = await loadGroup(em, [...new Set(group.map((k) => k.productId))], limit, after);
      for (const key of group) pages.set(keyOf(key), reviews.filter((r) => r.productId === key.productId));
    }));
    return keys.map((key) => pages.get(keyOf(key)) ?? []);
  }, { cacheKeyFn: keyOf });
}
