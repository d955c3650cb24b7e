import { EntitySchema } from '@mikro-orm/postgresql';

export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED' | 'RETURN_REQUESTED' | 'RETURNED';

export interface ShippingAddress {
  id: string; name: string; line1: string; line2: string | null; city: string; postalCode: string; country: string;
}

/** An order with the totals snapshotted at checkout; its status moves only through order-status.ts. */
export class Order {
  id!: string;
  number!: string;
  customerId!: string;
  cartId!: string;
  idempotencyKey!: string;
  status!: OrderStatus;
  currency!: string;
  subtotal!: number;
  discount!: number;
  shippingTotal!: number;
  total!: number;
  couponCode?: string | null;
  shippingMethodId!: string;
  shippingAddress!: ShippingAddress;
  cancellationReason?: string | null;
  placedAt!: Date;
  updatedAt!: Date;
}

export const OrderSchema = new EntitySchema<Order>({
  class: Order,
  tableName: 'orders',
  properties: {
    id: { type: 'uuid', primary: true },
    number: { type: 'string' },
    customerId: { type: 'uuid' },
    cartId: { type: 'uuid' },
    idempotencyKey: { type: 'string' },
    status: { type: 'string' },
    currency: { type: 'string' },
    subtotal: { type: 'integer' },
    discount: { type: 'integer' },
    shippingTotal: { type: 'integer' },
    total: { type: 'integer' },
    couponCode: { type: 'string', nullable: true },
    shippingMethodId: { type: 'string' },
    shippingAddress: { type: 'json' },
    cancellationReason: { type: 'string', nullable: true },
    placedAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
});
