import { Stack } from './stack';
import { TestUser } from './users';
import { ADDRESS, CHECKOUT, addToCart, must, productWithStock, settledOrder, shippingMethodId } from './shop';
import { eventually } from './eventually';
import { gql } from './graphql-client';

export const SHIPMENT_FIELDS = 'id status carrier trackingNumber events { status at note }';

export const SHIP = `mutation($o: ID!, $c: String!) { shipOrder(orderId: $o, carrier: $c) { ${SHIPMENT_FIELDS} } }`;
export const DELIVER = `mutation($o: ID!) { markDelivered(orderId: $o) { ${SHIPMENT_FIELDS} } }`;
export const ORDER_SHIPMENT = `query($id: ID!) { order(id: $id) { id status statusHistory { status reason } shipment { ${SHIPMENT_FIELDS} } } }`;

/** Order.shipment straight at the shipping subgraph, as the gateway would ask for it. */
export function shipmentAtSubgraph(stack: Stack, orderIds: string[], token?: string | null) {
  return gql(stack.subgraphs.shipping!.url, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id shipment { id status } } } }`,
    { r: orderIds.map((id) => ({ __typename: 'Order', id })) }, token);
}

/** A real checkout of one product by `customer`, waited until CONFIRMED and its PENDING shipment exists. */
export async function confirmedOrder(stack: Stack, admin: TestUser, customer: TestUser, productId?: string): Promise<string> {
  const product = productId ?? await productWithStock(stack, admin, 1500, 20);
  const { cart } = await addToCart(stack, { productId: product, quantity: 1 }, customer.token);
  const placed = await must(stack, CHECKOUT, {
    i: { cartId: cart.id, shippingAddress: ADDRESS, shippingMethodId: await shippingMethodId(stack), paymentToken: 'tok_visa', idempotencyKey: `k${Date.now()}${Math.random()}` },
  }, customer.token);
  const orderId = placed.checkout.order.id as string;
  const settled = await settledOrder(stack, orderId, customer.token);
  if (settled.status !== 'CONFIRMED') throw new Error(`order ${orderId} is ${settled.status}`);
  await eventually(async () => (await must(stack, ORDER_SHIPMENT, { id: orderId }, customer.token)).order.shipment, `shipment of ${orderId}`);
  return orderId;
}

/** The order's status as its customer sees it. */
export async function orderStatus(stack: Stack, orderId: string, token: string): Promise<string> {
  return (await must(stack, ORDER_SHIPMENT, { id: orderId }, token)).order.status;
}

/** Waits until the order reaches `status`. */
export function orderReaches(stack: Stack, orderId: string, token: string, status: string): Promise<boolean> {
  return eventually(async () => (await orderStatus(stack, orderId, token)) === status, `order ${orderId} ${status}`);
}
