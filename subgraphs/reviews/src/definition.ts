import { SubgraphDefinition, loadTypeDefs } from '@shop/platform';
import { ReviewsLoaders, createLoaders } from './context';
import { migrations } from './migrations';
import { PurchaseSchema } from './purchase/purchase.entity';
import { orderDeliveredConsumer } from './purchase/order-delivered.consumer';
import { ReviewSchema } from './review/review.entity';
import { reviewResolvers } from './review/review.resolver';
import { ProductRatingSchema } from './rating/product-rating.entity';
import { productResolvers } from './product/product.resolver';

/** Reviews: what verified purchasers think of products, and each product's rating. */
export const reviews: SubgraphDefinition<ReviewsLoaders> = {
  name: 'reviews',
  typeDefs: loadTypeDefs(__dirname, '../schema.graphql'),
  resolvers: [reviewResolvers, productResolvers],
  entities: [ReviewSchema, ProductRatingSchema, PurchaseSchema],
  migrations,
  createLoaders,
  publishesEvents: true,
  consumers: [orderDeliveredConsumer],
};
