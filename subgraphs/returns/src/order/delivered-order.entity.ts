import { EntitySchema } from '@mikro-orm/postgresql';

/**
 * A delivered order as returns knows it, from orders.order.delivered: who
 * owns it, its totals and when it arrived. Returns never asks orders; an
 * order it has not heard of is not delivered as far as it is concerned.
 */
export class DeliveredOrder {
  id!: string;
  number!: string;
  customerId!: string;
  currency!: string;
  subtotal!: number;
  discount!: number;
  shippingTotal!: number;
  total!: number;
  deliveredAt!: Date;
  createdAt!: Date;
}

export const DeliveredOrderSchema = new EntitySchema<DeliveredOrder>({
  class: DeliveredOrder,
  tableName: 'delivered_orders',
  properties: {
    id: { type: 'uuid', primary: true },
    number: { type: 'string' },
    customerId: { type: 'uuid' },
    currency: { type: 'string' },
    subtotal: { type: 'integer' },
    discount: { type: 'integer' },
    shippingTotal: { type: 'integer' },
    total: { type: 'integer' },
    deliveredAt: { type: 'datetime' },
    createdAt: { type: 'datetime' },
  },
});

/** A line of a delivered order, priced at checkout (the order's currency). */
export class DeliveredLine {
  id!: string;
  orderId!: string;
  productId!: string;
  name!: string;
  quantity!: number;
  unitPrice!: number;
  position!: number;
}

export const DeliveredLineSchema = new EntitySchema<DeliveredLine>({
  class: DeliveredLine,
  tableName: 'delivered_order_lines',
  properties: {
    id: { type: 'uuid', primary: true },
    orderId: { type: 'uuid' },
    productId: { type: 'uuid' },
    name: { type: 'string' },
    quantity: { type: 'integer' },
    unitPrice: { type: 'integer' },
    position: { type: 'integer' },
  },
});

/** A line as resolvers see it: with its order's currency. */
export type OrderLineView = DeliveredLine & { currency: string };
