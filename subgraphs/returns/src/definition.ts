import { SubgraphDefinition, loadTypeDefs } from '@shop/platform';
import { ReturnsLoaders, createLoaders } from './context';
import { migrations } from './migrations';
import { DeliveredLineSchema, DeliveredOrderSchema } from './order/delivered-order.entity';
import { ReturnLineSchema, ReturnRequestSchema } from './return/return-request.entity';
import { orderDeliveredConsumer } from './order/order-delivered.consumer';
import { settlementConsumers } from './return/return.consumers';
import { orderResolvers } from './order/order.resolver';
import { returnResolvers } from './return/return.resolver';

/** Returns: customers send back lines of delivered orders; ADMINs approve or reject; refunds and restocks follow. */
export const returns: SubgraphDefinition<ReturnsLoaders> = {
  name: 'returns',
  typeDefs: loadTypeDefs(__dirname, '../schema.graphql'),
  resolvers: [orderResolvers, returnResolvers],
  entities: [DeliveredOrderSchema, DeliveredLineSchema, ReturnRequestSchema, ReturnLineSchema],
  migrations,
  createLoaders,
  publishesEvents: true,
  consumers: [orderDeliveredConsumer, ...settlementConsumers],
};
