import DataLoader from 'dataloader';
import { EntityManager } from '@mikro-orm/postgresql';
import { SubgraphContext } from '@shop/platform';
import { Product } from './product/product.entity';
import { Category } from './category/category.entity';
import { ExchangeRate } from './exchange-rate/exchange-rate.entity';
import { categoryLoader, childrenLoader, exchangeRateLoader, productBySlugLoader, productLoader } from './read-rows';

export interface CatalogLoaders {
  product: DataLoader<string, Product | null>;
  productBySlug: DataLoader<string, Product | null>;
  category: DataLoader<string, Category | null>;
  children: DataLoader<string, Category[]>;
  exchangeRate: DataLoader<string, ExchangeRate | null>;
}

export type CatalogContext = SubgraphContext<CatalogLoaders>;

/** Request-scoped loaders: every list and nested field reads through them, one statement per tick, as plain rows. */
export function createLoaders(em: EntityManager): CatalogLoaders {
  const knex = em.getKnex();
  return {
    product: productLoader(knex),
    productBySlug: productBySlugLoader(knex),
    category: categoryLoader(knex),
    children: childrenLoader(knex),
    exchangeRate: exchangeRateLoader(knex),
  };
}
