import { isCurrency, isId, z } from '@shop/platform';

/** The part of orders.order.placed that payments keeps. */
export const orderPlacedSchema = z.object({
  orderId: z.string().refine(isId, 'Not an order id'),
  customerId: z.string().refine(isId, 'Not a customer id'),
  total: z.number().int().min(0),
  currency: z.string().refine(isCurrency, 'Not an ISO 4217 currency code'),
  paymentToken: z.string().min(1),
});

/** The part of orders.order.cancelled that payments needs. */
export const orderCancelledSchema = z.object({
  orderId: z.string().refine(isId, 'Not an order id'),
  customerId: z.string().refine(isId, 'Not a customer id'),
});

export type OrderPlaced = z.infer<typeof orderPlacedSchema>;
