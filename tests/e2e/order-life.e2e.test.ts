import { startStack, Stack } from '../support/stack';
import { registerUser, userWithRole, TestUser } from '../support/users';
import { ADDRESS, CHECKOUT, addToCart, must, productWithStock, shippingMethodId } from '../support/shop';
import { eventually } from '../support/eventually';
import { TestSubscription, subscribe, wsClient } from '../support/ws-client';
import { DELIVER, SHIP } from '../support/shipping';
import { APPROVE_RETURN, REJECT_RETURN, REQUEST_RETURN } from '../support/returns';
import { ADD_REVIEW, ratingsCopied } from '../support/reviews';
import { callsOf } from '../support/payments-refunds';
import { inventorySql } from '../support/inventory';
import { consumersIdle, outboxRelayed, redeliver, storedEvents } from '../support/events';

/**
 * The whole life of an order through the one endpoint, from checkout to the
 * customer's door and back, with a subscriber watching and the mail that a
 * real SMTP server receives.
 */
let stack: Stack;
let admin: TestUser;
const clients: ReturnType<typeof wsClient>[] = [];

const LIVE = `subscription($id: ID!) {
  orderUpdated(id: $id) { status shipment { status carrier trackingNumber } payment { status capturedAmount { amount } refundedAmount { amount } } }
}`;
const ORDER = `query($id: ID!) { order(id: $id) {
  id number status total { amount } lines { id product { id } lineTotal { amount } }
  payment { status capturedAmount { amount } refundedAmount { amount } }
  shipment { status trackingNumber } returns { id status }
} }`;
const STOCK = 'query($id: ID!) { product(id: $id) { stock { available } rating reviews(first: 5) { totalCount edges { node { rating body author { name } } } } } }';

beforeAll(async () => {
  stack = await startStack();
  admin = await userWithRole(stack, 'ADMIN');
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await stack?.stop();
});

/** A customer with a CONFIRMED order of one unit each of two products (20.00 and 10.00 EUR, stock 10 each). */
async function confirmedOrderOfTwo(name: string): Promise<{ customer: TestUser; orderId: string; products: string[]; live: TestSubscription }> {
  const products = [
    await productWithStock(stack, admin, 2000, 10, `${name} lamp`),
    await productWithStock(stack, admin, 1000, 10, `${name} vase`),
  ];
  const customer = await registerUser(stack, `${name} Customer`);
  const { cart } = await addToCart(stack, { productId: products[0], quantity: 1 }, customer.token);
  await addToCart(stack, { cartId: cart.id, productId: products[1], quantity: 1 }, customer.token);
  const placed = await must(stack, CHECKOUT, {
    i: { cartId: cart.id, shippingAddress: ADDRESS, shippingMethodId: await shippingMethodId(stack), paymentToken: 'tok_visa', idempotencyKey: name },
  }, customer.token);
  const orderId = placed.checkout.order.id as string;
  const client = wsClient(stack.gatewayUrl, customer.token);
  clients.push(client);
  const live = subscribe(client, LIVE, { id: orderId });
  await nextStatus(live, 'CONFIRMED');
  return { customer, orderId, products, live };
}

/** Reads pushes until one has `status`; the statuses seen on the way must be in `allowed`. */
async function nextStatus(live: TestSubscription, status: string, allowed: string[] = ['PENDING']): Promise<any> {
  for (;;) {
    const pushed = await live.next(20_000);
    if (pushed.errors) throw new Error(JSON.stringify(pushed.errors));
    const order = (pushed.data as any).orderUpdated;
    if (order.status === status) return order;
    expect(allowed).toContain(order.status);
  }
}

async function order(id: string, token: string): Promise<any> {
  return (await must(stack, ORDER, { id }, token)).order;
}

async function shipAndDeliver(orderId: string, live: TestSubscription): Promise<any> {
  const shipment = (await must(stack, SHIP, { o: orderId, c: 'DHL' }, admin.token)).shipOrder;
  const shipped = await nextStatus(live, 'SHIPPED', []);
  expect(shipped.shipment).toEqual({ status: 'SHIPPED', carrier: 'DHL', trackingNumber: shipment.trackingNumber });
  await must(stack, DELIVER, { o: orderId }, admin.token);
  await nextStatus(live, 'DELIVERED', []);
  return shipment;
}

const ledgerReturns = (productId: string) =>
  inventorySql(stack, "SELECT count(*)::int AS n FROM stock_movements WHERE product_id = ? AND reason = 'RETURN'", [productId]);

describe('the life of an order', () => {
  it('checkout → CONFIRMED → SHIPPED (captured) → DELIVERED → review → return → REFUNDED, stock back, RETURNED', async () => {
    const { customer, orderId, products, live } = await confirmedOrderOfTwo('Life');
    const confirmed = await order(orderId, customer.token);
    expect(confirmed.shipment).toEqual({ status: 'PENDING', trackingNumber: null });
    expect(confirmed.payment.status).toBe('AUTHORIZED');
    const mail = await stack.mail.waitFor((m) => m.to.includes(customer.email) && m.subject.includes(confirmed.number));
    expect(mail.text).toContain(confirmed.number);

    const shipment = await shipAndDeliver(orderId, live);
    const shippedMail = await stack.mail.waitFor((m) => m.to.includes(customer.email) && m.text.includes(shipment.trackingNumber));
    expect(shippedMail.text).toContain('DHL');
    await eventually(async () => (await order(orderId, customer.token)).payment.status === 'CAPTURED', 'payment captured');
    expect((await order(orderId, customer.token)).payment.capturedAmount.amount).toBe(confirmed.total.amount);

    const review = await must(stack, ADD_REVIEW, { p: products[0], r: 5, b: 'Warm light, solid oak.' }, customer.token);
    expect(review.addReview).toMatchObject({ rating: 5, author: { name: 'Life Customer' } });
    await ratingsCopied(stack);
    expect((await must(stack, STOCK, { id: products[0] })).product).toMatchObject({ rating: 5, reviews: { totalCount: 1 } });

    const lineIds = confirmed.lines.map((l: any) => l.id);
    const requested = await must(stack, REQUEST_RETURN, { o: orderId, l: lineIds, r: 'Changed my mind' }, customer.token);
    expect(requested.requestReturn.userErrors).toEqual([]);
    await nextStatus(live, 'RETURN_REQUESTED', []);
    const approved = await must(stack, APPROVE_RETURN, { id: requested.requestReturn.returnRequest.id }, admin.token);
    expect(approved.approveReturn.userErrors).toEqual([]);
    const returned = await nextStatus(live, 'RETURNED', []);
    expect(returned.payment).toEqual({ status: 'REFUNDED', capturedAmount: { amount: confirmed.total.amount }, refundedAmount: { amount: confirmed.total.amount } });
    await live.stop();

    const after = await order(orderId, customer.token);
    expect(after.returns).toEqual([{ id: requested.requestReturn.returnRequest.id, status: 'REFUNDED' }]);
    for (const productId of products) {
      await eventually(async () => (await must(stack, STOCK, { id: productId })).product.stock.available === 10, 'stock back');
    }
    await stack.mail.waitFor((m) => m.to.includes(customer.email) && /refund/i.test(m.subject));
  });

  it('a partial return refunds that line only; a rejected return leaves the payment CAPTURED', async () => {
    const { customer, orderId, products, live } = await confirmedOrderOfTwo('Partial');
    await shipAndDeliver(orderId, live);
    await eventually(async () => (await order(orderId, customer.token)).payment.status === 'CAPTURED', 'payment captured');
    const placed = await order(orderId, customer.token);
    const [lamp, vase] = placed.lines;

    const first = await must(stack, REQUEST_RETURN, { o: orderId, l: [lamp.id], r: 'Too bright' }, customer.token);
    await nextStatus(live, 'RETURN_REQUESTED', []);
    await must(stack, APPROVE_RETURN, { id: first.requestReturn.returnRequest.id }, admin.token);
    await nextStatus(live, 'DELIVERED', []);
    const partly = await order(orderId, customer.token);
    expect(partly.payment).toEqual({ status: 'CAPTURED', capturedAmount: { amount: placed.total.amount }, refundedAmount: { amount: lamp.lineTotal.amount } });
    await eventually(async () => (await must(stack, STOCK, { id: products[0] })).product.stock.available === 10, 'lamp back');
    expect((await must(stack, STOCK, { id: products[1] })).product.stock.available).toBe(9);

    const second = await must(stack, REQUEST_RETURN, { o: orderId, l: [vase.id], r: 'Chipped' }, customer.token);
    await nextStatus(live, 'RETURN_REQUESTED', []);
    const rejected = await must(stack, REJECT_RETURN, { id: second.requestReturn.returnRequest.id, r: 'Damaged by the customer' }, admin.token);
    expect(rejected.rejectReturn.userErrors).toEqual([]);
    await nextStatus(live, 'DELIVERED', []);
    await live.stop();
    const final = await order(orderId, customer.token);
    expect(final.payment).toEqual(partly.payment);
    expect(final.returns.map((r: any) => r.status).sort()).toEqual(['REFUNDED', 'REJECTED']);
    await stack.mail.waitFor((m) => m.to.includes(customer.email) && m.text.includes('Damaged by the customer'));
    expect((await must(stack, STOCK, { id: products[1] })).product.stock.available).toBe(9);
  });

  it('every event delivered twice and two approvals at once: one mail, one capture, one refund, one restock', async () => {
    const { customer, orderId, products, live } = await confirmedOrderOfTwo('Twice');
    await shipAndDeliver(orderId, live);
    const placed = await order(orderId, customer.token);
    const requested = await must(stack, REQUEST_RETURN, { o: orderId, l: placed.lines.map((l: any) => l.id), r: 'Not needed' }, customer.token);
    await nextStatus(live, 'RETURN_REQUESTED', []);
    const returnId = requested.requestReturn.returnRequest.id;
    const approvals = await Promise.all([1, 2].map(() => must(stack, APPROVE_RETURN, { id: returnId }, admin.token)));
    expect(approvals.map((a) => a.approveReturn.returnRequest?.id ?? a.approveReturn.userErrors[0].code)).toContain(returnId);
    await nextStatus(live, 'RETURNED', []);
    await live.stop();

    const mailsBefore = stack.mail.messages.filter((m) => m.to.includes(customer.email)).length;
    for (const name of ['orders', 'shipping', 'payments', 'returns', 'inventory', 'accounts'] as const) await outboxRelayed(stack, name);
    await consumersIdle(stack);
    await redeliver(stack, await storedEvents(stack));
    await consumersIdle(stack);

    expect(callsOf(orderId, 'capture')).toHaveLength(1);
    expect(callsOf(orderId, 'refund')).toHaveLength(1);
    for (const productId of products) {
      expect(await ledgerReturns(productId)).toEqual([{ n: 1 }]);
      expect((await must(stack, STOCK, { id: productId })).product.stock.available).toBe(10);
    }
    expect(stack.mail.messages.filter((m) => m.to.includes(customer.email))).toHaveLength(mailsBefore);
    const after = await order(orderId, customer.token);
    expect(after.status).toBe('RETURNED');
    expect(after.payment.refundedAmount.amount).toBe(placed.total.amount);
  });
});
