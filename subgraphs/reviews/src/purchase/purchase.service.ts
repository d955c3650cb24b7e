import { EntityManager } from '@mikro-orm/postgresql';

/** A Postgres array literal of ids already checked with isId (so nothing in them needs quoting). */
export function uuidArray(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
}

/**
 * Records that a customer received the products of an order. Keyed by order
 * and product, so a second delivered event for the same order (or an order
 * holding a product on two lines) adds nothing.
 */
export async function recordPurchases(
  em: EntityManager, purchase: { orderId: string; customerId: string; productIds: string[]; deliveredAt: Date },
): Promise<void> {
  const productIds = [...new Set(purchase.productIds)];
  await em.execute(
    `INSERT INTO purchases (order_id, product_id, customer_id, delivered_at)
     SELECT ?, p.id, ?, ? FROM unnest(?::uuid[]) AS p(id)
     ON CONFLICT (order_id, product_id) DO NOTHING`,
    [purchase.orderId, purchase.customerId, purchase.deliveredAt, uuidArray(productIds)]);
}

/** Whether a delivered order of the customer held the product. */
export async function hasPurchased(em: EntityManager, customerId: string, productId: string): Promise<boolean> {
  const rows = await em.execute('SELECT 1 FROM purchases WHERE customer_id = ? AND product_id = ? LIMIT 1', [customerId, productId]);
  return rows.length > 0;
}
