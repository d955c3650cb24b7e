import { EntitySchema } from '@mikro-orm/postgresql';

/** The statuses clients see (the GraphQL PaymentStatus). */
export type PaymentStatus = 'AUTHORIZED' | 'CAPTURED' | 'FAILED' | 'VOIDED' | 'REFUNDED';

/**
 * PENDING is the claim a handler writes before it calls the provider. It is
 * written and settled in the same transaction, so no other transaction
 * ever sees it; it exists so that the unique order id, not only the lock on
 * the intent, stands between an order and a second provider call.
 */
export type PaymentState = 'PENDING' | PaymentStatus;

/** The one payment of an order. */
export class Payment {
  id!: string;
  orderId!: string;
  customerId!: string;
  amount!: number;
  currency!: string;
  status!: PaymentState;
  failureReason!: string | null;
  /** What the provider charged: 0 until the order shipped, then `amount`. */
  capturedAmount!: number;
  /** The sum of the payment's refunds; at most `capturedAmount`. */
  refundedAmount!: number;
  /** The provider's id of the authorization; null until it answered, and for a decline. */
  providerReference!: string | null;
  createdAt!: Date;
  updatedAt!: Date;
}

/** A payment the provider has answered for: what GraphQL shows. */
export type SettledPayment = Payment & { status: PaymentStatus };

export function isSettled(payment: Payment): payment is SettledPayment {
  return payment.status !== 'PENDING';
}

export const PaymentSchema = new EntitySchema<Payment>({
  class: Payment,
  tableName: 'payments',
  properties: {
    id: { type: 'uuid', primary: true },
    orderId: { type: 'uuid', unique: true },
    customerId: { type: 'uuid' },
    amount: { type: 'integer' },
    currency: { type: 'string' },
    status: { type: 'string' },
    failureReason: { type: 'text', nullable: true },
    capturedAmount: { type: 'integer', default: 0 },
    refundedAmount: { type: 'integer', default: 0 },
    providerReference: { type: 'string', nullable: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
});
