import { ConsumerSpec } from '@shop/platform';
import { releaseOrReturn, reserve, reserveAtOnce, sell } from './reservation.service';

const placed: ConsumerSpec<'orders.order.placed'> = {
  name: 'inventory-order-placed',
  type: 'orders.order.placed',
  // The usual order (one product, in stock) in one statement with its inbox row; anything else in a transaction.
  handleAtOnce: (em, { data }, { config }, inbox) => reserveAtOnce(em, data.orderId, data.lines, config.saga.reservationTtlSeconds, inbox),
  handle: (em, { data }, { config }) => reserve(em, data.orderId, data.lines, config.saga.reservationTtlSeconds),
};

const confirmed: ConsumerSpec<'orders.order.confirmed'> = {
  name: 'inventory-order-confirmed',
  type: 'orders.order.confirmed',
  handleAtOnce: async (em, { data }, _env, inbox) => { await sell(em, data.orderId, inbox); return 'handled'; },
  handle: (em, { data }) => sell(em, data.orderId),
};

const cancelled: ConsumerSpec<'orders.order.cancelled'> = {
  name: 'inventory-order-cancelled',
  type: 'orders.order.cancelled',
  handle: (em, { data }) => releaseOrReturn(em, data.orderId),
};

/** Inventory's part of the checkout saga: reserve on placed, sell on confirmed, release or take back on cancelled. */
export const sagaConsumers = [placed, confirmed, cancelled];
