import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { EventEnvelope, EventMap, EventType, newId, streamName, subjectOf } from '@shop/platform';
import { TestPaymentProvider, paymentProvider } from '@shop/payments';
import { Stack } from '../support/stack';
import { gql } from '../support/graphql-client';

/** The provider the payments subgraph of this test process uses (the test provider, PAYMENT_PROVIDER unset). */
export const provider = paymentProvider as TestPaymentProvider;

/** Waits, in a bounded loop, until `check` holds. */
export async function eventually(check: () => Promise<boolean>, what = 'condition', ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`${what} not reached`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Runs SQL against the payments subgraph's own database. */
export function paymentsSql<T = any>(stack: Stack, sql: string, params: unknown[] = []): Promise<T[]> {
  return stack.subgraphs.payments!.orm.em.fork().getConnection().execute(sql, params);
}

/** Publishes an event as its producer would; without `msgID` JetStream keeps every copy, as after a redelivery. */
export async function publish<T extends EventType>(
  stack: Stack, type: T, data: EventMap[T], options: { event?: EventEnvelope<T>; msgID?: boolean } = {},
): Promise<EventEnvelope<T>> {
  const event = options.event ?? { id: newId(), type, occurredAt: new Date().toISOString(), data };
  const js = jetstream(await stack.nats());
  await js.publish(subjectOf(stack.config.eventPrefix, type), JSON.stringify(event), options.msgID === false ? {} : { msgID: event.id });
  return event;
}

/** orders.order.placed for a new order of `customerId`, as orders publishes it. */
export function placed(orderId: string, customerId: string, paymentToken: string, total = 2598): EventMap['orders.order.placed'] {
  return {
    orderId, number: 'SO-000001', customerId, cartId: newId(), currency: 'EUR', subtotal: total - 499, discount: 0, shippingTotal: 499, total,
    couponCode: null, paymentToken,
    lines: [{ lineId: newId(), productId: newId(), name: 'Oak Lamp', quantity: 1, unitPrice: { amount: total - 499, currency: 'EUR' } }],
  };
}

export function cancelled(orderId: string, customerId: string, previousStatus = 'PENDING'): EventMap['orders.order.cancelled'] {
  return { orderId, customerId, reason: 'Cancelled by the customer', previousStatus, couponCode: null, lines: [] };
}

export function reserved(orderId: string): EventMap['inventory.stock.reserved'] {
  return { orderId, expiresAt: new Date(Date.now() + 15 * 60_000).toISOString() };
}

/** Publishes the placement and waits until payments holds the order's intent. */
export async function placeOrder(stack: Stack, customerId: string, token: string, total = 2598): Promise<string> {
  const orderId = newId();
  await publish(stack, 'orders.order.placed', placed(orderId, customerId, token, total));
  await eventually(async () => (await paymentsSql(stack, 'SELECT 1 FROM payment_intents WHERE order_id = ?', [orderId])).length === 1, 'intent recorded');
  return orderId;
}

/** The payment rows of an order (at most one, by the schema). */
export function paymentRows(stack: Stack, orderId: string): Promise<any[]> {
  return paymentsSql(stack, 'SELECT * FROM payments WHERE order_id = ?', [orderId]);
}

/** Waits until a durable consumer has acknowledged every message of its subject published so far. */
export async function consumerCaughtUp(stack: Stack, consumer: string): Promise<void> {
  const jsm = await jetstreamManager(await stack.nats());
  const stream = streamName(stack.config.eventPrefix);
  await eventually(async () => {
    const info = await jsm.consumers.info(stream, consumer);
    return info.num_pending === 0 && info.num_ack_pending === 0;
  }, `${consumer} caught up`);
}

/** Waits until payments' outbox is relayed, then returns the payments.* events about an order in stream order. */
export async function paymentEvents(stack: Stack, orderId: string): Promise<EventEnvelope<'payments.payment.authorized' | 'payments.payment.failed'>[]> {
  await eventually(async () => (await paymentsSql(stack, 'SELECT 1 FROM outbox_events WHERE published_at IS NULL LIMIT 1')).length === 0, 'outbox relayed');
  const jsm = await jetstreamManager(await stack.nats());
  const stream = streamName(stack.config.eventPrefix);
  const { state } = await jsm.streams.info(stream);
  const events: EventEnvelope<any>[] = [];
  for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
    const msg = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (!msg?.subject.startsWith(`${stack.config.eventPrefix}.payments.`)) continue;
    const event = msg.json<EventEnvelope<any>>();
    if (event.data.orderId === orderId) events.push(event);
  }
  return events;
}

export const ORDER_PAYMENT = `query($r: [_Any!]!) {
  _entities(representations: $r) { ... on Order { id payment { id status amount { amount currency } failureReason } } }
}`;

/** Order.payment straight at the payments subgraph, as the gateway would ask for it. */
export function orderPayment(stack: Stack, orderIds: string[], token?: string | null) {
  return gql(stack.subgraphs.payments!.url, ORDER_PAYMENT, { r: orderIds.map((id) => ({ __typename: 'Order', id })) }, token);
}
