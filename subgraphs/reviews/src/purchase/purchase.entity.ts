import { EntitySchema } from '@mikro-orm/postgresql';

/**
 * A product a customer received: one row per delivered order and product,
 * learnt from orders.order.delivered. What makes a review's author a
 * verified purchaser; reviews never asks orders at request time.
 */
export class Purchase {
  orderId!: string;
  productId!: string;
  customerId!: string;
  deliveredAt!: Date;
}

export const PurchaseSchema = new EntitySchema<Purchase>({
  class: Purchase,
  tableName: 'purchases',
  properties: {
    orderId: { type: 'uuid', primary: true },
    productId: { type: 'uuid', primary: true },
    customerId: { type: 'uuid' },
    deliveredAt: { type: 'datetime' },
  },
});
