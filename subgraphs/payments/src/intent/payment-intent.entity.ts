import { EntitySchema } from '@mikro-orm/postgresql';

/**
 * What payments knows of an order before paying it, from orders.order.placed:
 * the amount, the currency and the customer's payment token. An intent
 * created by a cancellation that overtook the placement has no amount yet
 * and is cancelled from the start, so the order can never be charged.
 */
export class PaymentIntent {
  orderId!: string;
  customerId!: string;
  amount!: number | null;
  currency!: string | null;
  paymentToken!: string | null;
  cancelled!: boolean;
  createdAt!: Date;
}

export const PaymentIntentSchema = new EntitySchema<PaymentIntent>({
  class: PaymentIntent,
  tableName: 'payment_intents',
  properties: {
    orderId: { type: 'uuid', primary: true },
    customerId: { type: 'uuid' },
    amount: { type: 'integer', nullable: true },
    currency: { type: 'string', nullable: true },
    paymentToken: { type: 'text', nullable: true },
    cancelled: { type: 'boolean' },
    createdAt: { type: 'datetime' },
  },
});

/** What authorizing an intent needs; null for an intent known only from a cancellation. */
export function chargeOf(intent: PaymentIntent): { amount: number; currency: string; token: string } | null {
  if (intent.amount === null || intent.currency === null || intent.paymentToken === null) return null;
  return { amount: intent.amount, currency: intent.currency, token: intent.paymentToken };
}
