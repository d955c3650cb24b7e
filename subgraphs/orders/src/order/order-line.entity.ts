import { EntitySchema } from '@mikro-orm/postgresql';

/** A line of an order, priced at checkout. */
export class OrderLine {
  id!: string;
  orderId!: string;
  productId!: string;
  productName!: string;
  quantity!: number;
  unitPrice!: number;
  lineTotal!: number;
  position!: number;
}

export const OrderLineSchema = new EntitySchema<OrderLine>({
  class: OrderLine,
  tableName: 'order_lines',
  properties: {
    id: { type: 'uuid', primary: true },
    orderId: { type: 'uuid' },
    productId: { type: 'uuid' },
    productName: { type: 'string' },
    quantity: { type: 'integer' },
    unitPrice: { type: 'integer' },
    lineTotal: { type: 'integer' },
    position: { type: 'integer' },
  },
});

/** A line as resolvers see it: with its order's currency. */
export type OrderLineView = OrderLine & { currency: string };
