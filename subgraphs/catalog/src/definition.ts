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
import { stockResolvers } from './stock/stock.resolver';
import { reviewAddedConsumer } from './rating/review-added.consumer';

/**
 * Catalog: products, categories, search and prices in any currency. Keeps
 * copies of inventory's stock and reviews' ratings, so that products answer
 * them (and the inStock filter reads them) without another subgraph.
 */
export const catalog: SubgraphDefinition<CatalogLoaders> = {
  name: 'catalog',
  typeDefs: loadTypeDefs(__dirname, '../schema.graphql'),
  resolvers: [{ DateTime: DateTimeScalar }, productResolvers, productSearchResolvers, categoryResolvers, exchangeRateResolvers, stockResolvers],
  entities: [ProductSchema, CategorySchema, ExchangeRateSchema],
  migrations,
  createLoaders,
  publishesEvents: true,
  consumers: [stockChangedConsumer, reviewAddedConsumer],
};
