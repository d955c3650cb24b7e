import { badInput, isId } from '@shop/platform';

export const MIN_RATING = 1;
export const MAX_RATING = 5;
export const MAX_BODY_LENGTH = 2000;

/** What addReview stores once its arguments pass. */
export interface ReviewInput { productId: string; rating: number; body: string }

/**
 * Checks addReview's arguments, throwing BAD_USER_INPUT naming the first
 * argument at fault. The body is trimmed; its length counts characters
 * (code points), as the database's char_length does.
 */
export function parseReviewInput(args: { productId: string; rating: number; body: string }): ReviewInput {
  if (!isId(args.productId)) throw badInput('`productId` is not a product id', 'productId');
  if (!Number.isInteger(args.rating) || args.rating < MIN_RATING || args.rating > MAX_RATING) {
    throw badInput(`\`rating\` must be a whole number from ${MIN_RATING} to ${MAX_RATING}`, 'rating');
  }
  const body = args.body.trim();
  if (body.length === 0) throw badInput('`body` must not be empty', 'body');
  if ([...body].length > MAX_BODY_LENGTH) throw badInput(`\`body\` may be at most ${MAX_BODY_LENGTH} characters`, 'body');
  return { productId: args.productId, rating: args.rating, body };
}
