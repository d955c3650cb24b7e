import { EntitySchema } from '@mikro-orm/postgresql';

/**
 * Stock held for one order. RESERVED until the order is confirmed (SOLD) or
 * cancelled (RELEASED); EXPIRED when the saga stalled past its deadline;
 * REFUSED when some line was short (nothing was held); VOIDED when the
 * cancellation arrived before the order was ever reserved, so a late
 * `placed` event holds nothing; RETURNED when a sold order was cancelled.
 */
export type ReservationStatus = 'RESERVED' | 'SOLD' | 'RELEASED' | 'EXPIRED' | 'REFUSED' | 'VOIDED' | 'RETURNED';

export class Reservation {
  orderId!: string;
  status!: ReservationStatus;
  expiresAt!: Date;
  createdAt!: Date;
  updatedAt!: Date;
}

export const ReservationSchema = new EntitySchema<Reservation>({
  class: Reservation,
  tableName: 'reservations',
  properties: {
    orderId: { type: 'uuid', primary: true },
    status: { type: 'string' },
    expiresAt: { type: 'datetime' },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
});

/** One product line of a reservation. */
export class ReservationLine {
  orderId!: string;
  productId!: string;
  quantity!: number;
}

export const ReservationLineSchema = new EntitySchema<ReservationLine>({
  class: ReservationLine,
  tableName: 'reservation_lines',
  properties: {
    orderId: { type: 'uuid', primary: true },
    productId: { type: 'uuid', primary: true },
    quantity: { type: 'integer' },
  },
});
