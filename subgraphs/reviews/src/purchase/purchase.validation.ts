import { isId, z } from '@shop/platform';

/** The part of orders.order.delivered that reviews keeps: who received which products, and when. */
export const orderDeliveredSchema = z.object({
  orderId: z.string().refine(isId, 'Not an order id'),
  customerId: z.string().refine(isId, 'Not a customer id'),
  lines: z.array(z.object({ productId: z.string().refine(isId, 'Not a product id') })).min(1),
  /** Missing from an older producer: the event's occurredAt stands in. */
  deliveredAt: z.string().datetime({ offset: true }).optional(),
});
