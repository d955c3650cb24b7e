import { SubgraphDefinition, loadTypeDefs } from '@shop/platform';
import { InventoryLoaders, createLoaders } from './context';
import { migrations } from './migrations';
import { StockLevelSchema } from './stock/stock-level.entity';
import { StockMovementSchema } from './stock/stock-movement.entity';
import { KnownProductSchema } from './product/known-product.entity';
import { stockResolvers } from './stock/stock.resolver';
import { productResolvers } from './product/product.resolver';
import { stockChangedResolvers } from './stock/stock-changed.subscription';
import { productCreatedConsumer } from './product/product-created.consumer';
import { ReservationLineSchema, ReservationSchema } from './reservation/reservation.entity';
import { sagaConsumers } from './reservation/saga.consumers';
import { reservationExpiryJob } from './reservation/expiry.job';
import { returnApprovedConsumer } from './restock/return-approved.consumer';

/** Inventory: stock levels of catalog products, their ledger, and inventory.stock.changed events. */
export const inventory: SubgraphDefinition<InventoryLoaders> = {
  name: 'inventory',
  typeDefs: loadTypeDefs(__dirname, '../schema.graphql'),
  resolvers: [stockResolvers, productResolvers, stockChangedResolvers],
  entities: [KnownProductSchema, StockLevelSchema, StockMovementSchema, ReservationSchema, ReservationLineSchema],
  migrations,
  createLoaders,
  publishesEvents: true,
  consumers: [productCreatedConsumer, ...sagaConsumers, returnApprovedConsumer],
  jobs: [reservationExpiryJob],
};
