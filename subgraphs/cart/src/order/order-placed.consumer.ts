import { ConsumerSpec, isId } from '@shop/platform';
import { lockCart, orderedUnits, unitArrays } from './ordered-units';

/**
 * A placed order takes what it holds out of the cart it came from: the
 * ordered quantities leave the cart (lines added since stay) and the coupon
 * the order used is taken off, so the customer finds the cart as a shop
 * shows it after "Place order". If the order is cancelled before it is
 * confirmed, `cart-order-cancelled` gives the lines back. An event without
 * lines empties the cart. The inbox makes redelivery change nothing.
 *
 * It took over from `cart-order-confirmed`, which emptied the cart once the
 * order was confirmed: it starts at its creation, so orders placed before
 * it are not taken out of their carts a second time.
 */
export const orderPlacedConsumer: ConsumerSpec<'orders.order.placed'> = {
  name: 'cart-order-placed',
  type: 'orders.order.placed',
  startsAtCreation: true,
  async handle(em, event) {
    const { cartId, lines, couponCode } = event.data ?? {};
    if (!isId(cartId)) return;
    if (!Array.isArray(lines)) {
      if (await lockCart(em, cartId, 'NULL', [])) await em.execute('DELETE FROM cart_lines WHERE cart_id = ?', [cartId]);
      return;
    }
    const coupon = typeof couponCode === 'string' ? couponCode : null;
    if (!await lockCart(em, cartId, 'CASE WHEN coupon_code = ? THEN NULL ELSE coupon_code END', [coupon])) return;
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
      [...unitArrays(orderedUnits(lines)), cartId, cartId]);
  },
};
