import { BackgroundJob } from '@shop/platform';
import { expire, overdueReservations } from './reservation.service';

/** Releases reservations whose order stalled past the deadline; orders cancels them on the expired event. */
export const reservationExpiryJob: BackgroundJob = {
  name: 'reservation-expiry',
  intervalMs: (config) => config.saga.sweepIntervalMs,
  async run({ orm, eventsRecorded }) {
    const overdue = await overdueReservations(orm.em.fork());
    let expired = 0;
    for (const orderId of overdue) {
      if (await orm.em.fork().transactional((em) => expire(em, orderId))) expired += 1;
    }
    if (expired) eventsRecorded();
    return expired;
  },
};
