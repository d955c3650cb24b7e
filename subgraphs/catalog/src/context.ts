import DataLoader from 'dataloader';
import { EntityManager } from '@mikro-orm/postgresql';
import { SubgraphContext } from '@shop/platform';
import { Category } from './category/category.entity';
import { ExchangeRate } from './exchange-rate/exchange-rate.entity';
import { categoryLoader, childrenLoader, copiesLoader, exchangeRateLoader, productBySlugLoader, productLoader } from './read-rows';
import { ProductCopies, ProductView } from './product/product-view';

export interface CatalogLoaders {
  product: DataLoader<string, ProductView | null>;
  productBySlug: DataLoader<string, ProductView | null>;
  /** Stock and rating copies of products that came without them. */
  copies: DataLoader<string, ProductCopies>;
  category: DataLoader<string, Category | null>;
  children: DataLoader<string, Category[]>;
  exchangeRate: DataLoader<string, ExchangeRate | null>;
  /**
   * Rows a statement of this request already read (the listing brings its
   * categories and the rates), by key: fields answer from them at once
   * instead of through a loader's promise.
   */
  known: { category: Map<string, Category>; exchangeRate: Map<string, ExchangeRate> };
}

export type CatalogContext = SubgraphContext<CatalogLoaders>;

/** Request-scoped loaders: every list and nested field reads through them, one statement per tick, as plain rows. */
export function createLoaders(em: EntityManager): CatalogLoaders {
  const knex = em.getKnex();
  return {
    product: productLoader(knex),
    productBySlug: productBySlugLoader(knex),
    copies: copiesLoader(knex),
    category: categoryLoader(knex),
    children: childrenLoader(knex),
    exchangeRate: exchangeRateLoader(knex),
    known: { category: new Map(), exchangeRate: new Map() },
  };
}
