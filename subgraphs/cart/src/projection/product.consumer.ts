import { EntityManager } from '@mikro-orm/postgresql';
import { ConsumerSpec, EventEnvelope, isCurrency, isId } from '@shop/platform';

const INT4_MAX = 2_147_483_647;

/**
 * Keeps the cart's copy of a product's name and price. Catalog's product
 * events carry no version, so the event's occurredAt orders them: an event
 * older than the one applied last changes nothing (created arriving after
 * updated included). Redelivery is absorbed by the inbox.
 */
async function project(em: EntityManager, event: EventEnvelope<'catalog.product.created' | 'catalog.product.updated'>): Promise<void> {
  const { productId, name, price } = event.data ?? {};
  const at = new Date(event.occurredAt);
  // A payload outside the contract can never be applied; retrying it would change nothing.
  if (!isId(productId) || typeof name !== 'string' || Number.isNaN(at.getTime())) return;
  if (!Number.isInteger(price?.amount) || price.amount < 0 || price.amount > INT4_MAX || !isCurrency(String(price?.currency))) return;
  await em.execute(
    `INSERT INTO products (product_id, name, price_amount, price_currency, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (product_id) DO UPDATE SET name = EXCLUDED.name, price_amount = EXCLUDED.price_amount,
       price_currency = EXCLUDED.price_currency, updated_at = EXCLUDED.updated_at
     WHERE products.updated_at <= EXCLUDED.updated_at`,
    [productId, name.slice(0, 200), price.amount, price.currency, at]);
}

export const productCreatedConsumer: ConsumerSpec<'catalog.product.created'> = {
  name: 'cart-product-created', type: 'catalog.product.created', handle: project,
};

export const productUpdatedConsumer: ConsumerSpec<'catalog.product.updated'> = {
  name: 'cart-product-updated', type: 'catalog.product.updated', handle: project,
};
