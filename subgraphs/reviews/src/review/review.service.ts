import { EntityManager } from '@mikro-orm/postgresql';
import { newId, recordEvent, requireViewer } from '@shop/platform';
import { ReviewsContext } from '../context';
import { hasPurchased } from '../purchase/purchase.service';
import { Review, reviewFromRow } from './review.entity';
import { alreadyReviewed, notAVerifiedPurchase } from './review.errors';
import { ReviewInput, parseReviewInput } from './review.validation';

/** The review, or null when the customer had reviewed the product already (the unique index decides, also between concurrent calls). */
async function insertReview(em: EntityManager, authorId: string, input: ReviewInput): Promise<Review | null> {
  const rows = await em.execute(
    `INSERT INTO reviews (id, product_id, author_id, rating, body, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (product_id, author_id) DO NOTHING
     RETURNING id, product_id, author_id, rating, body, created_at`,
    [newId(), input.productId, authorId, input.rating, input.body, new Date()]);
  return rows.length ? reviewFromRow(rows[0]) : null;
}

/** Adds one rating to the product's running count and sum; the row lock orders concurrent reviews of one product. */
async function countRating(em: EntityManager, productId: string, rating: number): Promise<{ ratingCount: number; ratingSum: number }> {
  const [row] = await em.execute(
    `INSERT INTO product_ratings (product_id, rating_count, rating_sum, updated_at) VALUES (?, 1, ?, now())
     ON CONFLICT (product_id) DO UPDATE SET rating_count = product_ratings.rating_count + 1,
       rating_sum = product_ratings.rating_sum + EXCLUDED.rating_sum, updated_at = now()
     RETURNING rating_count, rating_sum`,
    [productId, rating]);
  return { ratingCount: Number(row.rating_count), ratingSum: Number(row.rating_sum) };
}

/**
 * A verified purchaser reviews a product: the review, the product's rating
 * and the reviews.review.added event are written in one transaction.
 */
export async function addReview(ctx: ReviewsContext, args: { productId: string; rating: number; body: string }): Promise<Review> {
  const viewer = requireViewer(ctx.identity);
  const input = parseReviewInput(args);
  const review = await ctx.em.transactional(async (em) => {
    if (!(await hasPurchased(em, viewer.userId, input.productId))) throw notAVerifiedPurchase();
    const added = await insertReview(em, viewer.userId, input);
    if (!added) throw alreadyReviewed();
    const { ratingCount, ratingSum } = await countRating(em, input.productId, input.rating);
    recordEvent(em, 'reviews.review.added', {
      reviewId: added.id, productId: added.productId, authorId: added.authorId, rating: added.rating,
      ratingAverage: ratingSum / ratingCount, ratingCount,
    });
    return added;
  });
  ctx.eventsRecorded();
  return review;
}
