import { ConsumerSpec, isId } from '@shop/platform';

/**
 * A confirmed order empties the cart it came from: the ordered quantities
 * leave the cart (lines added while the saga ran stay) and the coupon the
 * order used is taken off. An event without lines empties the cart
 * entirely. The inbox makes redelivery change nothing.
 */
export const orderConfirmedConsumer: ConsumerSpec<'orders.order.confirmed'> = {
  name: 'cart-order-confirmed',
  type: 'orders.order.confirmed',
  async handle(em, event) {
    const { cartId, lines, couponCode } = event.data ?? {};
    if (!isId(cartId)) return;
    // The cart row first, as every cart command does (taking the line locks first would deadlock with addToCart):
    // the statement that takes the coupon off locks it.
    if (!Array.isArray(lines)) {
      await em.execute('UPDATE carts SET coupon_code = NULL, updated_at = now() WHERE id = ?', [cartId]);
      await em.execute('DELETE FROM cart_lines WHERE cart_id = ?', [cartId]);
      return;
    }
    await em.execute(
      'UPDATE carts SET coupon_code = CASE WHEN coupon_code = ? THEN NULL ELSE coupon_code END, updated_at = now() WHERE id = ?',
      [typeof couponCode === 'string' ? couponCode : null, cartId]);
    for (const line of lines) {
      if (!isId(line?.productId) || !Number.isInteger(line?.quantity) || line.quantity <= 0) continue;
      // One statement, one snapshot: a line holding at most the ordered units goes, a bigger one keeps the rest.
      await em.execute(
        `WITH gone AS (DELETE FROM cart_lines WHERE cart_id = ? AND product_id = ? AND quantity <= ?)
         UPDATE cart_lines SET quantity = quantity - ? WHERE cart_id = ? AND product_id = ? AND quantity > ?`,
        [cartId, line.productId, line.quantity, line.quantity, cartId, line.productId, line.quantity]);
    }
  },
};
