import { ConsumerSpec } from '@shop/platform';
import { releaseOrReturn, reserve, sell } from './reservation.service';

const placed: ConsumerSpec<'orders.order.placed'> = {
  name: 'inventory-order-placed',
  type: 'orders.order.placed',
  handle: (em, { data }, { config }) => reserve(em, data.orderId, data.lines, config.saga.reservationTtlSeconds),
};

const confirmed: ConsumerSpec<'orders.order.confirmed'> = {
  name: 'inventory-order-confirmed',
  type: 'orders.order.confirmed',
  handle: (em, { data }) => sell(em, data.orderId),
};

const cancelled: ConsumerSpec<'orders.order.cancelled'> = {
  name: 'inventory-order-cancelled',
  type: 'orders.order.cancelled',
  handle: (em, { data }) => releaseOrReturn(em, data.orderId),
};

/** Inventory's part of the checkout saga: reserve on placed, sell on confirmed, release or take back on cancelled. */
export const sagaConsumers = [placed, confirmed, cancelled];
