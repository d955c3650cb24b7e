import { EntityManager } from '@mikro-orm/postgresql';
import { ConsumerSpec, InboxClaim, NO_INBOX, isId } from '@shop/platform';
import { lockCart, orderedUnits, unitArrays } from './ordered-units';

/**
 * Takes the ordered units out of the cart in one statement: the cart row is
 * locked first (as by every cart command; lines first would deadlock with
 * addToCart) and its coupon taken off if it is the order's; then a line
 * holding at most the ordered units goes and a bigger one keeps the rest.
 * A line an add grew while holding the cart is seen as the add left it:
 * the DELETE re-checks the rows it waited for, and the UPDATE, which takes
 * every ordered line the DELETE did not, applies to the row's newest
 * version. With `inbox` (outside a transaction) an event handled before
 * changes nothing, and the statement claims the event.
 */
async function takeOut(em: EntityManager, cartId: string, lines: unknown, coupon: string | null, inbox: InboxClaim = NO_INBOX): Promise<void> {
  await em.execute(
    `WITH ${inbox.seenCte}locked AS (
       UPDATE carts SET coupon_code = CASE WHEN coupon_code = ? THEN NULL ELSE coupon_code END, updated_at = now()
       WHERE id = ? ${inbox.unseen} RETURNING id
     ), ordered AS (
       SELECT o.product_id, o.quantity FROM unnest(?::uuid[], ?::int[]) AS o(product_id, quantity) WHERE EXISTS (SELECT 1 FROM locked)
     ), gone AS (
       DELETE FROM cart_lines l USING ordered o
       WHERE l.cart_id = ? AND l.product_id = o.product_id AND l.quantity <= o.quantity RETURNING l.id
     ), kept AS (
       UPDATE cart_lines l SET quantity = l.quantity - o.quantity FROM ordered o
       WHERE l.cart_id = ? AND l.product_id = o.product_id AND l.id NOT IN (SELECT id FROM gone)
     )${inbox.claimCte('locked')}
     SELECT 1`,
    [...inbox.seenParams, coupon, cartId, ...unitArrays(orderedUnits(lines)), cartId, cartId, ...inbox.claimParams]);
}

/**
 * A placed order takes what it holds out of the cart it came from: the
 * ordered quantities leave the cart (lines added since stay) and the coupon
 * the order used is taken off, so the customer finds the cart as a shop
 * shows it after "Place order". If the order is cancelled before it is
 * confirmed, `cart-order-cancelled` gives the lines back. An event without
 * lines empties the cart. The usual event is one statement outside a
 * transaction, claiming its inbox row itself; redelivery changes nothing.
 *
 * It took over from `cart-order-confirmed`, which emptied the cart once the
 * order was confirmed: it starts at its creation, so orders placed before
 * it are not taken out of their carts a second time.
 */
export const orderPlacedConsumer: ConsumerSpec<'orders.order.placed'> = {
  name: 'cart-order-placed',
  type: 'orders.order.placed',
  startsAtCreation: true,
  async handleAtOnce(em, { data }, _env, inbox) {
    if (!isId(data?.cartId)) return 'handled';
    if (!Array.isArray(data.lines)) return 'use handle';
    await takeOut(em, data.cartId, data.lines, typeof data.couponCode === 'string' ? data.couponCode : null, inbox);
    return 'handled';
  },
  async handle(em, { data }) {
    const { cartId, lines, couponCode } = data ?? {};
    if (!isId(cartId)) return;
    if (Array.isArray(lines)) {
      await takeOut(em, cartId, lines, typeof couponCode === 'string' ? couponCode : null);
    } else if (await lockCart(em, cartId, 'NULL', [])) {
      await em.execute('DELETE FROM cart_lines WHERE cart_id = ?', [cartId]);
    }
  },
};
