import { ConsumerSpec, isId } from '@shop/platform';

const INT4_MAX = 2_147_483_647;
const isVersion = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

/**
 * Keeps the cart's copy of each product's available stock, which addToCart
 * checks against. Only a higher version replaces what is held, so
 * redelivered and out-of-order events are harmless.
 */
export const stockChangedConsumer: ConsumerSpec<'inventory.stock.changed'> = {
  name: 'cart-stock-changed',
  type: 'inventory.stock.changed',
  idempotentByItself: true,
  async handle(em, event) {
    const { productId, available, version } = event.data ?? {};
    if (!isId(productId) || !Number.isInteger(available) || available < 0 || available > INT4_MAX || !isVersion(version)) return;
    await em.execute(
      `INSERT INTO stock (product_id, available, version) VALUES (?, ?, ?)
       ON CONFLICT (product_id) DO UPDATE SET available = EXCLUDED.available, version = EXCLUDED.version
       WHERE stock.version < EXCLUDED.version`,
      [productId, available, version]);
  },
};
