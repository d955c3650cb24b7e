import { ConsumerSpec, isId, newId } from '@shop/platform';
import { MAX_LINE_QUANTITY } from '../cart-line/quantity';
import { lockCart, orderedUnits, unitArrays } from './ordered-units';

/**
 * An order cancelled before it was confirmed (payment declined, out of
 * stock, reservation expired, or cancelled by the customer while pending)
 * never went through: its lines go back into the cart it came from, added
 * to what the cart holds now (up to the most a line may hold), and its
 * coupon too when the cart has none. An order cancelled after confirmation
 * leaves the cart alone. Events without `cartId` (published before it was
 * added) are skipped.
 */
export const orderCancelledConsumer: ConsumerSpec<'orders.order.cancelled'> = {
  name: 'cart-order-cancelled',
  type: 'orders.order.cancelled',
  concerns: ({ data }) => data?.previousStatus === 'PENDING' && isId(data?.cartId),
  async handle(em, { data }) {
    const units = orderedUnits(data.lines);
    const coupon = typeof data.couponCode === 'string' ? data.couponCode : null;
    if (!await lockCart(em, data.cartId!, 'COALESCE(coupon_code, ?)', [coupon]) || units.size === 0) return;
    // Only products the cart still knows (its projection), so the line's reference holds at commit.
    await em.execute(
      `INSERT INTO cart_lines (id, cart_id, product_id, quantity, added_at)
       SELECT b.id, ?, b.product_id, LEAST(b.quantity, ?), now()
       FROM unnest(?::uuid[], ?::uuid[], ?::int[]) AS b(id, product_id, quantity)
       JOIN products p ON p.product_id = b.product_id
       ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = LEAST(cart_lines.quantity + EXCLUDED.quantity, ?)`,
      [data.cartId, MAX_LINE_QUANTITY, `{${[...units.keys()].map(() => newId()).join(',')}}`, ...unitArrays(units), MAX_LINE_QUANTITY]);
  },
};
