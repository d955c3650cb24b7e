import { SubgraphDefinition, loadTypeDefs } from '@shop/platform';
import { ShippingLoaders, createLoaders } from './context';
import { migrations } from './migrations';
import { ShippingMethodSchema } from './method/shipping-method.entity';
import { shippingMethodResolvers } from './method/shipping-method.resolver';

/** Shipping: the flat-rate shipping methods per country that checkout offers and checks. */
export const shipping: SubgraphDefinition<ShippingLoaders> = {
  name: 'shipping',
  typeDefs: loadTypeDefs(__dirname, '../schema.graphql'),
  resolvers: [shippingMethodResolvers],
  entities: [ShippingMethodSchema],
  migrations,
  createLoaders,
};
