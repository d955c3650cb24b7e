import DataLoader from 'dataloader';
import { EntityManager } from '@mikro-orm/postgresql';
import { SubgraphContext, byIdLoader, groupLoader } from '@shop/platform';
import { Product } from './product/product.entity';
import { Category } from './category/category.entity';
import { ExchangeRate } from './exchange-rate/exchange-rate.entity';

export interface CatalogLoaders {
  product: DataLoader<string, Product | null>;
  productBySlug: DataLoader<string, Product | null>;
  category: DataLoader<string, Category | null>;
  children: DataLoader<string, Category[]>;
  exchangeRate: DataLoader<string, ExchangeRate | null>;
}

export type CatalogContext = SubgraphContext<CatalogLoaders>;

function byKeyLoader<T extends object>(em: EntityManager, entity: new () => T, key: keyof T & string): DataLoader<string, T | null> {
  return new DataLoader(async (keys) => {
    const rows = await em.find(entity, { [key]: { $in: [...keys] } } as object);
    const map = new Map(rows.map((r) => [String(r[key]), r]));
    return keys.map((k) => map.get(k) ?? null);
  });
}

/** Request-scoped loaders: every list and nested field reads through them, one statement per tick. */
export function createLoaders(em: EntityManager): CatalogLoaders {
  return {
    product: byIdLoader(em, Product),
    productBySlug: byKeyLoader(em, Product, 'slug'),
    category: byIdLoader(em, Category),
    children: groupLoader(em, Category, 'parentId', { name: 'ASC', id: 'ASC' }),
    exchangeRate: byKeyLoader(em, ExchangeRate, 'currency'),
  };
}
