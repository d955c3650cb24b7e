import { ConsumerSpec, applicableStock, newestStock } from '@shop/platform';

/**
 * Keeps the cart's copy of each product's available stock, which addToCart
 * checks against. Only a higher version replaces what is held, so
 * redelivered and out-of-order events are harmless. The events pulled at
 * once are applied with one statement.
 */
export const stockChangedConsumer: ConsumerSpec<'inventory.stock.changed'> = {
  name: 'cart-stock-changed',
  type: 'inventory.stock.changed',
  idempotentByItself: true,
  async handle(em, event) {
    const stock = applicableStock(event.data);
    if (!stock) return;
    const { productId, available, version } = stock;
    await em.execute(
      `INSERT INTO stock (product_id, available, version) VALUES (?, ?, ?)
       ON CONFLICT (product_id) DO UPDATE SET available = EXCLUDED.available, version = EXCLUDED.version
       WHERE stock.version < EXCLUDED.version`,
      [productId, available, version]);
  },
  async handleAll(em, events) {
    const stock = newestStock(events);
    if (!stock.count) return;
    await em.execute(
      `INSERT INTO stock (product_id, available, version)
       SELECT p, a, v FROM unnest(?::uuid[], ?::int[], ?::bigint[]) AS s(p, a, v)
       ON CONFLICT (product_id) DO UPDATE SET available = EXCLUDED.available, version = EXCLUDED.version
       WHERE stock.version < EXCLUDED.version`,
      [stock.productIds, stock.available, stock.versions]);
  },
};
