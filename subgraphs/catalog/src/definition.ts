import { DateTimeScalar, SubgraphDefinition, loadTypeDefs } from '@shop/platform';
import { CatalogLoaders, createLoaders } from './context';
import { migrations } from './migrations';
import { ProductSchema } from './product/product.entity';
import { CategorySchema } from './category/category.entity';
import { ExchangeRateSchema } from './exchange-rate/exchange-rate.entity';
import { productResolvers } from './product/product.resolver';
import { productSearchResolvers } from './search/product-search.resolver';
import { categoryResolvers } from './category/category.resolver';
import { exchangeRateResolvers } from './exchange-rate/exchange-rate.resolver';
import { stockChangedConsumer } from './stock/stock-changed.consumer';

/** Catalog: products, categories, search and prices in any currency; keeps a stock projection for the inStock filter. */
export const catalog: SubgraphDefinition<CatalogLoaders> = {
  name: 'catalog',
  typeDefs: loadTypeDefs(__dirname, '../schema.graphql'),
  resolvers: [{ DateTime: DateTimeScalar }, productResolvers, productSearchResolvers, categoryResolvers, exchangeRateResolvers],
  entities: [ProductSchema, CategorySchema, ExchangeRateSchema],
  migrations,
  createLoaders,
  publishesEvents: true,
  consumers: [stockChangedConsumer],
};
