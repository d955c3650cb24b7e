import { ConsumerSpec, isId } from '@shop/platform';

/**
 * Learns of new products from the catalog. Durable, so products created while
 * inventory was down arrive when it is back; idempotent, so a redelivered
 * event changes nothing.
 */
export const productCreatedConsumer: ConsumerSpec<'catalog.product.created'> = {
  name: 'inventory-product-created',
  type: 'catalog.product.created',
  async handle(em, event) {
    // An id that cannot name a product would fail every redelivery; there is nothing to record.
    if (!isId(event.data?.productId)) return;
    await em.execute('INSERT INTO products (id, created_at) VALUES (?, now()) ON CONFLICT (id) DO NOTHING', [event.data.productId]);
  },
};
