import { SubgraphDefinition, loadTypeDefs } from '@shop/platform';
import { CartLoaders, createLoaders } from './context';
import { migrations } from './migrations';
import { CartSchema } from './cart/cart.entity';
import { CartLineSchema } from './cart-line/cart-line.entity';
import { ProjectedProductSchema } from './projection/product.entity';
import { ProjectedStockSchema } from './projection/stock.entity';
import { ProjectedRateSchema } from './projection/exchange-rate.entity';
import { cartResolvers } from './cart/cart.resolver';
import { cartLineResolvers } from './cart-line/cart-line.resolver';
import { couponResolvers } from './coupon/coupon.resolver';
import { checkoutCartResolvers } from './checkout/checkout-cart.resolver';
import { productCreatedConsumer, productUpdatedConsumer } from './projection/product.consumer';
import { stockChangedConsumer } from './projection/stock.consumer';
import { exchangeRateSetConsumer } from './projection/exchange-rate.consumer';
import { guestCartMergeConsumer } from './merge/guest-cart-merge.consumer';
import { guestCartMergeResolvers } from './merge/guest-cart-merge.resolver';
import { orderPlacedConsumer } from './order/order-placed.consumer';
import { orderCancelledConsumer } from './order/order-cancelled.consumer';

/** Cart: guest and user carts priced from projections of the catalog, stock and rates; merges guest carts at login. */
export const cart: SubgraphDefinition<CartLoaders> = {
  name: 'cart',
  typeDefs: loadTypeDefs(__dirname, '../schema.graphql'),
  resolvers: [cartResolvers, cartLineResolvers, couponResolvers, checkoutCartResolvers, guestCartMergeResolvers],
  entities: [CartSchema, CartLineSchema, ProjectedProductSchema, ProjectedStockSchema, ProjectedRateSchema],
  migrations,
  createLoaders,
  consumers: [
    productCreatedConsumer, productUpdatedConsumer, stockChangedConsumer, exchangeRateSetConsumer,
    guestCartMergeConsumer, orderPlacedConsumer, orderCancelledConsumer,
  ],
  retiredConsumers: ['cart-order-confirmed'],
};
