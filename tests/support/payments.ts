import { EventEnvelope, EventMap, newId } from '@shop/platform';
import { TestPaymentProvider, paymentProvider } from '@shop/payments';
import { Stack } from './stack';
import { gql } from './graphql-client';
import { eventually } from './eventually';
import { subgraphSql } from './database';
import { outboxRelayed, publish, storedEvents } from './events';

/** The provider the payments subgraph of this test process uses (the test provider, PAYMENT_PROVIDER unset). */
export const provider = paymentProvider as TestPaymentProvider;

/** Runs SQL against the payments subgraph's own database. */
export function paymentsSql<T = any>(stack: Stack, sql: string, params: unknown[] = []): Promise<T[]> {
  return subgraphSql<T>(stack, 'payments', sql, params);
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

/** Waits until payments' outbox is relayed, then returns the payments.* events about an order in stream order. */
export async function paymentEvents(stack: Stack, orderId: string): Promise<EventEnvelope<'payments.payment.authorized' | 'payments.payment.failed'>[]> {
  await outboxRelayed(stack, 'payments');
  const prefix = `${stack.config.eventPrefix}.payments.`;
  return (await storedEvents<'payments.payment.authorized' | 'payments.payment.failed'>(stack, (subject) => subject.startsWith(prefix)))
    .map((e) => e.event).filter((event) => event.data.orderId === orderId);
}

export const ORDER_PAYMENT = `query($r: [_Any!]!) {
  _entities(representations: $r) { ... on Order { id payment { id status amount { amount currency } failureReason } } }
}`;

/** Order.payment straight at the payments subgraph, as the gateway would ask for it. */
export function orderPayment(stack: Stack, orderIds: string[], token?: string | null) {
  return gql(stack.subgraphs.payments!.url, ORDER_PAYMENT, { r: orderIds.map((id) => ({ __typename: 'Order', id })) }, token);
}
