import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { EventEnvelope, StockChangedData, newId, streamName, subjectOf } from '@shop/platform';
import { Stack } from '../support/stack';

/** Waits, in a bounded loop, until `check` holds. */
export async function eventually(check: () => Promise<boolean>, what = 'condition', ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`${what} not reached`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Runs SQL against the inventory subgraph's own database. */
export function inventorySql<T = any>(stack: Stack, sql: string, params: unknown[] = []): Promise<T[]> {
  return stack.subgraphs.inventory!.orm.em.fork().getConnection().execute(sql, params);
}

/** Publishes catalog.product.created as the catalog would (the JetStream message id is the event id). */
export async function publishProductCreated(stack: Stack, productId = newId()): Promise<EventEnvelope<'catalog.product.created'>> {
  const event: EventEnvelope<'catalog.product.created'> = {
    id: newId(), type: 'catalog.product.created', occurredAt: new Date().toISOString(),
    data: { productId, slug: `p-${productId}`, name: 'Test product', price: { amount: 1999, currency: 'EUR' }, categoryId: null },
  };
  const js = jetstream(await stack.nats());
  await js.publish(subjectOf(stack.config.eventPrefix, event.type), JSON.stringify(event), { msgID: event.id });
  return event;
}

/** A product inventory knows: announced by a catalog event, then waited for. */
export async function knownProduct(stack: Stack): Promise<string> {
  const { data } = await publishProductCreated(stack);
  await eventually(async () => (await inventorySql(stack, 'SELECT 1 FROM products WHERE id = ?', [data.productId])).length === 1, 'product known');
  return data.productId;
}

/** Every inventory.stock.changed event of a product in the test's stream, in stream order. */
export async function stockEvents(stack: Stack, productId: string): Promise<EventEnvelope<'inventory.stock.changed'>[]> {
  const jsm = await jetstreamManager(await stack.nats());
  const stream = streamName(stack.config.eventPrefix);
  const { state } = await jsm.streams.info(stream);
  const subject = subjectOf(stack.config.eventPrefix, 'inventory.stock.changed');
  const events: EventEnvelope<'inventory.stock.changed'>[] = [];
  for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
    const msg = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (msg?.subject !== subject) continue;
    const event = msg.json<EventEnvelope<'inventory.stock.changed'>>();
    if (event.data.productId === productId) events.push(event);
  }
  return events;
}

/** Waits until the outbox is fully relayed, then returns the product's stock events: the stream's final word. */
export async function settledStockEvents(stack: Stack, productId: string): Promise<StockChangedData[]> {
  await eventually(async () => (await inventorySql(stack, 'SELECT 1 FROM outbox_events WHERE published_at IS NULL LIMIT 1')).length === 0, 'outbox relayed');
  return (await stockEvents(stack, productId)).map((e) => e.data);
}

export const SET_STOCK = `mutation($p: ID!, $n: Int!) { setStock(productId: $p, onHand: $n) { productId available inStock onHand reserved } }`;
