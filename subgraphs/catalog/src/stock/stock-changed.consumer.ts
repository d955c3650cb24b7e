import { ConsumerSpec, applicableStock, newestStock } from '@shop/platform';

/**
 * Keeps `product_stock`, catalog's projection of inventory's stock, for the
 * inStock filter. An event is applied only when its version is higher than
 * the stored one, so redelivered and out-of-order events are harmless. The
 * events pulled at once are applied with one statement.
 */
export const stockChangedConsumer: ConsumerSpec<'inventory.stock.changed'> = {
  name: 'catalog-stock-changed',
  type: 'inventory.stock.changed',
  idempotentByItself: true,
  async handle(em, event) {
    const stock = applicableStock(event.data);
    if (!stock) return;
    const { productId, available, version } = stock;
    await em.execute(
      `INSERT INTO product_stock (product_id, available, version, updated_at) VALUES (?, ?, ?, now())
       ON CONFLICT (product_id) DO UPDATE
       SET available = EXCLUDED.available, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
       WHERE product_stock.version < EXCLUDED.version`,
      [productId, available, version]);
  },
  async handleAll(em, events) {
    const stock = newestStock(events);
    if (!stock.count) return;
    await em.execute(
      `INSERT INTO product_stock (product_id, available, version, updated_at)
       SELECT p, a, v, now() FROM unnest(?::uuid[], ?::int[], ?::bigint[]) AS s(p, a, v)
       ON CONFLICT (product_id) DO UPDATE
       SET available = EXCLUDED.available, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
       WHERE product_stock.version < EXCLUDED.version`,
      [stock.productIds, stock.available, stock.versions]);
  },
};
