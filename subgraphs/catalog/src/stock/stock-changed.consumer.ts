import { CATALOG_COPIES_CHANGED, ConsumerSpec, applicableStock, newestStock } from '@shop/platform';

/**
 * Keeps `product_stock`, catalog's copy of inventory's stock: the inStock
 * filter reads it, and products answer `stock` from it. An event is applied
 * only when its version is higher than the stored one, so redelivered and
 * out-of-order events are harmless. The events pulled at once are applied
 * with one statement; then a notice tells the gateway's response cache.
 */
export const stockChangedConsumer: ConsumerSpec<'inventory.stock.changed'> = {
  name: 'catalog-stock-changed',
  type: 'inventory.stock.changed',
  idempotentByItself: true,
  async handle(em, event, env) {
    const stock = applicableStock(event.data);
    if (!stock) return;
    const { productId, available, onHand, reserved, version } = stock;
    await em.execute(
      `INSERT INTO product_stock (product_id, available, on_hand, reserved, version, updated_at) VALUES (?, ?, ?, ?, ?, now())
       ON CONFLICT (product_id) DO UPDATE
       SET available = EXCLUDED.available, on_hand = EXCLUDED.on_hand, reserved = EXCLUDED.reserved,
         version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
       WHERE product_stock.version < EXCLUDED.version`,
      [productId, available, onHand, reserved, version]);
    env.notice?.(CATALOG_COPIES_CHANGED);
  },
  async handleAll(em, events, env) {
    const stock = newestStock(events);
    if (!stock.count) return;
    await em.execute(
      `INSERT INTO product_stock (product_id, available, on_hand, reserved, version, updated_at)
       SELECT p, a, h, r, v, now() FROM unnest(?::uuid[], ?::int[], ?::int[], ?::int[], ?::bigint[]) AS s(p, a, h, r, v)
       ON CONFLICT (product_id) DO UPDATE
       SET available = EXCLUDED.available, on_hand = EXCLUDED.on_hand, reserved = EXCLUDED.reserved,
         version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
       WHERE product_stock.version < EXCLUDED.version`,
      [stock.productIds, stock.available, stock.onHand, stock.reserved, stock.versions]);
    env.notice?.(CATALOG_COPIES_CHANGED);
  },
};
