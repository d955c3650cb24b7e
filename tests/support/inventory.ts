import { EventEnvelope, StockChangedData, newId } from '@shop/platform';
import { Stack } from './stack';
import { eventually } from './eventually';
import { subgraphSql } from './database';
import { outboxRelayed, publish, storedEventsOf } from './events';

export const SET_STOCK = `mutation($p: ID!, $n: Int!) { setStock(productId: $p, onHand: $n) { productId available inStock onHand reserved } }`;

/** Runs SQL against the inventory subgraph's own database. */
export function inventorySql<T = any>(stack: Stack, sql: string, params: unknown[] = []): Promise<T[]> {
  return subgraphSql<T>(stack, 'inventory', sql, params);
}

/** Publishes catalog.product.created as the catalog would (the JetStream message id is the event id). */
export function publishProductCreated(stack: Stack, productId = newId()): Promise<EventEnvelope<'catalog.product.created'>> {
  return publish(stack, 'catalog.product.created',
    { productId, slug: `p-${productId}`, name: 'Test product', price: { amount: 1999, currency: 'EUR' }, categoryId: null });
}

/** A product inventory knows: announced by a catalog event, then waited for. */
export async function knownProduct(stack: Stack): Promise<string> {
  const { data } = await publishProductCreated(stack);
  await eventually(async () => (await inventorySql(stack, 'SELECT 1 FROM products WHERE id = ?', [data.productId])).length === 1, 'product known');
  return data.productId;
}

/** Waits until the outbox is fully relayed, then returns the product's stock events: the stream's final word. */
export async function settledStockEvents(stack: Stack, productId: string): Promise<StockChangedData[]> {
  await outboxRelayed(stack, 'inventory');
  return (await storedEventsOf(stack, 'inventory.stock.changed')).map((e) => e.event.data).filter((data) => data.productId === productId);
}
