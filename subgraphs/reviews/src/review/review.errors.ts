import { GraphQLError } from 'graphql';

/** The caller has no delivered order holding the product: only verified purchasers may review it. */
export function notAVerifiedPurchase(): GraphQLError {
  return new GraphQLError('Only customers who received this product may review it', {
    extensions: { code: 'NOT_A_VERIFIED_PURCHASE', field: 'productId' },
  });
}

/** One review per customer and product. */
export function alreadyReviewed(): GraphQLError {
  return new GraphQLError('You have already reviewed this product', {
    extensions: { code: 'ALREADY_REVIEWED', field: 'productId' },
  });
}
