import { EventEnvelope, EventMap, newId } from '@shop/platform';
import { ProviderCall } from '@shop/payments';
import { Stack } from './stack';
import { TestUser } from './users';
import { ADDRESS, CHECKOUT, addToCart, must, productWithStock, settledOrder, shippingMethodId } from './shop';
import { outboxRelayed, storedEvents } from './events';
import { provider } from './payments';

/** An order confirmed through the gateway: its payment is AUTHORIZED. */
export interface ConfirmedOrder {
  orderId: string;
  customer: TestUser;
  total: number;
  lines: { id: string; productId: string; quantity: number; lineTotal: number }[];
}

const ORDER_LINES = `query($id: ID!) { order(id: $id) { total { amount } lines { id quantity product { id } lineTotal { amount } } } }`;

/** Checks out one cart of `items` (price, quantity) through the gateway and waits until the order is CONFIRMED. */
export async function confirmedOrder(
  stack: Stack, admin: TestUser, customer: TestUser, items: { price: number; quantity: number }[],
): Promise<ConfirmedOrder> {
  let cartId: string | undefined;
  for (const item of items) {
    const productId = await productWithStock(stack, admin, item.price, 10);
    cartId = (await addToCart(stack, { cartId, productId, quantity: item.quantity }, customer.token)).cart.id;
  }
  const placed = await must(stack, CHECKOUT, {
    i: { cartId, shippingAddress: ADDRESS, shippingMethodId: await shippingMethodId(stack), paymentToken: 'tok_visa', idempotencyKey: newId() },
  }, customer.token);
  const orderId = placed.checkout.order.id as string;
  const settled = await settledOrder(stack, orderId, customer.token);
  if (settled.status !== 'CONFIRMED') throw new Error(`order ${orderId} is ${settled.status}`);
  const { order } = await must(stack, ORDER_LINES, { id: orderId }, customer.token);
  return {
    orderId, customer, total: order.total.amount,
    lines: order.lines.map((l: any) => ({ id: l.id, productId: l.product.id, quantity: l.quantity, lineTotal: l.lineTotal.amount })),
  };
}

/** shipping.shipment.shipped for an order, as shipping publishes it. */
export function shipped(orderId: string, customerId: string): EventMap['shipping.shipment.shipped'] {
  return {
    shipmentId: newId(), orderId, orderNumber: 'SO-000001', customerId, carrier: 'DHL', trackingNumber: `JD${Date.now()}`, at: new Date().toISOString(),
  };
}

/** returns.return.approved for some lines of an order, as returns publishes it. */
export function approved(
  order: { orderId: string; customerId: string; lines: { id: string; productId: string; quantity: number }[] },
  refund: number, final: boolean, returnId = newId(),
): EventMap['returns.return.approved'] {
  return {
    returnId, orderId: order.orderId, customerId: order.customerId,
    lines: order.lines.map((l) => ({ lineId: l.id, productId: l.productId, quantity: l.quantity })),
    refundAmount: { amount: refund, currency: 'EUR' }, final,
  };
}

/** The provider calls of one method about an order. */
export function callsOf<M extends ProviderCall['method']>(orderId: string, method: M): Extract<ProviderCall, { method: M }>[] {
  return provider.callsFor(orderId, method) as Extract<ProviderCall, { method: M }>[];
}

type CaptureOrRefund = 'payments.payment.captured' | 'payments.payment.refunded';

/** Waits until payments' outbox is relayed, then returns its capture and refund events about an order, in stream order. */
export async function moneyEvents(stack: Stack, orderId: string): Promise<EventEnvelope<CaptureOrRefund>[]> {
  await outboxRelayed(stack, 'payments');
  const subjects = new Set(['payments.payment.captured', 'payments.payment.refunded'].map((t) => `${stack.config.eventPrefix}.${t}`));
  return (await storedEvents<CaptureOrRefund>(stack, (s) => subjects.has(s))).map((e) => e.event).filter((e) => e.data.orderId === orderId);
}

export const ORDER_MONEY = `query($id: ID!) { order(id: $id) { id payment { id status amount { amount currency } capturedAmount { amount currency } refundedAmount { amount currency } } } }`;
