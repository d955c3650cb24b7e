import { ConsumerSpec, isId } from '@shop/platform';

/**
 * A confirmed order empties the cart it came from: the ordered quantities
 * leave the cart (lines added while the saga ran stay) and the coupon the
 * order used is taken off. An event without lines empties the cart
 * entirely. The inbox makes redelivery change nothing. One transaction per
 * event, several at once: the customer's next addToCart usually comes right
 * after the confirmation, and should find the ordered line already gone.
 */
export const orderConfirmedConsumer: ConsumerSpec<'orders.order.confirmed'> = {
  name: 'cart-order-confirmed',
  type: 'orders.order.confirmed',
  async handle(em, event) {
    const { cartId, lines, couponCode } = event.data ?? {};
    if (!isId(cartId)) return;
    // Units per product (well-formed ids and counts only, so they can be sent as array literals).
    const ordered = new Map<string, number>();
    for (const line of Array.isArray(lines) ? lines : []) {
      if (!isId(line?.productId) || !Number.isInteger(line?.quantity) || line.quantity <= 0) continue;
      ordered.set(line.productId, (ordered.get(line.productId) ?? 0) + line.quantity);
    }
    // The cart row is locked first, by a statement of its own, as by every cart command (taking the line locks first
    // would deadlock with addToCart). Only then are the lines read: a statement reads what committed before it
    // started, so lines read in the statement that waited for the lock would miss an add that held it (its line
    // of 2 units would be neither taken down to 1 nor deleted).
    const [locked] = Array.isArray(lines)
      ? await em.execute<{ id: string }[]>(
        'UPDATE carts SET coupon_code = CASE WHEN coupon_code = ? THEN NULL ELSE coupon_code END, updated_at = now() WHERE id = ? RETURNING id',
        [typeof couponCode === 'string' ? couponCode : null, cartId])
      : await em.execute<{ id: string }[]>('UPDATE carts SET coupon_code = NULL, updated_at = now() WHERE id = ? RETURNING id', [cartId]);
    if (!locked) return;
    if (!Array.isArray(lines)) {
      await em.execute('DELETE FROM cart_lines WHERE cart_id = ?', [cartId]);
      return;
    }
    // A line holding at most the ordered units goes, a bigger one keeps the rest: one statement, one snapshot.
    await em.execute(
      `WITH ordered AS (
         SELECT product_id, quantity FROM unnest(?::uuid[], ?::int[]) AS o(product_id, quantity)
       ), gone AS (
         DELETE FROM cart_lines l USING ordered o
         WHERE l.cart_id = ? AND l.product_id = o.product_id AND l.quantity <= o.quantity
       )
       UPDATE cart_lines l SET quantity = l.quantity - o.quantity FROM ordered o
       WHERE l.cart_id = ? AND l.product_id = o.product_id AND l.quantity > o.quantity`,
      [`{${[...ordered.keys()].join(',')}}`, `{${[...ordered.values()].join(',')}}`, cartId, cartId]);
  },
};
