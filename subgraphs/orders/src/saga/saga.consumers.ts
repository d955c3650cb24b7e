import { ConsumerSpec } from '@shop/platform';
import { OrderLine } from '../order/order-line.entity';
import { transitionAtOnce, transitionIfPossible } from './order-transitions';

/** Out-of-stock reason naming the products, e.g. "Out of stock: Oak Lamp (2 requested, 1 available)". */
const reservationFailed: ConsumerSpec<'inventory.stock.reservation-failed'> = {
  name: 'orders-reservation-failed',
  type: 'inventory.stock.reservation-failed',
  batched: true,
  async handle(em, { data }) {
    const lines = await em.find(OrderLine, { orderId: data.orderId });
    const names = new Map(lines.map((l) => [l.productId, l.productName]));
    const detail = data.shortages
      .map((s) => `${names.get(s.productId) ?? s.productId} (${s.requested} requested, ${s.available} available)`)
      .join(', ');
    await transitionIfPossible(em, data.orderId, 'CANCELLED', `Out of stock: ${detail}`);
  },
};

const reservationExpired: ConsumerSpec<'inventory.reservation.expired'> = {
  name: 'orders-reservation-expired',
  type: 'inventory.reservation.expired',
  async handle(em, { data }) {
    await transitionIfPossible(em, data.orderId, 'CANCELLED', 'The stock reservation expired before the payment completed');
  },
};

const paymentAuthorized: ConsumerSpec<'payments.payment.authorized'> = {
  name: 'orders-payment-authorized',
  type: 'payments.payment.authorized',
  batched: true,
  handleAtOnce: (em, { data }, _env, inbox) => transitionAtOnce(em, data.orderId, 'CONFIRMED', null, inbox),
  async handle(em, { data }) {
    await transitionIfPossible(em, data.orderId, 'CONFIRMED');
  },
};

const paymentFailed: ConsumerSpec<'payments.payment.failed'> = {
  name: 'orders-payment-failed',
  type: 'payments.payment.failed',
  batched: true,
  handleAtOnce: (em, { data }, _env, inbox) => transitionAtOnce(em, data.orderId, 'CANCELLED', `Payment declined: ${data.reason}`, inbox),
  async handle(em, { data }) {
    await transitionIfPossible(em, data.orderId, 'CANCELLED', `Payment declined: ${data.reason}`);
  },
};

/** The saga outcomes orders reacts to; every handler is idempotent through the state machine and the inbox. */
export const sagaConsumers = [reservationFailed, reservationExpired, paymentAuthorized, paymentFailed];
