import { ConsumerSpec, isId } from '@shop/platform';

/*
 * The saga's events reach discounts through one durable consumer per type,
 * so they may be handled in any order (confirmed before placed, cancelled
 * before confirmed). Each update is written to be right in every order, and
 * the inbox makes redelivery change nothing. An order placed without a
 * coupon has no redemption to update: its events are acked unread.
 */
const withCoupon = (event: { data?: { couponCode?: string | null } }) => Boolean(event.data?.couponCode);

/** The order exists: its claim is attached (the sweeper leaves it alone), and revived if the sweeper got there first. */
export const orderPlacedConsumer: ConsumerSpec<'orders.order.placed'> = {
  name: 'discounts-order-placed',
  type: 'orders.order.placed',
  batched: true,
  concerns: withCoupon,
  async handle(em, { data }) {
    if (!isId(data?.orderId)) return;
    await em.execute(
      `UPDATE coupon_redemptions SET attached_at = COALESCE(attached_at, now()), updated_at = now(),
         status = CASE WHEN release_reason = 'ABANDONED' THEN 'PENDING' ELSE status END,
         release_reason = CASE WHEN release_reason = 'ABANDONED' THEN NULL ELSE release_reason END
       WHERE order_id = ?`, [data.orderId]);
  },
};

/** The order is paid: the use counts for good, unless the order was cancelled already. */
export const orderConfirmedConsumer: ConsumerSpec<'orders.order.confirmed'> = {
  name: 'discounts-order-confirmed',
  type: 'orders.order.confirmed',
  batched: true,
  concerns: withCoupon,
  async handle(em, { data }) {
    if (!isId(data?.orderId)) return;
    await em.execute(
      `UPDATE coupon_redemptions SET status = 'CONFIRMED', release_reason = NULL, attached_at = COALESCE(attached_at, now()), updated_at = now()
       WHERE order_id = ? AND (status = 'PENDING' OR release_reason = 'ABANDONED')`, [data.orderId]);
  },
};

/** The order is cancelled (before or after confirmation): the use is given back. */
export const orderCancelledConsumer: ConsumerSpec<'orders.order.cancelled'> = {
  name: 'discounts-order-cancelled',
  type: 'orders.order.cancelled',
  batched: true,
  concerns: withCoupon,
  async handle(em, { data }) {
    if (!isId(data?.orderId)) return;
    await em.execute(
      `UPDATE coupon_redemptions SET status = 'RELEASED', release_reason = 'ORDER_CANCELLED',
         attached_at = COALESCE(attached_at, now()), updated_at = now()
       WHERE order_id = ? AND release_reason IS DISTINCT FROM 'ORDER_CANCELLED'`, [data.orderId]);
  },
};

export const redemptionConsumers = [orderPlacedConsumer, orderConfirmedConsumer, orderCancelledConsumer];
