import DataLoader from 'dataloader';
import { EntityManager } from '@mikro-orm/postgresql';
import { SubgraphContext } from '@shop/platform';
import { Cart } from './cart/cart.entity';
import { CartLine } from './cart-line/cart-line.entity';
import { ProjectedProduct } from './projection/product.entity';
import { ProjectedStock } from './projection/stock.entity';
import { ProjectedRate } from './projection/exchange-rate.entity';
import { PricedCart, pricingLoader } from './pricing/cart-pricing';
import { cartRows, cartViewRows, lineRows, ownerCartRows, productRows, stockRows } from './read-rows';

export interface CartLoaders {
  cart: DataLoader<string, Cart | null>;
  /** The cart of a user, by owner id. */
  cartOfOwner: DataLoader<string, Cart | null>;
  lines: DataLoader<string, CartLine[]>;
  product: DataLoader<string, ProjectedProduct | null>;
  stock: DataLoader<string, ProjectedStock | null>;
  /** Exchange rates by currency code; null when none is known. */
  rate: DataLoader<string, ProjectedRate | null>;
  /** A cart's lines with current prices and its subtotal, computed once per request. */
  pricing: DataLoader<string, PricedCart>;
  /** A cart read with its lines and their products in one statement (priming the loaders above), for answers that show the lines. */
  cartView: DataLoader<string, Cart | null>;
}

export type CartContext = SubgraphContext<CartLoaders>;

function byColumnLoader<T extends object>(em: EntityManager, entity: new () => T, key: keyof T & string): DataLoader<string, T | null> {
  return new DataLoader(async (keys) => {
    const rows = await em.find(entity, { [key]: { $in: [...keys] } } as object);
    const map = new Map(rows.map((r) => [String(r[key]), r]));
    return keys.map((k) => map.get(k) ?? null);
  });
}

/** Request-scoped loaders: every cart, line, product, stock and rate read goes through them, one statement per tick (plain rows but the rates). */
export function createLoaders(em: EntityManager): CartLoaders {
  const loaders: Omit<CartLoaders, 'pricing' | 'cartView'> = {
    cart: cartRows(em),
    cartOfOwner: ownerCartRows(em),
    lines: lineRows(em),
    product: productRows(em),
    stock: stockRows(em),
    rate: byColumnLoader(em, ProjectedRate, 'currency'),
  };
  return { ...loaders, pricing: pricingLoader(loaders), cartView: cartViewRows(em, loaders) };
}

/**
 * After a command wrote with SQL, the rest of the request (the payload, a
 * second mutation of the same document) must read what is now stored, not
 * what this request's identity map and loaders cached before the write.
 */
export function refreshView(ctx: CartContext): void {
  ctx.em.clear();
  ctx.loaders = createLoaders(ctx.em);
}
