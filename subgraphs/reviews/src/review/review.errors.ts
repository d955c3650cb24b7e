import { GraphQLError } from 'graphql';
import { refused } from '@shop/platform';

/** The caller has no delivered order holding the product: only verified purchasers may review it. */
export function notAVerifiedPurchase(): GraphQLError {
  return refused('NOT_A_VERIFIED_PURCHASE', 'Only customers who received this product may review it', 'productId');
}

/** One review per customer and product. */
export function alreadyReviewed(): GraphQLError {
  return refused('ALREADY_REVIEWED', 'You have already reviewed this product', 'productId');
}
