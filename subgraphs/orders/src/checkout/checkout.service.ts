import { EntityManager } from '@mikro-orm/postgresql';
import { OUTBOX_COLUMNS, SubgraphUnavailableError, UserError, idOf, newId, outboxRow, requireViewer, userError, validate } from '@shop/platform';
import { OrdersContext } from '../context';
import { Order } from '../order/order.entity';
import { CheckoutInput, checkoutSchema } from './checkout.validation';
import { CheckoutCart, claimCoupon, fetchCart, fetchShippingMethods } from './checkout.remote';

export interface CheckoutResult { order: Order | null; userErrors: UserError[] }

const fail = (code: string, message: string, field: string[]): CheckoutResult => ({ order: null, userErrors: [userError(code, message, field)] });

/**
 * Places a PENDING order from the caller's cart and answers at once, with no
 * transaction held while cart, shipping and discounts answer. One
 * idempotency key is one order, whatever arrives at once: the order's id is
 * the key's (`idOf`), so concurrent calls claim the coupon for the same
 * order, and the order is written by one statement that does nothing when
 * the key has its order already; every call then answers that order.
 */
export async function checkout(ctx: OrdersContext, input: unknown): Promise<CheckoutResult> {
  const viewer = requireViewer(ctx.identity);
  const checked = validate(checkoutSchema, input);
  if (!checked.ok) return { order: null, userErrors: checked.userErrors };
  const data = checked.data;
  const existing = () => orderOfKey(ctx.em, viewer.userId, data.idempotencyKey);
  const found = await existing();
  if (found) return { order: found, userErrors: [] };
  let result: CheckoutResult | null;
  try {
    result = await placeOrder(ctx, viewer.userId, data);
  } catch (e) {
    // Cart, shipping or discounts did not answer: nothing was written, the same key may be sent again.
    if (e instanceof SubgraphUnavailableError) return fail('SERVICE_UNAVAILABLE', e.message, ['input']);
    throw e;
  }
  if (!result) return { order: await existing(), userErrors: [] };
  if (result.order) ctx.eventsRecorded();
  return result;
}

/** The order a customer placed with this idempotency key, if any. */
async function orderOfKey(em: EntityManager, customerId: string, idempotencyKey: string): Promise<Order | null> {
  // Usually there is none: a plain statement finds that out; the entity is loaded only for a key sent again.
  const [found] = await em.execute<{ id: string }[]>(
    'SELECT id FROM orders WHERE customer_id = ? AND idempotency_key = ?', [customerId, idempotencyKey]);
  return found ? em.findOneOrFail(Order, { id: found.id }) : null;
}

/** The new order, or why there is none; null when a concurrent call with the same key wrote its order first. */
async function placeOrder(ctx: OrdersContext, customerId: string, data: CheckoutInput): Promise<CheckoutResult | null> {
  const cart = await fetchCart(ctx.config, data.cartId, ctx.authorization);
  if (!cart || cart.ownerId !== customerId) return fail('CART_NOT_FOUND', 'You have no cart with this id', ['input', 'cartId']);
  if (cart.lines.length === 0) return fail('CART_EMPTY', 'The cart is empty', ['input', 'cartId']);
  const country = data.shippingAddress.country;
  const method = (await fetchShippingMethods(ctx.config, country)).find((m) => m.id === data.shippingMethodId);
  if (!method) {
    return fail('SHIPPING_METHOD_UNAVAILABLE', `This shipping method does not serve ${country}`, ['input', 'shippingMethodId']);
  }
  if (method.price.currency !== cart.currency) {
    return fail('SHIPPING_METHOD_UNAVAILABLE', `This shipping method is priced in ${method.price.currency}, the cart in ${cart.currency}`, ['input', 'shippingMethodId']);
  }
  const orderId = idOf(`order:${customerId}:${data.idempotencyKey}`);
  let discount = 0;
  if (cart.couponCode) {
    const claim = await claimCoupon(ctx.config, orderId, cart.couponCode, cart.subtotal, cart.currency, ctx.authorization);
    if (!claim.valid) return fail(claim.errorCode ?? 'COUPON_INVALID', claim.message ?? 'The coupon cannot be used', ['input', 'cartId']);
    discount = claim.discount;
  }
  const order = await createOrder(ctx.em, orderId, customerId, data, cart, discount, method.price.amount);
  return order && { order, userErrors: [] };
}

/**
 * Writes the order (numbered from the sequence), its lines, its first status
 * and its two events with one statement, and returns the order as a plain
 * object, outside the identity map; null, writing nothing, when the key has
 * its order already (a concurrent call wrote it).
 */
async function createOrder(
  em: EntityManager, id: string, customerId: string, data: CheckoutInput, cart: CheckoutCart, discount: number, shippingTotal: number,
): Promise<Order | null> {
  const now = new Date();
  const subtotal = cart.lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);
  const order = Object.assign(new Order(), {
    id, number: '', customerId, cartId: cart.id, idempotencyKey: data.idempotencyKey,
    status: 'PENDING', currency: cart.currency, subtotal, discount, shippingTotal, total: subtotal - discount + shippingTotal,
    couponCode: cart.couponCode, shippingMethodId: data.shippingMethodId,
    shippingAddress: { id: newId(), ...data.shippingAddress, line2: data.shippingAddress.line2 ?? null },
    cancellationReason: null, placedAt: now, updatedAt: now,
  } satisfies Partial<Order>);
  const lines = cart.lines.map((l, position) => ({
    id: newId(), productId: l.productId, productName: l.name, quantity: l.quantity, unitPrice: l.unitPrice, lineTotal: l.unitPrice * l.quantity, position,
  }));
  // The number is only known inside the statement: the placed event gets it there (see `num` below).
  const placed = outboxRow('orders.order.placed', {
    orderId: id, number: '', customerId, cartId: cart.id, currency: cart.currency, subtotal, discount, shippingTotal,
    total: order.total, couponCode: cart.couponCode, paymentToken: data.paymentToken,
    lines: lines.map((l) => ({ lineId: l.id, productId: l.productId, name: l.productName, quantity: l.quantity, unitPrice: { amount: l.unitPrice, currency: cart.currency } })),
  });
  const pending = outboxRow('orders.order.status-changed', {
    orderId: id, customerId, status: 'PENDING', previousStatus: null, reason: null, at: now.toISOString(),
  });
  // Lines and the history reference the order with deferred foreign keys, checked at commit. The placed event's
  // row is OUTBOX_COLUMNS with its payload (the third value) given the number; the status change is written
  // from it, so it comes after it in the outbox as it did when both were one VALUES list.
  const [written] = await em.execute<{ number: string }[]>(
    `WITH seq AS (
       SELECT nextval('order_number_seq') AS n
     ), num AS (
       SELECT 'SO-' || CASE WHEN n < 100000 THEN lpad(n::text, 6, '0') ELSE n::text END AS number FROM seq
     ), placed_order AS (
       INSERT INTO orders (id, number, customer_id, cart_id, idempotency_key, status, currency, subtotal, discount, shipping_total, total,
         coupon_code, shipping_method_id, shipping_address, cancellation_reason, placed_at, updated_at)
       SELECT ?, num.number, ?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?::jsonb, NULL, ?, ? FROM num
       ON CONFLICT DO NOTHING RETURNING id, number
     ), placed_lines AS (
       INSERT INTO order_lines (id, order_id, product_id, product_name, quantity, unit_price, line_total, position)
       SELECT l.* FROM (VALUES ${lines.map(() => '(?::uuid, ?::uuid, ?::uuid, ?::varchar, ?::int, ?::int, ?::int, ?::int)').join(', ')}) AS l
       WHERE EXISTS (SELECT 1 FROM placed_order)
     ), history AS (
       INSERT INTO order_status_changes (id, order_id, status, reason, at) SELECT ?, id, 'PENDING', NULL, ? FROM placed_order
     ), placed_event AS (
       INSERT INTO outbox_events ${OUTBOX_COLUMNS}
       SELECT ?, ?, jsonb_set(?::jsonb, '{number}', to_jsonb(number)), ?, NULL, ?, ? FROM placed_order RETURNING id
     ), pending_event AS (
       INSERT INTO outbox_events ${OUTBOX_COLUMNS} SELECT ${pending.selectList} FROM placed_event
     )
     SELECT number FROM placed_order`,
    [
      id, customerId, cart.id, data.idempotencyKey, cart.currency, subtotal, discount, shippingTotal, order.total,
      cart.couponCode, data.shippingMethodId, JSON.stringify(order.shippingAddress), now, now,
      ...lines.flatMap((l) => [l.id, id, l.productId, l.productName, l.quantity, l.unitPrice, l.lineTotal, l.position]),
      newId(), now,
      ...placed.params, ...pending.params,
    ]);
  if (!written) return null;
  const { number } = written;
  order.number = number;
  return order;
}
