import { EntitySchema } from '@mikro-orm/postgresql';

/**
 * Money paid back on a payment, for a return or a cancellation. The
 * idempotency key (`return:<returnId>`, `cancel:<orderId>`) is unique, and
 * is the key the provider was asked with, so one request refunds once.
 */
export class Refund {
  id!: string;
  paymentId!: string;
  idempotencyKey!: string;
  /** Minor units of the payment's currency; 0 when nothing was left to pay back. */
  amount!: number;
  /** The provider's id of the refund; null for a refund of nothing (no provider call). */
  providerReference!: string | null;
  /** The return it paid for; null for a cancellation. */
  returnId!: string | null;
  createdAt!: Date;
}

export const RefundSchema = new EntitySchema<Refund>({
  class: Refund,
  tableName: 'refunds',
  properties: {
    id: { type: 'uuid', primary: true },
    paymentId: { type: 'uuid' },
    idempotencyKey: { type: 'string', unique: true },
    amount: { type: 'integer' },
    providerReference: { type: 'string', nullable: true },
    returnId: { type: 'uuid', nullable: true },
    createdAt: { type: 'datetime' },
  },
});
