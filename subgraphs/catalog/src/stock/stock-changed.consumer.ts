import type { EntityManager } from '@mikro-orm/postgresql';
import { CATALOG_COPIES_CHANGED, ConsumerEnv, ConsumerSpec, EventEnvelope, newestStock } from '@shop/platform';

/** One statement for the newest stock of each product among `events`, then a notice for the gateway's response cache. */
async function applyStock(em: EntityManager, events: EventEnvelope<'inventory.stock.changed'>[], env: ConsumerEnv): Promise<void> {
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
}

/**
 * Keeps `product_stock`, catalog's copy of inventory's stock: the inStock
 * filter reads it, and products answer `stock` from it. An event is applied
 * only when its version is higher than the stored one, so redelivered and
 * out-of-order events are harmless (a payload outside the contract is
 * skipped). The events pulled at once are one statement.
 */
export const stockChangedConsumer: ConsumerSpec<'inventory.stock.changed'> = {
  name: 'catalog-stock-changed',
  type: 'inventory.stock.changed',
  idempotentByItself: true,
  handle: (em, event, env) => applyStock(em, [event], env),
  handleAll: (em, events, env) => applyStock(em, events, env),
};
