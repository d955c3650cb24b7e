import { Connection, EntityRef, badInput, decodeCursor, isId, pageSize, toConnection } from '@shop/platform';
import { ReviewsContext } from '../context';
import { averageOf } from '../rating/product-rating.entity';
import { Review } from '../review/review.entity';
import { ReviewKeyset } from '../review/review-page.loader';

/**
 * A product the gateway names. Reviews does not know which products exist
 * (the catalog does): any well-formed id is a product, with no reviews
 * until someone writes one; an id that cannot name a product is null.
 */
export function resolveProduct(id: string): EntityRef | null {
  return isId(id) ? { id } : null;
}

/** The product's average rating, null without reviews. */
export function productRating(ctx: ReviewsContext, product: EntityRef): Promise<number | null> {
  return ctx.loaders.rating.load(product.id).then(averageOf);
}

export async function reviewCount(ctx: ReviewsContext, product: EntityRef): Promise<number> {
  return (await ctx.loaders.rating.load(product.id))?.ratingCount ?? 0;
}

function parseAfter(after: string | null | undefined): ReviewKeyset | null {
  const keys = decodeCursor(after);
  if (!keys) return null;
  const [createdAt, id] = keys;
  if (keys.length !== 2 || typeof createdAt !== 'string' || !isId(id) || Number.isNaN(Date.parse(createdAt))) {
    throw badInput('`after` is not a valid cursor', 'after');
  }
  return { createdAt: new Date(createdAt), id };
}

/** A page of the product's reviews, newest first; totalCount is the rating's count, never a COUNT over the reviews. */
export async function productReviews(
  ctx: ReviewsContext, product: EntityRef, args: { first?: number | null; after?: string | null },
): Promise<Connection<Review>> {
  const size = pageSize(args.first);
  const after = parseAfter(args.after);
  const [rows, rating] = await Promise.all([
    ctx.loaders.reviewPage.load({ productId: product.id, limit: size + 1, after }),
    ctx.loaders.rating.load(product.id),
  ]);
  return toConnection(rows, size, rating?.ratingCount ?? 0, (r) => [r.createdAt.toISOString(), r.id]);
}
