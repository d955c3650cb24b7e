import { SubgraphDefinition, loadTypeDefs } from '@shop/platform';
import { OrdersLoaders, createLoaders } from './context';
import { migrations } from './migrations';
import { OrderSchema } from './order/order.entity';
import { OrderLineSchema } from './order/order-line.entity';
import { StatusChangeSchema } from './order/status-change.entity';
import { orderResolvers } from './order/order.resolver';
import { checkoutResolvers } from './checkout/checkout.resolver';
import { orderUpdatesResolvers } from './order/order-updates.subscription';
import { sagaConsumers } from './saga/saga.consumers';
import { fulfilmentConsumers } from './saga/fulfilment.consumers';
import { returnsConsumers } from './saga/returns.consumers';
import { pendingTimeoutJob } from './saga/pending-timeout.job';

/** Orders: checkout and the state of every order, through the checkout saga, shipping and returns. */
export const orders: SubgraphDefinition<OrdersLoaders> = {
  name: 'orders',
  typeDefs: loadTypeDefs(__dirname, '../schema.graphql'),
  resolvers: [orderResolvers, checkoutResolvers, orderUpdatesResolvers],
  entities: [OrderSchema, OrderLineSchema, StatusChangeSchema],
  migrations,
  createLoaders,
  publishesEvents: true,
  consumers: [...sagaConsumers, ...fulfilmentConsumers, ...returnsConsumers],
  jobs: [pendingTimeoutJob],
};
