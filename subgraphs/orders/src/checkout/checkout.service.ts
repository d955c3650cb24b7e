import { EntityManager } from '@mikro-orm/postgresql';
import { OUTBOX_COLUMNS, SubgraphUnavailableError, UserError, newId, outboxRow, requireViewer, userError, validate } from '@shop/platform';
import { OrdersContext } from '../context';
import { Order } from '../order/order.entity';
import { CheckoutInput, checkoutSchema } from './checkout.validation';
import { CheckoutCart, claimCoupon, fetchCart, fetchShippingMethods } from './checkout.remote';

export interface CheckoutResult { order: Order | null; userErrors: UserError[] }

const fail = (code: string, message: string, field: string[]): CheckoutResult => ({ order: null, userErrors: [userError(code, message, field)] });

/**
 * Places a PENDING order from the caller's cart and answers at once. The
 * whole checkout holds a transaction-scoped advisory lock on (customer,
 * idempotency key), so concurrent calls with one key queue up and all but
 * the first find the order the first created.
 */
export async function checkout(ctx: OrdersContext, input: unknown): Promise<CheckoutResult> {
  const viewer = requireViewer(ctx.identity);
  const checked = validate(checkoutSchema, input);
  if (!checked.ok) return { order: null, userErrors: checked.userErrors };
  const data = checked.data;
  let result: CheckoutResult;
  try {
    result = await ctx.em.transactional(async (em) => {
      await em.execute('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [`${viewer.userId}:${data.idempotencyKey}`]);
      // After the lock: a statement of its own sees the order an earlier holder of the key committed.
      const [found] = await em.execute<{ id: string }[]>(
        'SELECT id FROM orders WHERE customer_id = ? AND idempotency_key = ?', [viewer.userId, data.idempotencyKey]);
      if (found) return { order: await em.findOneOrFail(Order, { id: found.id }), userErrors: [] };
      return placeOrder(ctx, em, viewer.userId, data);
    });
  } catch (e) {
    // Cart, shipping or discounts did not answer: nothing was written, the same key may be sent again.
    if (e instanceof SubgraphUnavailableError) return fail('SERVICE_UNAVAILABLE', e.message, ['input']);
    throw e;
  }
  if (result.order) ctx.eventsRecorded();
  return result;
}

async function placeOrder(ctx: OrdersContext, em: EntityManager, customerId: string, data: CheckoutInput): Promise<CheckoutResult> {
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
  const orderId = newId();
  let discount = 0;
  if (cart.couponCode) {
    const claim = await claimCoupon(ctx.config, orderId, cart.couponCode, cart.subtotal, cart.currency, ctx.authorization);
    if (!claim.valid) return fail(claim.errorCode ?? 'COUPON_INVALID', claim.message ?? 'The coupon cannot be used', ['input', 'cartId']);
    discount = claim.discount;
  }
  const order = await createOrder(em, orderId, customerId, data, cart, discount, method.price.amount);
  return { order, userErrors: [] };
}

/**
 * Writes the order, its lines, its first status and its two events with two
 * statements (the order number, then one INSERT of everything), and returns
 * the order as a plain object, outside the identity map.
 */
async function createOrder(
  em: EntityManager, id: string, customerId: string, data: CheckoutInput, cart: CheckoutCart, discount: number, shippingTotal: number,
): Promise<Order> {
  const [{ n }] = await em.execute<{ n: string }[]>(`SELECT nextval('order_number_seq') AS n`);
  const now = new Date();
  const subtotal = cart.lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);
  const order = Object.assign(new Order(), {
    id, number: `SO-${String(n).padStart(6, '0')}`, customerId, cartId: cart.id, idempotencyKey: data.idempotencyKey,
    status: 'PENDING', currency: cart.currency, subtotal, discount, shippingTotal, total: subtotal - discount + shippingTotal,
    couponCode: cart.couponCode, shippingMethodId: data.shippingMethodId,
    shippingAddress: { id: newId(), ...data.shippingAddress, line2: data.shippingAddress.line2 ?? null },
    cancellationReason: null, placedAt: now, updatedAt: now,
  } satisfies Partial<Order>);
  const lines = cart.lines.map((l, position) => ({
    id: newId(), productId: l.productId, productName: l.name, quantity: l.quantity, unitPrice: l.unitPrice, lineTotal: l.unitPrice * l.quantity, position,
  }));
  const placed = outboxRow('orders.order.placed', {
    orderId: id, number: order.number, customerId, cartId: cart.id, currency: cart.currency, subtotal, discount, shippingTotal,
    total: order.total, couponCode: cart.couponCode, paymentToken: data.paymentToken,
    lines: lines.map((l) => ({ lineId: l.id, productId: l.productId, name: l.productName, quantity: l.quantity, unitPrice: { amount: l.unitPrice, currency: cart.currency } })),
  });
  const pending = outboxRow('orders.order.status-changed', {
    orderId: id, customerId, status: 'PENDING', previousStatus: null, reason: null, at: now.toISOString(),
  });
  // Lines and the history reference the order with deferred foreign keys, checked at commit.
  await em.execute(
    `WITH placed_order AS (
       INSERT INTO orders (id, number, customer_id, cart_id, idempotency_key, status, currency, subtotal, discount, shipping_total, total,
         coupon_code, shipping_method_id, shipping_address, cancellation_reason, placed_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?::jsonb, NULL, ?, ?)
     ), placed_lines AS (
       INSERT INTO order_lines (id, order_id, product_id, product_name, quantity, unit_price, line_total, position)
       VALUES ${lines.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
     ), history AS (
       INSERT INTO order_status_changes (id, order_id, status, reason, at) VALUES (?, ?, 'PENDING', NULL, ?)
     )
     INSERT INTO outbox_events ${OUTBOX_COLUMNS} VALUES ${placed.placeholders}, ${pending.placeholders}`,
    [
      id, order.number, customerId, cart.id, data.idempotencyKey, cart.currency, subtotal, discount, shippingTotal, order.total,
      cart.couponCode, data.shippingMethodId, JSON.stringify(order.shippingAddress), now, now,
      ...lines.flatMap((l) => [l.id, id, l.productId, l.productName, l.quantity, l.unitPrice, l.lineTotal, l.position]),
      newId(), id, now,
      ...placed.params, ...pending.params,
    ]);
  return order;
}
