import { BackgroundJob, transactionalThen } from '@shop/platform';
import { Order } from '../order/order.entity';
import { transitionIfPossible } from './order-transitions';

/**
 * The last guard of the saga: an order still PENDING past the reservation
 * deadline plus a grace (PENDING_GRACE_SECONDS, for inventory's own expiry
 * to speak first) (a step that never answered, e.g. inventory down the
 * whole time) is cancelled, which releases whatever was or will be held.
 */
export const pendingTimeoutJob: BackgroundJob = {
  name: 'orders-pending-timeout',
  intervalMs: (config) => config.saga.sweepIntervalMs,
  async run({ orm, config, eventsRecorded }) {
    const deadline = new Date(Date.now() - (config.saga.reservationTtlSeconds + config.saga.pendingGraceSeconds) * 1000);
    const stale = await orm.em.fork().find(Order, { status: 'PENDING', placedAt: { $lt: deadline } }, { limit: 100, fields: ['id'] });
    let cancelled = 0;
    for (const { id } of stale) {
      const done = await transactionalThen(orm.em.fork(), (em) => transitionIfPossible(em, id, 'CANCELLED', 'The checkout did not complete in time'));
      if (done) cancelled += 1;
    }
    if (cancelled) eventsRecorded();
    return cancelled;
  },
};
