import { ConsumerSpec, StockChangedData, isId } from '@shop/platform';

const INT4_MAX = 2_147_483_647;
const isInt4 = (n: unknown): n is number => Number.isInteger(n) && Math.abs(n as number) <= INT4_MAX;
const isVersion = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

/**
 * Keeps `product_stock`, catalog's projection of inventory's stock, for the
 * inStock filter. An event is applied only when its version is higher than
 * the stored one, so redelivered and out-of-order events are harmless.
 */
export const stockChangedConsumer: ConsumerSpec<'inventory.stock.changed'> = {
  name: 'catalog-stock-changed',
  type: 'inventory.stock.changed',
  idempotentByItself: true,
  async handle(em, event) {
    const { productId, available, version } = (event.data ?? {}) as Partial<StockChangedData>;
    // A payload outside the contract can never be applied; retrying it would change nothing.
    if (!isId(productId) || !isInt4(available) || !isVersion(version)) return;
    await em.execute(
      `INSERT INTO product_stock (product_id, available, version, updated_at) VALUES (?, ?, ?, now())
       ON CONFLICT (product_id) DO UPDATE
       SET available = EXCLUDED.available, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
       WHERE product_stock.version < EXCLUDED.version`,
      [productId, available, version]);
  },
};
